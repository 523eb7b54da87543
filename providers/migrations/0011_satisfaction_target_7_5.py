from decimal import Decimal

from django.db import migrations


def add_target(apps, schema_editor):
    """Seed 003: the target for the average score of the tevredenheidsmeting is 7.5 (2016)."""
    apps.get_model("providers", "SatisfactionTarget").objects.get_or_create(
        from_year=2016, defaults={"score": Decimal("7.5")}
    )


class Migration(migrations.Migration):
    dependencies = [("providers", "0010_client_satisfaction")]
    operations = [migrations.RunPython(add_target, migrations.RunPython.noop)]
