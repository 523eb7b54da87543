"""Afwijzing and gedeeltelijke toekenning (issue #15): the decision on an aanvraag through the same
vaststelling, four eyes as data, audit, the deadline, and never counted as care."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from audit.models import AuditEvent
from indications import four_eyes, hooks, services
from indications.models import GRANTED_STATUSES, ComplexityRule, Indication
from indications.models import IndicationStatus as S
from indications.selectors import worklist
from monitor.models import Cell
from monitor.selectors import ceo_population
from monitor.services import refresh_monitor
from providers.models import Assignment
from signals.checks import beschikking_deadline
from tests.factories import IndicationFactory, build_case_file

pytestmark = pytest.mark.django_db

Outcome = Indication.Outcome
Ground = Indication.RefusalGround


def refuse(case_file, consultant, *, ground=Ground.ALGEMENE_VOORZIENING, motivation="Het wijkteam volstaat."):
    return services.save_refusal_concept(
        case_file.indication,
        aanvraag=case_file.aanvraag,
        by=consultant,
        product=case_file.indication.product,
        refusal_ground=ground,
        refusal_motivation=motivation,
    )


def refuse_and_issue(case_file, consultant, team_lead, today):
    refusal = refuse(case_file, consultant)
    four_eyes.submit_for_review(refusal, by=consultant, today=today)
    four_eyes.approve_indication(refusal, by=team_lead, today=today)
    return services.issue_beschikking(refusal, by=consultant, today=today)


# -- the afwijzing ---------------------------------------------------------------------------------


def test_the_concept_becomes_a_refusal_without_results_evaluations_or_provider(case_file, consultant, provider):
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    refusal = refuse(case_file, consultant)
    assert refusal.outcome == Outcome.AFWIJZING and refusal.status == S.CONCEPT
    assert refusal.provider_id is None
    assert not refusal.results.exists() and not refusal.planned_evaluations.exists()
    assert AuditEvent.objects.filter(object_id=str(refusal.pk), summary="concept-afwijzing").exists()


def test_a_refusal_needs_a_ground_and_a_motivation_at_their_fields(case_file, consultant):
    with pytest.raises(ValidationError) as failure:
        refuse(case_file, consultant, ground="", motivation="  ")
    assert set(failure.value.message_dict) == {"refusal_ground", "refusal_motivation"}
    assert Indication.objects.get(pk=case_file.indication.pk).outcome == Outcome.TOEKENNING


def test_every_refusal_is_reviewed_by_the_active_rule(case_file, consultant, today):
    refusal = refuse(case_file, consultant)
    findings = four_eyes.complexity_findings(refusal, today=today)
    assert [finding.code for finding in findings] == [ComplexityRule.Kind.REFUSAL]
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(refusal, by=consultant, today=today)
    assert "four_eyes_required" in [error.code for error in failure.value.error_list]


def test_with_the_rule_switched_off_a_refusal_is_decided_directly(case_file, consultant, today):
    ComplexityRule.objects.filter(kind=ComplexityRule.Kind.REFUSAL).update(is_active=False)
    refusal = refuse(case_file, consultant)
    assert four_eyes.complexity_findings(refusal, today=today) == []
    decided = services.issue_beschikking(refusal, by=consultant, today=today)
    assert decided.status == S.AFGEWEZEN


def test_the_vaststelling_of_a_refusal_is_terminal_numbered_audited_and_assigns_no_provider(
    case_file, consultant, team_lead, today
):
    decided = refuse_and_issue(case_file, consultant, team_lead, today)
    decided.refresh_from_db()
    assert decided.status == S.AFGEWEZEN and decided.outcome == Outcome.AFWIJZING
    assert decided.decision_date == today and decided.number == f"IB-{today.year}-{decided.pk:07d}"
    assert decided.is_decided and not decided.is_live
    assert not Assignment.objects.filter(indication=decided).exists()
    assert AuditEvent.objects.filter(
        object_id=str(decided.pk), action=AuditEvent.Action.TRANSITION, summary="goedgekeurd → afgewezen"
    ).exists()
    with pytest.raises(ValidationError):  # terminal: nothing to end or withdraw, no evaluation
        services.end_beschikking(decided, by=consultant, ended_on=today, reason="Verhuisd", today=today)
    with pytest.raises(ValidationError):
        services.withdraw_beschikking(decided, by=consultant, reason="Bezwaar")


@pytest.fixture
def issued_hook_calls():
    """What the beschikking_issued hook (the providers' toewijzing) was called with."""
    calls = []
    hooks.beschikking_issued.register(calls.append)
    yield calls
    hooks.beschikking_issued.unregister(calls.append)


def test_the_toewijzing_hook_runs_for_a_grant_and_never_for_a_refusal(
    case_file, consultant, team_lead, today, issued_hook_calls
):
    refuse_and_issue(case_file, consultant, team_lead, today)
    assert issued_hook_calls == []
    other = build_case_file(consultant=consultant)
    services.issue_beschikking(other.indication, by=consultant, today=today)
    assert [call.indication.pk for call in issued_hook_calls] == [other.indication.pk]


def test_a_refusal_meets_the_beschikking_term_on_the_worklist_and_in_the_signals(
    case_file, consultant, team_lead, today
):
    aanvraag = case_file.aanvraag
    late = aanvraag.beschikking_deadline + timedelta(days=3)
    assert aanvraag in worklist(consultant, today=today)["open_aanvragen"]
    assert beschikking_deadline(late).filter(pk=aanvraag.pk).exists()
    refuse_and_issue(case_file, consultant, team_lead, today)
    assert aanvraag not in worklist(consultant, today=today)["open_aanvragen"]
    assert not beschikking_deadline(late).filter(pk=aanvraag.pk).exists()


# -- the database holds the rules too --------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": Outcome.AFWIJZING, "refusal_ground": "", "refusal_motivation": "x"},
        {"outcome": Outcome.AFWIJZING, "refusal_ground": Ground.WLZ, "refusal_motivation": ""},
        {"refusal_ground": Ground.WLZ},  # a ground on a grant
        {"status": S.AFGEWEZEN, "decision_date": "2026-11-20"},  # a grant cannot be afgewezen
        {"outcome": Outcome.GEDEELTELIJK},  # a partial grant without its motivation
    ],
)
def test_the_constraints_refuse_an_incomplete_or_contradictory_decision(case_file, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indication.objects.filter(pk=case_file.indication.pk).update(**change)


def test_a_refusal_never_has_a_provider_nor_a_granted_status(case_file, consultant, provider):
    refusal = refuse(case_file, consultant)
    for change in ({"provider": provider}, {"status": S.VASTGESTELD, "decision_date": "2026-11-20"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Indication.objects.filter(pk=refusal.pk).update(**change)


# -- the gedeeltelijke toekenning --------------------------------------------------------------------


def test_a_lighter_product_than_asked_is_a_partial_grant_that_needs_a_motivation(
    case_file, consultant, provider, products, today
):
    aanvraag = case_file.aanvraag
    aanvraag.requested_product = products["IB2"]
    aanvraag.save()
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(case_file.indication, by=consultant, today=today)
    assert "partial_motivation_required" in [error.code for error in failure.value.error_list]
    Indication.objects.filter(pk=case_file.indication.pk).update(refusal_motivation="Het netwerk helpt mee.")
    granted = services.issue_beschikking(case_file.indication, by=consultant, today=today)
    assert granted.outcome == Outcome.GEDEELTELIJK and granted.status == S.VASTGESTELD
    assert Assignment.objects.filter(indication=granted).exists()  # a grant: the toewijzing follows


def test_a_shorter_period_than_asked_is_partial_and_the_whole_request_is_a_toekenning(
    case_file, consultant, products, today
):
    indication = case_file.indication
    aanvraag = case_file.aanvraag
    aanvraag.requested_product = products["IB1"]
    aanvraag.requested_end_date = indication.end_date + timedelta(days=90)
    aanvraag.save()
    Indication.objects.filter(pk=indication.pk).update(refusal_motivation="Eerst een half jaar, dan evalueren.")
    granted = services.issue_beschikking(indication, by=consultant, today=today)
    assert granted.outcome == Outcome.GEDEELTELIJK


def test_what_was_asked_granted_in_full_is_a_toekenning(case_file, consultant, products, today):
    aanvraag = case_file.aanvraag
    aanvraag.requested_product, aanvraag.requested_end_date = products["IB1"], case_file.indication.end_date
    aanvraag.save()
    granted = services.issue_beschikking(case_file.indication, by=consultant, today=today)
    assert granted.outcome == Outcome.TOEKENNING


def test_the_partial_grant_rule_is_data_too(case_file, consultant, products, today):
    aanvraag = case_file.aanvraag
    aanvraag.requested_product = products["IB2"]
    aanvraag.save()
    assert four_eyes.complexity_findings(case_file.indication, today=today) == []  # off by default
    ComplexityRule.objects.filter(kind=ComplexityRule.Kind.PARTIAL).update(is_active=True)
    findings = four_eyes.complexity_findings(case_file.indication, today=today)
    assert [finding.code for finding in findings] == [ComplexityRule.Kind.PARTIAL]


def test_the_aanvraag_records_what_is_asked(case_file, consultant, products, today):
    with pytest.raises(ValidationError) as failure:
        services.register_aanvraag(
            client=case_file.client,
            received_on=today - timedelta(days=1),
            consultant=consultant,
            by=consultant,
            requested_product=products["IB2"],
            requested_end_date=today - timedelta(days=2),
        )
    assert "requested_end_date" in failure.value.message_dict


# -- an afwijzing is a decision, never care ----------------------------------------------------------


def test_an_afwijzing_counts_in_no_figure_about_care(today):
    refused = IndicationFactory(afgewezen=True, start_date=today - timedelta(days=40), results=[], evaluations=[])
    refresh_monitor(today=today, first_year=today.year)
    assert Cell.objects.filter(year=today.year).aggregate(clients=Sum("clients"))["clients"] in (None, 0)
    assert not Indication.objects.filter(pk=refused.pk, status__in=GRANTED_STATUSES).exists()
    assert refused.client.last_name not in [row[3] for row in ceo_population(today.year).rows]
