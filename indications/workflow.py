"""The indication's status table: each status and the statuses it may move to.

The services in services.py are the only code that moves an indication; they consult this table.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .models import Indication, IndicationStatusChange
from .models import IndicationStatus as S

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    # A complex concept goes to a team lead first (four eyes); a simple one is vastgesteld directly.
    S.CONCEPT: {S.TER_BEOORDELING, S.VASTGESTELD, S.INGETROKKEN},
    S.TER_BEOORDELING: {S.GOEDGEKEURD, S.CONCEPT, S.INGETROKKEN},
    S.GOEDGEKEURD: {S.VASTGESTELD, S.CONCEPT, S.INGETROKKEN},
    S.VASTGESTELD: {S.ACTIEF, S.BEEINDIGD, S.INGETROKKEN},
    S.ACTIEF: {S.BEEINDIGD, S.INGETROKKEN},
    S.BEEINDIGD: set(),
    S.INGETROKKEN: set(),
}

# Statuses in which a beschikking grants care (used for overlap, worklists and evaluations).
LIVE_STATUSES = (S.VASTGESTELD, S.ACTIEF)


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
    IndicationStatusChange.objects.create(indication=indication, from_status=source, to_status=target, by=by,
                                          reason=reason)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=indication,
        client_id=indication.client_id,
        summary=f"{source} → {target}",
        changes={"status": [source, target]},
    )
