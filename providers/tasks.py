"""Celery tasks of the provider domain: thin wrappers around its nightly services (the beat schedule
is in settings)."""

import logging

from celery import shared_task

from indications.nightly import report
from indications.tasks import TASK_OPTIONS

from . import services

logger = logging.getLogger(__name__)


# Returns {"done": n, "failed": ["<pk>: <reason>", ...]}: a row that fails is reported, the rest go on.
@shared_task(name="providers.end_lapsed_assignments", **TASK_OPTIONS)
def end_lapsed_assignments() -> dict:
    return report("Ending toewijzingen whose end date has passed", services.end_lapsed_assignments(), log=logger)
