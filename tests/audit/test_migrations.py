"""The NEN 7513 migrations run over an audit trail that has rows, as on every installation that
is not new: 0007 adds the columns (and an index), 0008 maps the existing rows and creates the
append-only triggers again. On PostgreSQL, updating the rows in the migration that creates the
index was refused ("pending trigger events" from the actor's deferred foreign key)."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.audit_trail import trigger_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0006_audit_event_action_delete")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "audit"]


def test_the_nen7513_migrations_map_existing_rows_with_an_actor(settings):
    settings.SDDCASE_SYSTEM_ID = "sddcase-migratie"
    latest = _latest()
    actor = UserFactory()
    executor = _migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldEvent = old_apps.get_model("audit", "AuditEvent")
    for action in ("create", "update", "rejected"):
        OldEvent._base_manager.create(
            uuid=uuid.uuid4(),
            at=timezone.now(),
            action=action,
            object_type="indications.client",
            object_id="1",
            summary="voor de migratie",
            changes={},
            actor_id=actor.pk,
            actor_label=actor.username,
        )

    _migrate(latest)

    from audit.models import AuditEvent  # the model of the latest state

    rows = AuditEvent.objects.filter(summary="voor de migratie")
    rows = sorted(rows.values_list("action", "nen_action", "outcome", "system_id"))
    assert rows == [
        ("create", "C", "success", "sddcase-migratie"),
        ("rejected", "R", "refused", "sddcase-migratie"),
        ("update", "U", "success", "sddcase-migratie"),
    ]
    expected = {
        "postgresql": ["audit_auditevent_no_delete", "audit_auditevent_no_truncate", "audit_auditevent_no_update"],
        "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
    }
    assert trigger_names(connection) == expected[connection.vendor]
