"""The incident's states and the moves between them; services.py is the only place that moves them.
Every incident must reach the GGD (art. 3.4 lid 1 sub c Wmo 2015), so it cannot close before that."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import IncidentStatus as S

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    S.REPORTED: {S.GGD_REPORTED},
    S.GGD_REPORTED: {S.CLOSED},
    S.CLOSED: set(),
}


def ensure_transition_allowed(current: str, target: str) -> None:
    if target not in ALLOWED_STATUS_CHANGES[current]:
        raise ValidationError(
            _("Een calamiteit met status %(current)s kan niet naar %(target)s.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )
