"""The pgb on the pages (issue #15): the concept form's pgb section, the beschikking page with the
budget, and the SVB list per month (page, CSV, XLSX; audited; for contract management only)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from indications import services
from indications.models import ComplexityRule, Indication, PgbBudget, Product
from indications.pgb import Month, svb_rows
from tests.factories import AanvraagFactory, PgbBudgetFactory, result_in, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_four_eyes():
    ComplexityRule.objects.update(is_active=False)


@pytest.fixture
def aanvraag(ib_client, today):
    return AanvraagFactory(client=ib_client, received_on=today - timedelta(days=3))


def _form_data(aanvraag, **extra) -> dict:
    start = aanvraag.received_on + timedelta(days=3)
    return {
        "aanvraag": aanvraag.pk,
        "kind": "eerste",
        "product": Product.objects.get(code="IB1").pk,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=300)).isoformat(),
        "evaluation_date_1": (start + timedelta(days=90)).isoformat(),
        "resultaten-TOTAL_FORMS": "1",
        "resultaten-INITIAL_FORMS": "0",
        "resultaten-MIN_NUM_FORMS": "1",
        "resultaten-MAX_NUM_FORMS": "20",
        "resultaten-0-result": str(result_in("financien").pk),
        "resultaten-0-goal": "Betaalt de vaste lasten zelf.",
        **extra,
    }


PGB_FORM = {
    "delivery_form": "pgb",
    "pgb_holder": "wettelijk",
    "pgb_representative_name": "M. Pietersen",
    "pgb_representative_relation": "moeder",
    "pgb_budget_plan_received_on": "2026-11-20",
    "pgb_able_to_manage": "ja",
    "pgb_motivated": "ja",
    "pgb_quality_plausible": "ja",
    "pgb_quality_note": "Begeleider heeft een VOG.",
}


def test_the_concept_form_records_a_pgb_and_the_beschikking_shows_its_budget(client, consultant, aanvraag):
    client.force_login(consultant)
    form = client.get(f"/aanvragen/{aanvraag.uuid}/indicatie/").content.decode()
    assert "Persoonsgebonden budget (alleen bij leveringsvorm pgb)" in form
    response = client.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", _form_data(aanvraag, **PGB_FORM))
    assert response.status_code == 302, response.context["form"].errors
    indication = Indication.objects.get()
    assert indication.is_pgb and indication.provider is None
    pgb = PgbBudget.objects.get(indication=indication)
    assert (pgb.holder_name, pgb.able_to_manage, pgb.motivated, pgb.quality_plausible) == (
        "M. Pietersen",
        True,
        True,
        True,
    )
    page = client.get(reverse("indications:indication_detail", args=[indication.uuid])).content.decode()
    assert "persoonsgebonden budget" in page
    assert "Pgb-budget per 4 weken" in page and "€ 270,13" in page
    assert "M. Pietersen" in page and "Begeleider heeft een VOG." in page


def test_a_natura_concept_ignores_the_pgb_section(client, consultant, aanvraag):
    client.force_login(consultant)
    data = _form_data(aanvraag, **{**PGB_FORM, "delivery_form": "natura"})
    assert client.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", data).status_code == 302
    assert Indication.objects.get().delivery_form == "natura"
    assert not PgbBudget.objects.exists()


def test_the_form_without_a_leveringsvorm_is_natura(client, consultant, aanvraag):
    client.force_login(consultant)
    assert client.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", _form_data(aanvraag)).status_code == 302
    assert Indication.objects.get().delivery_form == "natura"


def test_the_beschikking_page_offers_no_provider_for_a_pgb(client, ib_client, today):
    indication = PgbBudgetFactory(indication__client=ib_client).indication
    services.issue_beschikking(indication, by=indication.consultant, today=today)
    client.force_login(indication.consultant)
    page = client.get(reverse("indications:indication_detail", args=[indication.uuid])).content.decode()
    assert "Aanbieder kiezen of wijzigen" not in page
    assert "Toewijzingen aan de aanbieder" not in page


# -- the SVB list ---------------------------------------------------------------------------------


def _granted_pgb(ib_client, start: date, end: date | None, **fields) -> Indication:
    indication = PgbBudgetFactory(
        indication__client=ib_client,
        indication__start_date=start,
        indication__end_date=end,
        indication__status="actief",
        indication__decision_date=start - timedelta(days=5),
        indication__number=f"IB-{start.year}-{start.toordinal()}",
        **fields,
    ).indication
    return indication


def test_the_svb_list_gives_the_budget_of_the_month(ib_client):
    indication = _granted_pgb(ib_client, date(2026, 11, 10), date(2027, 11, 9))
    (row,) = svb_rows(Month(2026, 11))
    assert row.indication == indication and row.change == "nieuw"
    assert row.in_month == Decimal("202.60")  # 21 days of € 270,13 per 4 weeks
    assert row.per_period == Decimal("270.13")
    (row,) = svb_rows(Month(2026, 12))
    assert row.change == "lopend" and row.in_month == (Decimal("270.13") * 31 / 28).quantize(Decimal("0.01"))
    assert svb_rows(Month(2026, 10)) == []
    assert svb_rows(Month(2027, 12)) == []


def test_the_svb_list_leaves_out_natura_and_undecided_beschikkingen(ib_client):
    _granted_pgb(ib_client, date(2026, 11, 10), None)
    PgbBudgetFactory(indication__start_date=date(2026, 11, 1))  # a concept
    Indication.objects.filter(status="concept").update(delivery_form="natura")
    assert len(svb_rows(Month(2026, 11))) == 1


def test_the_svb_page_and_its_download_are_audited_and_for_the_functioneel_beheerder(client, ib_client):
    indication = _granted_pgb(ib_client, date(2026, 11, 10), date(2027, 11, 9))
    url = reverse("indications:svb_export")
    for role in (CONSULENT, CONTRACTMANAGER):  # contract management sees no client data
        client.force_login(staff_member(role))
        assert client.get(url).status_code == 403
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    page = client.get(url, {"year": "2026", "month": "11"})
    assert page.status_code == 200
    assert ib_client.bsn in page.content.decode()
    download = client.get(url, {"year": "2026", "month": "11", "export": "pgb-svb-2026-11", "formaat": "csv"})
    text = b"".join(download.streaming_content).decode()
    assert ib_client.bsn in text and indication.number in text and "202,60" in text
    xlsx = client.get(url, {"year": "2026", "month": "11", "export": "pgb-svb-2026-11", "formaat": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    events = AuditEvent.objects.filter(object_type="indications.indication", object_id=str(indication.pk))
    assert events.filter(summary="Pgb-lijst SVB 2026-11 ingezien").count() == 1
    assert events.filter(summary="Export pgb-lijst SVB 2026-11 (csv)", client_id=ib_client.pk).count() == 1
    assert events.filter(summary="Export pgb-lijst SVB 2026-11 (xlsx)").count() == 1
