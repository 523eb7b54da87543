"""The nightly jobs' common shape: each row in its own transaction, failures reported, the rest go on.

Used by the case file's jobs (indications.services) and by the layers above it (e.g. the provider
domain's end_lapsed_assignments), so that every nightly job isolates its rows the same way.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

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
