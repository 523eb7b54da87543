"""Every IB rule of DOMAIN.md, checked when a beschikking is vastgesteld: each test fails when its
rule is removed from services.check_ib_rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indications import services
from indications.models import ComplexityRule, Indication, IndicationStatus, Product, Tariff
from tests.factories import IndicationFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_four_eyes():
    """These tests are about the IB rules; the four-eyes rules have tests of their own."""
    ComplexityRule.objects.update(is_active=False)


def rule_codes(indication, today) -> set[str]:
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    return {error.code for error in failure.value.error_list}


@pytest.fixture
def needy_client(today):
    """A client scored 2 on financiën and 3 on sociaal netwerk; everything else 4."""
    assessment = ZrmAssessmentFactory(scores={"financien": 2, "sociaal-netwerk": 3})
    return assessment.client


def test_a_valid_indication_is_vastgesteld_and_numbered(needy_client, today):
    indication = IndicationFactory(client=needy_client, results=["financien", "sociaal-netwerk"])
    issued = services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert issued.status == IndicationStatus.VASTGESTELD
    assert issued.decision_date == today
    assert issued.number == f"IB-{today.year}-{issued.pk:07d}"


def test_no_results(needy_client, today):
    assert "no_results" in rule_codes(IndicationFactory(client=needy_client, results=[]), today)


def test_end_date_after_start_date(needy_client, today):
    indication = IndicationFactory(client=needy_client)
    indication.end_date = indication.start_date  # the database refuses it too; the rule explains it
    assert "end_before_start" in {e.code for e in services.check_ib_rules(indication, today=today)}


def test_ib2_must_have_an_end_date(needy_client, today):
    indication = IndicationFactory(client=needy_client, product=Product.objects.get(code="IB2"), end_date=None)
    assert "end_date_required" in rule_codes(indication, today)


def test_ib2_duration_is_bounded(needy_client, today):
    ib2 = Product.objects.get(code="IB2")
    start = today + timedelta(days=7)
    longest = IndicationFactory(client=needy_client, product=ib2, start_date=start,
                                end_date=start + timedelta(weeks=ib2.max_duration_weeks))
    assert not {e.code for e in services.check_ib_rules(longest, today=today)}
    too_long = IndicationFactory(client=needy_client, product=ib2, start_date=start,
                                 end_date=start + timedelta(weeks=ib2.max_duration_weeks, days=1))
    assert "duration_too_long" in {e.code for e in services.check_ib_rules(too_long, today=today)}


def test_ib1_and_ib3_may_be_open_ended(needy_client, today):
    for code in ("IB1", "IB3"):
        indication = IndicationFactory(client=needy_client, product=Product.objects.get(code=code), end_date=None)
        assert not services.check_ib_rules(indication, today=today)
        indication.delete()


def test_a_tariff_must_be_in_force_on_the_start_date(needy_client, today):
    # IB0 exists since 1 August 2018: there is no tariff before.
    indication = IndicationFactory(client=needy_client, product=Product.objects.get(code="IB0"),
                                   start_date=date(2018, 7, 1), end_date=date(2018, 12, 31),
                                   evaluations=[date(2018, 9, 1)])
    assert "no_tariff" in {e.code for e in services.check_ib_rules(indication, today=today)}


def test_no_opslag_on_ib0(needy_client, today):
    indication = IndicationFactory(client=needy_client, product=Product.objects.get(code="IB0"), opslag=True,
                                   opslag_motivation="NAH")
    assert "opslag" in rule_codes(indication, today)


def test_opslag_needs_a_motivation(needy_client, today):
    indication = IndicationFactory(client=needy_client, opslag=True, opslag_motivation=" ")
    assert "opslag_motivation" in rule_codes(indication, today)
    indication.opslag_motivation = "Ernstige gedragsproblematiek (PSY)"
    indication.save()
    assert services.issue_beschikking(indication, by=indication.consultant, today=today).opslag


def test_opslag_needs_an_opslag_tariff(needy_client, today):
    Tariff.objects.filter(product__code="IB1").update(opslag_per_period=None)
    indication = IndicationFactory(client=needy_client, opslag=True, opslag_motivation="PSY")
    assert "no_opslag_tariff" in rule_codes(indication, today)


def test_at_least_one_planned_evaluation(needy_client, today):
    assert "no_evaluation" in rule_codes(IndicationFactory(client=needy_client, evaluations=[]), today)


@pytest.mark.parametrize("offset", [-1, 366])
def test_planned_evaluation_inside_the_period(needy_client, today, offset):
    start = today + timedelta(days=7)
    indication = IndicationFactory(client=needy_client, start_date=start, evaluations=[start + timedelta(days=offset)])
    assert "evaluation_outside_period" in rule_codes(indication, today)


def test_a_zrm_is_required(today):
    assert "no_zrm" in rule_codes(IndicationFactory(), today)


def test_results_only_where_the_zrm_scored_the_domain(today):
    assessment = ZrmAssessmentFactory(scores={"financien": None, "sociaal-netwerk": 2})
    indication = IndicationFactory(client=assessment.client, results=["financien"])
    assert "zrm_missing" in rule_codes(indication, today)


@pytest.mark.parametrize("score", [4, 5])
def test_no_results_in_a_self_reliant_domain(today, score):
    assessment = ZrmAssessmentFactory(scores={"financien": score})
    indication = IndicationFactory(client=assessment.client, results=["financien"])
    assert "zrm_self_reliant" in rule_codes(indication, today)


@pytest.mark.parametrize("score", [2, 3])
def test_results_in_a_domain_scored_2_or_3(today, score):
    assessment = ZrmAssessmentFactory(scores={"huisvesting": score})
    indication = IndicationFactory(client=assessment.client, results=["huisvesting"])
    assert not services.check_ib_rules(indication, today=today)


def test_acute_score_excludes_ib_outside_dagbesteding_and_mental_health(today):
    assessment = ZrmAssessmentFactory(scores={"financien": 1})
    indication = IndicationFactory(client=assessment.client, results=["financien"])
    assert "zrm_acute" in rule_codes(indication, today)


@pytest.mark.parametrize(
    "zrm_domain, result_domain",
    [("dagbesteding", "dagbesteding-participatie"), ("geestelijke-gezondheid", "geestelijke-gezondheid-verslaving")],
)
def test_acute_score_allows_ib_in_dagbesteding_and_mental_health(today, zrm_domain, result_domain):
    assessment = ZrmAssessmentFactory(scores={zrm_domain: 1})
    indication = IndicationFactory(client=assessment.client, results=[result_domain])
    assert not services.check_ib_rules(indication, today=today)


def test_the_latest_zrm_counts(today):
    old = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=200))
    ZrmAssessmentFactory(client=old.client, scores={"financien": 4}, assessed_on=today - timedelta(days=5))
    indication = IndicationFactory(client=old.client, results=["financien"])
    assert "zrm_self_reliant" in rule_codes(indication, today)


def test_justitie_only_with_mental_health_or_addiction(today):
    assessment = ZrmAssessmentFactory(scores={"justitie": 2, "financien": 2, "verslaving": 3})
    alone = IndicationFactory(client=assessment.client, results=["justitie", "financien"])
    assert "domain_requires_other" in rule_codes(alone, today)
    alone.delete()
    together = IndicationFactory(client=assessment.client, results=["justitie", "geestelijke-gezondheid-verslaving"])
    assert not services.check_ib_rules(together, today=today)


def test_no_two_overlapping_live_beschikkingen(needy_client, today):
    IndicationFactory(client=needy_client, actief=True, end_date=today + timedelta(days=100))
    indication = IndicationFactory(client=needy_client)
    assert "overlap" in rule_codes(indication, today)


def test_an_ended_beschikking_does_not_overlap(needy_client, today):
    IndicationFactory(client=needy_client, beeindigd=True)
    assert not services.check_ib_rules(IndicationFactory(client=needy_client), today=today)


def test_opschaling_replaces_and_ends_the_old_beschikking(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True, end_date=None)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.OPSCHALING,
                            product=Product.objects.get(code="IB3"), start_date=today)
    services.issue_beschikking(new, by=new.consultant, today=today)
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.status == IndicationStatus.ACTIEF
    assert old.end_date == today - timedelta(days=1)
    assert old.status == IndicationStatus.BEEINDIGD


def test_a_future_scaling_shortens_the_old_beschikking_which_stays_live_until_then(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True, end_date=None)
    start = today + timedelta(days=14)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.AFSCHALING,
                            product=Product.objects.get(code="IB0"), start_date=start)
    services.issue_beschikking(new, by=new.consultant, today=today)
    old.refresh_from_db()
    assert old.status == IndicationStatus.ACTIEF
    assert old.end_date == start - timedelta(days=1)


def test_opschaling_must_be_heavier(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True, product=Product.objects.get(code="IB3"))
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.OPSCHALING, start_date=today)
    assert "not_heavier" in rule_codes(new, today)


def test_afschaling_must_be_lighter(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.AFSCHALING,
                            product=Product.objects.get(code="IB3"), start_date=today)
    assert "not_lighter" in rule_codes(new, today)


def test_replacing_is_a_scaling_or_herindicatie_not_a_first_indication(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.FIRST, start_date=today)
    assert "replaces_kind" in rule_codes(new, today)


def test_only_a_live_beschikking_can_be_replaced(needy_client, today):
    old = IndicationFactory(client=needy_client, beeindigd=True)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.HERINDICATIE)
    assert "replaces_not_live" in rule_codes(new, today)


def test_the_replacement_starts_after_the_old_one(needy_client, today):
    old = IndicationFactory(client=needy_client, actief=True)
    new = IndicationFactory(client=needy_client, replaces=old, kind=Indication.Kind.HERINDICATIE,
                            start_date=old.start_date + timedelta(days=1))
    assert "replaces_start" in rule_codes(new, today)


def test_decision_date_not_in_the_future_nor_before_the_aanvraag(needy_client, today):
    indication = IndicationFactory(client=needy_client)
    with pytest.raises(ValidationError) as future:
        services.issue_beschikking(indication, by=indication.consultant, today=today,
                                   decision_date=today + timedelta(days=1))
    assert "decision_future" in {e.code for e in future.value.error_list}
    with pytest.raises(ValidationError) as early:
        services.issue_beschikking(indication, by=indication.consultant, today=today,
                                   decision_date=indication.aanvraag.received_on - timedelta(days=1))
    assert "decision_before_aanvraag" in {e.code for e in early.value.error_list}


def test_a_refused_vaststelling_writes_nothing(today):
    indication = IndicationFactory(results=["financien"])  # no ZRM
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    indication.refresh_from_db()
    assert indication.status == IndicationStatus.CONCEPT
    assert indication.number is None and indication.decision_date is None
    assert not indication.status_changes.exists()
    assert AuditEvent.objects.count() == events


def test_every_message_is_dutch_and_names_the_problem(today):
    assessment = ZrmAssessmentFactory(scores={"financien": 5})
    indication = IndicationFactory(client=assessment.client, results=["financien"], evaluations=[])
    messages = [m for e in services.check_ib_rules(indication, today=today) for m in e.messages]
    assert any("Financiën" in m and "2 of 3" in m for m in messages)
    assert any("evaluatiemoment" in m for m in messages)


def test_cost_of_a_beschikking_per_period_and_in_total(needy_client, today):
    from indications.selectors import beschikking_cost

    start = date(2026, 1, 1)
    indication = IndicationFactory(client=needy_client, product=Product.objects.get(code="IB3"), opslag=True,
                                   opslag_motivation="NAH", start_date=start, end_date=start + timedelta(days=55))
    cost = beschikking_cost(indication)
    assert cost.per_period == Decimal("1124.99") + Decimal("368.00")
    assert cost.periods == 2
    assert cost.total == 2 * (Decimal("1124.99") + Decimal("368.00"))
    indication.end_date = start + timedelta(days=56)  # 57 days: a third, started period
    assert beschikking_cost(indication).periods == 3
    indication.end_date = None
    assert beschikking_cost(indication).total is None
