"""The signal engine on bezwaren (signals.objection_checks): a warning BEZWAAR_WARN_WORKING_DAYS
working days before the decision is due (Awb 7:10), a signal once it passed, gone after the decision."""

from datetime import date

from objections import services
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.objection_checks import bezwaar_deadline
from signals.services import run_check

DUE = date(2026, 11, 30)  # a Monday


def _rows(day):
    return list(bezwaar_deadline(day))


def test_awb_7_10_a_warning_five_working_days_before_the_decision_is_due(bezwaar, consultant):
    assert bezwaar.decision_due == DUE
    assert _rows(date(2026, 11, 20)) == []  # Friday: 5 working days on is Friday 27th
    (row,) = _rows(date(2026, 11, 23))
    assert (row["sig_subject"], row["sig_due"], row["sig_urgency"]) == (bezwaar.pk, DUE, Urgency.WARNING)
    assert (row["sig_assigned_to"], row["sig_indication"], row["sig_escalate"]) == (
        consultant.pk,
        bezwaar.beschikking_id,
        False,
    )


def test_awb_7_10_a_signal_once_the_term_passed_escalated_to_the_team(bezwaar):
    (on_the_day,) = _rows(DUE)
    assert on_the_day["sig_urgency"] == Urgency.WARNING
    (after,) = _rows(date(2026, 12, 1))
    assert (after["sig_urgency"], after["sig_escalate"]) == (Urgency.OVERDUE, True)


def test_the_warning_days_are_a_setting(bezwaar, settings):
    settings.SIGNALS = {**settings.SIGNALS, "BEZWAAR_WARN_WORKING_DAYS": 2}
    assert _rows(date(2026, 11, 25)) == []
    assert len(_rows(date(2026, 11, 26))) == 1


def test_the_engine_raises_it_turns_it_overdue_and_lapses_it_after_the_decision(bezwaar, team_lead):
    check = CHECKS_BY_NAME["termijn_bezwaar"]
    run_check(check, today=date(2026, 11, 24), force=True)
    signal = Signal.objects.get(type=SignalType.BEZWAAR_DEADLINE)
    assert (signal.subject_id, signal.urgency, signal.status) == (bezwaar.pk, Urgency.WARNING, SignalStatus.OPEN)
    run_check(check, today=date(2026, 12, 1), force=True)
    signal.refresh_from_db()
    assert signal.urgency == Urgency.OVERDUE
    services.declare_ongegrond(bezwaar, by=team_lead, motivation="Ongegrond.", today=date(2026, 12, 2))
    run_check(check, today=date(2026, 12, 2), force=True)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.LAPSED
    assert Signal.objects.filter(type=SignalType.BEZWAAR_DEADLINE).count() == 1


def test_an_extension_moves_the_signal_away(bezwaar, consultant):
    services.extend_decision_term(bezwaar, by=consultant, reason="Advies nodig.", today=date(2026, 11, 24))
    assert _rows(date(2026, 11, 24)) == []
