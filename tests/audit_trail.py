"""The audit trail's append-only triggers, as tests see them.

Transactional tests (the browser tests) end with Django's flush, which empties every table and so
is refused by the triggers. Only a test database may be emptied: `triggers_suspended` lifts the
triggers for the flush and puts them back (DISABLE/ENABLE on PostgreSQL, which needs the table's
owner; DROP and re-CREATE from the stored definition on SQLite, which cannot disable a trigger)."""

from contextlib import contextmanager
from pathlib import Path

from django.db import connections

from audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def trigger_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name", [TABLE]
            )
        return [name for (name,) in cursor.fetchall()]


def _is_test_database(connection) -> bool:
    name = str(connection.settings_dict["NAME"])
    return "memory" in name or Path(name).name.startswith("test_")


@contextmanager
def triggers_suspended(using: str = "default"):
    connection = connections[using]
    if not _is_test_database(connection):
        raise RuntimeError(f"The audit trail's triggers stay on outside a test database ({using}).")
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            definitions = []
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            definitions = cursor.fetchall()
            for name, _sql in definitions:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            for _name, sql in definitions:
                cursor.execute(sql)
