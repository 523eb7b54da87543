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


def tariff_period_constraints(
    prefix: str,
    *,
    overlap_message,
    key_fields: tuple[str, ...] = ("product",),
    amount_field: str = "amount_per_period",
) -> list:
    """The constraints of a tariff versioned by validity period (`key_fields`, default `product`;
    `valid_from`, `valid_to`, `amount_field`): one start per key, an ordered period, no negative
    amount, and one tariff in force per key per day. The service of the tariff checks the last one
    on every database; the exclusion constraint holds it on PostgreSQL (btree_gist for the "=" part).
    `prefix` names the constraints (`<prefix>_unique_start`, ...)."""
    return [
        models.UniqueConstraint(fields=[*key_fields, "valid_from"], name=f"{prefix}_unique_start"),
        models.CheckConstraint(
            condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            name=f"{prefix}_period_ordered",
            violation_error_message=_("'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen."),
        ),
        models.CheckConstraint(condition=Q(**{f"{amount_field}__gte": 0}), name=f"{prefix}_amount_positive"),
        PostgresExclusionConstraint(
            name=f"{prefix}_periods_do_not_overlap",
            expressions=[
                *((field, RangeOperators.EQUAL) for field in key_fields),
                (
                    DateRange("valid_from", "valid_to", RangeBoundary(inclusive_lower=True, inclusive_upper=True)),
                    RangeOperators.OVERLAPS,
                ),
            ],
            deferrable=Deferrable.DEFERRED,
            violation_error_message=overlap_message,
        ),
    ]
