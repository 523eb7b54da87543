"""Events recorded before the NEN 7513 fields have bsn '' but a client_id: the export and its BSN
search find them through the client's BSN at query time (the trail itself is never updated)."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.roles import FUNCTIONEEL_BEHEERDER
from audit.export import Selection
from audit.models import AuditEvent
from audit.services import record_event
from tests.audit.helpers import TABLE, old_event
from tests.factories import ClientFactory, staff_member

pytestmark = pytest.mark.django_db


def old_event_of(client, *, summary: str) -> AuditEvent:
    """An event as the trail held it before the NEN 7513 migration: a client_id, no BSN."""
    key = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (uuid, at, actor_label, action, object_type, object_id, client_id, summary, changes) "
            "VALUES (%s, %s, '', 'read', 'indications.client', %s, %s, %s, '{}')",
            [
                key.hex if connection.vendor == "sqlite" else str(key),
                timezone.now() - timedelta(days=400),
                str(client.pk),
                client.pk,
                summary,
            ],
        )
    found = AuditEvent.objects.get(uuid=key)
    assert found.bsn == ""
    return found


@pytest.fixture
def clients():
    return ClientFactory(bsn="111222333"), ClientFactory(bsn="444555666")


def test_the_bsn_selection_finds_old_events_through_their_client(clients, consultant):
    first, second = clients
    old = old_event_of(first, summary="oud dossier")
    old_event_of(second, summary="ander dossier")
    new = record_event(actor=consultant, action="read", obj=first, client_id=first.pk, summary="nieuw")
    assert new.bsn == "111222333"
    found = list(Selection(bsn="111222333").events())
    assert [event.pk for event in found] == [old.pk, new.pk]
    assert [event.person_bsn for event in found] == ["111222333", "111222333"]


def test_an_old_event_without_client_is_not_found(clients):
    old_event(timezone.now() - timedelta(days=10), summary="zonder cliënt")
    assert not Selection(bsn="111222333").events().exists()


def test_the_selection_costs_one_query_however_many_old_events(clients, django_assert_num_queries):
    first, second = clients
    for number in range(5):
        old_event_of(first if number % 2 else second, summary=f"oud {number}")
    with django_assert_num_queries(1):
        rows = list(Selection().events())
    assert sorted(event.person_bsn for event in rows if event.client_id) == ["111222333"] * 2 + ["444555666"] * 3


def test_the_export_command_finds_and_masks_the_old_events(clients):
    first, _second = clients
    old_event_of(first, summary="oud dossier")
    old_event_of(_second, summary="ander dossier")
    out = io.StringIO()
    call_command("export_audit", "--format", "csv", "--bsn", "111222333", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))
    assert [(row["omschrijving"], row["bsn"]) for row in rows] == [("oud dossier", "*****2333")]
    assert "111222333" not in out.getvalue()


def test_the_old_rows_are_not_updated(clients):
    first, _second = clients
    old = old_event_of(first, summary="oud")
    call_command("export_audit", "--format", "jsonl", "--bsn", "111222333", stdout=io.StringIO())
    assert AuditEvent.objects.get(pk=old.pk).bsn == ""


def test_the_export_page_finds_old_events_by_bsn(clients, client):
    first, _second = clients
    old_event_of(first, summary="oud dossier")
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    response = client.get("/audittrail/export/", {"format": "csv", "bsn": "111222333"})
    body = b"".join(response.streaming_content).decode()
    assert "oud dossier" in body and "*****2333" in body
