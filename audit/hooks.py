"""What the audit trail asks of the layers above it, by a registered callback (never an import).

- `person_identifier`: the BSN of a client, by the client's id, as a value or as a query expression
  (a subquery, so that it is read in the event's own INSERT and costs no query of its own).
  Registered by indications (the case file) in its AppConfig.ready(). Without a callback an event
  stores no BSN unless its recorder passes one.
- `person_identifiers`: the BSNs of many clients at once (one query), for a batch of events
  (audit.services.collect_events): one lookup before the batch's INSERT costs less than one
  subquery per event in it. Registered with the callback above; without it the batch keeps the
  subqueries.
- `page_client`: the client a page is about, by the page's URL arguments (its uuid kwargs), for the
  event of a refused page (403): who tried to open whose file. Each app registers one for its own
  URL arguments (indications for a client, beschikking, onderzoek or aanvraag; objections for a
  bezwaar; ...); the first that knows the page answers.
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


_person_identifiers: list[Callable[[set[int]], dict[int, str]]] = []


def register_person_identifiers(callback: Callable[[set[int]], dict[int, str]]) -> Callable:
    """Register the one callback that gives many clients' BSNs by id (a later one replaces it)."""
    _person_identifiers[:] = [callback]
    return callback


def person_identifiers(client_ids: set[int]) -> dict[int, str] | None:
    """{client id: BSN} of these clients (an unknown id is absent); None without a callback."""
    return _person_identifiers[0](client_ids) if _person_identifiers else None


_page_clients: list[Callable[[dict], int | None]] = []


def register_page_client(callback: Callable[[dict], int | None]) -> Callable[[dict], int | None]:
    """Register a callback: URL kwargs -> the id of the client the page is about, or None."""
    if callback not in _page_clients:
        _page_clients.append(callback)
    return callback


def page_client(kwargs: dict) -> int | None:
    """The id of the client a page with these URL kwargs is about, if a registered callback knows it."""
    for callback in _page_clients:
        found = callback(kwargs)
        if found is not None:
            return found
    return None
