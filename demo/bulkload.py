"""Bulk-load mode on PostgreSQL for a role that owns the case tables but is no superuser (CI's role,
most installations): the foreign keys of the tables the generator writes, their unique constraints
and their secondary indexes are dropped for the load and re-created after it, as pg_restore creates them after the data.

Per row, a foreign key costs a trigger and an index lookup at commit, and every index an insertion;
for a large load that is most of the time. Re-created afterwards, an index is one sort and a
foreign key one join, which check every row at once: a load that broke a rule (a dangling
reference, a second live beschikking for one aanvraag, a duplicate uuid) fails at the end and leaves
the statements stored. Primary keys, check and exclusion constraints, and any key a foreign key
points to, stay throughout. The statements that re-create what was dropped are stored
(HeldBackDefinition) in the transaction that drops it; a load that died on the way leaves them, and
the next load or reset runs them first. While a load runs, the case tables lack those indexes and
foreign keys: give a large load a database of its own or a quiet moment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from queue import Empty, SimpleQueue

from django.db import connection, models, transaction

from .models import HeldBackDefinition

logger = logging.getLogger(__name__)

# From this many new clients a load lifts the keys and indexes; below it the upkeep per row
# costs less than re-creating them over the whole table.
BULK_FROM = 20_000

_TABLES = "SELECT unnest(%s::text[])::regclass"
# An index that a foreign key references (a primary key, or a unique key pointed to) stays.
_REFERENCED = "SELECT conindid FROM pg_constraint WHERE contype = 'f'"
# Unique constraints first, then foreign keys: re-created in this order after the indexes.
_CONSTRAINTS = f"""
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype,
           CASE WHEN contype = 'u' AND NOT condeferrable THEN pg_get_indexdef(conindid) END
    FROM pg_constraint
    WHERE conrelid IN ({_TABLES}) AND (contype = 'f' OR contype = 'u' AND conindid NOT IN ({_REFERENCED}))
    ORDER BY contype DESC, 1, 2"""
_INDEXES = f"""
    SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid IN ({_TABLES}) AND NOT i.indisprimary AND i.indexrelid NOT IN ({_REFERENCED})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1, 2"""
_OWNED = f"SELECT bool_and(pg_has_role(current_user, relowner, 'USAGE')) FROM pg_class WHERE oid IN ({_TABLES})"


def _names(tables: Iterable[type[models.Model]]) -> list[str]:
    return sorted({model._meta.db_table for model in tables})


def may_lift(tables: Iterable[type[models.Model]]) -> bool:
    """On PostgreSQL, when the current role owns every table (only an owner may drop its constraints)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(_OWNED, [_names(tables)])
        return bool(cursor.fetchone()[0])


def lift(tables: Iterable[type[models.Model]]) -> int:
    """Drop the foreign keys, unique constraints and secondary indexes of `tables`, storing how to
    re-create them: the indexes (a unique constraint's too), then the unique constraints on their
    index, then the foreign keys. Returns how many were dropped."""
    quote = connection.ops.quote_name
    names = _names(tables)
    with transaction.atomic(), connection.cursor() as cursor:
        # ALTER TABLE refuses a table with foreign-key checks pending in this transaction: run them now
        # (Django's are all initially deferred, which the second statement restores).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(_INDEXES, [names])
        indexes = cursor.fetchall()
        cursor.execute(_CONSTRAINTS, [names])
        constraints = cursor.fetchall()
        # A unique constraint comes back as its index (built beside the others) and then the constraint
        # on it; a deferrable one, and every foreign key, by its definition.
        unique = [(table, name, index) for table, name, _definition, _kind, index in constraints if index]
        HeldBackDefinition.objects.bulk_create(
            [
                HeldBackDefinition(table=table, name=name, statement=definition)
                for table, name, definition in [*indexes, *unique]
            ]
            + [
                HeldBackDefinition(
                    table=table,
                    name=name,
                    statement=f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} UNIQUE USING INDEX {quote(name)}",
                )
                for table, name, _index in unique
            ]
            + [
                HeldBackDefinition(
                    table=table, name=name, statement=f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                )
                for table, name, definition, _kind, index in constraints
                if not index
            ]
        )
        for table, name, *_rest in reversed(constraints):  # foreign keys before the keys they use
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for _table, name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return len(indexes) + len(constraints)


def restore() -> int:
    """Re-create whatever a (possibly died) load dropped, each statement in its own transaction with
    the removal of its stored row: the indexes on two connections side by side (one table each at a
    time), then the constraints in order. A rule the data breaks raises and leaves the rest stored.
    Inside a caller's transaction (tests) everything runs in it, one by one. Returns how many."""
    if connection.vendor != "postgresql":
        return 0
    started = time.monotonic()
    held = list(HeldBackDefinition.objects.all())
    if not held:
        return 0
    indexes = [d for d in held if d.statement.startswith("CREATE ")]
    rest = [d for d in held if d not in indexes]
    if connection.in_atomic_block:
        for definition in held:
            _run(definition)
    else:
        by_table: dict[str, list] = {}
        for definition in indexes:
            by_table.setdefault(definition.table, []).append(definition)
        queue = SimpleQueue()
        for group in sorted(by_table.values(), key=_rows, reverse=True):  # the largest tables first
            queue.put(group)
        with ThreadPoolExecutor(max_workers=2) as pool:
            for done in [pool.submit(_run_groups, queue) for _ in range(2)]:
                done.result()
        for definition in rest:
            _run(definition)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(sorted({d.table for d in held}))}")
    logger.info("re-created %d keys and indexes in %.1f s", len(held), time.monotonic() - started)
    return len(held)


def _run(definition: HeldBackDefinition) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Sort the index keys in memory (the default, 64 MB, spills a large table to disk).
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(definition.statement)
        HeldBackDefinition.objects.filter(pk=definition.pk).delete()


def _run_groups(queue: SimpleQueue) -> None:
    """A thread of its own, so a connection of its own: run groups until the queue is empty."""
    try:
        while True:
            try:
                group = queue.get_nowait()
            except Empty:
                return
            for definition in group:
                _run(definition)
    finally:
        connection.close()


def _rows(group: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [group[0].table])
        return int(cursor.fetchone()[0])


@contextmanager
def bulk_load(tables: Iterable[type[models.Model]], *, enabled: bool) -> Iterator[bool]:
    """Around a load: lift the foreign keys and indexes when `enabled` and allowed, re-create them after
    (also when the load fails). Yields whether they were lifted."""
    tables = list(tables)
    lifted = enabled and may_lift(tables)
    if not lifted:
        yield False
        return
    restore()
    lift(tables)
    try:
        yield True
    finally:
        if not connection.needs_rollback:  # else the outer transaction undoes the lift as well
            restore()
