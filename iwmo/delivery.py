"""Delivering the outbox, exactly once per BerichtIdentificatie.

A delivery locks its message row (SELECT ... FOR UPDATE SKIP LOCKED), so two workers never deliver
the same message at once: the second skips it. Only a queued message is delivered, and a delivered
one is marked so in the same transaction, so a second attempt (the beat's sweep, a replayed task)
does nothing. A worker that dies mid-delivery rolls its transaction back: the message stays queued
and the next attempt delivers it again, to the same place: the same file name (the message's
identity), or an HTTP POST that carries the BerichtIdentificatie in its headers, by which the
receiving GGk adapter recognises a repeat (TR056).
"""

import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record_event

from .models import OutgoingMessage


class DeliveryError(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    status: str  # "afgeleverd", "overgeslagen", "opnieuw", "mislukt"
    retry_in: int | None = None  # seconds until the next attempt


def _write_file(message: OutgoingMessage) -> str:
    folder = Path(settings.IWMO["EXPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / message.file_name
    content = message.xml.encode("utf-8")
    if target.exists() and target.read_bytes() == content:
        return str(target)  # delivered before by an attempt that died before it could say so
    # Write beside it and rename: a reader of the folder never sees half a message.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise DeliveryError(str(error)) from error
    return str(target)


def _post(message: OutgoingMessage, url: str) -> str:
    request = urllib.request.Request(
        url,
        data=message.xml.encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/xml; charset=utf-8",
            "X-Iwmo-Berichtsoort": message.message_type,
            "X-Iwmo-Afzender": message.sender,
            "X-Iwmo-Ontvanger": message.receiver,
            "X-Iwmo-Berichtidentificatie": f"{message.identification}/{message.dagtekening:%Y-%m-%d}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.IWMO["HTTP_TIMEOUT_SECONDS"]) as response:
            if not 200 <= response.status < 300:
                raise DeliveryError(f"HTTP {response.status}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DeliveryError(str(error)) from error
    return url


def send(message: OutgoingMessage) -> str:
    """Hand the message over; returns where it went, raises DeliveryError."""
    url = settings.IWMO["OUTBOX_URL"]
    return _post(message, url) if url else _write_file(message)


def backoff_seconds(attempts: int) -> int:
    return settings.IWMO["DELIVERY_BACKOFF_SECONDS"] * 2 ** max(attempts - 1, 0)


def deliver_message(pk: int, *, now: datetime | None = None) -> Outcome:
    """Deliver one queued message whose time has come; anything else is skipped."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutgoingMessage.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if message is None:
            return Outcome("overgeslagen")
        message.attempts += 1
        try:
            target = send(message)
        except DeliveryError as error:
            message.last_error = str(error)[:2000]
            if message.attempts >= settings.IWMO["DELIVERY_MAX_ATTEMPTS"]:
                message.status = OutgoingMessage.Status.FAILED
                message.next_attempt_at = None
                outcome = Outcome("mislukt")
            else:
                delay = backoff_seconds(message.attempts)
                message.next_attempt_at = now + timedelta(seconds=delay)
                outcome = Outcome("opnieuw", retry_in=delay)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            record_event(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                obj=message,
                client_id=message.client_id,
                summary=f"{message.message_type} {message.identification}: poging {message.attempts} mislukt",
            )
            return outcome
        message.status = OutgoingMessage.Status.DELIVERED
        message.delivered_at = now
        message.delivered_to = target[:500]
        message.next_attempt_at = None
        message.last_error = ""
        message.save(
            update_fields=["attempts", "status", "delivered_at", "delivered_to", "next_attempt_at", "last_error"]
        )
        # Handing the client's data to the receiver (through the GGk adapter) is a transfer in NEN
        # 7513's terms (verstrekken, code T), with the client's BSN through client_id.
        record_event(
            actor=None,
            action=AuditEvent.Action.TRANSFER,
            obj=message,
            client_id=message.client_id,
            summary=f"{message.message_type} {message.identification} aan {message.receiver} afgeleverd",
        )
        return Outcome("afgeleverd")


def due_messages(now: datetime, limit: int = 500) -> list[int]:
    return list(
        OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_queued_messages(*, now: datetime | None = None) -> dict[str, int]:
    """The sweep: deliver every queued message whose time has come (each in its own transaction)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for pk in due_messages(now):
        outcome = deliver_message(pk, now=now)
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts
