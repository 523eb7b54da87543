"""Reusable read queries of the iWmo exchange."""

from datetime import datetime

from django.db.models import QuerySet

from .codes import MessageType
from .models import OutgoingMessage

# The types we send that the provider answers with a retour (302, 320; OP090). Our retours (306,
# 308, 316, 318) are not answered.
EXPECTS_RETOUR = (MessageType.WMO301, MessageType.WMO319)


def messages_without_retour(*, older_than: datetime) -> QuerySet:
    """The delivered outgoing messages that expect a retour (OP090: within 3 werkdagen) and have
    none, delivered before `older_than`.

    PROVISIONAL (integrator): incoming retours (WMO302, WMO320) are not read yet, so no outgoing
    message is linked to its retour and every delivered 301 counts as "without retour" here. When the
    retour link on OutgoingMessage lands (`retour` / `retour_status`, another part of issue 16), add
    its condition below, e.g. `.filter(retour__isnull=True)`: this function is the only place the
    signal iwmo_geen_retour asks."""
    return OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.DELIVERED,
        message_type__in=EXPECTS_RETOUR,
        delivered_at__lt=older_than,
    )
