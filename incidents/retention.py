"""The calamiteit's part in the retention of closed client files (indications.retention): a
calamiteit not yet closed holds the client's file, and a destroyed file's calamiteiten lose their
free texts (kind, dates, provider and the GGD's reference stay). Registered in IncidentsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from indications.hooks import ClientAnonymisation, RetentionHold
from indications.retention import blank_texts

from .models import Incident, IncidentStatus, IncidentStatusChange


def clients_with_open_incident():
    return Incident.objects.exclude(status=IncidentStatus.CLOSED).values("client_id")


HOLD = RetentionHold(kind="calamiteit", label=_("calamiteit niet afgesloten"), client_ids=clients_with_open_incident)


def anonymise_incidents(change: ClientAnonymisation) -> dict[str, int]:
    return {
        Incident._meta.label_lower: blank_texts(
            Incident.objects.filter(client_id=change.client_id), ["description", "closing_note"], change.placeholder
        ),
        IncidentStatusChange._meta.label_lower: blank_texts(
            IncidentStatusChange.objects.filter(incident__client_id=change.client_id), ["note"], change.placeholder
        ),
    }
