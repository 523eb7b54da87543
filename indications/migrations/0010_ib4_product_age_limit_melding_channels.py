"""The step at 18 (seed 003, around line 4660): IB4, the heavier begeleiding the SDD developed in 2016
for young people moving from the Jeugdwet to the Wmo, as reference data; a product's age limit (IB4:
younger than 23 on the ingangsdatum, the age to which the Jeugdwet itself may continue jeugdhulp,
since the seed gives no bound); and the melding channels jeugdhulp and GGZ / kliniek (seed 000)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import migrations, models

IB4_AGE_LIMIT = 23


def add_ib4(apps, schema_editor):
    Product = apps.get_model("indications", "Product")
    Tariff = apps.get_model("indications", "Tariff")
    product, _ = Product.objects.update_or_create(
        code="IB4",
        defaults={
            "name": "IB4 zwaar jongeren",
            # The seeds give IB4 no iWmo code (like IB0): the functional manager fills it in the admin.
            "iwmo_code": "",
            "level": 4,
            "requires_end_date": False,
            "max_duration_weeks": None,
            "allows_opslag": False,
            "age_limit": IB4_AGE_LIMIT,
            "description": "Zwaardere begeleiding voor jongeren die van de Jeugdwet naar de Wmo gaan; sluit aan "
            "op de begeleiding onder de Jeugdwet en bevordert de doorstroom bij 18 jaar.",
        },
    )
    Tariff.objects.get_or_create(
        product=product,
        valid_from=date(2017, 1, 1),
        defaults={"amount_per_period": Decimal(settings.SDD["IB4_TARIFF"])},
    )


def remove_ib4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending for the ALTER TABLE
    Product = apps.get_model("indications", "Product")
    Tariff = apps.get_model("indications", "Tariff")
    Tariff.objects.filter(product__code="IB4").delete()
    Product.objects.filter(code="IB4", indications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0009_municipality_signal_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="age_limit",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="De cliënt is op de ingangsdatum jonger dan deze leeftijd; leeg: geen grens.",
                null=True,
                verbose_name="leeftijdsgrens",
            ),
        ),
        migrations.AlterField(
            model_name="melding",
            name="channel",
            field=models.CharField(
                choices=[
                    ("telefoon", "telefoon"),
                    ("balie", "balie"),
                    ("wijkteam", "wijkteam"),
                    ("aanbieder", "aanbieder"),
                    ("huisarts", "huisarts"),
                    ("jeugdhulp", "jeugdhulp"),
                    ("ggz_kliniek", "GGZ / kliniek"),
                    ("anders", "anders"),
                ],
                max_length=20,
                verbose_name="kanaal",
            ),
        ),
        migrations.RunPython(add_ib4, remove_ib4),
    ]
