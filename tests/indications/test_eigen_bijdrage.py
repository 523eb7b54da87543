"""The eigen bijdrage (seed 000: reintroduced for IB on 1 December 2020; seed 001: it starts at 18):
the rule periods as data, the obligation of a beschikking derived from its care and those periods,
the sentence on the beschikking, and the export of the obligations for the CAK."""

import csv
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from indications import eigen_bijdrage, services
from indications.admin import EigenBijdrageRuleForm
from indications.models import CakExport, EigenBijdrageExemption, EigenBijdrageRule, Indication
from tests.factories import (
    TODAY,
    ClientFactory,
    EigenBijdrageExemptionFactory,
    EigenBijdrageRuleFactory,
    IndicationFactory,
    UserFactory,
    build_case_file,
    get_product,
    staff_member,
)

pytestmark = pytest.mark.django_db

DUE_FROM = date(2020, 12, 1)
CAK = reverse("indications:cak_export")
CSV = {"formaat": "csv"}


def _obligation(start, end, *, born=date(1975, 5, 17), product="IB1"):
    return eigen_bijdrage.obligation(
        start=start,
        end=end,
        date_of_birth=born,
        product_id=get_product(product).pk,
        rules=eigen_bijdrage.rule_periods(),
    )


# -- the rules as data (data migration) ------------------------------------------------------------


def test_ib_was_free_before_1_december_2020_and_the_abonnementstarief_is_due_from_then():
    free, due = EigenBijdrageRule.objects.order_by("valid_from")
    assert (free.valid_until, free.is_due, free.amount_per_month) == (date(2020, 11, 30), False, None)
    assert (due.valid_from, due.valid_until, due.is_due, due.amount_per_month) == (
        DUE_FROM,
        None,
        True,
        Decimal("19.00"),
    )
    assert [(e.rule, e.age) for e in due.exemptions.all()] == [(EigenBijdrageExemption.Rule.AGE_BELOW, 18)]
    assert eigen_bijdrage.latest_due_start() == DUE_FROM


def test_a_rule_period_that_overlaps_another_is_refused_in_the_admin_form():
    form = EigenBijdrageRuleForm(
        data={"valid_from": "2024-01-01", "valid_until": "2024-12-31", "is_due": "on", "amount_per_month": "21"}
    )
    assert not form.is_valid()
    assert "overlapt met de regel eigen bijdrage vanaf 01-12-2020" in form.errors["valid_from"][0]
    with pytest.raises(ValidationError) as error:
        eigen_bijdrage.validate_rule_period(date(2020, 11, 1), date(2020, 12, 31))
    assert error.value.code == "eigen_bijdrage_overlap"
    # Editing a rule does not clash with its own stored period; a later open rule after ending the
    # current one fits.
    current = EigenBijdrageRule.objects.get(valid_from=DUE_FROM)
    eigen_bijdrage.validate_rule_period(DUE_FROM, date(2024, 12, 31), replacing=current.pk)
    current.valid_until = date(2024, 12, 31)
    current.save()
    eigen_bijdrage.validate_rule_period(date(2025, 1, 1), None)


def test_the_beheerder_adds_a_rule_in_the_admin_audited_and_an_overlap_is_a_form_error(client):
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER, username="beheerder-regels", is_staff=True))
    data = {"valid_from": "2024-01-01", "valid_until": "", "is_due": "on", "amount_per_month": "21.00", "source": ""}
    response = client.post("/beheer/indications/eigenbijdragerule/add/", data)
    assert response.status_code == 200
    assert "overlapt" in str(response.context["adminform"].form.errors["valid_from"])
    EigenBijdrageRule.objects.filter(valid_from=DUE_FROM).update(valid_until=date(2023, 12, 31))
    assert client.post("/beheer/indications/eigenbijdragerule/add/", data).status_code == 302
    added = EigenBijdrageRule.objects.get(valid_from=date(2024, 1, 1))
    event = AuditEvent.objects.get(object_type="indications.eigenbijdragerule", object_id=str(added.pk))
    assert event.action == AuditEvent.Action.CREATE


def test_postgresql_holds_one_rule_per_day_in_an_exclusion_constraint():
    overlapping = EigenBijdrageRule(valid_from=date(2030, 1, 1), is_due=True, amount_per_month=Decimal("19"))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS eigen_bijdrage_rules_do_not_overlap IMMEDIATE")
    else:
        overlapping.save()  # SQLite: the service's check (the admin form) is the rule
        assert overlapping.pk is not None


def test_an_amount_is_required_exactly_when_the_eigen_bijdrage_is_due():
    with pytest.raises(ValidationError):
        EigenBijdrageRule(valid_from=date(1990, 1, 1), is_due=True).full_clean()
    with pytest.raises(ValidationError):
        EigenBijdrageRule(valid_from=date(1990, 1, 1), is_due=False, amount_per_month=Decimal("5")).full_clean()


# -- the obligation of a beschikking ---------------------------------------------------------------


def test_care_that_started_before_the_reintroduction_owes_it_from_1_december_2020():
    result = _obligation(date(2019, 6, 1), date(2021, 5, 31))
    assert (result.start, result.end, result.amount_per_month) == (DUE_FROM, date(2021, 5, 31), Decimal("19.00"))
    assert result.reasons == ("Individuele begeleiding was tot en met 30-11-2020 vrij van eigen bijdrage.",)


def test_care_that_ended_before_the_reintroduction_owes_nothing():
    result = _obligation(date(2019, 1, 1), date(2020, 11, 30))
    assert not result.is_due
    assert result.start is None


def test_a_client_under_18_owes_it_from_the_18th_birthday():
    result = _obligation(date(2025, 1, 1), date(2026, 12, 31), born=date(2007, 9, 14))
    assert (result.start, result.end) == (date(2025, 9, 14), date(2026, 12, 31))
    assert result.reasons == ("Vrijgesteld tot 14-09-2025: cliënt jonger dan 18 jaar.",)
    # Still under 18 at the end: exempt for the whole care.
    assert not _obligation(date(2025, 1, 1), date(2025, 6, 30), born=date(2007, 9, 14)).is_due
    # Switching the exemption off makes the eigen bijdrage due from the ingangsdatum.
    EigenBijdrageExemption.objects.update(is_active=False)
    assert _obligation(date(2025, 1, 1), date(2026, 12, 31), born=date(2007, 9, 14)).start == date(2025, 1, 1)


def test_an_exemption_is_data_a_product_can_be_exempted():
    rule = EigenBijdrageRule.objects.get(valid_from=DUE_FROM)
    rule.exemptions.add(
        EigenBijdrageExemptionFactory(
            name="IB0 zonder eigen bijdrage",
            rule=EigenBijdrageExemption.Rule.PRODUCT,
            age=None,
            product=get_product("IB0"),
        )
    )
    assert not _obligation(date(2025, 1, 1), None, product="IB0").is_due
    assert _obligation(date(2025, 1, 1), None, product="IB1").start == date(2025, 1, 1)


def test_rule_periods_with_another_amount_are_kept_apart_and_equal_ones_joined():
    current = EigenBijdrageRule.objects.get(valid_from=DUE_FROM)
    current.valid_until = date(2022, 12, 31)
    current.save()
    later = EigenBijdrageRuleFactory(valid_from=date(2023, 1, 1), valid_until=None, due=True)
    later.amount_per_month = Decimal("20.60")
    later.save()
    result = _obligation(date(2022, 1, 1), date(2023, 6, 30))
    assert [(s.start, s.end, s.amount_per_month) for s in result.segments] == [
        (date(2022, 1, 1), date(2022, 12, 31), Decimal("19.00")),
        (date(2023, 1, 1), date(2023, 6, 30), Decimal("20.60")),
    ]
    lines = eigen_bijdrage.describe(result, decided=True)
    assert "vanaf 01-01-2022 tot en met 31-12-2022 via het CAK (abonnementstarief € 19,00 per maand)" in lines[0]
    assert "vanaf 01-01-2023 tot en met 30-06-2023 via het CAK (abonnementstarief € 20,60 per maand)" in lines[1]
    later.amount_per_month = Decimal("19.00")
    later.save()
    assert len(_obligation(date(2022, 1, 1), date(2023, 6, 30)).segments) == 1


def test_a_withdrawn_beschikking_owes_nothing():
    assert eigen_bijdrage.obligation_of(IndicationFactory(ingetrokken=True)) is None


def test_the_obligation_follows_the_end_of_the_beschikking(consultant, provider, today):
    case = build_case_file(consultant=consultant, provider=provider)
    issued = services.issue_beschikking(case.indication, by=consultant, today=today)
    assert eigen_bijdrage.obligation_of(issued).end == issued.end_date
    ended_on = today + timedelta(days=30)
    services.end_beschikking(issued, by=consultant, ended_on=ended_on, reason="Doel bereikt", today=today)
    issued.refresh_from_db()
    assert eigen_bijdrage.obligation_of(issued).end == ended_on


# -- on the beschikking ----------------------------------------------------------------------------


def test_the_beschikking_says_from_when_the_eigen_bijdrage_is_due_via_the_cak(client, consultant):
    indication = IndicationFactory(actief=True, client=ClientFactory(), consultant=consultant)
    client.force_login(consultant)
    page = client.get(reverse("indications:indication_detail", args=[indication.uuid])).content.decode()
    assert (
        f"U bent een eigen bijdrage verschuldigd vanaf {indication.start_date:%d-%m-%Y} tot en met "
        f"{indication.end_date:%d-%m-%Y} via het CAK (abonnementstarief € 19,00 per maand)"
    ) in page


def test_the_beschikking_of_a_minor_gives_the_exemption(client, consultant):
    minor = ClientFactory(date_of_birth=TODAY.replace(year=TODAY.year - 18) + timedelta(days=60))
    indication = IndicationFactory(actief=True, client=minor, consultant=consultant)
    client.force_login(consultant)
    page = client.get(reverse("indications:indication_detail", args=[indication.uuid])).content.decode()
    birthday = minor.date_of_birth.replace(year=minor.date_of_birth.year + 18)
    assert f"Vrijgesteld tot {birthday:%d-%m-%Y}: cliënt jonger dan 18 jaar." in page
    assert f"eigen bijdrage verschuldigd vanaf {birthday:%d-%m-%Y}" in page


# -- the CAK export --------------------------------------------------------------------------------


@pytest.fixture
def beheerder(client):
    user = staff_member(FUNCTIONEEL_BEHEERDER, username="beheerder-cak")
    client.force_login(user)
    return user


def _beschikkingen():
    started = IndicationFactory(
        vastgesteld=True,
        client=ClientFactory(last_name="Start"),
        start_date=date(2026, 10, 5),
        end_date=date(2027, 10, 4),
    )
    ended = IndicationFactory(
        beeindigd=True,
        client=ClientFactory(last_name="Einde"),
        start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31),
        ended_on=date(2026, 10, 20),
    )
    running = IndicationFactory(
        actief=True, client=ClientFactory(last_name="Loopt"), start_date=date(2025, 3, 1), end_date=date(2027, 2, 28)
    )
    IndicationFactory(ingetrokken=True, client=ClientFactory(last_name="Ingetrokken"), start_date=date(2026, 10, 6))
    return started, ended, running


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(StringIO(content), delimiter=";"))


def test_the_cak_export_lists_the_starts_and_ends_in_the_period_and_is_recorded(client, beheerder):
    started, ended, _running = _beschikkingen()
    query = {"period_from": "2026-10-01", "period_to": "2026-10-31", "kind": "mutaties"}
    response = client.get(CAK, {**query, "export": "cak-eigen-bijdrage", "formaat": "csv"})
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][:4] == ["BSN", "Naam", "Geboortedatum", "Gemeente"]
    by_number = {row[4]: row for row in rows[1:]}
    assert set(by_number) == {started.number, ended.number}
    assert by_number[started.number][8:] == ["05-10-2026", "04-10-2027", "19,00", "start"]
    assert by_number[ended.number][0] == ended.client.bsn
    assert by_number[ended.number][8:] == ["01-01-2025", "20-10-2026", "19,00", "einde"]
    export = CakExport.objects.get()
    assert (export.period_from, export.period_to, export.rows, export.exported_by) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        2,
        beheerder,
    )
    event = AuditEvent.objects.get(object_type="indications.cakexport")
    assert event.actor_id == beheerder.pk and "CAK-export eigen bijdrage 01-10-2026 t/m 31-10-2026" in event.summary
    # The next export starts where this one ended: the changes since the last export.
    page = client.get(CAK)
    assert page.context["form"].initial["period_from"] == date(2026, 11, 1)


def test_the_next_export_also_holds_what_changed_or_was_withdrawn_since_the_last(client, beheerder):
    started, ended, running = _beschikkingen()
    first = {"period_from": "2026-10-01", "period_to": "2026-10-31", "kind": "mutaties"}
    client.get(CAK, {**first, "export": "cak-eigen-bijdrage", "formaat": "csv"})
    # After the export: the running one is ended per a day in the exported month, the started one withdrawn.
    later = timezone.now() + timedelta(seconds=1)
    Indication.objects.filter(pk=running.pk).update(
        status=Indication.Status.BEEINDIGD, ended_on=date(2026, 10, 15), updated_at=later
    )
    Indication.objects.filter(pk=started.pk).update(status=Indication.Status.INGETROKKEN, updated_at=later)
    page = client.get(CAK)
    assert page.context["form"].initial["since_last_export"] is True
    november = {"period_from": "2026-11-01", "period_to": "2026-11-30", "kind": "mutaties"}
    rows = _csv(client.get(CAK, {**november, "since_last_export": "on", "export": "cak-eigen-bijdrage"} | CSV))
    by_number = {row[4]: row for row in rows[1:]}
    assert set(by_number) == {running.number, started.number}
    assert by_number[running.number][8:] == ["01-03-2025", "15-10-2026", "19,00", "gewijzigd"]
    assert by_number[started.number][8:] == ["", "", "", "ingetrokken"]
    # Without it, only what starts or ends in November (nothing here).
    assert _csv(client.get(CAK, {**november, "export": "cak-eigen-bijdrage"} | CSV))[1:] == []


def test_the_cak_export_of_running_obligations_as_xlsx(client, beheerder):
    started, ended, running = _beschikkingen()
    response = client.get(
        CAK,
        {"period_from": "2026-10-01", "period_to": "2026-10-31", "kind": "lopend", "formaat": "xlsx"}
        | {"export": "cak-eigen-bijdrage"},
    )
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    numbers = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {started.number, ended.number, running.number}


def test_the_cak_page_shows_the_rows_and_records_the_view(client, beheerder):
    started, _ended, _running = _beschikkingen()
    page = client.get(CAK, {"period_from": "2026-10-01", "period_to": "2026-10-31", "kind": "mutaties"})
    text = page.content.decode()
    assert started.number in text and started.client.bsn in text
    assert "2 regels" in text
    assert AuditEvent.objects.filter(summary__startswith="CAK-overzicht eigen bijdrage bekeken").exists()
    assert not CakExport.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused_next_to_the_field(client, beheerder):
    page = client.get(CAK, {"period_from": "2026-10-31", "period_to": "2026-10-01", "kind": "mutaties"})
    assert page.status_code == 200
    assert "De einddatum mag niet vóór de begindatum liggen." in page.content.decode()
    assert not CakExport.objects.exists()


def test_only_the_role_with_the_cak_permission_exports(client):
    client.force_login(staff_member(CONSULENT, username="consulent-cak"))
    assert client.get(CAK).status_code == 403
    user = UserFactory(username="met-cak-recht")
    user.user_permissions.add(Permission.objects.get(codename="export_cak"))
    client.force_login(user)
    assert client.get(CAK).status_code == 200
