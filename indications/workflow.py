"""The indication's status table: each status and the statuses it may move to.

The services in services.py are the only code that moves an indication; they consult this table.

What the statuses mean, defined once in `indications.models` (next to IndicationStatus, so that
the models' constraints use them too) and re-exported here; every app and page uses these:

- **live** (`LIVE_STATUSES`: vastgesteld, actief): the beschikking grants care now or from its
  ingangsdatum. Overlap checks, worklists, evaluations, toewijzingen and "live beschikkingen".
- **granted** (`GRANTED_STATUSES`: live or beëindigd): the decision stands and grants or granted
  care. The figures about care (the monitor's cells, durations, a client's timeline).
- **decided** (`DECIDED`, a condition; `Indication.is_decided`): a decision was taken, whatever
  happened afterwards: every granted beschikking *and one withdrawn after its vaststelling* (it
  has a decision date). Figures of decisions taken (the beschikking term, the number of
  beschikkingen of a provider, the cliëntervaringsonderzoek's "decided in the year") count it;
  it is not live and not granted: a withdrawn beschikking never applied and gave no care.
- **refused** (`REFUSED_STATUSES`: afgewezen): the aanvraag is refused (an afwijzing, terminal).
  It is decided (it meets the beschikking term and counts as a decision), but it is never live or
  granted: no care, no provider, no toewijzing, no evaluations. `decided_grant()` is "decided and
  not refused", for figures about beschikkingen that grant(ed) care.
- **undecided** (`UNDECIDED_STATUSES`: concept, ter beoordeling, goedgekeurd): no decision yet.
- **editable** (`EDITABLE_STATUSES`: concept): the only status in which the content may change.
- **void** (`VOID_STATUSES`: ingetrokken): withdrawn, before or after its decision; its aanvraag
  may lead to a new indication.

Which actions a page offers comes from the table too (`offered_actions`), never from a status
string in a template.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .models import (
    DECIDED,
    EDITABLE_STATUSES,
    GRANTED_STATUSES,
    LIVE_STATUSES,
    REFUSED_STATUSES,
    UNDECIDED_STATUSES,
    VOID_STATUSES,
    Indication,
    IndicationStatusChange,
    decided,
    decided_grant,
)
from .models import IndicationStatus as S

__all__ = [
    "ALLOWED_STATUS_CHANGES",
    "DECIDED",
    "EDITABLE_STATUSES",
    "GRANTED_STATUSES",
    "LIVE_STATUSES",
    "REFUSED_STATUSES",
    "UNDECIDED_STATUSES",
    "VOID_STATUSES",
    "InvalidTransition",
    "decided",
    "decided_grant",
    "ensure_transition_allowed",
    "lock_indication",
    "move",
    "offered_actions",
]

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    # A complex concept goes to a team lead first (four eyes); a simple one is vastgesteld directly.
    # The vaststelling of an afwijzing moves to afgewezen instead of vastgesteld (terminal).
    S.CONCEPT: {S.TER_BEOORDELING, S.VASTGESTELD, S.AFGEWEZEN, S.INGETROKKEN},
    S.TER_BEOORDELING: {S.GOEDGEKEURD, S.CONCEPT, S.INGETROKKEN},
    S.GOEDGEKEURD: {S.VASTGESTELD, S.AFGEWEZEN, S.CONCEPT, S.INGETROKKEN},
    S.VASTGESTELD: {S.ACTIEF, S.BEEINDIGD, S.INGETROKKEN},
    S.ACTIEF: {S.BEEINDIGD, S.INGETROKKEN},
    S.BEEINDIGD: set(),
    S.INGETROKKEN: set(),
    S.AFGEWEZEN: set(),
}

# The page's actions that move the status, by the status they move to. Moving back to concept is
# the reviewer's "terugsturen" from ter_beoordeling and the author's "terug naar concept" otherwise.
ACTION_OF_TARGET = {
    S.TER_BEOORDELING: "submit_for_review",
    S.GOEDGEKEURD: "review",
    S.VASTGESTELD: "issue",
    S.AFGEWEZEN: "issue",  # the same vaststelling: the outcome decides the status
    S.ACTIEF: None,  # on the ingangsdatum, by the nightly task: nothing to click
    S.BEEINDIGD: "end",
    S.INGETROKKEN: "withdraw",
}


def offered_actions(indication: Indication, *, today: date, needs_review: bool, rules_broken: bool = False) -> set[str]:
    """What the indication's page offers, derived from the status table: each move the table allows
    from the current status, and only when it can succeed (a concept that breaks an IB rule is
    changed first, a complex one goes to review first, an evaluation needs a live beschikking that
    has started). Besides the moves: "edit" (an editable concept), "evaluate" and "assign" (choose
    or change the provider: a live natura beschikking; a pgb has no provider). The templates test
    these, never the status."""
    status = indication.status
    actions = set()
    for target in ALLOWED_STATUS_CHANGES.get(status, set()):
        if target == S.CONCEPT:
            actions.add("review" if status == S.TER_BEOORDELING else "reopen")
        elif ACTION_OF_TARGET[target]:
            actions.add(ACTION_OF_TARGET[target])
    if status == S.CONCEPT:
        actions.discard("issue" if needs_review else "submit_for_review")
        if rules_broken:
            actions -= {"issue", "submit_for_review"}
    if status in EDITABLE_STATUSES:
        actions.add("edit")
        if not indication.is_refusal and indication.aanvraag_id and indication.replaces_id is None:
            actions.add("refuse")
    if status in LIVE_STATUSES:
        if not indication.is_pgb:
            actions.add("assign")
        if indication.start_date <= today:
            actions.add("evaluate")
    return actions


class InvalidTransition(ValidationError):
    pass


def ensure_transition_allowed(current: str, target: str) -> None:
    if target not in ALLOWED_STATUS_CHANGES.get(current, set()):
        raise InvalidTransition(
            _("Een indicatie met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )


def lock_indication(indication: Indication) -> Indication:
    """The indication re-read and locked for a status change (call inside a transaction).
    Only its own row is locked: PostgreSQL cannot lock the nullable side of an outer join."""
    return (
        Indication.objects.select_for_update(of=("self",))
        .select_related("product", "client", "replaces__product", "consultant")
        .get(pk=indication.pk)
    )


def move(indication: Indication, target: str, *, by, reason: str = "") -> None:
    """Move a locked indication to target: check the table, keep the history row and audit event.
    Only the services call this."""
    ensure_transition_allowed(indication.status, target)
    source = indication.status
    indication.status = target
    indication.status_reason = reason
    indication.full_clean()
    indication.save()
    IndicationStatusChange.objects.create(
        indication=indication, from_status=source, to_status=target, by=by, reason=reason
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=indication,
        client_id=indication.client_id,
        summary=f"{source} → {target}",
        changes={"status": [source, target]},
    )
