"""The signal engine: for every signal type, running twice creates no duplicate and a signal a user
closed stays closed; overdue evaluations escalate; deadline warnings turn into "termijn verstreken";
a check runs once a day unless forced; the users' moves follow the status table and are audited; the
management command and the Celery tasks run the checks."""

from dataclasses import asdict, fields
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from celery.result import EagerResult
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Team
from audit.models import AuditEvent
from indications.models import IndicationStatus, Review
from providers.models import Assignment, ChangeRequest
from sddcase.celery import app as celery_app
from signals.checks import CHECKS, CHECKS_BY_NAME
from signals.models import CheckRun, Signal, SignalEvent, SignalStatus, SignalType, Urgency
from signals.services import CheckOutcome, move_signal, run_all_checks, run_check
from signals.tasks import CHECK_TASKS
from signals.workflow import ALLOWED_STATUS_CHANGES
from tests.factories import (
    TODAY,
    AanvraagFactory,
    AssignmentFactory,
    ChangeRequestFactory,
    ClientFactory,
    IndicationFactory,
    IntakeFactory,
    MeldingFactory,
    OtherProvisionFactory,
    OutgoingMessageFactory,
    PlannedEvaluationFactory,
    get_product,
)
from tests.incidents.factories import IncidentFactory
from tests.objections.factories import BezwaarFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> timedelta:
    return timedelta(days=n)


def run(name: str, today: date, *, force: bool = True) -> CheckOutcome:
    return run_check(CHECKS_BY_NAME[name], today=today, force=force)


def history(signal: Signal) -> list[tuple[str, str]]:
    return [(event.from_status, event.to_status) for event in signal.history.all()]


def active_indication(consultant, **fields):
    return IndicationFactory(actief=True, consultant=consultant, evaluations=[], **fields)


# -- one condition of each type, true on TODAY, for the consultant's Dordrecht client ------------


def _stacking(consultant):
    client = ClientFactory()
    AssignmentFactory(indication=active_indication(consultant, client=client))
    OtherProvisionFactory(client=client)


def _assignment(consultant, *, start: date, **fields):
    indication = active_indication(consultant, start_date=start, end_date=start + days(364))
    return AssignmentFactory(indication=indication, assigned_on=start, start_date=start, **fields)


def _heraanmelding(consultant):
    ended = IndicationFactory(
        beeindigd=True, consultant=consultant, ended_on=TODAY - days(100), end_date=TODAY - days(100)
    )
    MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY - days(3))


def _review_waiting(consultant):
    indication = IndicationFactory(
        consultant=consultant,
        status=IndicationStatus.TER_BEOORDELING,
        four_eyes_requested=True,
        four_eyes_required=True,
        aanvraag__received_on=TODAY - days(10),
    )
    submitted_at = timezone.make_aware(datetime.combine(TODAY - days(7), time(10)))
    Review.objects.create(
        indication=indication,
        submitted_by=consultant,
        submitted_at=submitted_at,
        findings=[{"rule": "vier_ogen_gevraagd", "reason": "Gevraagd"}],
    )


def _unanswered_request(consultant):
    assignment = _assignment(consultant, start=TODAY - days(60), care_started_on=TODAY - days(58))
    request = ChangeRequestFactory(assignment=assignment)
    ChangeRequest.objects.filter(pk=request.pk).update(created_at=_noon(TODAY - days(20)))


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


SCENARIOS = {
    "evaluatie_te_laat": lambda c: PlannedEvaluationFactory(
        indication=active_indication(c), planned_on=TODAY - days(1)
    ),
    "beschikking_loopt_af": lambda c: active_indication(c, end_date=TODAY + days(30)),
    "termijn_onderzoek": lambda c: MeldingFactory(consultant=c, received_on=TODAY - days(40)),
    "termijn_beschikking": lambda c: AanvraagFactory(consultant=c, received_on=TODAY - days(10)),
    "product_te_lang": lambda c: active_indication(
        c, product=get_product("IB0"), start_date=TODAY - days(200), end_date=None
    ),
    "zorgstapeling": _stacking,
    "geen_start_zorg": lambda c: _assignment(c, start=TODAY - days(14)),
    "zorg_na_einde": lambda c: _assignment(
        c, start=TODAY - days(100), care_started_on=TODAY - days(100), end_date=TODAY - days(30)
    ),
    "stop_zonder_reden": lambda c: _assignment(
        c,
        start=TODAY - days(100),
        care_started_on=TODAY - days(100),
        care_stopped_on=TODAY - days(10),
        end_date=TODAY - days(10),
        status=Assignment.Status.ENDED,
    ),
    # Care started longer ago than the term (42 days), no ondersteuningsplan.
    "ondersteuningsplan_ontbreekt": lambda c: _assignment(c, start=TODAY - days(60), care_started_on=TODAY - days(50)),
    "nazorg": lambda c: IntakeFactory(referred=True, melding__consultant=c, melding__received_on=TODAY - days(60)),
    "heraanmelding": _heraanmelding,
    "beoordeling_wacht": _review_waiting,
    # Jeugdhulp and an 18th birthday four months ahead, no melding (a team signal).
    "jeugdhulp_18": lambda c: OtherProvisionFactory(
        kind="jeugdhulp", client=ClientFactory(date_of_birth=date(2009, 3, 23)), start_date=TODAY - days(300)
    ),
    # OP090: a WMO301 delivered ten days ago and no retour (a team signal).
    "iwmo_geen_retour": lambda c: OutgoingMessageFactory(afgeleverd=True, delivered_at=_noon(TODAY - days(10))),
    # Care started 30 days ago, the start reported 20 days later.
    "iwmo_melding_te_laat": lambda c: _assignment(
        c, start=TODAY - days(30), care_started_on=TODAY - days(30), care_start_reported_on=TODAY - days(10)
    ),
    "iwmo_verzoek_niet_beantwoord": _unanswered_request,
    "termijn_bezwaar": lambda c: BezwaarFactory(handled_by=c, decision_due=TODAY + days(2)),
    "calamiteit": lambda c: IncidentFactory(assignment=_assignment(c, start=TODAY - days(30))),
    "persoonlijk_plan": lambda c: MeldingFactory(consultant=c, received_on=TODAY - days(3)),
}


def test_there_is_a_scenario_for_every_check():
    # A check about a contract, not a client, has its own tests (tests/billing/test_budget_signal.py).
    assert set(SCENARIOS) == {check.name for check in CHECKS if check.about_clients}
    assert {check.name for check in CHECKS if not check.about_clients} == {"budgetplafond"}
    assert {check.type for check in CHECKS} == set(SignalType.values)


@pytest.fixture(params=list(SCENARIOS))
def raised(request, consultant) -> Signal:
    """Each check's condition on TODAY, raised once."""
    SCENARIOS[request.param](consultant)
    outcome = run(request.param, TODAY)
    assert (outcome.check, outcome.created, outcome.lapsed, outcome.skipped) == (request.param, 1, 0, "")
    return Signal.objects.get(type=CHECKS_BY_NAME[request.param].type)


class TestEveryType:
    def test_raised_for_the_consultant_and_the_team_of_the_municipality(self, raised, consultant):
        # A waiting review is for the team leads of the team, not for the consultant who offered it;
        # a youth nearing 18 without a melding has no Wmo consultant yet: for the team too.
        # A missing iWmo retour is for the team (functioneel beheer), not for one consultant.
        team_only = (SignalType.REVIEW_WAITING, SignalType.YOUTH_TURNING_18, SignalType.IWMO_NO_RETOUR)
        assert raised.assigned_to == (None if raised.type in team_only else consultant)
        assert raised.team == Team.objects.get(name="Team Dordrecht")
        assert raised.client.municipality.name == "Dordrecht"
        assert (raised.status, raised.created_on, raised.closed_on) == (SignalStatus.OPEN, TODAY, None)
        assert history(raised) == [("", SignalStatus.OPEN)]

    def test_running_again_creates_no_duplicate(self, raised):
        for today in (TODAY, TODAY + days(1)):
            outcome = run(raised.type, today)
            assert (outcome.created, outcome.lapsed, outcome.escalated) == (0, 0, 0)
        assert Signal.objects.filter(type=raised.type).count() == 1
        raised.refresh_from_db()
        assert raised.status == SignalStatus.OPEN
        assert history(raised) == [("", SignalStatus.OPEN)]

    def test_a_signal_in_behandeling_stays_in_behandeling(self, raised, consultant):
        move_signal(raised, to_status=SignalStatus.IN_PROGRESS, by=consultant, today=TODAY)
        assert run(raised.type, TODAY + days(1)).created == 0
        raised.refresh_from_db()
        assert raised.status == SignalStatus.IN_PROGRESS
        assert Signal.objects.filter(type=raised.type).count() == 1

    @pytest.mark.parametrize("closed_as", [SignalStatus.RESOLVED, SignalStatus.LAPSED])
    def test_a_signal_a_user_closed_is_not_raised_again(self, raised, consultant, closed_as):
        move_signal(raised, to_status=closed_as, by=consultant, note="Afgehandeld met de cliënt.", today=TODAY)
        for today in (TODAY, TODAY + days(1)):
            outcome = run(raised.type, today)
            assert (outcome.created, outcome.lapsed) == (0, 0)
        assert list(Signal.objects.filter(type=raised.type)) == [raised]
        raised.refresh_from_db()
        assert (raised.status, raised.closed_on) == (closed_as, TODAY)
        assert history(raised) == [("", SignalStatus.OPEN), (SignalStatus.OPEN, closed_as)]


def test_a_lapsed_signal_opens_again_when_its_condition_returns(consultant):
    """Nobody closed it: the engine let it lapse, so the engine raises it again (same row, same identity)."""
    start = TODAY - days(10)
    indication = active_indication(consultant, product=get_product("IB2"), start_date=start, end_date=start + days(200))
    run("product_te_lang", TODAY)
    indication.end_date = start + days(100)
    indication.save()
    assert run("product_te_lang", TODAY + days(1)).lapsed == 1
    indication.end_date = start + days(250)
    indication.save()
    outcome = run("product_te_lang", TODAY + days(2))
    assert (outcome.created, outcome.lapsed) == (1, 0)
    signal = Signal.objects.get(type=SignalType.PRODUCT_TOO_LONG)
    assert (signal.status, signal.closed_on, signal.created_on) == (SignalStatus.OPEN, None, TODAY)
    assert history(signal) == [
        ("", SignalStatus.OPEN),
        (SignalStatus.OPEN, SignalStatus.LAPSED),
        (SignalStatus.LAPSED, SignalStatus.OPEN),
    ]
    assert "Opnieuw gesignaleerd" in signal.history.last().note
    assert run("product_te_lang", TODAY + days(3)).created == 0


def test_lapsing_keeps_the_status_it_came_from(consultant):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
    run("termijn_onderzoek", TODAY)
    signal = Signal.objects.get()
    move_signal(signal, to_status=SignalStatus.IN_PROGRESS, by=consultant, today=TODAY)
    melding.intake.conclusion, melding.intake.concluded_on = "eigen_kracht", TODAY
    melding.intake.save()
    assert run("termijn_onderzoek", TODAY + days(1)).lapsed == 1
    signal.refresh_from_db()
    assert (signal.status, signal.closed_on) == (SignalStatus.LAPSED, TODAY + days(1))
    assert history(signal)[-1] == (SignalStatus.IN_PROGRESS, SignalStatus.LAPSED)


# -- escalation of overdue evaluations ------------------------------------------------------------


class TestEscalation:
    def test_escalated_after_14_days_overdue(self, consultant):
        planned_on = TODAY - days(1)
        PlannedEvaluationFactory(indication=active_indication(consultant), planned_on=planned_on)
        run("evaluatie_te_laat", TODAY)
        signal = Signal.objects.get()
        assert signal.escalated_on is None

        assert run("evaluatie_te_laat", planned_on + days(14)).escalated == 0
        signal.refresh_from_db()
        assert signal.escalated_on is None

        assert run("evaluatie_te_laat", planned_on + days(15)).escalated == 1
        signal.refresh_from_db()
        assert signal.escalated_on == planned_on + days(15)
        assert signal.status == SignalStatus.OPEN
        last = signal.history.last()
        assert (last.from_status, last.to_status, last.by) == (SignalStatus.OPEN, SignalStatus.OPEN, None)
        assert "Geëscaleerd naar de teamleider" in last.note and "14 dagen" in last.note

        assert run("evaluatie_te_laat", planned_on + days(30)).escalated == 0
        signal.refresh_from_db()
        assert signal.escalated_on == planned_on + days(15)
        assert signal.history.count() == 2

    def test_the_days_follow_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "EVALUATION_ESCALATE_AFTER_DAYS": 3}
        planned_on = TODAY - days(1)
        PlannedEvaluationFactory(indication=active_indication(consultant), planned_on=planned_on)
        run("evaluatie_te_laat", planned_on + days(3))
        assert Signal.objects.get().escalated_on is None
        assert run("evaluatie_te_laat", planned_on + days(4)).escalated == 1
        signal = Signal.objects.get()
        assert signal.escalated_on == planned_on + days(4)
        assert "3 dagen" in signal.history.last().note

    def test_a_signal_in_behandeling_escalates_too(self, consultant):
        planned_on = TODAY - days(1)
        PlannedEvaluationFactory(indication=active_indication(consultant), planned_on=planned_on)
        run("evaluatie_te_laat", TODAY)
        signal = move_signal(Signal.objects.get(), to_status=SignalStatus.IN_PROGRESS, by=consultant, today=TODAY)
        run("evaluatie_te_laat", planned_on + days(15))
        signal.refresh_from_db()
        assert (signal.status, signal.escalated_on) == (SignalStatus.IN_PROGRESS, planned_on + days(15))
        assert history(signal)[-1] == (SignalStatus.IN_PROGRESS, SignalStatus.IN_PROGRESS)

    def test_a_closed_signal_is_not_escalated(self, consultant):
        planned_on = TODAY - days(1)
        PlannedEvaluationFactory(indication=active_indication(consultant), planned_on=planned_on)
        run("evaluatie_te_laat", TODAY)
        move_signal(
            Signal.objects.get(),
            to_status=SignalStatus.RESOLVED,
            by=consultant,
            note="Evaluatie staat gepland.",
            today=TODAY,
        )
        assert run("evaluatie_te_laat", planned_on + days(20)).escalated == 0
        assert Signal.objects.get().escalated_on is None


# -- deadline signals: waarschuwing -> verlopen -----------------------------------------------------


DEADLINES = {
    "termijn_onderzoek": lambda c: MeldingFactory(consultant=c, received_on=TODAY - days(40)),  # due TODAY + 2
    "termijn_beschikking": lambda c: AanvraagFactory(consultant=c, received_on=TODAY - days(12)),  # due TODAY + 2
    "termijn_bezwaar": lambda c: BezwaarFactory(handled_by=c, decision_due=TODAY + days(2)),
}


class TestDeadlineUrgency:
    @pytest.mark.parametrize("name", list(DEADLINES))
    def test_a_warning_turns_into_passed_the_day_after_the_due_date(self, consultant, name):
        DEADLINES[name](consultant)
        run(name, TODAY)
        signal = Signal.objects.get()
        assert (signal.urgency, signal.due_date) == (Urgency.WARNING, TODAY + days(2))

        assert run(name, TODAY + days(2)).updated == 0
        signal.refresh_from_db()
        assert signal.urgency == Urgency.WARNING

        outcome = run(name, TODAY + days(3))
        assert (outcome.updated, outcome.created, outcome.lapsed) == (1, 0, 0)
        signal.refresh_from_db()
        assert (signal.urgency, signal.status) == (Urgency.OVERDUE, SignalStatus.OPEN)
        last = signal.history.last()
        assert (last.from_status, last.to_status, last.note) == (
            SignalStatus.OPEN,
            SignalStatus.OPEN,
            "Termijn verstreken.",
        )

        assert run(name, TODAY + days(4)).updated == 0
        assert signal.history.count() == 2

    def test_a_signal_in_behandeling_keeps_its_status(self, consultant):
        MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        run("termijn_onderzoek", TODAY)
        signal = move_signal(Signal.objects.get(), to_status=SignalStatus.IN_PROGRESS, by=consultant, today=TODAY)
        run("termijn_onderzoek", TODAY + days(3))
        signal.refresh_from_db()
        assert (signal.urgency, signal.status) == (Urgency.OVERDUE, SignalStatus.IN_PROGRESS)
        assert history(signal)[-1] == (SignalStatus.IN_PROGRESS, SignalStatus.IN_PROGRESS)

    def test_other_types_keep_their_urgency(self, consultant):
        active_indication(consultant, end_date=TODAY + days(2))
        run("beschikking_loopt_af", TODAY)
        assert run("beschikking_loopt_af", TODAY + days(2)).updated == 0
        assert Signal.objects.get().urgency == Urgency.WARNING


# -- once a day, unless forced --------------------------------------------------------------------


class TestCheckRun:
    def test_a_check_runs_once_a_day_unless_forced(self, consultant):
        check = CHECKS_BY_NAME["termijn_onderzoek"]
        MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        assert run_check(check, today=TODAY).created == 1
        record = CheckRun.objects.get(check_name="termijn_onderzoek")
        assert record.last_run_on == TODAY
        assert record.last_started_at is not None and record.last_finished_at >= record.last_started_at
        assert record.last_summary["created"] == 1 and record.last_summary["check"] == "termijn_onderzoek"

        MeldingFactory(consultant=consultant, received_on=TODAY - days(41))
        skipped = run_check(check, today=TODAY)
        assert (skipped.skipped, skipped.created) == ("vandaag al uitgevoerd", 0)
        assert Signal.objects.count() == 1
        record.refresh_from_db()
        assert record.last_summary["created"] == 1

        assert run_check(check, today=TODAY, force=True).created == 1
        assert Signal.objects.count() == 2

        MeldingFactory(consultant=consultant, received_on=TODAY - days(42))
        next_day = run_check(check, today=TODAY + days(1))
        assert (next_day.skipped, next_day.created) == ("", 1)
        assert CheckRun.objects.get(check_name="termijn_onderzoek").last_run_on == TODAY + days(1)

    def test_the_day_of_one_check_does_not_stop_another(self, consultant):
        run_check(CHECKS_BY_NAME["termijn_onderzoek"], today=TODAY)
        AanvraagFactory(consultant=consultant, received_on=TODAY - days(10))
        assert run_check(CHECKS_BY_NAME["termijn_beschikking"], today=TODAY).created == 1

    def test_run_all_checks(self, consultant):
        MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        seen = []
        outcomes = run_all_checks(today=TODAY, progress=lambda check, outcome: seen.append(check.name))
        assert [o.check for o in outcomes] == seen == [check.name for check in CHECKS]
        assert sum(o.created for o in outcomes) == 1
        assert CheckRun.objects.filter(last_run_on=TODAY).count() == len(CHECKS)
        assert all(o.created == 0 and not o.skipped for o in run_all_checks(today=TODAY))


# -- the users' moves -------------------------------------------------------------------------------


@pytest.fixture
def signal(consultant) -> Signal:
    MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
    run("termijn_onderzoek", TODAY)
    return Signal.objects.get()


def audit_events(signal: Signal):
    return AuditEvent.objects.filter(object_type="signals.signal", object_id=str(signal.pk)).order_by("at", "id")


class TestMoveSignal:
    def test_open_in_behandeling_opgelost(self, signal, consultant, team_lead):
        taken = move_signal(signal, to_status=SignalStatus.IN_PROGRESS, by=team_lead, today=TODAY)
        assert taken.status == SignalStatus.IN_PROGRESS
        assert taken.assigned_to == consultant  # already someone's: stays theirs
        assert taken.closed_on is None

        solved = move_signal(
            taken,
            to_status=SignalStatus.RESOLVED,
            by=consultant,
            today=TODAY + days(1),
            note="  Onderzoek ingepland met de cliënt.  ",
        )
        assert (solved.status, solved.closed_on) == (SignalStatus.RESOLVED, TODAY + days(1))
        solved.refresh_from_db()
        assert solved.status == SignalStatus.RESOLVED
        events = list(solved.history.all())
        assert [(e.from_status, e.to_status, e.by, e.note) for e in events] == [
            ("", SignalStatus.OPEN, None, "Gesignaleerd."),
            (SignalStatus.OPEN, SignalStatus.IN_PROGRESS, team_lead, ""),
            (SignalStatus.IN_PROGRESS, SignalStatus.RESOLVED, consultant, "Onderzoek ingepland met de cliënt."),
        ]

        taken_event, solved_event = audit_events(signal)
        assert (taken_event.action, taken_event.actor, taken_event.client_id) == (
            AuditEvent.Action.TRANSITION,
            team_lead,
            signal.client_id,
        )
        assert taken_event.changes == {"status": ["open", "in_behandeling"]}
        assert "open → in behandeling" in taken_event.summary
        assert (solved_event.action, solved_event.actor) == (AuditEvent.Action.TRANSITION, consultant)
        assert solved_event.changes == {
            "status": ["in_behandeling", "opgelost"],
            "note": [None, "Onderzoek ingepland met de cliënt."],
        }

    def test_taking_up_a_signal_without_a_person_assigns_it(self, signal, team_lead):
        Signal.objects.filter(pk=signal.pk).update(assigned_to=None)
        taken = move_signal(signal, to_status=SignalStatus.IN_PROGRESS, by=team_lead, today=TODAY)
        assert taken.assigned_to == team_lead

    def test_a_user_may_set_an_open_signal_to_vervallen(self, signal, consultant):
        moved = move_signal(signal, to_status=SignalStatus.LAPSED, by=consultant, today=TODAY)
        assert (moved.status, moved.closed_on) == (SignalStatus.LAPSED, TODAY)
        assert audit_events(signal).count() == 1

    @pytest.mark.parametrize("note", ["", "   \n"])
    def test_solving_needs_a_note(self, signal, consultant, note):
        with pytest.raises(ValidationError) as error:
            move_signal(signal, to_status=SignalStatus.RESOLVED, by=consultant, note=note, today=TODAY)
        assert "note" in error.value.message_dict
        signal.refresh_from_db()
        assert (signal.status, signal.closed_on) == (SignalStatus.OPEN, None)
        assert signal.history.count() == 1
        assert not audit_events(signal).exists()

    @pytest.mark.parametrize(
        "current, target",
        [
            (current, target)
            for current in SignalStatus.values
            for target in SignalStatus.values
            if target not in ALLOWED_STATUS_CHANGES[current]
        ],
    )
    def test_a_forbidden_move_raises_and_changes_nothing(self, signal, consultant, current, target):
        Signal.objects.filter(pk=signal.pk).update(status=current)
        events_before = SignalEvent.objects.count()
        with pytest.raises(ValidationError) as error:
            move_signal(signal, to_status=target, by=consultant, note="Toelichting.", today=TODAY)
        assert error.value.code == "invalid_transition"
        signal.refresh_from_db()
        assert signal.status == current
        assert SignalEvent.objects.count() == events_before
        assert not audit_events(signal).exists()

    def test_the_forbidden_moves_cover_the_closed_states(self):
        assert ALLOWED_STATUS_CHANGES[SignalStatus.RESOLVED] == set()
        assert ALLOWED_STATUS_CHANGES[SignalStatus.LAPSED] == set()
        assert SignalStatus.OPEN not in ALLOWED_STATUS_CHANGES[SignalStatus.IN_PROGRESS]


# -- the management command -------------------------------------------------------------------------


def call(*args) -> str:
    out = StringIO()
    call_command("run_signal_checks", *args, stdout=out, verbosity=0)
    return out.getvalue()


class TestCommand:
    def test_runs_every_check_and_prints_a_summary(self, consultant):
        MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        AanvraagFactory(consultant=consultant, received_on=TODAY - days(20))
        output = call("--datum", TODAY.isoformat())
        for check in CHECKS:
            assert check.name in output
        assert "Totaal: 2 nieuw, 0 geëscaleerd, 0 bijgewerkt, 0 vervallen." in output
        assert Signal.objects.filter(created_on=TODAY).count() == 2
        assert CheckRun.objects.filter(last_run_on=TODAY).count() == len(CHECKS)

        again = call("--datum", TODAY.isoformat())  # forced: runs again, finds nothing new
        assert "Totaal: 0 nieuw, 0 geëscaleerd, 0 bijgewerkt, 0 vervallen." in again
        assert "vandaag al uitgevoerd" not in again
        assert Signal.objects.count() == 2

    def test_only_the_named_checks(self, consultant):
        MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        AanvraagFactory(consultant=consultant, received_on=TODAY - days(20))
        output = call("termijn_beschikking", "--datum", TODAY.isoformat())
        assert "Totaal: 1 nieuw" in output
        assert list(CheckRun.objects.values_list("check_name", flat=True)) == ["termijn_beschikking"]
        assert Signal.objects.get().type == SignalType.BESCHIKKING_DEADLINE

    def test_the_date_defaults_to_today(self, consultant):
        MeldingFactory(consultant=consultant, received_on=timezone.localdate() - days(40))
        assert "Totaal: 1 nieuw" in call("termijn_onderzoek")
        assert Signal.objects.get().created_on == timezone.localdate()

    @pytest.mark.parametrize(
        "args, message",
        [
            (["bestaat_niet"], "Onbekende controle: bestaat_niet."),
            (["--datum", "23-11-2026"], "Geef de datum als JJJJ-MM-DD."),
        ],
    )
    def test_refuses_what_it_does_not_know(self, args, message):
        with pytest.raises(CommandError, match=message):
            call(*args)
        assert not CheckRun.objects.exists()


# -- the Celery tasks -------------------------------------------------------------------------------


def test_one_task_per_check_with_a_stable_name_in_the_beat_schedule():
    assert list(CHECK_TASKS) == [check.name for check in CHECKS]
    celery_app.finalize(auto=True)
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    for name, task in CHECK_TASKS.items():
        assert task.name == f"signals.check.{name}"
        assert task.name in scheduled


@pytest.mark.parametrize("name", list(CHECK_TASKS))
def test_each_task_runs_eagerly_and_returns_the_outcome(eager, name):
    result = CHECK_TASKS[name].delay(force=True)
    assert isinstance(result, EagerResult)
    outcome = result.get()
    assert set(outcome) == {field.name for field in fields(CheckOutcome)}
    assert outcome == {**asdict(CheckOutcome(name)), "seconds": outcome["seconds"]}
    assert CheckRun.objects.get(check_name=name).last_run_on == timezone.localdate()


def test_a_task_raises_signals_and_skips_a_second_run_the_same_day(eager, consultant):
    MeldingFactory(consultant=consultant, received_on=timezone.localdate() - days(40))
    task = CHECK_TASKS["termijn_onderzoek"]
    first = task.delay().get()
    assert (first["check"], first["created"], first["skipped"]) == ("termijn_onderzoek", 1, "")
    assert Signal.objects.get().created_on == timezone.localdate()
    assert task.delay().get()["skipped"] == "vandaag al uitgevoerd"
    assert task.delay(force=True).get()["skipped"] == ""
    assert Signal.objects.count() == 1
