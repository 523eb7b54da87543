"""A heraanmelding: a new melding shortly after the client's care ended (outflow). The signal engine
raises a signal for it and the monitor counts it; both use this window."""

from datetime import timedelta

from django.conf import settings


def heraanmelding_window() -> timedelta:
    """How soon after an outflow a new melding counts as a heraanmelding: SIGNALS
    ["HERAANMELDING_MONTHS"] months, at the average month length (365.25 / 12 days), whole days."""
    return timedelta(days=round(settings.SIGNALS["HERAANMELDING_MONTHS"] * 365.25 / 12))
