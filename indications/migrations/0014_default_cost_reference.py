"""The default cost reference for the IB rule "extramural no dearer than intramural" (seed 002).

About EUR 175 a day for a beschermd-wonen / Wlz package with verblijf, so EUR 4,900 per 4 weeks,
and EUR 62 per hour IB (for dagdelen dagbesteding filled in with IB). The functioneel beheerder
adjusts them in the admin (Kostenreferenties intramuraal), with a new row per validity period.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations


def add_default(apps, schema_editor):
    CostReference = apps.get_model("indications", "CostReference")
    CostReference.objects.get_or_create(
        valid_from=date(2015, 1, 1),
        defaults={
            "intramural_package": "Beschermd wonen / Wlz met verblijf (referentie)",
            "intramural_cost_per_period": Decimal("4900.00"),
            "ib_hour_rate": Decimal("62.00"),
        },
    )


def remove_default(apps, schema_editor):
    apps.get_model("indications", "CostReference").objects.filter(valid_from=date(2015, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("indications", "0013_ib_rules_primary_domain_treatment")]

    operations = [migrations.RunPython(add_default, remove_default)]
