"""The letters' Celery tasks: thin wrappers around letters.freezing."""

from celery import shared_task

from . import freezing
from .models import Letter


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_letter(letter_id: int) -> None:
    """Render and store a letter's PDF right after the decision's commit (idempotent: once)."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is not None:
        freezing.render_letter(letter)


@shared_task
def render_pending_letters(limit: int = 500) -> int:
    """Render the letters whose task did not run (a worker down at commit): no letter is lost."""
    pending = Letter.objects.filter(sha256="").order_by("id")[:limit]
    for letter in pending:
        freezing.render_letter(letter)
    return len(pending)
