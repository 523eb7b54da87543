"""Every IB rule of DOMAIN.md in services.check_ib_rules, by its stable code. Each rule has a test
that fails when the rule is removed, and where a rule has a boundary, both sides are tested.

Most tests assert the exact set of codes: the indication breaks that one rule and nothing else."""

import inspect
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from indications import ib_rules, services
from indications.models import ComplexityRule, Indication, IndicationStatus, Tariff
from tests.factories import (
    EvaluationFactory,
    IndicationFactory,
    ZrmAssessmentFactory,
    get_product,
    set_zrm_scores,
)

pytestmark = pytest.mark.django_db

ALL_RULE_CODES = {
    "no_results",
    "end_before_start",
    "end_date_required",
    "duration_too_long",
    "no_tariff",
    "opslag",
    "no_opslag_tariff",
    "opslag_motivation",
    "no_evaluation",
    "evaluation_outside_period",
    "no_zrm",
    "zrm_missing",
    "zrm_acute",
    "zrm_self_reliant",
    "domain_requires_other",
    "replaces_not_live",
    "replaces_kind",
    "not_heavier",
    "not_lighter",
    "replaces_start",
    "overlap",
    "age_limit",
    # Seed 002 and the primary domain: their tests are in test_ib_rules_seed002.py.
    "verblijf_necessary",
    "verblijf_motivation",
    "extramural_exceeds_intramural",
    "extramural_cost_motivation",
    "dagdelen_without_dagbesteding",
    "no_cost_reference",
    "primary_domain_not_in_results",
}


@pytest.fixture(autouse=True)
def without_four_eyes():
    """These tests are about the IB rules; the four-eyes rules have tests of their own."""
    ComplexityRule.objects.update(is_active=False)


def codes(indication, today) -> set[str]:
    return {error.code for error in services.check_ib_rules(indication, today=today)}


def refused_codes(indication, today) -> set[str]:
    """The codes issue_beschikking refuses the indication with."""
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    return {error.code for error in failure.value.error_list}


def scored_client(**scores):
    """A client whose latest ZRM has these scores (domain code with - for _); other domains 4."""
    return ZrmAssessmentFactory(scores={code.replace("_", "-"): score for code, score in scores.items()}).client


# -- a valid indication ---------------------------------------------------------------------------


def test_a_valid_indication_breaks_no_rule_and_is_vastgesteld(ib_client, today):
    indication = IndicationFactory(client=ib_client, results=["financien", "sociaal-netwerk"])
    assert services.check_ib_rules(indication, today=today) == []
    issued = services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert issued.status == IndicationStatus.VASTGESTELD
    assert issued.decision_date == today
    assert issued.number == f"IB-{today.year}-{issued.pk:07d}"


@pytest.mark.parametrize("code", ["IB0", "IB1", "IB2", "IB3"])
def test_every_product_can_be_indicated(ib_client, today, code):
    start = today + timedelta(days=7)
    indication = IndicationFactory(
        client=ib_client, product=get_product(code), start_date=start, end_date=start + timedelta(weeks=20)
    )
    assert codes(indication, today) == set()


def test_issue_beschikking_refuses_with_the_codes_of_check_ib_rules(ib_client, today):
    indication = IndicationFactory(client=ib_client, results=[], evaluations=[])
    assert refused_codes(indication, today) == codes(indication, today) == {"no_results", "no_evaluation"}


def test_all_broken_rules_are_reported_at_once(today):
    client = scored_client(financien=5)
    indication = IndicationFactory(
        client=client, product=get_product("IB0"), opslag=True, evaluations=[], results=["financien", "justitie"]
    )
    assert codes(indication, today) == {
        "opslag",
        "opslag_motivation",
        "no_evaluation",
        "zrm_self_reliant",
        "domain_requires_other",
    }
    assert len(services.check_ib_rules(indication, today=today)) == 6  # justitie (scored 4) is self-reliant too


def test_every_rule_code_of_the_services_is_tested_here():
    """The codes are the contract with the views and the API: a new rule fails this test until it
    is added to ALL_RULE_CODES (and gets a test of its own below)."""
    source = "".join(
        inspect.getsource(f)
        for f in (
            ib_rules.check_ib_rules,
            ib_rules._zrm_errors_for,
            ib_rules._overlap_errors,
            ib_rules._age_limit_errors,
            ib_rules.verblijf_errors,
            ib_rules.extramural_cost_errors,
            ib_rules.dagdelen_dagbesteding_errors,
            ib_rules.primary_domain_errors,
        )
    )
    assert set(re.findall(r'code\s*=\s*"(\w+)"', source)) == ALL_RULE_CODES


# -- results --------------------------------------------------------------------------------------


def test_no_results(ib_client, today):
    assert codes(IndicationFactory(client=ib_client, results=[]), today) == {"no_results"}


# -- dates and duration ---------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1])
def test_the_end_date_lies_after_the_start_date(ib_client, today, days):
    indication = IndicationFactory(client=ib_client, evaluations=[])
    indication.end_date = indication.start_date + timedelta(days=days)  # the database refuses it too
    assert "end_before_start" in codes(indication, today)


def test_one_day_is_the_shortest_period(ib_client, today):
    start = today + timedelta(days=7)
    indication = IndicationFactory(
        client=ib_client, start_date=start, end_date=start + timedelta(days=1), evaluations=[start]
    )
    assert codes(indication, today) == set()


def test_ib2_must_have_an_end_date(ib_client, today):
    indication = IndicationFactory(client=ib_client, product=get_product("IB2"), end_date=None)
    assert codes(indication, today) == {"end_date_required"}


@pytest.mark.parametrize("code", ["IB0", "IB1", "IB3"])
def test_other_products_may_be_open_ended(ib_client, today, code):
    indication = IndicationFactory(client=ib_client, product=get_product(code), end_date=None)
    assert codes(indication, today) == set()


def test_ib2_lasts_at_most_26_weeks(ib_client, today):
    ib2 = get_product("IB2")
    assert ib2.max_duration_weeks == 26
    start = today + timedelta(days=7)
    longest = IndicationFactory(client=ib_client, product=ib2, start_date=start, end_date=start + timedelta(weeks=26))
    assert codes(longest, today) == set()
    longest.delete()
    too_long = IndicationFactory(
        client=ib_client, product=ib2, start_date=start, end_date=start + timedelta(weeks=26, days=1)
    )
    assert codes(too_long, today) == {"duration_too_long"}


def test_the_maximum_duration_is_data(ib_client, today):
    ib1 = get_product("IB1")
    ib1.max_duration_weeks = 13
    ib1.save()
    start = today + timedelta(days=7)
    indication = IndicationFactory(
        client=ib_client,
        start_date=start,
        end_date=start + timedelta(weeks=14),
        evaluations=[start + timedelta(weeks=6)],
    )
    assert codes(indication, today) == {"duration_too_long"}


# -- tariff and opslag ----------------------------------------------------------------------------


def test_ib0_has_no_tariff_before_1_august_2018(ib_client, today):
    ib0 = get_product("IB0")
    before = IndicationFactory(
        client=ib_client,
        product=ib0,
        start_date=date(2018, 7, 31),
        end_date=date(2018, 12, 31),
        evaluations=[date(2018, 10, 1)],
    )
    assert codes(before, today) == {"no_tariff"}
    before.delete()
    first_day = IndicationFactory(
        client=ib_client,
        product=ib0,
        start_date=date(2018, 8, 1),
        end_date=date(2018, 12, 31),
        evaluations=[date(2018, 10, 1)],
    )
    assert codes(first_day, today) == set()


def test_no_tariff_after_the_last_tariff_ended(ib_client, today):
    Tariff.objects.filter(product__code="IB1").update(valid_to=date(2026, 12, 31))
    start = date(2027, 1, 1)
    indication = IndicationFactory(client=ib_client, start_date=start, evaluations=[start + timedelta(days=30)])
    assert codes(indication, today) == {"no_tariff"}
    indication.start_date = date(2026, 12, 31)
    assert "no_tariff" not in codes(indication, today)


def test_no_opslag_on_ib0(ib_client, today):
    indication = IndicationFactory(
        client=ib_client, product=get_product("IB0"), opslag=True, opslag_motivation="NAH, ernstige gedragsproblematiek"
    )
    assert codes(indication, today) == {"opslag"}


@pytest.mark.parametrize("code", ["IB1", "IB2", "IB3"])
def test_opslag_on_ib1_to_ib3_with_a_motivation(ib_client, today, code):
    start = today + timedelta(days=7)
    indication = IndicationFactory(
        client=ib_client,
        product=get_product(code),
        opslag=True,
        start_date=start,
        end_date=start + timedelta(weeks=20),
        opslag_motivation="PSY: ernstige agressie",
    )
    assert codes(indication, today) == set()


@pytest.mark.parametrize("motivation", ["", "   "])
def test_opslag_needs_a_motivation(ib_client, today, motivation):
    indication = IndicationFactory(client=ib_client, opslag=True, opslag_motivation=motivation)
    assert codes(indication, today) == {"opslag_motivation"}


def test_a_motivation_without_opslag_is_harmless(ib_client, today):
    assert codes(IndicationFactory(client=ib_client, opslag=False, opslag_motivation="x"), today) == set()


def test_opslag_needs_an_opslag_tariff(ib_client, today):
    Tariff.objects.filter(product__code="IB1").update(opslag_per_period=None)
    indication = IndicationFactory(client=ib_client, opslag=True, opslag_motivation="PSY")
    assert codes(indication, today) == {"no_opslag_tariff"}
    indication.opslag = False
    assert codes(indication, today) == set()


# -- planned evaluations --------------------------------------------------------------------------


def test_at_least_one_planned_evaluation(ib_client, today):
    assert codes(IndicationFactory(client=ib_client, evaluations=[]), today) == {"no_evaluation"}


def test_a_held_evaluation_does_not_count_as_planned(ib_client, today):
    indication = IndicationFactory(client=ib_client, actief=True, end_date=today + timedelta(days=200))
    evaluation = EvaluationFactory(indication=indication)
    indication.planned_evaluations.update(evaluation=evaluation)
    # The indication itself is live, so it is not compared with itself for overlap.
    assert codes(indication, today) == {"no_evaluation"}


@pytest.mark.parametrize("offset, inside", [(-1, False), (0, True), (364, True), (365, False)])
def test_planned_evaluations_lie_within_the_period(ib_client, today, offset, inside):
    start = today + timedelta(days=7)  # the factory's end date is start + 364 days
    indication = IndicationFactory(client=ib_client, start_date=start, evaluations=[start + timedelta(days=offset)])
    assert codes(indication, today) == (set() if inside else {"evaluation_outside_period"})


def test_an_open_ended_beschikking_may_plan_far_ahead(ib_client, today):
    start = today + timedelta(days=7)
    indication = IndicationFactory(
        client=ib_client, start_date=start, end_date=None, evaluations=[start + timedelta(days=900)]
    )
    assert codes(indication, today) == set()


# -- ZRM ------------------------------------------------------------------------------------------


def test_a_zrm_is_required(today):
    assert codes(IndicationFactory(), today) == {"no_zrm"}


def test_a_zrm_dated_after_today_does_not_count(today):
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today + timedelta(days=1)).client
    assert codes(IndicationFactory(client=client), today) == {"no_zrm"}
    assert codes(IndicationFactory(client=client), today + timedelta(days=1)) == set()


def test_results_only_in_a_domain_the_zrm_scored(today):
    client = scored_client(financien=None, sociaal_netwerk=2)
    assert codes(IndicationFactory(client=client, results=["financien"]), today) == {"zrm_missing"}


@pytest.mark.parametrize("score", [2, 3])
def test_results_in_a_domain_scored_2_or_3(today, score):
    client = scored_client(huisvesting=score)
    assert codes(IndicationFactory(client=client, results=["huisvesting"]), today) == set()


@pytest.mark.parametrize("score", [4, 5])
def test_no_results_in_a_self_reliant_domain(today, score):
    client = scored_client(financien=score)
    assert codes(IndicationFactory(client=client, results=["financien"]), today) == {"zrm_self_reliant"}


def test_acute_score_excludes_ib_outside_dagbesteding_and_mental_health(today):
    client = scored_client(financien=1)
    assert codes(IndicationFactory(client=client, results=["financien"]), today) == {"zrm_acute"}


@pytest.mark.parametrize(
    "zrm_domain, result_domain",
    [("dagbesteding", "dagbesteding-participatie"), ("geestelijke-gezondheid", "geestelijke-gezondheid-verslaving")],
)
def test_acute_score_allows_ib_in_dagbesteding_and_mental_health(today, zrm_domain, result_domain):
    client = ZrmAssessmentFactory(scores={zrm_domain: 1}).client
    assert codes(IndicationFactory(client=client, results=[result_domain]), today) == set()


def test_acute_addiction_alone_is_not_ib_territory(today):
    client = scored_client(verslaving=1)  # geestelijke gezondheid scores 4
    assert codes(IndicationFactory(client=client, results=["geestelijke-gezondheid-verslaving"]), today) == {
        "zrm_acute"
    }


@pytest.mark.parametrize(
    "scores, result_domain",
    [
        ({"verslaving": 3}, "geestelijke-gezondheid-verslaving"),  # mental health and addiction together
        ({"adl": 2}, "zelfzorg"),  # lichamelijke gezondheid and ADL together
        ({"lichamelijke-gezondheid": 3}, "zelfzorg"),
        ({"maatschappelijke-participatie": 2}, "dagbesteding-participatie"),
    ],
)
def test_combined_result_areas_need_one_of_their_zrm_domains_at_2_or_3(today, scores, result_domain):
    client = ZrmAssessmentFactory(scores=scores).client
    assert codes(IndicationFactory(client=client, results=[result_domain]), today) == set()


def test_the_latest_zrm_counts(today):
    old = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=200))
    ZrmAssessmentFactory(client=old.client, scores={"financien": 4}, assessed_on=today - timedelta(days=5))
    indication = IndicationFactory(client=old.client)
    assert codes(indication, today) == {"zrm_self_reliant"}
    set_zrm_scores(old.client.zrm_assessments.latest("assessed_on"), {"financien": 3})
    assert codes(indication, today) == set()


# -- domains that need another ---------------------------------------------------------------------


def test_justitie_only_together_with_mental_health_or_addiction(today):
    client = scored_client(justitie=2, financien=2, verslaving=3)
    alone = IndicationFactory(client=client, results=["justitie", "financien"])
    assert codes(alone, today) == {"domain_requires_other"}
    alone.delete()
    together = IndicationFactory(client=client, results=["justitie", "geestelijke-gezondheid-verslaving"])
    assert codes(together, today) == set()


# -- replacing and overlapping ---------------------------------------------------------------------


def test_no_two_overlapping_live_beschikkingen(ib_client, today):
    IndicationFactory(client=ib_client, actief=True, end_date=today + timedelta(days=100))
    assert codes(IndicationFactory(client=ib_client), today) == {"overlap"}


def test_a_vastgestelde_beschikking_that_has_not_started_overlaps_too(ib_client, today):
    IndicationFactory(client=ib_client, vastgesteld=True, start_date=today + timedelta(days=30))
    assert codes(IndicationFactory(client=ib_client), today) == {"overlap"}


@pytest.mark.parametrize("last_day_offset, overlaps", [(-1, False), (0, True)])
def test_overlap_at_the_boundary(ib_client, today, last_day_offset, overlaps):
    start = today + timedelta(days=7)
    IndicationFactory(client=ib_client, actief=True, end_date=start + timedelta(days=last_day_offset))
    assert codes(IndicationFactory(client=ib_client, start_date=start), today) == ({"overlap"} if overlaps else set())


def test_a_later_live_beschikking_overlaps_an_open_ended_concept(ib_client, today):
    IndicationFactory(client=ib_client, vastgesteld=True, start_date=today + timedelta(days=500))
    assert codes(IndicationFactory(client=ib_client, end_date=None), today) == {"overlap"}


@pytest.mark.parametrize("trait", ["beeindigd", "ingetrokken"])
def test_an_ended_or_withdrawn_beschikking_does_not_overlap(ib_client, today, trait):
    IndicationFactory(client=ib_client, **{trait: True})
    assert codes(IndicationFactory(client=ib_client), today) == set()


def test_another_clients_beschikking_does_not_overlap(ib_client, today):
    IndicationFactory(actief=True)
    assert codes(IndicationFactory(client=ib_client), today) == set()


def test_the_replaced_beschikking_does_not_count_as_overlap(ib_client, today):
    old = IndicationFactory(client=ib_client, actief=True, end_date=None)
    new = IndicationFactory(client=ib_client, replaces=old, kind=Indication.Kind.HERINDICATIE, start_date=today)
    assert codes(new, today) == set()


def test_opschaling_must_be_heavier(ib_client, today):
    old = IndicationFactory(client=ib_client, actief=True, product=get_product("IB3"))
    for code in ("IB3", "IB2"):
        same_or_lighter = IndicationFactory(
            client=ib_client,
            replaces=old,
            kind=Indication.Kind.SCALE_UP,
            product=get_product(code),
            start_date=today,
            end_date=today + timedelta(weeks=20),
        )
        assert codes(same_or_lighter, today) == {"not_heavier"}
        same_or_lighter.status = Indication.Status.INGETROKKEN  # a beschikking has one successor at a time
        same_or_lighter.save(update_fields=["status"])


def test_afschaling_must_be_lighter(ib_client, today):
    old = IndicationFactory(client=ib_client, actief=True)  # IB1
    for code in ("IB1", "IB3"):
        same_or_heavier = IndicationFactory(
            client=ib_client, replaces=old, kind=Indication.Kind.SCALE_DOWN, product=get_product(code), start_date=today
        )
        assert codes(same_or_heavier, today) == {"not_lighter"}
        same_or_heavier.status = Indication.Status.INGETROKKEN
        same_or_heavier.save(update_fields=["status"])
    lighter = IndicationFactory(
        client=ib_client, replaces=old, kind=Indication.Kind.SCALE_DOWN, product=get_product("IB0"), start_date=today
    )
    assert codes(lighter, today) == set()


def test_a_herindicatie_may_keep_the_product(ib_client, today):
    old = IndicationFactory(client=ib_client, actief=True)
    new = IndicationFactory(client=ib_client, replaces=old, kind=Indication.Kind.HERINDICATIE, start_date=today)
    assert codes(new, today) == set()


def test_replacing_is_a_scaling_or_herindicatie_not_a_first_indication(ib_client, today):
    old = IndicationFactory(client=ib_client, actief=True)
    new = IndicationFactory(client=ib_client, replaces=old, kind=Indication.Kind.FIRST, start_date=today)
    assert codes(new, today) == {"replaces_kind"}


@pytest.mark.parametrize("trait", ["beeindigd", "ingetrokken"])
def test_only_a_live_beschikking_can_be_replaced(ib_client, today, trait):
    old = IndicationFactory(client=ib_client, start_date=today - timedelta(days=400), **{trait: True})
    new = IndicationFactory(client=ib_client, replaces=old, kind=Indication.Kind.HERINDICATIE)
    assert codes(new, today) == {"replaces_not_live"}


@pytest.mark.parametrize("days_after_old_start, ok", [(1, False), (2, True)])
def test_the_replacement_starts_at_least_two_days_after_the_old_one(ib_client, today, days_after_old_start, ok):
    """The old one ends the day before the new one starts, and a beschikking lasts at least a day."""
    old = IndicationFactory(client=ib_client, actief=True)
    start = old.start_date + timedelta(days=days_after_old_start)
    new = IndicationFactory(client=ib_client, replaces=old, kind=Indication.Kind.HERINDICATIE, start_date=start)
    assert codes(new, today) == (set() if ok else {"replaces_start"})


# -- messages ------------------------------------------------------------------------------------


def test_every_message_is_dutch_and_names_the_problem(today):
    client = scored_client(financien=5)
    indication = IndicationFactory(client=client, results=["financien"], evaluations=[])
    messages = [m for e in services.check_ib_rules(indication, today=today) for m in e.messages]
    assert any("Financiën" in m and "2 of 3" in m for m in messages)
    assert any("evaluatiemoment" in m for m in messages)


def test_the_overlap_message_names_the_other_beschikking(ib_client, today):
    other = IndicationFactory(client=ib_client, actief=True, end_date=None)
    (error,) = services.check_ib_rules(IndicationFactory(client=ib_client), today=today)
    assert other.number in error.messages[0]
    assert "onbepaald" in error.messages[0]
