"""Freezing a letter: its PDF rendered once, stored in the "letters" storage with its SHA-256, and
read back unchanged (every read audited). Used by letters.services and letters.tasks."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record_event

from . import rendering
from .models import Letter


@transaction.atomic
def render_letter(letter: Letter) -> Letter:
    """Render and store the letter's PDF once; a letter already rendered is returned unchanged."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.is_frozen:
        return letter
    pdf = rendering.render_pdf(letter.content)
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf.save(f"{letter.kenmerk}.pdf", ContentFile(pdf), save=False)
    letter.rendered_at = timezone.now()
    letter.save(update_fields=["pdf", "sha256", "rendered_at"])
    return letter


class LetterTampered(Exception):
    """The stored PDF does not match the SHA-256 recorded when it was sent."""


def open_letter(letter: Letter, *, by, ip_address: str | None = None) -> bytes:
    """The letter's PDF as sent (rendered first if its task did not run yet), the read audited.
    Refuses a stored file whose hash no longer matches."""
    letter = render_letter(letter)
    with letter.pdf.open("rb") as stored:
        pdf = stored.read()
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        raise LetterTampered(letter.kenmerk)
    record_event(
        actor=by,
        action=AuditEvent.Action.READ,
        obj=letter,
        client_id=letter.client_id,
        summary=f"brief {letter.kenmerk} gedownload",
        ip_address=ip_address,
    )
    return pdf
