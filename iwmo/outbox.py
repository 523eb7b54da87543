"""The outbox: writing an outgoing message row (numbered, XSD-checked, audited) inside the caller's
transaction, and enqueueing its delivery when that transaction commits."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from . import tasks
from .models import OutgoingMessage
from .xml import Header, TechnicalError, validate_bytes


def identification_of(message: OutgoingMessage) -> str:
    """Identificatie (at most 12 characters) from the row's id: unique per sender and message type
    (TR056) because the id is unique, and never reused, so a retry never collides."""
    return f"{message.pk:012d}"


def new_message(*, message_type: str, sender: str, receiver: str, today: date, **fields) -> OutgoingMessage:
    """An outbox row with its BerichtIdentificatie; the caller builds the XML with `header_of` and
    passes it to `store`."""
    message = OutgoingMessage.objects.create(
        message_type=message_type, sender=sender, receiver=receiver, dagtekening=today, xml="", **fields
    )
    message.identification = identification_of(message)
    return message


def header_of(message: OutgoingMessage) -> Header:
    return Header(
        message_type=message.message_type,
        sender=message.sender,
        receiver=message.receiver,
        identification=message.identification,
        dagtekening=message.dagtekening,
    )


def store(message: OutgoingMessage, xml: bytes, *, by, client_id: int | None, summary: str) -> OutgoingMessage:
    """Save the message's XML (validated against the official XSD when IWMO_XSD_DIR is set: a message
    the standard refuses never leaves, and the change that caused it is rolled back with a reason),
    audit it and enqueue its delivery for when the transaction commits."""
    try:
        validate_bytes(message.message_type, xml)
    except TechnicalError as error:
        raise ValidationError(
            _("Het %(type)s-bericht voldoet niet aan de iWmo-XSD: %(error)s")
            % {"type": message.message_type, "error": error},
            code="iwmo_xsd",
        ) from error
    message.xml = xml.decode("utf-8")
    message.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=message, client_id=client_id, summary=summary)
    pk = message.pk
    transaction.on_commit(lambda: tasks.deliver_message.delay(pk))
    return message
