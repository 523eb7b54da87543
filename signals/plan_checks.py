"""The signal check on the persoonlijk plan (art. 2.3.2 lid 2 Wmo 2015): while the 7 days after the
melding run and the onderzoek has no answer on the plan yet, the consultant sees it on the worklist
("termijn nadert", due the last day). It lapses when a plan (or "niet ontvangen") is recorded, when
the onderzoek is concluded, and when the term ends (the next run no longer finds it)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import DateField, ExpressionWrapper, F, QuerySet, Value

from indications.models import PERSOONLIJK_PLAN_DAYS, Intake

from .columns import _columns
from .models import Urgency


def persoonlijk_plan_term(today: date) -> QuerySet:
    """An open onderzoek whose melding was at most 7 days ago and that has no answer on the
    persoonlijk plan: for the consultant of the melding, due the last day of the term."""
    last_day = ExpressionWrapper(
        F("melding__received_on") + timedelta(days=PERSOONLIJK_PLAN_DAYS), output_field=DateField()
    )
    running = Intake.objects.filter(
        concluded_on__isnull=True,
        persoonlijk_plan_received_on__isnull=True,
        persoonlijk_plan_not_received=False,
        melding__received_on__gte=today - timedelta(days=PERSOONLIJK_PLAN_DAYS),
        melding__received_on__lte=today,
    )
    return _columns(
        running.annotate(plan_last_day=last_day),
        client="melding__client",
        consultant="melding__consultant",
        sig_subject=F("pk"),
        sig_due=F("plan_last_day"),
        sig_urgency=Value(Urgency.WARNING),
        sig_melding=F("melding_id"),
    )
