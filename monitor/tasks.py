"""The nightly refresh of the monitor (the beat schedule is in settings)."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from indications.tasks import TASK_OPTIONS

from .services import catch_up_stale_years, refresh_monitor

logger = logging.getLogger(__name__)


SOFT_TIME_LIMIT = 60 * 60
# The older stale years are only begun while the task is expected to end within this share of its
# soft time limit (at 3,000,000 beschikkingen a year took 635 s here).
CATCH_UP_WITHIN = 0.75


@shared_task(
    name="monitor.refresh", **{**TASK_OPTIONS, "soft_time_limit": SOFT_TIME_LIMIT, "time_limit": SOFT_TIME_LIMIT + 300}
)
def refresh(years: int | None = None) -> int:
    """Recompute the last MONITOR_REFRESH_YEARS years (late reports and corrections can still change
    them); older years stay as they were computed, `manage.py refresh_monitor` (without --vanaf) redoes all.
    Then up to MONITOR_CATCH_UP_YEARS older years that are stale (never computed, or computed by a
    release before the cube's current version) are recomputed, the most recent first, as long as
    the task is expected to end within CATCH_UP_WITHIN of its time limit."""
    today = timezone.localdate()
    started = time.monotonic()
    run = refresh_monitor(today=today, first_year=today.year - (years or settings.MONITOR_REFRESH_YEARS) + 1)
    logger.info(
        "Monitor refreshed: %d cells for %d-%d in %.1f s", run.cells, run.first_year, run.last_year, run.seconds
    )
    caught_up = catch_up_stale_years(
        today=today,
        limit=settings.MONITOR_CATCH_UP_YEARS,
        until=started + SOFT_TIME_LIMIT * CATCH_UP_WITHIN,
        seconds_per_year=run.seconds / (run.last_year - run.first_year + 1),
    )
    for older in caught_up:
        logger.info(
            "Monitor caught up with stale year %d: %d cells in %.1f s", older.first_year, older.cells, older.seconds
        )
    return run.cells + sum(older.cells for older in caught_up)
