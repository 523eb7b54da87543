"""Celery tasks: thin wrappers around the nightly services (the beat schedule is in settings)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from indications import services

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 15 * 60,
    "time_limit": 20 * 60,
}


@shared_task(name="indications.activate_started_beschikkingen", **TASK_OPTIONS)
def activate_started_beschikkingen() -> int:
    activated = services.activate_started_beschikkingen()
    logger.info("Activated %d beschikkingen whose start date has come", activated)
    return activated


@shared_task(name="indications.end_expired_beschikkingen", **TASK_OPTIONS)
def end_expired_beschikkingen() -> int:
    ended = services.end_expired_beschikkingen()
    logger.info("Ended %d beschikkingen whose end date has passed", ended)
    return ended
