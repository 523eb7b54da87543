"""A median aggregate that runs in the database: percentile_cont on PostgreSQL, and a small
aggregate registered on each SQLite connection (the embedded default)."""

import statistics

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, DurationField, FloatField


class Median(Aggregate):
    function = "median"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        ordered_set = self.copy()
        ordered_set.template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return super(Median, ordered_set).as_sql(compiler, connection, **extra_context)


class MedianDuration(Median):
    output_field = DurationField()


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_median(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("median", 1, _SqliteMedian)


connection_created.connect(register_sqlite_median, dispatch_uid="providers.sqlite_median")
