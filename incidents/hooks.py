"""The typed hook through which an incident reaches the signal engine above it.

`incident_changed` (required): an incident was reported, reported to the GGD or closed, in the
transaction that is still open. The signals app (above incidents; incidents cannot import it)
registers itself in SignalsConfig.ready: a reported incident raises a signal of the highest urgency
for the team lead in the same transaction, and the signal closes once the GGD report is recorded.
Required: an incident must never land without its signal."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from indications.hooks import Hook


@dataclass(frozen=True)
class IncidentChanged:
    incident_id: int
    client_id: int
    today: date


incident_changed: Hook[Callable[[IncidentChanged], None]] = Hook("incident_changed", required=True)


def run_incident_changed(change: IncidentChanged) -> None:
    for callback in incident_changed.callbacks:
        callback(change)
