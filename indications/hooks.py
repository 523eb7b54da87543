"""Typed hooks through which the case file starts work in the layers above it.

The case file (indications) sits below the provider domain (providers) and the apps that watch them
(signals, monitor). It cannot import those apps, yet some of its changes must start work there: a
vaststelling creates the toewijzing to the provider, ending or withdrawing a beschikking ends its
toewijzingen, and any change makes the signal engine re-check the client. So each such point is a
named, typed `Hook` here; the higher app registers its callback at start-up (in its
AppConfig.ready()) and the case-file service runs the hook by name, inside its own transaction, so a
callback that fails rolls the whole change back (a vaststelling without its toewijzing cannot
happen). No Django signals (they hide control flow) and no function-local imports.

Registered at start-up (see each app's apps.py):
- `vaststelling_checks`: providers (the provider named on the beschikking has a contract for it).
- `beschikking_issued`: providers (the toewijzing, none for a pgb; the replaced beschikking's
  toewijzing ends); letters (the letter of the toekenning or wijziging).
- `beschikking_ended`: providers (the beschikking's toewijzingen end with it); letters (the letter
  of the beëindiging or intrekking).
- `beschikking_refused`: letters (the letter of the afwijzing).
- `case_changed` (through `on_case_changed`): signals (re-check the client's signals at once).
- `retention_holds` (through `register_retention_hold`): objections (an open bezwaar), incidents (a
  calamiteit not yet closed): a held client file is not proposed for destruction (indications.retention).
- `client_anonymised`: letters, objections, incidents, iwmo, providers and billing anonymise their
  own data of a client whose file is destroyed, in the transaction of the anonymisation.

Pages that show provider or signal data next to the case file get it the same way, through the
page-panel registry in `indications.panels`.

The one known upward reference of the case file: the model field `Indication.provider` is a foreign
key by string to `providers.Provider` (a beschikking names its provider). It is a reference at
model level only: no code in indications imports providers.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError

    from .codes import RedenWijziging
    from .models import Indication

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    """One named extension point of the case file. Higher layers register callbacks of type F at
    start-up; the case-file service runs them in the order they were registered. A required hook
    refuses to run without any callback: the change it belongs to would be incomplete."""

    def __init__(self, name: str, *, required: bool = False):
        self.name = name
        self.required = required
        self._callbacks: list[F] = []

    def register(self, callback: F) -> F:
        """Register a callback; registering the same one twice keeps one."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def unregister(self, callback: F) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    @property
    def callbacks(self) -> tuple[F, ...]:
        if self.required and not self._callbacks:
            raise ImproperlyConfigured(f"No callback is registered for the case-file hook {self.name!r}.")
        return tuple(self._callbacks)

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._callbacks)} callbacks)"


@dataclass(frozen=True)
class Vaststelling:
    """A beschikking was vastgesteld (numbered, in its transaction). `change_reason` is the reden
    wijziging for the toewijzing of the beschikking it replaces ("" lets the provider domain choose)."""

    indication: Indication
    by: Any
    today: date
    change_reason: str = ""


@dataclass(frozen=True)
class BeschikkingEnd:
    """A beschikking ends per `end_date` (its last day of care; the day before its start when it is
    withdrawn) for a reden wijziging (WMO002)."""

    indication: Indication
    end_date: date
    reason: RedenWijziging
    by: Any
    today: date


# What else stands in the way of vaststellen: each callback returns the errors it finds (none: []).
vaststelling_checks: Hook[Callable[[Indication], list[ValidationError]]] = Hook("vaststelling_checks")
# After the vaststelling: the toewijzing. Required: a vaststelling must not go without it.
beschikking_issued: Hook[Callable[[Vaststelling], None]] = Hook("beschikking_issued", required=True)
# After the vaststelling of an afwijzing (no toewijzing, so a hook of its own): e.g. its letter.
beschikking_refused: Hook[Callable[[Vaststelling], None]] = Hook("beschikking_refused")
# After a beschikking ends, is planned to end or is withdrawn: its toewijzingen end with it.
beschikking_ended: Hook[Callable[[BeschikkingEnd], None]] = Hook("beschikking_ended", required=True)


# What changed, when a hook can do less for a narrow change ("" = anything in the case may have).
ANY_CHANGE = ""
# Only a provider's report on a toewijzing (start or stop of care: its care dates, stop reason,
# status, end date): the signal engine re-checks only the checks that read those (speed, issue 16).
CARE_REPORTED = "zorgmelding"

CaseChangedHook = Callable[[int, date, str], None]
case_changed_hook: Hook[CaseChangedHook] = Hook("case_changed")


# The batch form of a hook: hook_many(client_ids, today, change), the same work for several clients.
CasesChangedHook = Callable[[list[int], date, str], None]
_batch_forms: dict[CaseChangedHook, CasesChangedHook] = {}
# While collect_case_changes() runs: the changes noted, {(today, change): [client ids]}.
_collected: ContextVar[dict[tuple[date, str], list[int]] | None] = ContextVar("case_changes", default=None)


def on_case_changed(hook: CaseChangedHook, *, many: CasesChangedHook | None = None) -> None:
    """Register `hook(client_id, today, change)`; registering the same hook twice keeps one. `many`
    is its batch form, used when collect_case_changes() gathered changes of several clients."""
    case_changed_hook.register(hook)
    if many is not None:
        _batch_forms[hook] = many


def case_changed(client_id: int, *, today: date, change: str = ANY_CHANGE) -> None:
    """A service changed the case of this client on `today`: run every registered hook. Call it
    inside the service's transaction, after the change, so that the hooks see the new state.
    `change` narrows what changed (CARE_REPORTED) for a hook that can use it; the default is all.
    Inside collect_case_changes() the hooks run at its end instead, once per client."""
    collected = _collected.get()
    if collected is not None:
        collected.setdefault((today, change), []).append(client_id)
        return
    for hook in case_changed_hook.callbacks:
        hook(client_id, today, change)


@contextmanager
def collect_case_changes():
    """Run the case_changed hooks once per client at the end of the block instead of after every
    change, through a hook's batch form when it has one (a batch of iWmo messages: one signal
    recheck for the batch's clients, not one per message; issue 16). Use it inside the batch's
    transaction: the hooks still run before it commits and see every change of the batch. A change
    rolled back inside the block (a savepoint) still has its client rechecked: harmless, the hooks
    recompute from the state they see."""
    if _collected.get() is not None:  # already collecting: the outer block runs the hooks
        yield
        return
    collected: dict[tuple[date, str], list[int]] = {}
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    for (today, change), client_ids in collected.items():
        unique = list(dict.fromkeys(client_ids))
        for hook in case_changed_hook.callbacks:
            many = _batch_forms.get(hook)
            if many is not None:
                many(unique, today, change)
            else:
                for client_id in unique:
                    hook(client_id, today, change)


@dataclass(frozen=True)
class RetentionHold:
    """A reason, known to a layer above the case file, not to destroy a client's file yet. `client_ids`
    returns a queryset of the ids of the clients it holds (one column), used as a subquery, so the
    selection of closed files stays one query whatever the number of clients."""

    kind: str
    label: str  # Dutch, shown on the review page
    client_ids: Callable[[], Any]


_retention_holds: dict[str, RetentionHold] = {}


def register_retention_hold(hold: RetentionHold) -> RetentionHold:
    """Register a hold (a second registration of a kind replaces the first)."""
    _retention_holds[hold.kind] = hold
    return hold


def retention_holds() -> list[RetentionHold]:
    return list(_retention_holds.values())


@dataclass(frozen=True)
class ClientAnonymisation:
    """A client's file is destroyed: `client_id`'s personal data is being replaced, `placeholder` is
    what replaces a free text that may not be empty. A callback returns what it changed as counts
    per table ({"letters.letter": 3}), never contents."""

    client_id: int
    placeholder: str
    by: Any
    today: date


# Run by indications.retention.execute_destruction inside its transaction: a callback that fails
# rolls the whole anonymisation back.
client_anonymised: Hook[Callable[[ClientAnonymisation], dict[str, int]]] = Hook("client_anonymised")
