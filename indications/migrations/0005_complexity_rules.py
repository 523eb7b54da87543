from django.db import migrations

# The four-eyes criteria of issue "Four-eyes review" as editable data.
RULES = [
    ("product", "Product IB3 zwaar", None, "IB3", []),
    ("opslag", "Opslag wegens ernstige gedragsproblematiek", None, None, []),
    ("zrm_acuut", "ZRM-score 1 (acute problematiek) op een domein", None, None, []),
    ("aantal_resultaten", "Meer dan 4 resultaten", 4, None, []),
    ("looptijd", "Looptijd langer dan 52 weken of onbepaald", 52, None, []),
    ("stapeling", "Stapeling met beschermd wonen of dagbesteding", None, None, ["beschermd_wonen", "dagbesteding"]),
    ("opschaling", "Herindicatie of opschaling naar een zwaarder product", None, None, []),
    ("handmatig", "Vier ogen gevraagd door de consulent", None, None, []),
]


def seed(apps, schema_editor):
    ComplexityRule = apps.get_model("indications", "ComplexityRule")
    Product = apps.get_model("indications", "Product")
    for kind, name, threshold, product_code, provision_kinds in RULES:
        product = Product.objects.get(code=product_code) if product_code else None
        ComplexityRule.objects.get_or_create(
            kind=kind,
            product=product,
            defaults={"name": name, "threshold": threshold, "provision_kinds": provision_kinds},
        )


class Migration(migrations.Migration):
    dependencies = [("indications", "0004_four_eyes_review_and_other_provisions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
