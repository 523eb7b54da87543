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
from contextlib import contextmanager

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
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
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
    re-create them (indexes, unique constraints, foreign keys). Returns how many were dropped."""
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
        HeldBackDefinition.objects.bulk_create(
            [HeldBackDefinition(table=table, name=name, statement=definition) for table, name, definition in indexes]
            + [HeldBackDefinition(table=table, name=name, statement=f"ALTER TABLE {table} ADD CONSTRAINT "
                                  f"{quote(name)} {definition}") for table, name, definition in constraints]
        )
        for table, name, _definition in reversed(constraints):  # foreign keys before the keys they use
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for _table, name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return len(indexes) + len(constraints)


def restore() -> int:
    """Re-create whatever a (possibly died) load dropped, in one transaction; a foreign key that the
    data breaks raises and leaves the statements stored. Returns how many were re-created."""
    if connection.vendor != "postgresql":
        return 0
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        held = list(HeldBackDefinition.objects.select_for_update())
        if held:  # sort the index keys in memory (the default, 64 MB, spills a large table to disk)
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in held:
            cursor.execute(definition.statement)
        HeldBackDefinition.objects.filter(pk__in=[d.pk for d in held]).delete()
        if held:
            cursor.execute(f"ANALYZE {', '.join(sorted({d.table for d in held}))}")
    if held:
        logger.info("re-created %d keys and indexes in %.1f s", len(held), time.monotonic() - started)
    return len(held)


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
