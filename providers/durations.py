"""Durations in the SLA figures are counted in days: one conversion for the stored figures, the
dashboard and the API."""

from datetime import timedelta


def in_days(value, *, decimals: int | None = None):
    """A duration (timedelta) as a number of days, rounded to `decimals` when given; a value that is
    not a timedelta (None, or a stored figure already in days) as it is."""
    if not isinstance(value, timedelta):
        return value
    days = value.total_seconds() / 86400
    return days if decimals is None else round(days, decimals)
