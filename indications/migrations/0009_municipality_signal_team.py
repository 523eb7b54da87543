"""Which team gets a municipality's signals, as data: Municipality.signal_team. Until now the rule
was hidden in a query (the team whose name comes first, of the teams serving the municipality);
this migration writes that choice down for every municipality, so nothing changes today."""

import django.db.models.deletion
from django.db import migrations, models


def keep_todays_signal_team(apps, schema_editor):
    Municipality = apps.get_model("indications", "Municipality")
    Team = apps.get_model("accounts", "Team")
    first = {}
    for municipality_id, team_id in Team.municipalities.through.objects.order_by("team__name").values_list(
        "municipality_id", "team_id"
    ):
        first.setdefault(municipality_id, team_id)
    for municipality_id, team_id in first.items():
        Municipality.objects.filter(pk=municipality_id).update(signal_team_id=team_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("indications", "0008_tariff_periods_do_not_overlap"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="signal_team",
            field=models.ForeignKey(
                blank=True,
                help_text="Het team dat de signalen over cliënten van deze gemeente krijgt (een team van de gemeente).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.team",
                verbose_name="team voor signalen",
            ),
        ),
        migrations.RunPython(keep_todays_signal_team, migrations.RunPython.noop),
    ]
