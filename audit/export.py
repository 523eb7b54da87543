"""The audit trail in the NEN 7513 field layout, for the municipality's SIEM: CSV (semicolons, a
header row) or JSON lines, one event a line, streamed (a period of years is millions of rows).

Exporting is itself an event (NEN 7513 code P), recorded before the first row is written."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import hooks
from .models import AuditEvent, mask_bsn
from .services import _append

FORMATS = ("csv", "jsonl")

# The columns, in the order of NEN 7513's log record: the event, the user, the patient (client), the
# object, the source. Documented in docs/security.md.
COLUMNS = [
    "gebeurtenis_id",  # the event's UUID
    "datum_tijd",  # ISO 8601 with offset
    "actiecode",  # C R U D S P T
    "handeling",  # the trail's own action (read, transition, rejected, ...)
    "resultaat",  # success / refused
    "gebruiker_id",  # the username, or the API client ("aanbieder <AGB> (sleutel ...)")
    "gebruiker_naam",
    "rol",
    "reden_van_inzage",
    "netwerk_toegangspunt",  # the caller's IP address
    "systeem_id",
    "object_type",
    "object_id",
    "bsn",  # masked: *****1234
    "omschrijving",
]


@dataclass(frozen=True)
class Selection:
    since: date | None = None
    until: date | None = None  # inclusive
    bsn: str = ""
    # The export's own event: only the events before it, so that a long download is one snapshot.
    before_id: int | None = None

    def events(self) -> QuerySet[AuditEvent]:
        events = with_person_bsn(AuditEvent.objects.select_related("actor")).order_by("at", "id")
        if self.since:
            events = events.filter(at__gte=start_of(self.since))
        if self.until:
            events = events.filter(at__lt=start_of(self.until + timedelta(days=1)))
        if self.bsn:
            events = about_bsn(events, self.bsn)
        if self.before_id is not None:
            events = events.filter(id__lt=self.before_id)
        return events

    def describe(self) -> str:
        parts = [
            f"vanaf {self.since:%d-%m-%Y}" if self.since else "",
            f"tot en met {self.until:%d-%m-%Y}" if self.until else "",
            f"BSN {mask_bsn(self.bsn)}" if self.bsn else "",
        ]
        return ", ".join(part for part in parts if part) or "alles"


def _person_bsn():
    """The BSN of an event's client as an expression over the event's client_id (a subquery through
    audit.hooks.person_identifier: no query per row), or None without a callback."""
    found = hooks.person_identifier(OuterRef("client_id"))
    return None if found is None or isinstance(found, str) else found


def with_person_bsn(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The events with `person_bsn`: the BSN stored in the event, or, for an event recorded before
    the NEN 7513 fields (bsn '' but a client_id), the BSN of its client read at query time. The
    trail is append-only, so the old rows are never updated; the fallback is in the query."""
    person = _person_bsn()
    if person is None:
        return events.annotate(person_bsn=F("bsn"))
    fallback = Coalesce(person, Value(""), output_field=CharField())
    return events.annotate(
        person_bsn=Case(
            When(Q(bsn="") & Q(client_id__isnull=False), then=fallback), default=F("bsn"), output_field=CharField()
        )
    )


def about_bsn(events: QuerySet[AuditEvent], bsn: str) -> QuerySet[AuditEvent]:
    """The events about the person with this BSN: stored in the event, or (old events) through
    their client_id. The stored column is tried first so that its index serves the new events."""
    person = _person_bsn()
    if person is None:
        return events.filter(bsn=bsn)
    return events.alias(old_bsn=person).filter(Q(bsn=bsn) | Q(bsn="", client_id__isnull=False, old_bsn=bsn))


def start_of(day: date) -> datetime:
    """The first moment of a local day (the boundary of a period of days)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def row(event: AuditEvent) -> dict:
    actor = event.actor
    return {
        "gebeurtenis_id": str(event.uuid),
        "datum_tijd": timezone.localtime(event.at).isoformat(),
        "actiecode": event.nen_action,
        "handeling": event.action,
        "resultaat": event.outcome,
        "gebruiker_id": actor.get_username() if actor else event.actor_label,
        "gebruiker_naam": (actor.get_full_name() or actor.get_username()) if actor else event.actor_label,
        "rol": event.actor_role,
        "reden_van_inzage": event.purpose,
        "netwerk_toegangspunt": event.ip_address or "",
        "systeem_id": event.system_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "bsn": mask_bsn(getattr(event, "person_bsn", event.bsn) or ""),
        "omschrijving": event.summary,
    }


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def lines(selection: Selection, fmt: str) -> Iterator[str]:
    """The export as text lines (each ending in a newline), read from the database in chunks."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: one of {', '.join(FORMATS)}.")
    events = selection.events().iterator(chunk_size=2000)
    if fmt == "jsonl":
        for event in events:
            yield json.dumps(row(event), ensure_ascii=False) + "\n"
        return
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\n")
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow([row(event)[column] for column in COLUMNS])


def record_export(selection: Selection, fmt: str, *, actor=None, actor_label: str | None = None) -> Selection:
    """The export as an event of its own (code P): who, which selection, how many events. Returns the
    selection to stream: the events recorded before this one."""
    count = selection.events().count()
    event = _append(
        actor=actor,
        actor_label=actor_label,
        action=AuditEvent.Action.EXPORT,
        object_type=AuditEvent._meta.label_lower,
        object_id="",
        summary=f"audittrail geëxporteerd ({fmt}, NEN 7513): {selection.describe()}, {count} gebeurtenissen",
        changes={
            "format": fmt,
            "since": selection.since.isoformat() if selection.since else None,
            "until": selection.until.isoformat() if selection.until else None,
            "bsn": mask_bsn(selection.bsn),
            "events": count,
        },
        bsn=selection.bsn,
    )
    return replace(selection, before_id=event.pk)
