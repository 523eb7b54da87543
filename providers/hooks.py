"""Typed hooks through which the provider domain reaches the apps above it.

`change_request_answered` (optional): a verzoek om wijziging was refused, put in onderzoek or
granted; iwmo answers a request that came in as a WMO317 with a WMO319 in the same transaction.

`assignments_changed` (required): a toewijzing was created, changed or ended. The iWmo message
exchange (iwmo, above providers) registers itself in IwmoConfig.ready and writes the WMO301 for it
into its outbox, inside the same transaction as the change (a transactional outbox): a toewijzing
never changes without its message, and a rolled-back change sends nothing.

The provider pages show what an app above providers knows of a provider:

The SLA benchmark and a provider's dashboard show the SLA signals open now (what a provider failed
to report). The signals live in the signals app, which sits above providers and reads its
toewijzingen; providers cannot import it. So the signals app registers its source here at start-up
(SignalsConfig.ready) and providers.selectors and providers.figures ask this module, with plain
provider ids and plain rows: no model of the higher app crosses the line.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from indications.hooks import Hook


@dataclass(frozen=True)
class AssignmentsChanged:
    """Toewijzingen of one client at one provider were created, changed or ended (in the transaction
    that is still open). `assignment_ids` are the changed ones; `by` is who changed them."""

    client_id: int
    provider_id: int
    assignment_ids: tuple[int, ...]
    by: object
    today: date


# Required: a toewijzing must not change without its WMO301 (iwmo.apps.IwmoConfig.ready registers it).
assignments_changed: Hook[Callable[[AssignmentsChanged], None]] = Hook("assignments_changed", required=True)


def assignment_changed(assignment, *, by, today: date) -> None:
    """Run the `assignments_changed` hook for one toewijzing (call it after saving the change)."""
    change = AssignmentsChanged(
        client_id=assignment.indication.client_id,
        provider_id=assignment.provider_id,
        assignment_ids=(assignment.pk,),
        by=by,
        today=today,
    )
    for callback in assignments_changed.callbacks:
        callback(change)


@dataclass(frozen=True)
class AssignmentRequestAnswered:
    """A verzoek om toewijzing (WMO315) was answered, in the transaction that is still open: granted
    by a toewijzing (the WMO301 answers it) or rejected with a WJ759 reason (to be answered by a
    WMO319 antwoordbericht). Plain ids and codes only."""

    request_id: int
    provider_id: int
    client_id: int | None
    accepted: bool
    wj759_reden: str  # "" when accepted
    today: date


# Not required: the WMO319 builder (iwmo) registers itself; without it the answer is only recorded.
assignment_request_answered: Hook[Callable[[AssignmentRequestAnswered], None]] = Hook(
    "assignment_request_answered", required=False
)


@dataclass(frozen=True)
class ChangeRequestAnswered:
    """A verzoek om wijziging was answered (in the transaction that is still open), in plain ids and
    codes. `answer` is WJ760 ("1" afgewezen, "2" in onderzoek) or "" for a grant (whose answer is the
    new toewijzing and its WMO301); `refusal_reason` is WJ759. `reference` and
    `message_identification` are the iWmo references of a request that came in as a WMO317 (empty
    for one through the REST API)."""

    change_request_id: int
    assignment_id: int
    client_id: int
    provider_id: int
    granted: bool
    answer: str
    refusal_reason: str
    reference: str
    message_identification: str
    incoming_message_id: int | None
    by: object
    today: date


# Optional: iwmo registers the WMO319 for a request that came in as XML (iwmo.apps.IwmoConfig.ready).
change_request_answered: Hook[Callable[[ChangeRequestAnswered], None]] = Hook("change_request_answered")


def run_change_request_answered(answered: ChangeRequestAnswered) -> None:
    for callback in change_request_answered.callbacks:
        callback(answered)


@dataclass(frozen=True)
class OpenSlaSignal:
    """One open SLA signal as the provider pages show it: no client data."""

    type_label: str
    assignment_number: str
    urgency_label: str
    urgency_tone: str  # the CSS modifier of the urgency's tag
    due_date: date | None
    status_label: str


@dataclass(frozen=True)
class OpenSlaSignals:
    """The open SLA signals of one provider, the most urgent first: `signals` holds the first
    `limit` of them (all when no limit was asked), `total` says how many there are."""

    total: int
    signals: list[OpenSlaSignal]


SlaSignalCounts = Callable[[Sequence[int]], dict[int, int]]
"""provider ids -> the number of SLA signals open now per provider; every id is a key (0 when none)."""

SlaSignalListing = Callable[[int, date, int | None], OpenSlaSignals]
"""(provider id, today, limit or None) -> the provider's open SLA signals, urgency as it stands today."""


@dataclass(frozen=True)
class _SlaSignalSource:
    counts: SlaSignalCounts
    listing: SlaSignalListing


_source: list[_SlaSignalSource] = []


def provide_sla_signals(*, counts: SlaSignalCounts, listing: SlaSignalListing) -> None:
    """Register the source of the open SLA signals (one: registering again replaces it)."""
    _source[:] = [_SlaSignalSource(counts, listing)]


def _registered() -> _SlaSignalSource:
    if not _source:
        raise ImproperlyConfigured("No app provides the open SLA signals (signals.apps.SignalsConfig.ready does).")
    return _source[0]


def open_sla_signal_counts(provider_ids: Sequence[int]) -> dict[int, int]:
    """Per provider id, the SLA signals open now (open or in behandeling): one query."""
    return _registered().counts(provider_ids)


def open_sla_signals_of(provider_id: int, *, today: date, limit: int | None = None) -> OpenSlaSignals:
    """The provider's open SLA signals, most urgent first, the first `limit` of them (all if None)."""
    return _registered().listing(provider_id, today, limit)
