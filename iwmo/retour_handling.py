"""A retour that rejected a message we sent (a WMO302 with other codes than 0200 on our WMO301, or
a WMO320 on our WMO319) lands with a person: the consultant of the client's beschikking at that
provider sees it on the worklist (iwmo.panels.worklist_panel) with the retourcodes' Dutch meaning
(WJ001), corrects what the codes name (the client data, the toewijzing, or a new 301 after a change),
and then marks it handled here, saying what was done. Until then the day page keeps it among the
errors to act on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .models import OutgoingMessage, RetourStatus

HANDLE_PERMISSION = "iwmo.handle_retour_outgoingmessage"
REJECTED = (RetourStatus.REJECTED, RetourStatus.PARTLY_ACCEPTED)


def may_handle(user) -> bool:
    return user.is_authenticated and user.has_perm(HANDLE_PERMISSION)


def mark_retour_handled(message: OutgoingMessage, *, by, note: str) -> OutgoingMessage:
    """Record that the rejection in the retour on `message` was dealt with (what was done: `note`),
    audited, under the row lock; refuses a message whose retour did not reject it, one already
    handled, an empty note and a user without the permission."""
    if not may_handle(by):
        raise PermissionDenied(_("U mag geen afgekeurde retour afhandelen."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": ValidationError(_("Schrijf op wat er is gedaan."), code="required")})
    with transaction.atomic():
        locked = OutgoingMessage.objects.select_for_update().get(pk=message.pk)
        if locked.retour_status not in REJECTED:
            raise ValidationError(
                _("Alleen een bericht dat de aanbieder (deels) heeft afgekeurd, wordt afgehandeld."),
                code="not_rejected",
            )
        if locked.retour_handled_at is not None:
            raise ValidationError(_("Deze retour is al afgehandeld."), code="already_handled")
        locked.retour_handled_at = timezone.now()
        locked.retour_handled_by = by
        locked.retour_handling_note = note
        locked.full_clean(exclude=["xml"])
        locked.save(update_fields=["retour_handled_at", "retour_handled_by", "retour_handling_note"])
        record_event(
            actor=by,
            action=AuditEvent.Action.TRANSITION,
            obj=locked,
            client_id=locked.client_id,
            summary=f"retour op {locked.message_type} {locked.identification} afgehandeld",
            changes={"retour_status": locked.retour_status, "note": note},
        )
    return locked
