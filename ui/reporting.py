"""Reporting reads: the scope in which heavy read-only work may read from the read replica.

`reporting_reads` marks that scope, as a decorator on a view or as a `with reporting_reads():` block;
`sddcase.db_router.ReportingReadsRouter` sends a read to the `replica` alias only inside it (never a
write, never inside an atomic block on the primary). It lives in `ui`, the lowest layer, because
the reporting views of every app (monitor, providers, signals, api) wear it; it imports no app.

`data_freshness` and `replica_lag_seconds` say how far the replica is behind the primary."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections
from django.http import FileResponse

PRIMARY = "default"
REPLICA = "replica"

_reporting = ContextVar("reporting_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def in_reporting_scope() -> bool:
    return _reporting.get()


@contextmanager
def _scope():
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def _chunks_in_scope(chunks):
    """A streamed download (a CSV export) produces its rows after the view returned: each chunk is
    produced inside the scope again, and the scope is left between chunks."""
    iterator = iter(chunks)
    while True:
        with _scope():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def reporting_reads(view=None):
    """`@reporting_reads` on a view (or a view method), or `with reporting_reads():` around code:
    the reads inside may go to the read replica. Only for read-only reporting work, never for a
    page that shows what its user just wrote."""
    if view is None:
        return _scope()

    @wraps(view)
    def in_scope(*args, **kwargs):
        with _scope():
            response = view(*args, **kwargs)
        if getattr(response, "streaming", False) and not isinstance(response, FileResponse):
            response.streaming_content = _chunks_in_scope(response.streaming_content)
        return response

    return in_scope


_STANDBY_STATE = """
    SELECT pg_is_in_recovery(),
           pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
           pg_last_xact_replay_timestamp(),
           now()
"""


def _standby_state():
    """(in recovery, caught up, last replayed commit, now) of the replica; None without a
    PostgreSQL replica."""
    if not replica_configured() or connections[REPLICA].vendor != "postgresql":
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(_STANDBY_STATE)
        return cursor.fetchone()


def data_freshness() -> datetime.datetime | None:
    """Up to when the replica's figures are complete: now when it has replayed all it received
    (or is no standby, e.g. a test mirror), else the time of the last commit it replayed. None
    without a replica: the figures come from the primary and are current."""
    state = _standby_state()
    if state is None:
        return None
    in_recovery, caught_up, replayed_at, now = state
    if not in_recovery or caught_up or replayed_at is None:
        return now
    return replayed_at


def replica_lag_seconds() -> float | None:
    """How many seconds the replica is behind the primary (0.0 when it is caught up); None without
    a replica. For readiness checks and monitoring."""
    if not replica_configured():
        return None
    freshness = data_freshness()
    if freshness is None:  # a replica that is no PostgreSQL standby (a test mirror on SQLite)
        return 0.0
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT now()")
        (now,) = cursor.fetchone()
    return max((now - freshness).total_seconds(), 0.0)
