"""The WMO301 for a change of toewijzingen (the hook providers.hooks.assignments_changed).

A 301 carries every current toewijzing of the client at the provider plus the changed ones (the
standard: a provider reads the 301 as the full picture). A changed toewijzing gets a new
Toewijzingsdatum and -tijd (its new version); an unchanged one keeps those of its last version.
Several changes in one transaction (a vaststelling that ends the old toewijzing and creates the new
one) give one 301: a 301 still waiting in the outbox for that client and provider, not yet tried,
is rewritten with the new picture instead of sending two."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import collect_events
from indications.models import Client
from providers import services as provider_services
from providers.hooks import AssignmentsChanged
from providers.models import Assignment, AssignmentRequest, Provider
from ui.transactions import savepoint_marker, surviving

from . import codes, outbox, wmo301
from .models import AssignmentVersion, OutgoingMessage, ProductOmvang

# A product without a ProductOmvang row: one result (stuks, output) per month (docs/iwmo.md).
DEFAULT_OMVANG = wmo301.Omvang(volume=1, eenheid=codes.Eenheid.STUKS_OUTPUT, frequentie=codes.Frequentie.PER_MAAND)


def toewijzingnummer(number: str) -> int:
    """Our toewijzingnummer (ten digits) as the standard's ToewijzingNummer (an integer up to 9 digits)."""
    digits = "".join(character for character in number if character.isdigit())
    if not digits or int(digits) > 999_999_999:
        raise ValidationError(
            _("Toewijzingnummer %(number)s past niet in een iWmo-bericht.") % {"number": number}, code="iwmo_number"
        )
    return int(digits)


def omvang_of(product) -> wmo301.Omvang | None:
    if not product.iwmo_code:
        return None  # CD080: no product code (aspecifiek), no Omvang
    try:
        row = product.iwmo_omvang
    except ProductOmvang.DoesNotExist:
        return DEFAULT_OMVANG
    return wmo301.Omvang(volume=row.volume, eenheid=row.eenheid, frequentie=row.frequentie)


def person_of(client: Client) -> wmo301.Persoon:
    number, letter, addition = wmo301.split_house_number(client.house_number)
    address = None
    if client.street or client.postcode or client.city or number is not None:
        address = wmo301.Adres(
            huisnummer=number,
            huisletter=letter,
            toevoeging=addition,
            postcode=client.postcode.replace(" ", "").upper(),
            straat=client.street,
            plaats=client.city,
        )
    return wmo301.Persoon(
        bsn=client.bsn,
        geboortedatum=client.date_of_birth,
        geslacht=codes.GESLACHT.get(client.gender, "0"),
        achternaam=client.last_name,
        voorvoegsel=client.name_prefix,
        voornamen=client.first_name,
        voorletters=wmo301.initials_of(client.initials),
        adres=address,
    )


def product_of(assignment: Assignment, issued_at) -> wmo301.ToegewezenProduct:
    issued = timezone.localtime(issued_at)
    withdrawn = assignment.status == Assignment.Status.WITHDRAWN
    return wmo301.ToegewezenProduct(
        nummer=toewijzingnummer(assignment.number),
        categorie=assignment.product.iwmo_category,
        code=assignment.product.iwmo_code,
        toewijzingsdatum=issued.date(),
        toewijzingstijd=issued.time().replace(microsecond=0),
        ingangsdatum=assignment.start_date,
        # CS335: a withdrawn toewijzing (13 verwijderd) ends on its ingangsdatum.
        einddatum=assignment.start_date if withdrawn else assignment.end_date,
        reden_wijziging=codes.REDEN_WIJZIGING_VERWIJDERD if withdrawn else assignment.change_reason,
        omvang=omvang_of(assignment.product),
        referentie_aanbieder=_reference_of(assignment),
    )


def _reference_of(assignment: Assignment) -> str:
    """The ReferentieAanbieder of the verzoek om toewijzing (WMO315) this toewijzing answers, if any."""
    try:
        return assignment.assignment_request.reference
    except AssignmentRequest.DoesNotExist:
        return ""


# While collect_toewijzingen() runs: the changes of its block, each with its on-commit marker.
_collected: ContextVar[list | None] = ContextVar("iwmo_toewijzingen_collected", default=None)


@contextmanager
def collect_toewijzingen():
    """Inside it (and inside a transaction) the hook keeps each change, and `write_collected()` or
    the block's end writes their WMO301s with `queue_toewijzingen` (one query for all the
    toewijzingen, one bulk INSERT, one audit INSERT), still in the transaction: a bulk change, the
    inbox's batch of stops. The 301s are then written after the block's other writes, so nothing
    in it may read them back. A change whose savepoint rolled back is dropped: its no-op on-commit
    marker, dropped from the transaction's on-commit list by that rollback, says so (as
    audit.collect_events does). Nested: the outer block writes them."""
    if _collected.get() is not None or not connection.in_atomic_block:
        yield
        return
    token = _collected.set([])
    try:
        yield
        write_collected()
    finally:
        _collected.reset(token)


def collecting() -> bool:
    """Whether a change now waits for the block's end (its WMO301 cannot fail the change itself)."""
    return _collected.get() is not None


def write_collected() -> list[OutgoingMessage]:
    collected = _collected.get()
    if not collected:
        return []
    changes = surviving(collected)
    collected.clear()
    return queue_toewijzingen(changes)


def queue_toewijzing(change: AssignmentsChanged) -> OutgoingMessage | None:
    """Hook `assignments_changed` (IwmoConfig.ready): write the client's WMO301 to the provider into
    the outbox, in the transaction of the change (inside collect_toewijzingen(): at its end)."""
    collected = _collected.get()
    if collected is None:
        return queue_toewijzingen([change])[0]
    collected.append((change, savepoint_marker()))
    return None


@dataclass
class _Group:
    """The changes of one client at one provider: one WMO301."""

    client_id: int
    provider_id: int
    changes: list[AssignmentsChanged]
    waiting: OutgoingMessage | None = None
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.changes[-1].today

    @property
    def changed_ids(self) -> set[int]:
        return {pk for change in self.changes for pk in change.assignment_ids}


def queue_toewijzingen(changes: list[AssignmentsChanged]) -> list[OutgoingMessage]:
    """The WMO301s of many changes: one per client and provider (its changes together, as one
    transaction's changes always were), in a fixed number of queries whatever their number: the
    versions' upsert, the waiting 301s, the toewijzingen with their client, municipality and
    provider (one query per day of change), the 301s' bulk INSERT and their audit events."""
    provider_services.write_deferred_reports()  # the 301s read the toewijzingen' rows
    groups: dict[tuple[int, int], _Group] = {}
    for change in changes:
        key = (change.client_id, change.provider_id)
        groups.setdefault(key, _Group(*key, changes=[])).changes.append(change)
    if not groups:
        return []
    # The new version's Toewijzingsdatum is the day of the change (injected), its time the clock's.
    clock = timezone.localtime().time()
    AssignmentVersion.objects.bulk_create(
        [
            AssignmentVersion(assignment_id=pk, issued_at=timezone.make_aware(datetime.combine(group.today, clock)))
            for group in groups.values()
            for pk in sorted(group.changed_ids)
        ],
        update_conflicts=True,
        unique_fields=["assignment"],
        update_fields=["issued_at"],
    )
    pairs = Q()
    for client_id, provider_id in groups:
        pairs |= Q(client_id=client_id, provider_id=provider_id)
    # A 301 still waiting for a pair, not yet tried, is rewritten with the new picture (the newest).
    for waiting in (
        OutgoingMessage.objects.select_for_update(skip_locked=True)
        .filter(
            pairs,
            message_type=codes.MessageType.WMO301,
            status=OutgoingMessage.Status.QUEUED,
            attempts=0,
            retour_message__isnull=True,  # one the provider answered already (a 302) is not rewritten
        )
        .order_by("id")
    ):
        groups[(waiting.client_id, waiting.provider_id)].waiting = waiting
    _read_assignments(groups)
    with collect_events():  # one INSERT for the 301s' events (inside a batch's block: the batch's)
        return outbox.store_many([_message_of(group) for group in groups.values()])


def _read_assignments(groups: dict[tuple[int, int], "_Group"]) -> None:
    """Each group's toewijzingen: the current ones and the changed ones, the toewijzingen of its
    waiting 301 counted as changed (it is rewritten with them). One query per day of change, for
    the clients and providers of its groups; each row then goes to its own client's group."""
    by_day: dict[date, list[_Group]] = {}
    for group in groups.values():
        by_day.setdefault(group.today, []).append(group)
    for today, day_groups in by_day.items():
        changed = Q(pk__in={pk for group in day_groups for pk in group.changed_ids})
        waiting_numbers = {n for group in day_groups if group.waiting for n in group.waiting.assignment_numbers}
        if waiting_numbers:
            changed |= Q(number__in=waiting_numbers)
        found = (
            Assignment.objects.filter(
                indication__client_id__in={group.client_id for group in day_groups},
                provider_id__in={group.provider_id for group in day_groups},
            )
            .filter(Assignment.active_condition(today) | changed)
            .select_related(
                "product__iwmo_omvang",
                "iwmo_version",
                "assignment_request",
                "indication__client__municipality",
                "provider",
            )
            .order_by("start_date", "number")
        )
        for assignment in found:
            # A client in the set with another provider in the set: not a pair of this day's changes.
            group = groups.get((assignment.indication.client_id, assignment.provider_id))
            if group is not None and group.today == today:
                group.assignments.append(assignment)


def _message_of(group: "_Group") -> outbox.ToStore:
    """The group's WMO301, its XML built, to be stored (audited once per actor of its changes)."""
    assignments = group.assignments
    if assignments:
        client, provider = assignments[0].indication.client, assignments[0].provider
    else:
        client = Client.objects.select_related("municipality").get(pk=group.client_id)
        provider = Provider.objects.get(pk=group.provider_id)
    waiting_numbers = set(group.waiting.assignment_numbers) if group.waiting is not None else set()
    changed_ids = group.changed_ids | {a.pk for a in assignments if a.number in waiting_numbers}
    if group.waiting is not None:
        message = group.waiting
    else:
        message = outbox.new_message(
            message_type=codes.MessageType.WMO301,
            sender=client.municipality.code,
            receiver=provider.agb_code,
            today=group.today,
            municipality=client.municipality,
            provider=provider,
            client=client,
        )
    products = []
    for assignment in assignments:
        version = getattr(assignment, "iwmo_version", None)
        products.append(product_of(assignment, version.issued_at if version else assignment.created_at))
    message.assignment_numbers = sorted(a.number for a in assignments if a.pk in changed_ids)
    xml = wmo301.build(
        wmo301.Toewijzingbericht(header=outbox.header_of(message), client=person_of(client), producten=products)
    )
    summary = f"WMO301 {message.identification} aan {provider.agb_code} ({', '.join(message.assignment_numbers)})"
    actors = [change.by for change in group.changes]
    return outbox.ToStore(message, xml, by=actors, client_id=client.pk, summary=summary)
