"""Receiving WMO305 and WMO307: keep the message, judge it in three layers, apply what is accepted
through the same provider services as the REST API, and queue the retour (WMO306/308).

1. Structure: the hardened parser (iwmo.xml.parse_message) and, when IWMO_XSD_DIR is set, the
   official XSD. Anything unreadable is a technical rejection (0001), never an exception.
2. In-message conditions: CS002 (BSN elfproef), CS015/CS025 (BerichtSubversie 2, BerichtVersie 3),
   CS058 (StatusAanlevering 1 or 3), CS003 (an Einddatum not before the Begindatum), dates that are
   dates: each 0001 on its class.
3. The technical rules against the database: TR056 (9056, the identification is unique per sender),
   TR135 (8848, the dagtekening not after today), TR378 (S300, a municipality we serve), TR019
   (9019, the toewijzing exists, is this provider's and this client's), TR074 (9074), TR326 (9326),
   TR069 (9069), TR415 (9415), TR063 (9063); the provider services' own rules (no start before the
   ingangsdatum, dates inside the toewijzing, not in the future) answer 0001 on the product.
   StatusAanlevering 3 withdraws the earlier start or stop (providers.services.withdraw_care_*).

The same bytes received again (a replayed file, a repeated upload) are the message already
received: nothing is applied again and no second retour is sent.

Which message types are received, and how each is read, judged and answered, is the table HANDLERS
at the end of this module (WMO315: iwmo.verzoek_toewijzing).
"""

import contextlib
import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import collect_events, record_event
from indications.hooks import collect_case_changes
from indications.models import Client, Municipality
from indications.validators import is_valid_bsn
from providers import services as provider_services
from providers.models import Assignment, Provider

from . import codes, outbox, regie, retour_in, toewijzing, verzoek_toewijzing
from .codes import Retourcode as R
from .models import IncomingMessage
from .xml import Header, Reader, TechnicalError, parse_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    """How the inbox reads, judges and answers one incoming message type: `read(message_type, root)`
    gives the plain message (with `.header`, `.producten`); `judge_and_apply(message, incoming,
    judgement, sender=, actor=, today=)` fills the client and product codes and applies what is
    accepted; `build_retour(message or None, header, regie.Retour, judgement)` writes the retour (the
    judgement for a type with codes on more elements than the header, client and products)."""

    read: Callable
    judge_and_apply: Callable
    build_retour: Callable
    # The judgement records the incoming message's id (the WMO317's change request): store it first.
    needs_id: bool = False


# One row per incoming message type: 305/307/315 filled at the end of this module, the others by
# `register` (iwmo.verzoeken registers the WMO317 at start-up). INCOMING: the types we take.
HANDLERS: dict[str, Handler] = {}
INCOMING = HANDLERS


def register(message_type: str, handler: Handler) -> None:
    HANDLERS[message_type] = handler


# The provider's retours on what we sent (WMO302, WMO320): judged and recorded on the outgoing
# message, never answered: handler(incoming, root, failure=TechnicalError | None, provider=, today=).
RETOUR_HANDLERS = {
    codes.MessageType.WMO302: retour_in.receive_retour,
    codes.MessageType.WMO320: retour_in.receive_retour,
}


@dataclass(eq=False)
class IwmoSender:
    """The provider as the actor of what its message changes (the audit trail records its label)."""

    provider: Provider
    message: str
    is_authenticated = True
    is_anonymous = False
    pk = None

    def __str__(self):
        return f"aanbieder {self.provider.agb_code} (iWmo {self.message})"


@dataclass
class Judgement:
    header_codes: list[str] = field(default_factory=list)
    client_codes: list[str] = field(default_factory=list)
    product_codes: list[list[str]] = field(default_factory=list)
    # Codes of other classes (e.g. the Verzoek of a WMO317): any code but 0200 rejects the message.
    element_codes: dict[str, list[str]] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def note(self, element: str, code: str, message: str = "") -> None:
        self.errors.append({"element": element, "codes": [code], "melding": message or str(R(code).label)})


def receive(
    raw: bytes,
    *,
    channel: str,
    file_name: str = "",
    provider: Provider | None = None,
    today: date | None = None,
) -> IncomingMessage:
    """Receive one message (from a folder or over HTTPS, where `provider` is the authenticated one)."""
    today = today or timezone.localdate()
    digest = hashlib.sha256(raw).hexdigest()
    earlier = IncomingMessage.objects.filter(sha256=digest).first()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return _receive(raw, digest, channel=channel, file_name=file_name, provider=provider, today=today)
    except IntegrityError:  # the same bytes raced in at the same moment: the other one took them
        return IncomingMessage.objects.get(sha256=digest)


@dataclass
class _Batch:
    """What the messages of one receive_many batch share inside its transaction: the sender rows
    already locked (select_for_update holds until the commit) and the municipalities looked up."""

    providers: dict[str, Provider | None] = field(default_factory=dict)
    municipalities: dict[str, Municipality | None] = field(default_factory=dict)
    # The batch's clients by BSN (None: not ours), read in one query before its first message.
    clients: dict[str, Client | None] = field(default_factory=dict)
    # TR056: the (sender, message type, identification) of the batch's headers already received,
    # read in one query before its first message; each message received adds its own.
    identifications: set[tuple[str, str, str]] | None = None
    # The new incoming rows kept for one bulk INSERT (a batch without savepoints), else None.
    deferred: list[IncomingMessage] | None = None
    # TR019 in a batch without savepoints: the toewijzingen its 305/307s name, by number, read and
    # locked in one query before its first message (None: each message looks its own up).
    assignments: dict[str, Assignment] | None = None


_batch: ContextVar[_Batch | None] = ContextVar("iwmo_inbox_batch", default=None)


def receive_many(
    raws, *, channel: str, file_names=None, provider: Provider | None = None, today: date | None = None, batch=100
) -> list[IncomingMessage | None]:
    """Receive many messages (a folder import, a bench): each is judged and answered exactly as by
    `receive`, but `batch` of them share one transaction (one commit instead of one per message):
    one lookup of the batch's earlier receipts, each sender locked and each municipality read once
    per batch, the audit events in one INSERT (audit.services.collect_events) and the signal
    rechecks once for the batch's clients at its end (collect_case_changes).

    A bad message never affects the others: a batch runs first without a savepoint per message,
    its incoming rows and retours written with one bulk INSERT each at its end (ids reserved from
    the sequences on PostgreSQL). If anything in it fails, the whole batch is rolled back and run
    again with a savepoint per message: one that fails (a database error, a bug) is rolled back
    alone, logged, left unreceived (None in the result, so that a later import tries it again); the
    others stand. Both runs give the same result for every message that does not fail."""
    today = today or timezone.localdate()
    raws = list(raws)
    names = list(file_names) if file_names is not None else [""] * len(raws)
    options = {"channel": channel, "provider": provider, "today": today}
    received: list[IncomingMessage | None] = []
    for first in range(0, len(raws), batch):
        chunk = list(zip(raws[first : first + batch], names[first : first + batch], strict=True))
        digests = [hashlib.sha256(raw).hexdigest() for raw, _name in chunk]
        parsed = {digest: _parse(raw) for (raw, _name), digest in zip(chunk, digests, strict=True)}
        try:
            received += _receive_chunk(chunk, digests, parsed, safe=False, **options)
        except Exception:  # noqa: BLE001 - rolled back whole; the run with savepoints finds the culprit
            received += _receive_chunk(chunk, digests, parsed, safe=True, **options)
    return received


def _receive_chunk(chunk, digests, parsed, *, safe: bool, **options) -> list[IncomingMessage | None]:
    """One batch in one transaction; `safe`: a savepoint per message (else any failure raises)."""
    received = []
    with transaction.atomic(), collect_case_changes(), collect_events():
        earlier = IncomingMessage.objects.in_bulk(digests, field_name="sha256")
        batch = _prefetch([parsed[digest] for digest in digests if digest not in earlier], safe=safe)
        batch.deferred = None if safe else []
        token = _batch.set(batch)
        # Without savepoints the stops' WMO301s are written together at the batch's end (a 301 the
        # XSD refuses then fails the batch, and the run with savepoints refuses that stop alone).
        collect = contextlib.nullcontext() if safe else toewijzing.collect_toewijzingen()
        # ... and so are the starts' and stops' UPDATEs of the toewijzingen (their objects are the
        # batch's: a later message about the same toewijzing reads the object, not the row).
        defer = contextlib.nullcontext() if safe else provider_services.deferring_reports()
        try:
            with outbox.collect_messages(), collect, defer:
                for (raw, name), digest in zip(chunk, digests, strict=True):
                    if digest not in earlier:
                        receive_one = _receive_in_batch if safe else _receive_deferring
                        earlier[digest] = receive_one(raw, digest, file_name=name, parsed=parsed[digest], **options)
                    received.append(earlier[digest])
                _write_deferred(batch)
        finally:
            _batch.reset(token)
    return received


def _receive_deferring(raw, digest, *, parsed, **options) -> IncomingMessage:
    """A message of a batch without its own savepoint: a 305/307 (and an unreadable message) is kept
    for the batch's bulk INSERT; before any other type the rows kept so far are written, so its
    judgement reads the database as the safe run would."""
    message_type = parsed[0]
    if message_type in RETOUR_HANDLERS or (message_type in HANDLERS and HANDLERS[message_type] is not _REGIE):
        _write_deferred(_batch.get())
    incoming = _receive(raw, digest, parsed=parsed, **options)
    _remember_identification(incoming)
    return incoming


def _write_deferred(batch: _Batch) -> None:
    """The batch's kept care reports (an UPDATE per kind), its collected WMO301s (which read them),
    its kept incoming rows, then its kept retours (which refer to them), each one INSERT."""
    provider_services.write_deferred_reports()
    toewijzing.write_collected()
    if batch.deferred:
        IncomingMessage.objects.bulk_create(batch.deferred)
        batch.deferred.clear()
    outbox.write_pending()


def _save_incoming(incoming: IncomingMessage) -> None:
    """Save the message's row; in a batch without savepoints a new row gets its id from the sequence
    and is written with the batch's others (on SQLite, where no id is reserved, at once)."""
    batch = _batch.get()
    if batch is not None and batch.deferred is not None and incoming._state.adding:
        incoming.pk = outbox.reserve_id(IncomingMessage)
        if incoming.pk is not None:
            batch.deferred.append(incoming)
            return
    incoming.save()


def _remember_identification(incoming: IncomingMessage) -> None:
    """TR056 inside a batch: a later message with this identification is one received before."""
    batch = _batch.get()
    if batch.identifications is not None and incoming.identification:
        batch.identifications.add((incoming.sender, incoming.message_type, incoming.identification))


def _parse(raw: bytes) -> tuple[str, object, TechnicalError | None]:
    """(message type, root element or None, the technical error or None) of the raw bytes."""
    try:
        message_type, root = parse_message(raw, expected=(*HANDLERS, *RETOUR_HANDLERS))
        return message_type, root, None
    except TechnicalError as error:
        return error.message_type, error.root, error


def _prefetch(parsed: list[tuple], *, safe: bool = True) -> _Batch:
    """The batch's shared lookups, each in one query for all its messages: its senders (locked),
    its earlier identifications (TR056) and its clients by BSN; without savepoints (`safe` False)
    also the toewijzingen its 305/307s name (TR019, locked)."""
    batch = _Batch()
    keys, bsns, senders, numbers = set(), set(), set(), set()
    for message_type, root, _failure in parsed:
        header = _readable_header(root, message_type) if message_type in HANDLERS else None
        if header is None:
            continue
        keys.add((header.sender[:8], header.message_type, header.identification[:12]))
        senders.add(header.sender[:8])
        reader = Reader(root, message_type)
        bsn = reader.text(root, "Client", "Bsn")
        if bsn:
            bsns.add(bsn)
        if HANDLERS[message_type] is _REGIE and _failure is None:
            for element in reader.findall(root, "Client", *regie.PRODUCT_ELEMENT[message_type]):
                number = _our_number(reader.text(element, "ToewijzingNummer"))
                if number is not None:
                    numbers.add(number)
    # The senders locked first, in one query (in a fixed order), as each message's would lock its
    # own: the identifications below are then read under the same locks.
    batch.providers = {("agb_code", code): None for code in senders}
    for found in Provider.objects.select_for_update().filter(agb_code__in=senders).order_by("pk"):
        batch.providers[("agb_code", found.agb_code)] = found
    batch.identifications = {
        row
        for row in IncomingMessage.objects.filter(identification__in={key[2] for key in keys}).values_list(
            "sender", "message_type", "identification"
        )
        if row in keys
    }
    batch.clients = dict.fromkeys(bsns)
    batch.clients.update({client.bsn: client for client in Client.objects.filter(bsn__in=bsns)})
    if not safe:
        # Locked as the care service locks a toewijzing (which then takes it as it is), in a fixed
        # order, after the senders as each message's lookup was. A savepoint's rollback would leave
        # these objects stale, so only a batch without savepoints keeps them.
        batch.assignments = {
            assignment.number: assignment
            for assignment in provider_services.lockable_assignments()
            .filter(number__in=numbers, provider__agb_code__in=senders)
            .order_by("pk")
        }
    return batch


def _our_number(nummer: str) -> str | None:
    """The ToewijzingNummer of a message as our toewijzingnummer (ten digits), None if it is none."""
    if not nummer.isdigit() or len(nummer) > 10:
        return None
    return f"{int(nummer):010d}"


def client_by_bsn(bsn: str) -> Client | None:
    """Our client with this BSN (in a batch: from the batch's one lookup)."""
    batch = _batch.get()
    if batch is not None and bsn in batch.clients:
        return batch.clients[bsn]
    return Client.objects.filter(bsn=bsn).first()


def _receive_in_batch(raw, digest, **options) -> IncomingMessage | None:
    try:
        with transaction.atomic():
            incoming = _receive(raw, digest, **options)
        _remember_identification(incoming)
        return incoming
    except IntegrityError:  # the same bytes raced in at the same moment: the other one took them
        found = IncomingMessage.objects.filter(sha256=digest).first()
        if found is not None:
            return found
        logger.exception("iWmo message %s could not be stored", options.get("file_name") or digest)
    except Exception:
        logger.exception("iWmo message %s failed; the others of its batch stand", options.get("file_name") or digest)
    # Its savepoint is rolled back, and with it the locks it took: lock the senders again.
    _batch.get().providers.clear()
    return None


def _locked_provider(**lookup) -> Provider | None:
    """The provider row, locked for the transaction (the verzoeken's judgements rest on it); in a
    batch once per provider (the lock holds until the batch commits)."""
    batch = _batch.get()
    (key,) = lookup.items()
    if batch is not None and key in batch.providers:
        return batch.providers[key]
    found = Provider.objects.select_for_update().filter(**lookup).first()
    if batch is not None:
        batch.providers[key] = found
    return found


def _municipality(code: str) -> Municipality | None:
    batch = _batch.get()
    if batch is not None and code in batch.municipalities:
        return batch.municipalities[code]
    found = Municipality.objects.filter(code=code).first()
    if batch is not None:
        batch.municipalities[code] = found
    return found


def _receive(raw, digest, *, channel, file_name, provider, today, parsed=None) -> IncomingMessage:
    incoming = IncomingMessage(raw=raw, sha256=digest, channel=channel, file_name=file_name[:255])
    message = None
    judgement = Judgement()
    message_type, root, failure = parsed if parsed is not None else _parse(raw)
    if message_type in RETOUR_HANDLERS:
        incoming.message_type = message_type
        incoming = RETOUR_HANDLERS[message_type](incoming, root, failure=failure, provider=provider, today=today)
        _record_receipt(incoming, incoming.provider)
        return incoming
    header = _readable_header(root, message_type)
    if failure is None:
        try:
            message = HANDLERS[message_type].read(message_type, root)
        except TechnicalError as error:
            failure = error
    if failure is not None:
        judgement.header_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Header", R.TECHNISCH_AFGEKEURD, str(failure)[:500])
    if header is not None:
        incoming.message_type = header.message_type
        incoming.sender, incoming.receiver = header.sender[:8], header.receiver[:8]
        incoming.identification, incoming.dagtekening = header.identification[:12], header.dagtekening
    sender = _locked_provider(agb_code=incoming.sender) if header else None
    if provider is not None and (sender is None or sender.pk != provider.pk):
        judgement.header_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Header", R.TECHNISCH_AFGEKEURD, _("De afzender is niet de aanbieder van de API-sleutel."))
        sender = _locked_provider(pk=provider.pk)
        if sender is None:
            raise Provider.DoesNotExist(provider.pk)
    incoming.provider = sender
    incoming.municipality = _municipality(incoming.receiver) if header else None
    if message is not None and not judgement.header_codes:
        if sender is None:
            judgement.header_codes = [R.TECHNISCH_AFGEKEURD]
            judgement.note("Header", R.TECHNISCH_AFGEKEURD, _("Onbekende afzender (AGB-code)."))
        else:
            _judge_header(message, incoming, judgement, today=today)
    if message is not None and not judgement.header_codes:
        actor = IwmoSender(sender, f"{message.message_type} {message.header.identification}")
        if HANDLERS[message_type].needs_id:
            incoming.save()
        HANDLERS[message_type].judge_and_apply(message, incoming, judgement, sender=sender, actor=actor, today=today)
    incoming.errors = judgement.errors
    incoming.status = _status_of(judgement)
    _save_incoming(incoming)  # one INSERT with the outcome unless the judgement needed the id (issue 16)
    _record_receipt(incoming, sender)
    if sender is not None and header is not None and header.message_type in INCOMING:
        _queue_retour(incoming, header, message, judgement, provider=sender, today=today)
    return incoming


def _record_receipt(incoming: IncomingMessage, sender: Provider | None) -> None:
    record_event(
        actor=IwmoSender(sender, incoming.message_type or "bericht") if sender else None,
        action=AuditEvent.Action.CREATE,
        obj=incoming,
        client_id=incoming.client_id,
        summary=f"{incoming.message_type or 'onleesbaar bericht'} {incoming.identification} ontvangen: "
        f"{incoming.get_status_display()}",
    )


def _readable_header(root, message_type: str) -> Header | None:
    """The header, if the message has one we can answer to (else no retour can be sent)."""
    if root is None or not message_type:
        return None
    try:
        header = Reader(root, message_type).header()
        regie.check_header(header)
    except TechnicalError:
        return None
    return header if header.message_type == message_type else None


def _judge_header(message: regie.Regiebericht, incoming: IncomingMessage, judgement: Judgement, *, today) -> None:
    header = message.header
    codes_found = []
    if header.berichtversie != codes.BERICHT_VERSIE or header.berichtsubversie != codes.BERICHT_SUBVERSIE:
        codes_found.append((R.TECHNISCH_AFGEKEURD, _("BerichtVersie 3 en BerichtSubversie 2 (CS025, CS015).")))
    if incoming.municipality is None:
        codes_found.append((R.GEMEENTECODE_ONGELDIG, ""))  # TR378
    if header.dagtekening > today:
        codes_found.append((R.DAGTEKENING_IN_TOEKOMST, ""))  # TR135
    if _received_before(incoming):
        codes_found.append((R.IDENTIFICATIE_NIET_UNIEK, ""))  # TR056
    for code, text in codes_found:
        judgement.header_codes.append(code)
        judgement.note("Header", code, text)


def _received_before(incoming: IncomingMessage) -> bool:
    """TR056: a message of this sender and type with this identification was received before."""
    batch = _batch.get()
    key = (incoming.sender, incoming.message_type, incoming.identification)
    if batch is not None and batch.identifications is not None and incoming.pk is None:
        return key in batch.identifications
    earlier = IncomingMessage.objects.filter(sender=key[0], message_type=key[1], identification=key[2])
    return earlier.exclude(pk=incoming.pk).exists()


def _judge_and_apply_regie(message, incoming, judgement, *, sender: Provider, actor, today) -> None:
    client = client_by_bsn(message.client.bsn)
    incoming.client = client
    if not is_valid_bsn(message.client.bsn):  # CS002
        judgement.client_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Client", R.TECHNISCH_AFGEKEURD, _("Het BSN voldoet niet aan de elfproef (CS002)."))
        judgement.product_codes = [[R.NIET_BEOORDEELD] for _product in message.producten]
        return
    judgement.client_codes = [R.GEEN_OPMERKING]
    for product in message.producten:
        element = f"{'StartProduct' if message.message_type == regie.START else 'StopProduct'} {product.nummer}"
        code, text = _judge_product(message, product, client=client, sender=sender, actor=actor, today=today)
        judgement.product_codes.append([code])
        if code != R.GEEN_OPMERKING:
            judgement.note(element, code, text)


def _assignment_for(message, product, *, client, sender) -> Assignment | None:
    """TR019: the toewijzing of this number, this provider, this client, issued by the receiving
    municipality, with the ingangsdatum (and product) the message names."""
    number = _our_number(product.nummer)
    if client is None or number is None:
        return None
    batch = _batch.get()
    if batch is not None and batch.assignments is not None and number in batch.assignments:
        assignment = batch.assignments[number]  # read and locked with the batch's
        owner = (sender.pk, client.pk)
        if assignment is not None and (assignment.provider_id, assignment.indication.client_id) != owner:
            assignment = None
    else:
        # Locked as the care service locks it, which then takes it as it is (one query, not two);
        # in a batch also a toewijzing it forgot (a withdrawal or a refusal changed its own copy).
        assignment = (
            provider_services.lockable_assignments()
            .filter(provider=sender, indication__client=client, number=number)
            .first()
        )
        if batch is not None and batch.assignments is not None and assignment is not None:
            batch.assignments[number] = assignment
    if assignment is None or assignment.indication.client.municipality.code != message.header.receiver:
        return None
    if product.toewijzing_ingangsdatum and product.toewijzing_ingangsdatum != assignment.start_date:
        return None
    if product.categorie and (
        product.categorie != assignment.product.iwmo_category
        or (product.code and product.code != assignment.product.iwmo_code)
    ):
        return None
    return assignment


def _judge_product(message, product, *, client, sender, actor, today) -> tuple[str, str]:
    if product.fouten:
        return R.TECHNISCH_AFGEKEURD, " ".join(product.fouten)
    if product.status_aanlevering not in (codes.StatusAanlevering.NIEUW, codes.StatusAanlevering.VERWIJDEREN):
        return R.TECHNISCH_AFGEKEURD, _("StatusAanlevering moet 1 of 3 zijn (CS058).")
    stop = message.message_type == regie.STOP
    if stop and product.einddatum < product.begindatum:
        return R.TECHNISCH_AFGEKEURD, _("De Einddatum ligt vóór de Begindatum (CS003).")
    assignment = _assignment_for(message, product, client=client, sender=sender)
    if assignment is None:
        return R.GEEN_TOEWIJZING, ""  # TR019
    if product.status_aanlevering == codes.StatusAanlevering.VERWIJDEREN:
        return _withdraw(assignment, product, stop=stop, actor=actor, today=today)
    if stop:
        if assignment.care_started_on is None or assignment.care_started_on != product.begindatum:
            return R.GEEN_ACTUEEL_STARTBERICHT, ""  # TR069
        if assignment.care_stopped_on is not None:
            return R.STOP_AL_ONTVANGEN, ""  # TR415
    elif assignment.care_started_on is not None:
        if assignment.care_started_on == product.begindatum:
            return R.SLEUTEL_AL_ONTVANGEN, ""  # TR074
        return R.LEVERING_NIET_GESTOPT, ""  # TR326
    try:
        if stop:
            # Its WMO301 may be refused by the XSD after the write: a savepoint, unless the 301 is
            # collected for the batch's end (every check of the stop raises before it writes).
            with contextlib.nullcontext() if toewijzing.collecting() else transaction.atomic():
                provider_services.record_care_stop(
                    assignment,
                    on=product.einddatum,
                    reason=product.reden_beeindiging,
                    by=actor,
                    today=today,
                    locked=True,
                )
        else:  # no savepoint: a start's checks all raise before it writes anything
            provider_services.record_care_start(assignment, on=product.begindatum, by=actor, today=today, locked=True)
    except ValidationError as error:
        _forget(assignment)
        return R.TECHNISCH_AFGEKEURD, " ".join(error.messages)[:500]
    return R.GEEN_OPMERKING, ""


def _forget(assignment: Assignment) -> None:
    """A refused change may have left the batch's object other than its row: read it again."""
    batch = _batch.get()
    if batch is not None and batch.assignments is not None:
        batch.assignments.pop(assignment.number, None)


def _withdraw(assignment, product, *, stop: bool, actor, today) -> tuple[str, str]:
    """StatusAanlevering 3 (CS058): withdraw the earlier start or stop with the same logical key
    (TR063: else 9063), through the same provider services as the REST API's withdrawal."""
    if stop:
        earlier = assignment.care_stopped_on is not None and (
            assignment.care_started_on == product.begindatum and assignment.care_stopped_on == product.einddatum
        )
    else:
        earlier = assignment.care_started_on is not None and assignment.care_started_on == product.begindatum
    if not earlier:
        return R.GEEN_EERDER_BERICHT, ""  # TR063
    try:
        with transaction.atomic():
            if stop:
                provider_services.withdraw_care_stop(assignment, by=actor, today=today)
            else:
                provider_services.withdraw_care_start(assignment, by=actor, today=today)
    except ValidationError as error:
        return R.TECHNISCH_AFGEKEURD, " ".join(error.messages)[:500]
    finally:
        _forget(assignment)  # the withdrawal reads and changes its own copy of the row
    return R.GEEN_OPMERKING, ""


def _status_of(judgement: Judgement) -> str:
    if judgement.header_codes or judgement.client_codes != [R.GEEN_OPMERKING]:
        return IncomingMessage.Status.REJECTED
    if any(codes_ != [R.GEEN_OPMERKING] for codes_ in judgement.element_codes.values()):
        return IncomingMessage.Status.REJECTED
    accepted = [codes_ == [R.GEEN_OPMERKING] for codes_ in judgement.product_codes]
    if all(accepted):
        return IncomingMessage.Status.ACCEPTED
    return IncomingMessage.Status.PARTLY_ACCEPTED if any(accepted) else IncomingMessage.Status.REJECTED


def _queue_retour(incoming, header: Header, message, judgement: Judgement, *, provider, today) -> None:
    retour_type = codes.RETOUR_OF[header.message_type]
    outgoing = outbox.new_message(
        message_type=retour_type,
        sender=header.receiver,
        receiver=provider.agb_code,  # the sender, or the authenticated provider when the header names another
        today=today,
        municipality=incoming.municipality,
        provider=provider,
        client=incoming.client,
        in_reply_to=incoming,
    )
    retour = regie.Retour(
        identification=outgoing.identification,
        dagtekening=today,
        header_codes=tuple(judgement.header_codes or [R.GEEN_OPMERKING]),
        client_codes=tuple(judgement.client_codes),
        product_codes=tuple(tuple(codes_) for codes_ in judgement.product_codes),
        receiver=outgoing.receiver,
    )
    summary = f"{retour_type} {outgoing.identification} op {header.message_type} {header.identification}"
    build_retour = HANDLERS[header.message_type].build_retour
    try:
        # No savepoint: building and the XSD check raise before store writes anything.
        xml = build_retour(message if not judgement.header_codes else None, header, retour, judgement)
        outbox.store(outgoing, xml, by=None, client_id=incoming.client_id, summary=summary, deferred=True)
    except ValidationError:
        # The message's own values do not fit the retour (the XSD refuses what we would echo): the
        # retour says only that the message was rejected technically, and so does the inbox.
        judgement.header_codes = [R.TECHNISCH_AFGEKEURD]
        judgement.note("Header", R.TECHNISCH_AFGEKEURD, _("De inhoud van het bericht past niet in het retourbericht."))
        incoming.errors, incoming.status = judgement.errors, IncomingMessage.Status.REJECTED
        if not incoming._state.adding:  # a row kept for the batch's INSERT is written as it is then
            incoming.save(update_fields=["errors", "status"])
        retour = regie.Retour(
            outgoing.identification, today, header_codes=(R.TECHNISCH_AFGEKEURD,), receiver=outgoing.receiver
        )
        xml = build_retour(None, header, retour, judgement)
        outbox.store(outgoing, xml, by=None, client_id=None, summary=summary, deferred=True)


def _regie_retour(message, header: Header, retour: regie.Retour, _judgement) -> bytes:
    return regie.build_retour(message, header, retour)


def _wmo316(message, header: Header, retour: regie.Retour, _judgement) -> bytes:
    return verzoek_toewijzing.build_retour(message, header, retour)


_REGIE = Handler(read=regie.read, judge_and_apply=_judge_and_apply_regie, build_retour=_regie_retour)
HANDLERS.update(
    {
        codes.MessageType.WMO305: _REGIE,
        codes.MessageType.WMO307: _REGIE,
        codes.MessageType.WMO315: Handler(
            read=lambda _type, root: verzoek_toewijzing.read(root),
            judge_and_apply=verzoek_toewijzing.judge_and_apply,
            build_retour=_wmo316,
        ),
    }
)
