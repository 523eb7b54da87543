"""Celery tasks of the audit trail: thin wrappers (the beat schedule is in settings)."""

from celery import shared_task

from . import retention


# Idempotent: a second run the same night finds nothing past the retention (and records that).
@shared_task(name="audit.remove_expired_events", acks_late=True)
def remove_expired_events() -> dict:
    return retention.remove_expired_events()
