"""Work kept until the end of a block inside a transaction (a batch's audit events, its WMO301s, its
retours, its care reports) and dropped with a savepoint that rolls back around it.

The marker is a callback in the transaction's on-commit list: Django removes the callbacks a
savepoint registered when that savepoint rolls back, so a kept item whose marker is still listed
stands, and one whose marker is gone was rolled back with the change that kept it."""

from collections.abc import Callable, Iterable

from django.db import connection, transaction


def savepoint_marker() -> Callable[[], None]:
    """A no-op on-commit callback registered now, to keep with an item (see `surviving`)."""

    def marker() -> None:
        pass

    transaction.on_commit(marker)
    return marker


def surviving(kept: Iterable[tuple]) -> list:
    """The items of (item, marker) pairs whose marker (a savepoint_marker, or any callback given to
    transaction.on_commit) is still in the current transaction's on-commit list."""
    alive = {id(func) for _savepoints, func, _robust in connection.run_on_commit}
    return [item for item, marker in kept if id(marker) in alive]
