"""The signals' part in the destruction of a closed client file (indications.retention): a signal
keeps its type, dates and statuses (the figures); the notes its handlers typed lose their text.
Registered in SignalsConfig.ready()."""

from indications.hooks import ClientAnonymisation
from indications.retention import blank_texts

from .models import SignalEvent


def anonymise_signal_notes(change: ClientAnonymisation) -> dict[str, int]:
    return {
        SignalEvent._meta.label_lower: blank_texts(
            SignalEvent.objects.filter(signal__client_id=change.client_id), ["note"], change.placeholder
        )
    }
