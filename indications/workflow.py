"""The indication's status table: each status and the statuses it may move to.

The services in services.py are the only code that moves an indication; they consult this table.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import IndicationStatus as S

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    S.CONCEPT: {S.VASTGESTELD, S.INGETROKKEN},
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
