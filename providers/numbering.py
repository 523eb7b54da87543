"""The toewijzingnummer: ten digits from one counter, set when the toewijzing is inserted.

On PostgreSQL the counter is a database sequence (nextval never waits on another transaction, so
concurrent vaststellingen do not queue on each other); on SQLite a one-row table incremented with
UPDATE ... RETURNING, under the write lock that SQLite holds for the transaction anyway. Both are
created by migration providers 0009_assignment_number_sequence. Bulk loaders (demo/) reserve their
numbers here too, or call keep_numbers_ahead() after writing numbers of their own.
"""

from django.db import connection
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast

from .models import Assignment

SEQUENCE = "providers_assignment_number_seq"
COUNTER_TABLE = "providers_assignment_number_counter"


def format_number(value: int) -> str:
    return f"{value:010d}"


def next_assignment_number() -> str:
    """The next toewijzingnummer (call inside the transaction that inserts the toewijzing)."""
    return reserve_assignment_numbers(1)[0]


def reserve_assignment_numbers(count: int) -> list[str]:
    """`count` new toewijzingnummers, in ascending order, for a bulk load."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE, count])
            values = sorted(value for (value,) in cursor.fetchall())
        else:
            cursor.execute(f"UPDATE {COUNTER_TABLE} SET last_value = last_value + %s RETURNING last_value", [count])
            (last,) = cursor.fetchone()
            values = range(last - count + 1, last + 1)
    return [format_number(value) for value in values]


def highest_number() -> int:
    """The highest all-digit toewijzingnummer stored (0 if none)."""
    highest = Assignment.objects.filter(number__regex=r"^[0-9]{1,18}$").aggregate(
        highest=Max(Cast("number", BigIntegerField()))
    )["highest"]
    return highest or 0


def keep_numbers_ahead() -> None:
    """After rows were written with numbers of their own: the next number follows the highest one
    stored (the counter never goes back)."""
    highest = highest_number()
    if not highest:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {SEQUENCE})))", [SEQUENCE, highest])
        else:
            cursor.execute(f"UPDATE {COUNTER_TABLE} SET last_value = MAX(last_value, %s)", [highest])
