"""The audit trail is append-only: the application cannot change or delete it."""

import pytest

from audit.models import AuditEvent
from audit.services import changed_fields, record_event
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(consultant):
    client = ClientFactory()
    return record_event(actor=consultant, action=AuditEvent.Action.READ, obj=client, client_id=client.pk,
                        summary="dossier ingezien", ip_address="10.0.0.1")


def test_an_event_records_who_what_and_from_where(event, consultant):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.action, stored.object_type, stored.ip_address) == (
        consultant, "read", "indications.client", "10.0.0.1")


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
