"""Celery tasks: thin wrappers around the nightly services (the beat schedule is in settings)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from indications import retention, services
from indications.nightly import NightlyOutcome, report

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 15 * 60,
    "time_limit": 20 * 60,
}


def _report(what: str, outcome: NightlyOutcome) -> dict:
    return report(what, outcome, log=logger)


# Each returns {"done": n, "failed": ["<pk>: <reason>", ...]}: a row that fails is reported, the rest go on.
@shared_task(name="indications.activate_started_beschikkingen", **TASK_OPTIONS)
def activate_started_beschikkingen() -> dict:
    return _report("Activating beschikkingen whose start date has come", services.activate_started_beschikkingen())


@shared_task(name="indications.end_expired_beschikkingen", **TASK_OPTIONS)
def end_expired_beschikkingen() -> dict:
    return _report("Ending beschikkingen whose end has passed", services.end_expired_beschikkingen())


# Idempotent: a second run the same night proposes nothing new (one open proposal per client).
@shared_task(name="indications.propose_closed_client_files", **TASK_OPTIONS)
def propose_closed_client_files() -> dict:
    result = retention.propose_closed_client_files()
    logger.info("Closed client files proposed for destruction: %s", result)
    return result
