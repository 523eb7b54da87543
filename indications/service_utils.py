"""Small helpers shared by the case file's service modules."""

from datetime import date

from django.utils import timezone


def today_or_now(today: date | None) -> date:
    """The injected day (tests, nightly jobs) or the local date."""
    return today or timezone.localdate()


def snapshot(obj, fields) -> dict:
    """The values of these fields, to record what a service changed (audit.services.changed_fields)."""
    return {name: getattr(obj, name) for name in fields}
