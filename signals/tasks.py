"""One Celery task per check and its beat entry, both derived from the registry
(signals.checks.CHECKS): thin wrappers around run_check.

acks_late: a worker that dies mid-check leaves the message for another; the check is one
transaction, so a retry starts clean. The CheckRun row lock makes a second beat's copy skip.
"""

import logging
from dataclasses import asdict

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings

from indications.tasks import TASK_OPTIONS

from .checks import CHECKS
from .services import run_check

logger = logging.getLogger(__name__)


# Nightly, after the status changes (01:00 and 01:15), a few minutes apart.
NIGHTLY_FROM_MINUTE = 2 * 60
MINUTES_APART = 5


def task_name(check) -> str:
    return f"signals.check.{check.name}"


def _task_for(check):
    @shared_task(name=task_name(check), **TASK_OPTIONS)
    def run(force: bool = False) -> dict:
        outcome = run_check(check, force=force)
        logger.info("Signal check %s: %s", check.name, outcome)
        return asdict(outcome)

    return run


CHECK_TASKS: dict = {}


def register_tasks() -> dict:
    """A task for every check in the registry that has none yet: at import, all of them."""
    for check in CHECKS:
        if check.name not in CHECK_TASKS:
            CHECK_TASKS[check.name] = _task_for(check)
    return CHECK_TASKS


register_tasks()


def beat_schedule(checks=None) -> dict:
    """The beat entry of every check in the registry (sddcase/celery.py adds them to the schedule)."""
    every = settings.SIGNAL_BEAT_EVERY_SECONDS
    schedule = {}
    for index, check in enumerate(CHECKS if checks is None else checks):
        hour, minute = divmod(NIGHTLY_FROM_MINUTE + MINUTES_APART * index, 60)
        schedule[f"signals-{check.name}"] = {
            "task": task_name(check),
            "schedule": every or crontab(hour=hour % 24, minute=minute),
        }
    return schedule
