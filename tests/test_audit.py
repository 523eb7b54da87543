"""The audit trail is append-only: the application cannot change or delete it, neither through the
ORM nor with raw SQL (database triggers), and what it stores is printable on every database."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import changed_fields, printable, record_event
from tests.audit_trail import trigger_names, triggers_suspended
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(consultant):
    client = ClientFactory()
    return record_event(
        actor=consultant,
        action=AuditEvent.Action.READ,
        obj=client,
        client_id=client.pk,
        summary="dossier ingezien",
        ip_address="10.0.0.1",
    )


def test_an_event_records_who_what_and_from_where(event, consultant):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.action, stored.object_type, stored.ip_address) == (
        consultant,
        "read",
        "indications.client",
        "10.0.0.1",
    )


def test_an_event_cannot_be_changed(event):
    event.summary = "anders"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="anders")
    assert AuditEvent.objects.get(pk=event.pk).summary == "dossier ingezien"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_is_read_only(admin_client, event):
    assert admin_client.get(f"/beheer/audit/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.post(f"/beheer/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/beheer/audit/auditevent/add/").status_code == 403


def test_changed_fields_lists_only_what_changed():
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


# -- append-only below the ORM: database triggers --------------------------------------------------

TABLE = AuditEvent._meta.db_table


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_updates_through_the_base_manager(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(summary="anders")
    assert AuditEvent.objects.get(pk=event.pk).summary == "dossier ingezien"


def test_the_database_refuses_deletes_through_the_base_manager(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_raw_sql_that_changes_or_removes_events(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["anders", event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")
    if connection.vendor == "postgresql":  # SQLite has no TRUNCATE (its DELETE FROM is refused above)
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # else the test transaction's pending FK checks refuse it first
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.get(pk=event.pk).summary == "dossier ingezien"


def test_appending_still_works(event, consultant):
    raw(
        f"INSERT INTO {TABLE} (uuid, at, actor_label, action, object_type, object_id, summary, changes) "
        "VALUES (%s, %s, '', 'read', 'x', '1', 'rauw', '{}')",
        [uuid.uuid4().hex, timezone.now()],
    )
    assert AuditEvent.objects.filter(summary="rauw").exists()


def test_deleting_a_user_with_events_is_refused_not_cascaded(event, consultant):
    with pytest.raises(ProtectedError):
        consultant.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_database_can_still_be_flushed(consultant):
    """A transactional test ends with a flush of the test database (tests/conftest.py lifts the
    triggers for it): the teardown of this test fails if it cannot empty the audit table."""
    record_event(actor=consultant, action=AuditEvent.Action.READ, obj=consultant, summary="gelezen")
    with connection.cursor() as cursor:
        assert "audit" in " ".join(trigger_names(connection))
        with pytest.raises(DatabaseError, match="append-only"):
            cursor.execute(f"DELETE FROM {TABLE}")
    with triggers_suspended():
        pass
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE}")  # the triggers are back after a suspension


def test_the_triggers_exist_on_this_database():
    expected = {
        # Since 0007: DELETE has a trigger of its own (the retention permit), UPDATE and TRUNCATE theirs.
        "postgresql": ["audit_auditevent_no_delete", "audit_auditevent_no_truncate", "audit_auditevent_no_update"],
        "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
    }
    assert trigger_names(connection) == expected[connection.vendor]


# -- what is stored is printable -------------------------------------------------------------------


def test_control_characters_are_stored_escaped(consultant):
    event = record_event(
        actor=consultant,
        action=AuditEvent.Action.READ,
        obj=consultant,
        summary="pad /api/v1/producten/\x00/ met \x1b[31m en \\x00 en \ud800",
        changes={"veld\x00": ["a\x00", 1]},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.summary == "pad /api/v1/producten/\\x00/ met \\x1b[31m en \\\\x00 en \\ud800"
    assert stored.changes == {"veld\\x00": ["a\\x00", 1]}


def test_printable_keeps_ordinary_text():
    assert printable("Beëindigd per 1-1-2027 — zorg “gestopt”") == "Beëindigd per 1-1-2027 — zorg “gestopt”"
