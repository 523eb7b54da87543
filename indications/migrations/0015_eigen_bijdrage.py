"""The eigen bijdrage for IB as reference data (seed 000, around lines 57 and 1702), with its two
periods: from the Wmo 2015 until 30 November 2020 IB was free (the SDD had made it free of an eigen
bijdrage), and from 1 December 2020 the eigen bijdrage is due again, collected by the CAK.

The amount is the abonnementstarief, the national maximum per month the CAK collects. Assumption:
EUR 19 per month (the abonnementstarief of 2020 up to 2024 as the brief gives it); the functioneel
beheerder adds a rule per period when it changes. Exempt: a client under 18 (the eigen bijdrage
starts at 18, seed 001 around line 1091). Exemptions the CAK decides (a low income) are not kept.
"""

from datetime import date
from decimal import Decimal

import django.contrib.postgres.fields.ranges
import django.db.models.constraints
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import indications.models.constraints

FREE_UNTIL = date(2020, 11, 30)
DUE_FROM = date(2020, 12, 1)


def add_rules(apps, schema_editor):
    Rule = apps.get_model("indications", "EigenBijdrageRule")
    Exemption = apps.get_model("indications", "EigenBijdrageExemption")
    under_18, _created = Exemption.objects.get_or_create(
        code="jonger-dan-18",
        defaults={
            "name": "cliënt jonger dan 18 jaar",
            "description": "Voor een cliënt jonger dan 18 jaar is geen eigen bijdrage verschuldigd; "
            "de bijdrage begint op de 18e verjaardag.",
            "rule": "leeftijd_onder",
            "age": 18,
        },
    )
    Rule.objects.get_or_create(
        valid_from=date(2015, 1, 1),
        defaults={
            "valid_until": FREE_UNTIL,
            "is_due": False,
            "source": "De SDD had individuele begeleiding vrijgesteld van eigen bijdrage (seed 000).",
        },
    )
    due, _created = Rule.objects.get_or_create(
        valid_from=DUE_FROM,
        defaults={
            "is_due": True,
            "amount_per_month": Decimal("19.00"),
            "source": "Per 1 december 2020 opnieuw ingevoerd (seed 000). Abonnementstarief: het landelijke "
            "maximum per maand dat het CAK int (aanname: EUR 19 per maand).",
        },
    )
    due.exemptions.add(under_18)


def remove_rules(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Check the foreign keys as the rows go: a deferred check left pending makes PostgreSQL
        # refuse the ALTER TABLE that removes the models after this in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    apps.get_model("indications", "EigenBijdrageRule").objects.filter(
        valid_from__in=[date(2015, 1, 1), DUE_FROM]
    ).delete()
    apps.get_model("indications", "EigenBijdrageExemption").objects.filter(code="jonger-dan-18").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0014_default_cost_reference"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CakExport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("period_from", models.DateField(verbose_name="periode vanaf")),
                ("period_to", models.DateField(verbose_name="periode tot en met")),
                ("rows", models.PositiveIntegerField(default=0, verbose_name="aantal regels")),
                ("exported_at", models.DateTimeField(auto_now_add=True, verbose_name="geëxporteerd op")),
                (
                    "exported_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="geëxporteerd door",
                    ),
                ),
            ],
            options={
                "verbose_name": "CAK-export eigen bijdrage",
                "verbose_name_plural": "CAK-exports eigen bijdrage",
                "ordering": ["-exported_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="EigenBijdrageExemption",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="naam")),
                ("description", models.TextField(blank=True, verbose_name="omschrijving")),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("leeftijd_onder", "cliënt jonger dan een leeftijd"),
                            ("product", "product uitgezonderd"),
                        ],
                        max_length=20,
                        verbose_name="regel",
                    ),
                ),
                (
                    "age",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Bij 'cliënt jonger dan een leeftijd': de leeftijd.",
                        null=True,
                        verbose_name="leeftijd",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="actief")),
                (
                    "product",
                    models.ForeignKey(
                        blank=True,
                        help_text="Bij 'product uitgezonderd': het product zonder eigen bijdrage.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="indications.product",
                        verbose_name="product",
                    ),
                ),
            ],
            options={
                "verbose_name": "vrijstelling eigen bijdrage",
                "verbose_name_plural": "vrijstellingen eigen bijdrage",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="EigenBijdrageRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("valid_from", models.DateField(verbose_name="geldig vanaf")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="geldig tot en met")),
                (
                    "is_due",
                    models.BooleanField(
                        help_text="Uit: IB is in deze periode vrij van eigen bijdrage.",
                        verbose_name="eigen bijdrage verschuldigd",
                    ),
                ),
                (
                    "amount_per_month",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Het landelijke maximum dat het CAK int; alleen als de eigen bijdrage verschuldigd is.",
                        max_digits=7,
                        null=True,
                        verbose_name="abonnementstarief per maand",
                    ),
                ),
                (
                    "source",
                    models.TextField(
                        blank=True, help_text="Het besluit of de bron van deze periode.", verbose_name="bron"
                    ),
                ),
                (
                    "exemptions",
                    models.ManyToManyField(
                        blank=True,
                        related_name="rules",
                        to="indications.eigenbijdrageexemption",
                        verbose_name="vrijstellingen",
                    ),
                ),
            ],
            options={
                "verbose_name": "regel eigen bijdrage",
                "verbose_name_plural": "regels eigen bijdrage",
                "ordering": ["valid_from"],
                "permissions": [("export_cak", "Kan de CAK-export van de eigen bijdrage maken")],
            },
        ),
        migrations.AddConstraint(
            model_name="eigenbijdrageexemption",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("rule", "leeftijd_onder"), _negated=True), ("age__isnull", False), _connector="OR"
                ),
                name="exemption_age_rule_has_age",
                violation_error_message="Geef de leeftijd op.",
            ),
        ),
        migrations.AddConstraint(
            model_name="eigenbijdrageexemption",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("rule", "product"), _negated=True), ("product__isnull", False), _connector="OR"
                ),
                name="exemption_product_rule_has_product",
                violation_error_message="Kies het product.",
            ),
        ),
        migrations.AddConstraint(
            model_name="eigenbijdragerule",
            constraint=models.UniqueConstraint(fields=("valid_from",), name="eigen_bijdrage_rule_unique_start"),
        ),
        migrations.AddConstraint(
            model_name="eigenbijdragerule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_until__isnull", True), ("valid_until__gte", models.F("valid_from")), _connector="OR"
                ),
                name="eigen_bijdrage_rule_period_ordered",
                violation_error_message="'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen.",
            ),
        ),
        migrations.AddConstraint(
            model_name="eigenbijdragerule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("amount_per_month__isnull", True), ("is_due", False)),
                    models.Q(("amount_per_month__gte", 0), ("amount_per_month__isnull", False), ("is_due", True)),
                    _connector="OR",
                ),
                name="eigen_bijdrage_rule_amount_when_due",
                violation_error_message="Geef het abonnementstarief op als de eigen bijdrage verschuldigd is, en alleen dan.",
            ),
        ),
        migrations.AddConstraint(
            model_name="eigenbijdragerule",
            constraint=indications.models.constraints.PostgresExclusionConstraint(
                deferrable=django.db.models.constraints.Deferrable["DEFERRED"],
                expressions=[
                    (
                        indications.models.constraints.DateRange(
                            "valid_from",
                            "valid_until",
                            django.contrib.postgres.fields.ranges.RangeBoundary(
                                inclusive_lower=True, inclusive_upper=True
                            ),
                        ),
                        "&&",
                    )
                ],
                name="eigen_bijdrage_rules_do_not_overlap",
                violation_error_message="Deze periode overlapt met een andere regel eigen bijdrage.",
            ),
        ),
        migrations.RunPython(add_rules, remove_rules),
    ]
