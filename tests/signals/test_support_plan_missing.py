"""The signal ondersteuningsplan_ontbreekt: a started toewijzing without a submitted or accepted plan
once the term after the start of care has passed (variant 0), or once the term after the consultant
asked for changes has passed without a new version (variant 1). It lapses when a plan arrives and
when the toewijzing ends."""

from datetime import timedelta

import pytest

from providers.models import SupportPlan
from providers.support_plans import PlanPartInput, submit_support_plan
from signals.checks import CHECKS_BY_NAME, PLAN_CHANGES_NOT_SUBMITTED, PLAN_MISSING
from signals.models import Signal, SignalStatus, SignalType
from signals.services import run_check
from tests.factories import TODAY, AssignmentFactory, IndicationFactory, SupportPlanFactory

pytestmark = pytest.mark.django_db

TERM = 42  # settings.SDD["SUPPORT_PLAN_TERM_DAYS"] by default


def days(n: int) -> timedelta:
    return timedelta(days=n)


def run(today=TODAY):
    return run_check(CHECKS_BY_NAME["ondersteuningsplan_ontbreekt"], today=today, force=True)


def open_signals() -> list[Signal]:
    return list(Signal.objects.filter(type=SignalType.SUPPORT_PLAN_MISSING, status=SignalStatus.OPEN))


def started(consultant, *, days_ago: int, **fields):
    indication = IndicationFactory(actief=True, consultant=consultant, start_date=TODAY - days(days_ago + 5))
    return AssignmentFactory(indication=indication, care_started_on=TODAY - days(days_ago), **fields)


def test_no_plan_after_the_term_is_a_signal_for_the_consultant(consultant):
    late = started(consultant, days_ago=TERM + 1)
    started(consultant, days_ago=TERM)  # due today: not yet
    AssignmentFactory(indication=IndicationFactory(actief=True, consultant=consultant))  # care not started
    assert run().created == 1
    (signal,) = open_signals()
    assert (signal.assignment, signal.provider, signal.variant) == (late, late.provider, PLAN_MISSING)
    assert (signal.assigned_to, signal.due_date) == (consultant, late.care_started_on + days(TERM))


def test_a_submitted_or_accepted_plan_counts_a_refused_one_does_not(consultant):
    submitted = started(consultant, days_ago=60)
    SupportPlanFactory(assignment=submitted)
    accepted = started(consultant, days_ago=60)
    SupportPlanFactory(assignment=accepted, geaccepteerd=True)
    superseded_only = started(consultant, days_ago=60)
    SupportPlanFactory(assignment=superseded_only, status=SupportPlan.Status.SUPERSEDED)
    run()
    assert [signal.assignment for signal in open_signals()] == [superseded_only]


def test_a_plan_that_arrives_lapses_the_signal(consultant):
    assignment = started(consultant, days_ago=60)
    run()
    item = assignment.indication.results.get()
    submit_support_plan(
        assignment,
        parts=[PlanPartInput(domain=item.result.domain.name, result=item.result.name, approach="Huisbezoek")],
        by=None,
        today=TODAY,
    )
    # The submission rechecks the client at once (indications.hooks.case_changed).
    assert open_signals() == []
    assert Signal.objects.get(type=SignalType.SUPPORT_PLAN_MISSING).status == SignalStatus.LAPSED
    assert run(TODAY + days(1)).created == 0


def test_changes_asked_and_no_new_version_within_the_term(consultant):
    assignment = started(consultant, days_ago=100)
    plan = SupportPlanFactory(assignment=assignment, wijziging_gevraagd=True, judged_on=TODAY - days(TERM))
    run()
    assert open_signals() == []  # asked 42 days ago: due today
    plan.judged_on = TODAY - days(TERM + 1)
    plan.save()
    run()
    (signal,) = open_signals()
    assert (signal.variant, signal.due_date) == (PLAN_CHANGES_NOT_SUBMITTED, TODAY - days(1))
    SupportPlanFactory(assignment=assignment, version=2)
    assert run(TODAY + days(1)).lapsed == 1


def test_the_signal_lapses_when_the_toewijzing_ends_or_care_stops(consultant):
    ending = started(consultant, days_ago=60)
    stopping = started(consultant, days_ago=60)
    assert run().created == 2
    ending.end_date = TODAY - days(1)
    ending.save()
    stopping.care_stopped_on = TODAY - days(1)
    stopping.end_date = TODAY - days(1)
    stopping.stop_reason = "01"
    stopping.save()
    assert run(TODAY + days(1)).lapsed == 2


def test_the_term_is_a_setting(consultant, settings):
    started(consultant, days_ago=20)
    assert run().created == 0
    settings.SDD = {**settings.SDD, "SUPPORT_PLAN_TERM_DAYS": 14}
    assert run(TODAY + days(1)).created == 1
