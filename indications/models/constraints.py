"""Database constraints that only PostgreSQL can hold."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Deferrable, Func, Q
from django.utils.translation import gettext_lazy as _


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


def tariff_period_constraints(prefix: str, *, overlap_message) -> list:
    """The constraints of a tariff versioned by validity period (`product`, `valid_from`, `valid_to`,
    `amount_per_period`): one start per product, an ordered period, no negative amount, and one
    tariff in force per product per day. The service of the tariff checks the last one on every
    database; the exclusion constraint holds it on PostgreSQL (btree_gist for the "=" part).
    `prefix` names the constraints (`<prefix>_unique_start`, ...)."""
    return [
        models.UniqueConstraint(fields=["product", "valid_from"], name=f"{prefix}_unique_start"),
        models.CheckConstraint(
            condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            name=f"{prefix}_period_ordered",
            violation_error_message=_("'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen."),
        ),
        models.CheckConstraint(condition=Q(amount_per_period__gte=0), name=f"{prefix}_amount_positive"),
        PostgresExclusionConstraint(
            name=f"{prefix}_periods_do_not_overlap",
            expressions=[
                ("product", RangeOperators.EQUAL),
                (
                    DateRange("valid_from", "valid_to", RangeBoundary(inclusive_lower=True, inclusive_upper=True)),
                    RangeOperators.OVERLAPS,
                ),
            ],
            deferrable=Deferrable.DEFERRED,
            violation_error_message=overlap_message,
        ),
    ]
