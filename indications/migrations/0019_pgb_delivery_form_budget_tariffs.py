"""Leveringsvorm natura or pgb (seed 003: on 31-12-2016 IB was 1,365 in natura and 304 pgb), the pgb
of a beschikking (budgetholder, budget plan, art. 2.3.6 Wmo 2015) and the pgb tariffs.

Default pgb tariffs, an assumption the seeds do not give (the functioneel beheerder adjusts them in
the admin, Pgb-tarieven): for every natura tariff a pgb tariff over the same period of
PROFESSIONAL_SHARE (80%) of the natura tariff for care bought from a professional, INFORMAL_SHARE
(50%) for care bought from the social network (art. 2.3.6 lid 6: a lower tariff may apply), and 80%
of the natura opslag. Many municipalities set the pgb at 75-80% of the natura tariff (no overhead of
a provider) and the informal tariff at about half.
"""

from decimal import ROUND_HALF_UP, Decimal


import django.contrib.postgres.fields.ranges
import django.db.models.constraints
import django.db.models.deletion
import indications.models.constraints
from django.conf import settings
from django.db import migrations, models


PROFESSIONAL_SHARE = Decimal("0.80")
INFORMAL_SHARE = Decimal("0.50")
CENT = Decimal("0.01")


def add_default_pgb_tariffs(apps, schema_editor):
    Tariff = apps.get_model("indications", "Tariff")
    PgbTariff = apps.get_model("indications", "PgbTariff")
    for tariff in Tariff.objects.all():
        opslag = tariff.opslag_per_period
        PgbTariff.objects.get_or_create(
            product_id=tariff.product_id,
            valid_from=tariff.valid_from,
            defaults={
                "valid_to": tariff.valid_to,
                "amount_per_period": (tariff.amount_per_period * PROFESSIONAL_SHARE).quantize(CENT, ROUND_HALF_UP),
                "informal_amount_per_period": (tariff.amount_per_period * INFORMAL_SHARE).quantize(CENT, ROUND_HALF_UP),
                "opslag_per_period": None
                if opslag is None
                else (opslag * PROFESSIONAL_SHARE).quantize(CENT, ROUND_HALF_UP),
            },
        )


def remove_default_pgb_tariffs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending for the ALTER TABLE
    apps.get_model("indications", "PgbTariff").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0018_decision_outcome_afwijzing"),
        ("providers", "0011_satisfaction_target_7_5"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PgbBudget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "holder",
                    models.CharField(
                        choices=[
                            ("client", "de cliënt zelf"),
                            ("wettelijk", "wettelijk vertegenwoordiger"),
                            ("gemachtigde", "gemachtigde"),
                        ],
                        default="client",
                        max_length=20,
                        verbose_name="budgethouder",
                    ),
                ),
                (
                    "representative_name",
                    models.CharField(blank=True, max_length=200, verbose_name="naam vertegenwoordiger"),
                ),
                (
                    "representative_relation",
                    models.CharField(
                        blank=True,
                        help_text="Bijvoorbeeld ouder, partner, bewindvoerder.",
                        max_length=100,
                        verbose_name="relatie tot de cliënt",
                    ),
                ),
                (
                    "budget_plan_received_on",
                    models.DateField(blank=True, null=True, verbose_name="budgetplan ontvangen op"),
                ),
                (
                    "able_to_manage",
                    models.BooleanField(
                        help_text="De cliënt kan het pgb zelf of met hulp van netwerk of vertegenwoordiger beheren.",
                        null=True,
                        verbose_name="pgb-vaardig (a)",
                    ),
                ),
                ("able_to_manage_note", models.TextField(blank=True, verbose_name="toelichting pgb-vaardig")),
                (
                    "motivated",
                    models.BooleanField(
                        help_text="De cliënt heeft gemotiveerd waarom hij een pgb wil.",
                        null=True,
                        verbose_name="gemotiveerd (b)",
                    ),
                ),
                ("motivated_note", models.TextField(blank=True, verbose_name="toelichting motivering")),
                (
                    "quality_plausible",
                    models.BooleanField(
                        help_text="De ingekochte ondersteuning is veilig, doeltreffend en cliëntgericht.",
                        null=True,
                        verbose_name="kwaliteit aannemelijk (c)",
                    ),
                ),
                ("quality_note", models.TextField(blank=True, verbose_name="toelichting kwaliteit")),
                (
                    "social_network",
                    models.BooleanField(
                        default=False,
                        help_text="Dan geldt het (lagere) pgb-tarief voor het sociaal netwerk (art. 2.3.6 lid 6).",
                        verbose_name="ingekocht bij het sociaal netwerk",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "pgb",
                "verbose_name_plural": "pgb's",
                "permissions": [("export_svb", "Kan de pgb-lijst voor de SVB exporteren")],
            },
        ),
        migrations.CreateModel(
            name="PgbTariff",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("valid_from", models.DateField(verbose_name="geldig vanaf")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="geldig tot en met")),
                (
                    "amount_per_period",
                    models.DecimalField(
                        decimal_places=2, max_digits=9, verbose_name="pgb-tarief per 4 weken (professioneel)"
                    ),
                ),
                (
                    "informal_amount_per_period",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Voor ondersteuning ingekocht bij iemand uit het sociaal netwerk; leeg: het professionele tarief.",
                        max_digits=9,
                        null=True,
                        verbose_name="pgb-tarief per 4 weken (sociaal netwerk)",
                    ),
                ),
                (
                    "opslag_per_period",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=9, null=True, verbose_name="opslag per 4 weken"
                    ),
                ),
            ],
            options={
                "verbose_name": "pgb-tarief",
                "verbose_name_plural": "pgb-tarieven",
                "ordering": ["product__level", "valid_from"],
            },
        ),
        migrations.AddField(
            model_name="indication",
            name="delivery_form",
            field=models.CharField(
                choices=[("natura", "zorg in natura"), ("pgb", "persoonsgebonden budget")],
                default="natura",
                help_text="Bij een pgb koopt de budgethouder de ondersteuning zelf in: geen aanbieder, geen toewijzing.",
                max_length=10,
                verbose_name="leveringsvorm",
            ),
        ),
        migrations.AddConstraint(
            model_name="indication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("delivery_form", "pgb"), _negated=True), ("provider__isnull", True), _connector="OR"
                ),
                name="indication_pgb_has_no_provider",
                violation_error_message="Een beschikking met een pgb heeft geen aanbieder.",
            ),
        ),
        migrations.AddField(
            model_name="pgbbudget",
            name="indication",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="pgb", to="indications.indication"
            ),
        ),
        migrations.AddField(
            model_name="pgbtariff",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pgb_tariffs",
                to="indications.product",
                verbose_name="product",
            ),
        ),
        migrations.AddConstraint(
            model_name="pgbtariff",
            constraint=models.UniqueConstraint(fields=("product", "valid_from"), name="pgb_tariff_unique_start"),
        ),
        migrations.AddConstraint(
            model_name="pgbtariff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"
                ),
                name="pgb_tariff_period_ordered",
                violation_error_message="'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen.",
            ),
        ),
        migrations.AddConstraint(
            model_name="pgbtariff",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_per_period__gte", 0)), name="pgb_tariff_amount_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="pgbtariff",
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
                name="pgb_tariff_periods_do_not_overlap",
                violation_error_message="Deze periode overlapt met een ander pgb-tarief van hetzelfde product.",
            ),
        ),
        migrations.RunPython(add_default_pgb_tariffs, remove_default_pgb_tariffs),
    ]
