"""Celery tasks of the message exchange: thin wrappers around iwmo.delivery."""

from celery import shared_task

from . import delivery


@shared_task(name="iwmo.deliver_message", bind=True, max_retries=None, acks_late=True)
def deliver_message(self, pk: int) -> str:
    """Deliver one message (enqueued when the transaction that wrote it commits). A failed attempt is
    retried after its backoff (the row holds the attempts and the next attempt's time, so the beat's
    sweep retries it too when the broker lost the retry)."""
    outcome = delivery.deliver_message(pk)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="iwmo.deliver_queued_messages")
def deliver_queued_messages() -> dict[str, int]:
    """Beat: deliver what is still queued and due (leftovers of dead workers, retries)."""
    return delivery.deliver_queued_messages()
