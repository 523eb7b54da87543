"""The nightly refresh of the monitor (the beat schedule is in settings)."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from indications.tasks import TASK_OPTIONS

from .services import catch_up_stale_years, refresh_monitor

logger = logging.getLogger(__name__)


@shared_task(name="monitor.refresh", **{**TASK_OPTIONS, "soft_time_limit": 60 * 60, "time_limit": 65 * 60})
def refresh(years: int | None = None) -> int:
    """Recompute the last MONITOR_REFRESH_YEARS years (late reports and corrections can still change
    them); older years stay as they were computed, `manage.py refresh_monitor` (without --vanaf) redoes all.
    Then up to MONITOR_CATCH_UP_YEARS older years that are stale (never computed, or computed by a
    release before the cube's current version) are recomputed, the most recent first."""
    today = timezone.localdate()
    run = refresh_monitor(today=today, first_year=today.year - (years or settings.MONITOR_REFRESH_YEARS) + 1)
    logger.info(
        "Monitor refreshed: %d cells for %d-%d in %.1f s", run.cells, run.first_year, run.last_year, run.seconds
    )
    caught_up = catch_up_stale_years(today=today, limit=settings.MONITOR_CATCH_UP_YEARS)
    for older in caught_up:
        logger.info(
            "Monitor caught up with stale year %d: %d cells in %.1f s", older.first_year, older.cells, older.seconds
        )
    return run.cells + sum(older.cells for older in caught_up)
