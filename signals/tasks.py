"""One Celery task per check (the beat schedule is in settings): thin wrappers around run_check.

acks_late: a worker that dies mid-check leaves the message for another; the check is one
transaction, so a retry starts clean. The CheckRun row lock makes a second beat's copy skip.
"""

import logging
from dataclasses import asdict

from celery import shared_task

from indications.tasks import TASK_OPTIONS

from .checks import CHECKS
from .services import run_check

logger = logging.getLogger(__name__)


def _task_for(check):
    @shared_task(name=f"signals.check.{check.name}", **TASK_OPTIONS)
    def run(force: bool = False) -> dict:
        outcome = run_check(check, force=force)
        logger.info("Signal check %s: %s", check.name, outcome)
        return asdict(outcome)

    return run


CHECK_TASKS = {check.name: _task_for(check) for check in CHECKS}
