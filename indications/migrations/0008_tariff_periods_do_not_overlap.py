"""One tariff in force per product per day, held by PostgreSQL: an exclusion constraint over
(product =, daterange(valid_from, valid_to, '[]') &&). The "=" on an integer in a GiST index needs
btree_gist, a trusted extension the database's owner may create (CREATE EXTENSION IF NOT EXISTS;
CreateExtension does nothing on another database, and neither does the constraint)."""

import django.contrib.postgres.fields.ranges
import django.db.models.constraints
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

import indications.models.constraints


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0007_client_validation_retroactive_start_one_indication_per_aanvraag"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.AddConstraint(
            model_name="tariff",
            constraint=indications.models.constraints.PostgresExclusionConstraint(
                deferrable=django.db.models.constraints.Deferrable["DEFERRED"],
                expressions=[
                    ("product", "="),
                    (
                        indications.models.constraints.DateRange(
                            "valid_from",
                            "valid_to",
                            django.contrib.postgres.fields.ranges.RangeBoundary(
                                inclusive_lower=True, inclusive_upper=True
                            ),
                        ),
                        "&&",
                    ),
                ],
                name="tariff_periods_do_not_overlap",
                violation_error_message="Deze periode overlapt met een ander tarief van hetzelfde product.",
            ),
        ),
    ]
