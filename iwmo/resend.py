"""Resending an outgoing message whose delivery failed (mislukt): the functioneel beheerder (or any
staff user with iwmo.resend_outgoingmessage) puts it back in the queue once the cause is fixed (the
GGk was down, the export folder full).

The message is sent again as it was: the same XML and so the same BerichtIdentificatie (TR056), so
a receiver that did get it after all recognises the repeat. Exactly-once holds as before: the row
goes back to "wachtrij" under its row lock and iwmo.delivery delivers a queued row once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from . import tasks
from .models import OutgoingMessage

RESEND_PERMISSION = "iwmo.resend_outgoingmessage"


def may_resend(user) -> bool:
    return user.is_authenticated and user.has_perm(RESEND_PERMISSION)


def resend_failed_message(message: OutgoingMessage, *, by) -> OutgoingMessage:
    """Queue a failed message for delivery again (attempts back to 0), audited; refuses a message
    that is not mislukt (queued or delivered: nothing to resend) and a user without the permission."""
    if not may_resend(by):
        raise PermissionDenied(_("U mag geen iWmo-berichten opnieuw versturen."))
    with transaction.atomic():
        locked = OutgoingMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != OutgoingMessage.Status.FAILED:
            raise ValidationError(
                _("Alleen een mislukt bericht kan opnieuw worden verstuurd; dit bericht is %(status)s.")
                % {"status": locked.get_status_display()},
                code="not_failed",
            )
        previous_error = locked.last_error
        locked.status = OutgoingMessage.Status.QUEUED
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_event(
            actor=by,
            action=AuditEvent.Action.TRANSITION,
            obj=locked,
            client_id=locked.client_id,
            summary=f"{locked.message_type} {locked.identification} opnieuw in de wachtrij gezet",
            changes={
                "status": [OutgoingMessage.Status.FAILED, OutgoingMessage.Status.QUEUED],
                "last_error": previous_error,
            },
        )
        pk = locked.pk
        transaction.on_commit(lambda: tasks.deliver_message.delay(pk))
    return locked
