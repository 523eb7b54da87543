"""What the audit trail asks of the layers above it, by a registered callback (never an import).

- `person_identifier`: the BSN of a client, by the client's id, as a value or as a query expression
  (a subquery, so that it is read in the event's own INSERT and costs no query of its own).
  Registered by indications (the case file) in its AppConfig.ready(). Without a callback an event
  stores no BSN unless its recorder passes one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_person_identifier: list[Callable[[int], Any]] = []


def register_person_identifier(callback: Callable[[int], Any]) -> Callable[[int], Any]:
    """Register the one callback that gives a client's BSN (a later registration replaces it)."""
    _person_identifier[:] = [callback]
    return callback


def person_identifier(client_id: int):
    """The BSN (or an expression for it) of the client with this id; None without a callback."""
    return _person_identifier[0](client_id) if _person_identifier else None
