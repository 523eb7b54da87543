"""Small rules defined once and used by every caller: durations in days (stored SLA figures, the
dashboard, the API) and the heraanmelding window (the signal engine and the monitor)."""

from datetime import timedelta

from indications.heraanmelding import heraanmelding_window
from providers.durations import in_days


def test_a_duration_in_days():
    assert in_days(timedelta(days=2, hours=6)) == 2.25
    assert in_days(timedelta(days=1, hours=1), decimals=1) == 1.0
    assert in_days(timedelta(hours=3), decimals=1) == 0.1
    assert in_days(None) is None and in_days(None, decimals=1) is None
    assert in_days(183.25) == 183.25  # a stored figure is already in days


def test_the_heraanmelding_window_follows_the_setting(settings):
    settings.SIGNALS = {**settings.SIGNALS, "HERAANMELDING_MONTHS": 12}
    assert heraanmelding_window() == timedelta(days=365)
    settings.SIGNALS = {**settings.SIGNALS, "HERAANMELDING_MONTHS": 6}
    assert heraanmelding_window() == timedelta(days=183)
