"""The NEN 7513 action code and system of the audit events that existed before 0007, and the
append-only triggers again (with 0007's retention exception).

This is a migration of its own because on PostgreSQL the UPDATE of existing rows leaves trigger
events pending (the deferred foreign key of the actor) and the schema changes of 0007 (its
CREATE INDEX) are then refused. The triggers are dropped first (IF EXISTS) so that a database
that ran an earlier 0007, which created them already, passes too."""

import importlib

from django.conf import settings
from django.db import migrations

# The operations on the triggers are 0007's; a migration module's name is not an identifier.
nen7513_fields = importlib.import_module("audit.migrations.0007_nen7513_fields")


def map_existing_actions(apps, schema_editor):
    nen7513_fields.drop_triggers(apps, schema_editor)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    manager = AuditEvent._base_manager
    for action, (code, outcome) in nen7513_fields.NEN_ACTIONS.items():
        # The model's queryset refuses update(); the historical model's plain manager does not.
        manager.filter(action=action).update(nen_action=code, outcome=outcome)
    manager.filter(system_id="").update(system_id=settings.SDDCASE_SYSTEM_ID)
    nen7513_fields.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_nen7513_fields"),
    ]

    operations = [
        migrations.RunPython(map_existing_actions, nen7513_fields.drop_triggers),
    ]
