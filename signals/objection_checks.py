"""The signal check on bezwaren (Awb 7:10): a warning BEZWAAR_WARN_WORKING_DAYS working days before
the decision on a bezwaar is due, a signal ("termijn verstreken", escalated to the team lead) once
it passed. The deadline is the stored objections.Bezwaar.decision_due (extensions included), so the
database compares a column with constants."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, F, QuerySet, Value, When

from objections.selectors import open_bezwaren_due_by

from .columns import _columns, _deadline_urgency, config
from .working_days import working_days_after


def bezwaar_warning_horizon(today: date) -> date:
    """A bezwaar due on or before this day is within the warning window."""
    return working_days_after(today, config("BEZWAAR_WARN_WORKING_DAYS"))


def bezwaar_deadline(today: date) -> QuerySet:
    """An open bezwaar whose decision is due within the warning window (termijn nadert), or whose
    decision term passed (termijn verstreken, escalated); for its handler and the client's team."""
    due = open_bezwaren_due_by(bezwaar_warning_horizon(today))
    return _columns(
        due,
        sig_subject=F("pk"),
        sig_due=F("decision_due"),
        sig_urgency=_deadline_urgency("decision_due", today=today),
        sig_escalate=Case(
            When(decision_due__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        client="beschikking__client",
        consultant="handled_by",
        sig_indication=F("beschikking_id"),
    )
