"""The outbox: writing an outgoing message row (numbered, XSD-checked, audited) inside the caller's
transaction, and enqueueing its delivery when that transaction commits."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from ui.transactions import surviving

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
_reserved: dict[tuple[str, str], list[int]] = {}


def reserve_id(model) -> int | None:
    """A fresh row id of `model` from its table's sequence (PostgreSQL), or None where the INSERT
    must assign it (the inbox reserves its incoming rows' ids the same way)."""
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    free = _reserved.setdefault((connection.alias, table), [])
    if not free:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, RESERVED_IDS]
            )
            free.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
    return free.pop()


def _next_id() -> int | None:
    return reserve_id(OutgoingMessage)


# While collect_messages() runs: the rows stored with deferred=True, each with its enqueue callback.
_pending: ContextVar[list | None] = ContextVar("iwmo_outbox_pending", default=None)


@contextmanager
def collect_messages():
    """Inside it (and inside a transaction), `store(..., deferred=True)` keeps a new row (its id
    reserved) and `write_pending()` or the block's end writes them with one bulk INSERT, still in
    the transaction: the inbox's retours of a batch (nothing in the batch reads them back). A row
    whose savepoint rolled back is not written: its enqueue callback, dropped from the
    transaction's on-commit list by that rollback, is the marker (as audit.collect_events does)."""
    if _pending.get() is not None or not connection.in_atomic_block:
        yield
        return
    token = _pending.set([])
    try:
        yield
        write_pending()
    finally:
        _pending.reset(token)


def write_pending() -> None:
    pending = _pending.get()
    if not pending:
        return
    OutgoingMessage.objects.bulk_create(surviving(pending))  # each with its enqueue callback as marker
    pending.clear()


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


def _validated(message: OutgoingMessage, xml: bytes) -> None:
    """Put the XML on the message, validated against the official XSD when IWMO_XSD_DIR is set: a
    message the standard refuses never leaves, and the change that caused it is rolled back with a
    reason."""
    try:
        validate_bytes(message.message_type, xml)
    except TechnicalError as error:
        raise ValidationError(
            _("Het %(type)s-bericht voldoet niet aan de iWmo-XSD: %(error)s")
            % {"type": message.message_type, "error": error},
            code="iwmo_xsd",
        ) from error
    message.xml = xml.decode("utf-8")


def _enqueue_on_commit(message: OutgoingMessage):
    pk = message.pk

    def enqueue():
        tasks.deliver_message.delay(pk)

    transaction.on_commit(enqueue)
    return enqueue


def store(
    message: OutgoingMessage, xml: bytes, *, by, client_id: int | None, summary: str, deferred: bool = False
) -> OutgoingMessage:
    """Save the message's XML (XSD-checked, see `_validated`), audit it and enqueue its delivery for
    when the transaction commits. `deferred`: inside collect_messages() a new row with a reserved id
    is written with the others at its end."""
    _validated(message, xml)
    pending = _pending.get()
    keep = deferred and pending is not None and message.pk is not None and message._state.adding
    if not keep:
        message.save(force_insert=message._state.adding)
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=message, client_id=client_id, summary=summary)
    enqueue = _enqueue_on_commit(message)
    if keep:
        pending.append((message, enqueue))
    return message


@dataclass
class ToStore:
    """A message for `store_many`: its XML, who caused it (one audit event per distinct actor), the
    client of the audit events and their summary."""

    message: OutgoingMessage
    xml: bytes
    by: list
    client_id: int | None
    summary: str


def store_many(items: list[ToStore]) -> list[OutgoingMessage]:
    """`store` for many messages: every XML checked first (one the XSD refuses raises before
    anything is written), then the new rows with a reserved id in one bulk INSERT, the others saved
    one by one, each audited and its delivery enqueued on commit (inside collect_events the events
    are one INSERT too)."""
    for item in items:
        _validated(item.message, item.xml)
    new = [item.message for item in items if item.message._state.adding and item.message.pk is not None]
    OutgoingMessage.objects.bulk_create(new)
    written = {id(message) for message in new}
    for item in items:
        if id(item.message) not in written:  # a waiting 301 rewritten; on SQLite every row (its id)
            item.message.save(force_insert=item.message._state.adding)
        actors = []
        for actor in item.by:
            if not any(actor is seen for seen in actors):
                actors.append(actor)
        for actor in actors:
            record_event(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=item.message,
                client_id=item.client_id,
                summary=item.summary,
            )
        _enqueue_on_commit(item.message)
    return [item.message for item in items]
