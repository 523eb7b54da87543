"""Database constraints that only PostgreSQL can hold."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.db.models import Func


class DateRange(Func):
    """daterange(lower, upper, bounds): a NULL upper bound is open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint created on PostgreSQL only (another database has no such constraint,
    and its service check holds the rule alone).

    It is not checked in `Model.full_clean()`: the rule's service validates a whole set of rows at
    once (an admin inline), where checking each row against the stored rows would refuse a valid
    edit of two adjacent rows. Declare it DEFERRABLE INITIALLY DEFERRED so that rows saved one by
    one in a transaction are checked at its commit."""

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=None):
        return None
