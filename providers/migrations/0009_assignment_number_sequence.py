"""The toewijzingnummer's counter (providers/numbering.py): a sequence on PostgreSQL, a one-row table
on SQLite, both starting after the highest number (and pk, which numbered them before) already stored."""

from django.db import migrations

SEQUENCE = "providers_assignment_number_seq"
COUNTER_TABLE = "providers_assignment_number_counter"


def _highest(cursor) -> int:
    if cursor.db.vendor == "postgresql":
        digits = "number ~ '^[0-9]+$'"
    else:
        digits = "number <> '' AND number NOT GLOB '*[^0-9]*'"
    cursor.execute(
        f"SELECT MAX(CAST(number AS BIGINT)) FROM providers_assignment WHERE {digits} AND length(number) <= 18"
    )
    highest_number = cursor.fetchone()[0] or 0
    cursor.execute("SELECT MAX(id) FROM providers_assignment")
    return max(highest_number, cursor.fetchone()[0] or 0)


def create_counter(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        highest = _highest(cursor)
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint START WITH {highest + 1}")
        else:
            cursor.execute(f"CREATE TABLE {COUNTER_TABLE} (last_value bigint NOT NULL)")
            cursor.execute(f"INSERT INTO {COUNTER_TABLE} (last_value) VALUES (%s)", [highest])


def drop_counter(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS {COUNTER_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0008_care_event_fingerprint_label"),
    ]

    operations = [migrations.RunPython(create_counter, drop_counter)]
