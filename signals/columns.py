"""The columns every check returns (the `sig_*` names) and the small helpers that name them, shared
by signals.checks and the checks in their own modules (signals.objection_checks)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import BooleanField, Case, DateField, F, IntegerField, QuerySet, Value, When

from .models import Urgency

COLUMNS = (
    "sig_subject",
    "sig_variant",
    "sig_due",
    "sig_urgency",
    "sig_escalate",
    "sig_assigned_to",
    "sig_client",
    "sig_municipality",
    "sig_indication",
    "sig_melding",
    "sig_aanvraag",
    "sig_assignment",
    "sig_provider",
)


def config(name: str):
    return settings.SIGNALS[name]


def _date(value: date) -> Value:
    return Value(value, output_field=DateField())


def _columns(queryset: QuerySet, *, client: str, consultant: str | None = None, **columns) -> QuerySet:
    """Name the check's columns; absent ones are NULL (or 0 / false). `client` is the path from the
    checked row to its Client ("" when the row is the client), `consultant` the path to the user the
    signal is for; the client, its municipality (for the team) and that user follow from them."""
    to_client = f"{client}__" if client else ""
    defaults = {
        "sig_client": F(f"{client}_id" if client else "pk"),
        "sig_municipality": F(f"{to_client}municipality_id"),
        "sig_variant": Value(0, output_field=IntegerField()),
        "sig_escalate": Value(False, output_field=BooleanField()),
        "sig_assigned_to": F(f"{consultant}_id") if consultant else Value(None, output_field=IntegerField()),
        "sig_indication": Value(None, output_field=IntegerField()),
        "sig_melding": Value(None, output_field=IntegerField()),
        "sig_aanvraag": Value(None, output_field=IntegerField()),
        "sig_assignment": Value(None, output_field=IntegerField()),
        "sig_provider": Value(None, output_field=IntegerField()),
    }
    return queryset.annotate(**{**defaults, **columns}).values(*COLUMNS)


def _deadline_urgency(due_field: str, *, today: date) -> Case:
    return Case(
        When(**{f"{due_field}__lt": today}, then=Value(Urgency.OVERDUE)),
        default=Value(Urgency.WARNING),
    )
