"""ZrmScore.assessment without an index of its own: the unique constraint zrm_score_once_per_domain
(assessment, domain) serves every lookup by assessment. Only the index is dropped: Django's own
AlterField would also drop and re-add the foreign key, which re-validates every row of the largest
table (26.8 million at 1,000,000 beschikkingen) while holding a lock."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "indications_zrmscore_assessment_id_14bc665d"


class Migration(migrations.Migration):
    dependencies = [
        ("indications", "0023_client_file_retention"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "indications_zrmscore" ("assessment_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="zrmscore",
                    name="assessment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="indications.zrmassessment",
                    ),
                ),
            ],
        ),
    ]
