"""Membership of the Sociale Dienst Drechtsteden as data: Municipality.member_from and member_until.

The seeds name six Drechtsteden municipalities for 2016 (seed 003, Monitor 3D: "de zes
Drechtsteden", without Hardinxveld-Giessendam) and seven for 2020 (seed 000, Trimbos: "de zeven
Drechtsteden gemeenten"). They do not give the day Hardinxveld-Giessendam joined. ASSUMPTION (public
knowledge, not in the seeds): Hardinxveld-Giessendam joined the GR Drechtsteden, and so the SDD's
Wmo, on 1 January 2018. The other six are members since the Wmo 2015 took effect (1 January 2015).
The functioneel beheerder corrects the dates in the admin if they differ.
"""

import datetime

from django.db import migrations, models

WMO_2015_START = datetime.date(2015, 1, 1)
JOINED_LATER = {"0523": datetime.date(2018, 1, 1)}  # Hardinxveld-Giessendam


def set_membership(apps, schema_editor):
    Municipality = apps.get_model("indications", "Municipality")
    Municipality.objects.update(member_from=WMO_2015_START)
    for code, member_from in JOINED_LATER.items():
        Municipality.objects.filter(code=code).update(member_from=member_from)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("indications", "0016_mantelzorgers"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="member_from",
            field=models.DateField(
                default=datetime.date(2015, 1, 1),
                help_text="De eerste dag waarop de SDD de Wmo voor deze gemeente uitvoert.",
                verbose_name="lid vanaf",
            ),
        ),
        migrations.AddField(
            model_name="municipality",
            name="member_until",
            field=models.DateField(
                blank=True,
                help_text="De laatste dag waarop de SDD de Wmo voor deze gemeente uitvoert; leeg: nog lid.",
                null=True,
                verbose_name="lid tot en met",
            ),
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("member_until__isnull", True), ("member_until__gt", models.F("member_from")), _connector="OR"
                ),
                name="municipality_member_until_after_from",
                violation_error_message="De einddatum van het lidmaatschap moet na de begindatum liggen.",
            ),
        ),
        migrations.RunPython(set_membership, migrations.RunPython.noop),
    ]
