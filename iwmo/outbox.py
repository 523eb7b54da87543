"""The outbox: writing an outgoing message row (numbered, XSD-checked, audited) inside the caller's
transaction, and enqueueing its delivery when that transaction commits."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
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


# Row ids taken from the table's sequence ahead of the INSERT (PostgreSQL), this many per query: a
# message is then one INSERT with its identification and XML instead of an INSERT and an UPDATE. A
# sequence never hands out a value twice (not even after a rollback), so the ids stay unique and
# never reused; ids reserved by a process that ends are gaps, which the standard does not mind.
RESERVED_IDS = 100
_reserved: dict[str, list[int]] = {}


def _next_id() -> int | None:
    """A fresh row id from the sequence (PostgreSQL), or None where the INSERT must assign it."""
    if connection.vendor != "postgresql":
        return None
    free = _reserved.setdefault(connection.alias, [])
    if not free:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [OutgoingMessage._meta.db_table, RESERVED_IDS],
            )
            free.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
    return free.pop()


def new_message(*, message_type: str, sender: str, receiver: str, today: date, **fields) -> OutgoingMessage:
    """An outbox message with its BerichtIdentificatie; the caller builds the XML with `header_of`
    and passes it to `store`, which writes the row (on PostgreSQL the id comes from the sequence
    first, so the row is written once; elsewhere it is inserted here for its id)."""
    message = OutgoingMessage(
        id=_next_id(), message_type=message_type, sender=sender, receiver=receiver, dagtekening=today, xml="", **fields
    )
    if message.pk is None:
        message.save(force_insert=True)
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
    message.save(force_insert=message._state.adding)
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=message, client_id=client_id, summary=summary)
    pk = message.pk
    transaction.on_commit(lambda: tasks.deliver_message.delay(pk))
    return message
