"""The working-day calendar moved to ui.working_days (the lowest layer) so that every app can count
Dutch working days and the Algemene termijnenwet's closed days; re-exported here for the checks."""

from ui.working_days import dutch_holidays, easter_sunday, is_working_day, working_days_after, working_days_before

__all__ = ["dutch_holidays", "easter_sunday", "is_working_day", "working_days_after", "working_days_before"]
