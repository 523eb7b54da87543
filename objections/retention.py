"""The bezwaar's part in the retention of closed client files (indications.retention): an open
bezwaar holds the client's file, and a destroyed file's bezwaren lose their free texts (the dates,
the outcome and the deadlines stay for the figures). Registered in ObjectionsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from indications.hooks import ClientAnonymisation, RetentionHold
from indications.retention import blank_texts

from .models import Bezwaar, BezwaarStatus, BezwaarStatusChange


def clients_with_open_bezwaar():
    return Bezwaar.objects.filter(status=BezwaarStatus.OPEN).values("beschikking__client_id")


HOLD = RetentionHold(kind="bezwaar", label=_("bezwaar in behandeling"), client_ids=clients_with_open_bezwaar)

TEXTS = [
    "representative_name",
    "representative_address",
    "grounds",
    "late_motivation",
    "extension_reason",
    "consent_note",
    "decision_motivation",
]


def anonymise_bezwaren(change: ClientAnonymisation) -> dict[str, int]:
    return {
        Bezwaar._meta.label_lower: blank_texts(
            Bezwaar.objects.filter(beschikking__client_id=change.client_id), TEXTS, change.placeholder
        ),
        BezwaarStatusChange._meta.label_lower: blank_texts(
            BezwaarStatusChange.objects.filter(bezwaar__beschikking__client_id=change.client_id),
            ["reason"],
            change.placeholder,
        ),
    }
