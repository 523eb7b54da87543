"""The iWmo messages' part in the destruction of a closed client file (indications.retention): the
stored messages of the client carry the BSN, name, address and birth date, so their XML (out) and raw
bytes (in) are emptied; type, sender, receiver, identification, dates, status and retour codes stay
(the message traffic's figures and the idempotency of identification and hash). Registered in
IwmoConfig.ready()."""

from indications.hooks import ClientAnonymisation
from indications.retention import blanked

from .models import IncomingMessage, OutgoingMessage


def anonymise_messages(change: ClientAnonymisation) -> dict[str, int]:
    outgoing = OutgoingMessage.objects.filter(client_id=change.client_id).update(
        xml="",
        last_error=blanked("last_error", change.placeholder),
        retour_handling_note=blanked("retour_handling_note", change.placeholder),
    )
    incoming = IncomingMessage.objects.filter(client_id=change.client_id).update(raw=b"")
    return {OutgoingMessage._meta.label_lower: outgoing, IncomingMessage._meta.label_lower: incoming}
