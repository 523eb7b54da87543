"""Nightly jobs: the common shape, and the case file's own jobs.

`each_row_on_its_own` runs a job's rows each in its own transaction: one that fails (a rule, a
constraint, a lock) is logged and reported in the `NightlyOutcome`, and the job carries on with the
rest. The case file's jobs below use it (beschikkingen whose start has come become actief, those whose
end has passed are beëindigd), and so do the jobs of the layers above (e.g. the provider domain's
`end_lapsed_assignments`), so every nightly job isolates its rows the same way.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import beschikking_services
from .models import Indication
from .service_utils import today_or_now as _today
from .workflow import LIVE_STATUSES
from .workflow import lock_indication as _lock

S = Indication.Status
logger = logging.getLogger(__name__)


@dataclass
class NightlyOutcome:
    """What a nightly job did: the rows it moved and, per row that failed, why (the others went on)."""

    done: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"done": self.done, "failed": self.failed}


def each_row_on_its_own(queryset, apply: Callable[[int], object], *, job: str) -> NightlyOutcome:
    """Apply `apply(pk)` to every row in its own transaction: one row that fails (a rule, a
    constraint, a lock) is logged and reported and does not stop the rest."""
    outcome = NightlyOutcome()
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                apply(pk)
        except Exception as error:  # noqa: BLE001 - isolate the row, whatever went wrong with it
            logger.exception("%s: row %s failed", job, pk)
            outcome.failed.append(f"{pk}: {error}")
        else:
            outcome.done += 1
    return outcome


def report(what: str, outcome: NightlyOutcome, *, log: logging.Logger = logger) -> dict:
    """Log a job's outcome (a line per failed row) and return it as the task's result."""
    log.info("%s: %d done, %d failed", what, outcome.done, len(outcome.failed))
    for failure in outcome.failed:
        log.error("%s failed for row %s", what, failure)
    return outcome.as_dict()


def activate_started_beschikkingen(*, today: date | None = None) -> NightlyOutcome:
    """Nightly: every vastgestelde beschikking whose start date has come becomes actief."""
    today = _today(today)

    def activate(pk):
        beschikking_services.activate_beschikking(Indication(pk=pk), today=today)

    return each_row_on_its_own(
        Indication.objects.filter(status=S.VASTGESTELD, start_date__lte=today),
        activate,
        job="activate_started_beschikkingen",
    )


def end_expired_beschikkingen(*, today: date | None = None) -> NightlyOutcome:
    """Nightly: every live beschikking whose end has passed (its einddatum, or the day it was
    beëindigd per) is beëindigd on that day, with the consultant's reason when one was given."""
    today = _today(today)

    def end(pk):
        locked = _lock(Indication(pk=pk))
        last_day = min(day for day in (locked.ended_on, locked.end_date) if day is not None)
        reason = locked.end_reason or _("Einddatum verstreken")
        beschikking_services.end_locked(locked, by=None, ended_on=last_day, reason=reason, today=today)

    expired = Indication.objects.filter(status__in=LIVE_STATUSES).filter(Q(end_date__lt=today) | Q(ended_on__lt=today))
    return each_row_on_its_own(expired, end, job="end_expired_beschikkingen")
