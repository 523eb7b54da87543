"""The signal's states and the moves between them; services.py is the only place that moves them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import SignalStatus as S

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    S.OPEN: {S.IN_PROGRESS, S.RESOLVED, S.LAPSED},
    S.IN_PROGRESS: {S.RESOLVED, S.LAPSED},
    S.RESOLVED: set(),
    S.LAPSED: set(),
}


def ensure_transition_allowed(current: str, target: str) -> None:
    if target not in ALLOWED_STATUS_CHANGES[current]:
        raise ValidationError(
            _("Een signaal met status %(current)s kan niet naar %(target)s.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )
