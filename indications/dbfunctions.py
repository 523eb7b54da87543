"""Database functions that more than one app needs, written for PostgreSQL and SQLite alike."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from the second date to the first, on PostgreSQL and SQLite."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
