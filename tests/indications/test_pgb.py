"""Leveringsvorm pgb (issue #15): the budget, the conditions of art. 2.3.6 Wmo 2015 at the
vaststelling, no toewijzing (so no WMO301), the concept's pgb record and the pgb tariffs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from indications import services, tariffs, workflow
from indications.codes import RedenWijziging
from indications.models import ComplexityRule, Indication, IndicationStatus, PgbBudget, PgbTariff, Tariff
from indications.selectors import beschikking_cost
from providers.models import Assignment
from providers.services import change_provider
from tests.factories import (
    IndicationFactory,
    PgbBudgetFactory,
    PgbTariffFactory,
    contracted_provider,
    get_product,
)

pytestmark = pytest.mark.django_db

PGB_CODES = {
    "pgb_provider",
    "no_pgb_tariff",
    "pgb_missing",
    "pgb_representative",
    "pgb_budget_plan",
    "pgb_not_able",
    "pgb_not_motivated",
    "pgb_quality",
}


@pytest.fixture(autouse=True)
def without_four_eyes():
    ComplexityRule.objects.update(is_active=False)


def codes(indication, today) -> set[str]:
    return {error.code for error in services.check_ib_rules(indication, today=today)}


def pgb_indication(ib_client, **pgb_fields) -> Indication:
    return PgbBudgetFactory(indication__client=ib_client, **pgb_fields).indication


# -- the default pgb tariffs and the budget ----------------------------------------------------


def test_the_default_pgb_tariff_is_80_percent_of_natura_and_half_for_the_social_network():
    tariff = PgbTariff.objects.get(product=get_product("IB1"), valid_from=date(2016, 1, 1))
    assert tariff.amount_per_period == Decimal("270.13")  # 80% of € 337,66
    assert tariff.informal_amount_per_period == Decimal("168.83")  # 50%
    assert tariff.opslag_per_period == Decimal("88.36")  # 80% of € 110,45
    assert PgbTariff.objects.count() == Tariff.objects.count()


def test_the_budget_is_the_pgb_tariff_in_force_times_the_periods(ib_client):
    indication = pgb_indication(ib_client)
    cost = beschikking_cost(indication)
    assert cost.is_pgb
    assert cost.tariff.__class__ is PgbTariff
    assert cost.per_period == Decimal("270.13")
    assert cost.periods == 14  # 365 days: 14 started periods of 4 weeks
    assert cost.total == Decimal("270.13") * 14


def test_the_budget_for_care_from_the_social_network_uses_its_tariff_and_opslag_is_added(ib_client):
    indication = pgb_indication(ib_client, social_network=True)
    assert beschikking_cost(indication).per_period == Decimal("168.83")
    indication.opslag = True
    assert beschikking_cost(indication).per_period == Decimal("168.83") + Decimal("88.36")


def test_the_budget_follows_the_pgb_tariff_in_force_on_the_start(ib_client):
    PgbTariff.objects.filter(product=get_product("IB1")).update(valid_to=date(2029, 12, 31))
    PgbTariffFactory(valid_from=date(2030, 1, 1), amount_per_period=Decimal("300.00"))
    indication = pgb_indication(ib_client, indication__start_date=date(2030, 2, 1))
    assert beschikking_cost(indication).per_period == Decimal("300.00")


def test_a_natura_beschikking_keeps_the_natura_tariff(ib_client):
    indication = IndicationFactory(client=ib_client)
    cost = beschikking_cost(indication)
    assert not cost.is_pgb and cost.per_period == Decimal("337.66")


def test_pgb_tariff_periods_may_not_overlap():
    product = get_product("IB1")
    new = PgbTariff(product=product, valid_from=date(2020, 1, 1), amount_per_period=Decimal(1))
    with pytest.raises(ValidationError) as failure:
        tariffs.validate_tariff(new)  # the default runs open-ended from 2016
    assert failure.value.error_list[0].code == "tariff_overlap"
    PgbTariff.objects.filter(product=product).update(valid_to=date(2019, 12, 31))
    tariffs.validate_tariff(new)


# -- the vaststelling ------------------------------------------------------------------------------


def test_a_complete_pgb_breaks_no_rule(ib_client, today):
    assert codes(pgb_indication(ib_client), today) == set()


def test_a_pgb_without_its_record_cannot_be_vastgesteld(ib_client, today):
    indication = IndicationFactory(client=ib_client, delivery_form="pgb")
    assert codes(indication, today) == {"pgb_missing"}


@pytest.mark.parametrize(
    ("field", "code"),
    [("able_to_manage", "pgb_not_able"), ("motivated", "pgb_not_motivated"), ("quality_plausible", "pgb_quality")],
)
@pytest.mark.parametrize("value", [None, False])
def test_each_condition_of_article_2_3_6_must_be_checked_and_met(ib_client, today, field, code, value):
    indication = pgb_indication(ib_client, **{field: value})
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert {error.code for error in failure.value.error_list} == {code}
    message = failure.value.error_list[0].message
    assert ("Toets de voorwaarde" if value is None else "Geen pgb") in message


def test_the_budget_plan_must_be_received(ib_client, today):
    assert codes(pgb_indication(ib_client, budget_plan_received_on=None), today) == {"pgb_budget_plan"}


def test_a_representative_as_budgetholder_is_named(ib_client, today):
    indication = pgb_indication(ib_client, holder=PgbBudget.Holder.LEGAL)
    assert codes(indication, today) == {"pgb_representative"}
    PgbBudget.objects.filter(indication=indication).update(representative_name="J. de Vries")
    assert codes(indication, today) == set()


def test_a_pgb_needs_a_pgb_tariff(ib_client, today):
    indication = pgb_indication(ib_client)
    PgbTariff.objects.filter(product=indication.product).delete()
    assert codes(indication, today) == {"no_pgb_tariff"}


def test_the_database_refuses_a_pgb_with_a_provider(ib_client):
    indication = pgb_indication(ib_client)
    indication.provider = contracted_provider()
    with pytest.raises(IntegrityError), transaction.atomic():
        indication.save()


def test_a_pgb_gets_no_toewijzing(ib_client, today):
    indication = pgb_indication(ib_client)
    issued = services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert issued.status == IndicationStatus.VASTGESTELD
    assert not Assignment.objects.filter(indication=issued).exists()
    assert "assign" not in workflow.offered_actions(issued, today=today, needs_review=False)


def test_a_natura_beschikking_still_gets_its_toewijzing(ib_client, today):
    indication = IndicationFactory(client=ib_client, provider=contracted_provider())
    issued = services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert Assignment.objects.filter(indication=indication).count() == 1
    assert "assign" in workflow.offered_actions(issued, today=today, needs_review=False)


def test_a_pgb_replacing_natura_ends_its_toewijzing_for_a_change_of_delivery_form(ib_client, today):
    natura = IndicationFactory(
        client=ib_client, provider=contracted_provider(), start_date=today - timedelta(days=60), aanvraag=None
    )
    natura.retroactive_motivation = "Voortzetting van zorg die al liep."
    natura.save()
    services.issue_beschikking(natura, by=natura.consultant, today=today, decision_date=today - timedelta(days=62))
    pgb = pgb_indication(
        ib_client,
        indication__replaces=natura,
        indication__kind=Indication.Kind.HERINDICATIE,
        indication__aanvraag=None,
        indication__start_date=today + timedelta(days=14),
    )
    services.issue_beschikking(pgb, by=pgb.consultant, today=today)
    ended = Assignment.objects.get(indication=natura)
    assert ended.change_reason == RedenWijziging.LEVERINGSVORM
    assert ended.end_date == pgb.start_date - timedelta(days=1)
    assert not Assignment.objects.filter(indication=pgb).exists()


def test_a_pgb_has_no_provider_to_change(ib_client, today):
    indication = pgb_indication(ib_client, indication__start_date=today - timedelta(days=3))
    services.issue_beschikking(indication, by=indication.consultant, today=today, decision_date=today - timedelta(5))
    with pytest.raises(ValidationError) as failure:
        change_provider(indication, provider=contracted_provider(), by=indication.consultant, on=today, today=today)
    assert failure.value.error_list[0].code == "pgb"


# -- the concept ----------------------------------------------------------------------------------


def _save(indication, **changes):
    data = {name: getattr(indication, name) for name in services.INDICATION_FIELDS}
    data.update(changes)
    results = [
        services.ResultInput(result=item.result, goal=item.goal, sub_results=list(item.sub_results.all()))
        for item in indication.results.all()
    ]
    return services.save_indication_concept(
        indication,
        client=indication.client,
        by=indication.consultant,
        results=results,
        evaluation_dates=[p.planned_on for p in indication.planned_evaluations.all()],
        **data,
    )


PGB = {
    "holder": "wettelijk",
    "representative_name": "A. Jansen",
    "representative_relation": "moeder",
    "budget_plan_received_on": date(2026, 11, 20),
    "able_to_manage": True,
    "able_to_manage_note": "Moeder beheert het budget.",
    "motivated": True,
    "motivated_note": "",
    "quality_plausible": False,
    "quality_note": "Geen VOG van de zorgverlener.",
    "social_network": True,
}


def test_the_concept_records_the_pgb_and_the_audit_trail_shows_it(ib_client):
    indication = IndicationFactory(client=ib_client)
    _save(indication, delivery_form="pgb", pgb=PGB)
    pgb = PgbBudget.objects.get(indication=indication)
    assert (pgb.holder_name, pgb.quality_plausible, pgb.social_network) == ("A. Jansen", False, True)
    event = AuditEvent.objects.filter(object_type="indications.indication", object_id=str(indication.pk)).latest("at")
    assert {"delivery_form", "pgb_holder", "pgb_quality_plausible"} <= set(event.changes)


def test_a_concept_back_to_natura_drops_its_pgb(ib_client):
    indication = IndicationFactory(client=ib_client)
    _save(indication, delivery_form="pgb", pgb=PGB)
    _save(Indication.objects.get(pk=indication.pk), delivery_form="natura", pgb=PGB)
    assert not PgbBudget.objects.filter(indication=indication).exists()


def test_a_pgb_concept_refuses_a_provider_at_its_field(ib_client):
    indication = IndicationFactory(client=ib_client)
    with pytest.raises(ValidationError) as failure:
        _save(indication, delivery_form="pgb", provider=contracted_provider(), pgb=PGB)
    assert "provider" in failure.value.error_dict
    assert not PgbBudget.objects.filter(indication=indication).exists()


def test_a_representative_without_a_name_is_refused_at_its_field(ib_client):
    indication = IndicationFactory(client=ib_client)
    with pytest.raises(ValidationError) as failure:
        _save(indication, delivery_form="pgb", pgb={**PGB, "representative_name": "  "})
    assert "pgb_representative_name" in failure.value.error_dict


def test_a_save_without_pgb_data_keeps_the_stored_pgb(ib_client):
    indication = IndicationFactory(client=ib_client)
    _save(indication, delivery_form="pgb", pgb=PGB)
    _save(Indication.objects.get(pk=indication.pk), opslag=False)  # e.g. a caller that changes one field
    pgb = PgbBudget.objects.get(indication=indication)
    assert (pgb.representative_name, pgb.quality_note) == ("A. Jansen", "Geen VOG van de zorgverlener.")
