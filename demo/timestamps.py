"""Historic timestamps: every row carries the moment it happened, not the moment it was generated."""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from indications.models import (
    Aanvraag,
    Client,
    Evaluation,
    Indication,
    IndicationStatusChange,
    Melding,
    OtherProvision,
)
from providers.models import Assignment, CareEvent, ChangeRequest


class Clock:
    """Timestamps for one object's history: on the given day in office hours, never going back."""

    def __init__(self, rng: random.Random, tz):
        self.rng, self.tz, self.last = rng, tz, None

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(8, 16) if hour is None else hour
        moment = datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randint(1, 20))
        self.last = moment
        return moment


@contextmanager
def historic_timestamps():
    """Let bulk_create keep the historic created/updated moments we set, instead of 'now'."""
    fields = [
        model._meta.get_field(name)
        for model, name in (
            (Client, "created_at"),
            (Melding, "created_at"),
            (Aanvraag, "created_at"),
            (Indication, "created_at"),
            (Indication, "updated_at"),
            (IndicationStatusChange, "at"),
            (Evaluation, "created_at"),
            (OtherProvision, "recorded_at"),
            (Assignment, "created_at"),
            (CareEvent, "received_at"),
            (ChangeRequest, "created_at"),
        )
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
