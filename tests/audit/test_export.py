"""The audit trail exported in the NEN 7513 field layout (CSV and JSON lines), by command and by page;
an export is itself an event (code P)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import FUNCTIONEEL_BEHEERDER
from audit.export import COLUMNS
from audit.models import AuditEvent
from audit.services import record_event
from tests.audit.helpers import old_event
from tests.factories import ClientFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(consultant, settings):
    settings.SDDCASE_SYSTEM_ID = "sddcase-export"
    first, second = ClientFactory(bsn="111222333"), ClientFactory(bsn="444555666")
    record_event(
        actor=consultant, action="read", obj=first, client_id=first.pk, summary="dossier", ip_address="192.0.2.5"
    )
    record_event(actor=consultant, action="update", obj=second, client_id=second.pk, summary="gewijzigd")
    old_event(timezone.now() - timedelta(days=40), summary="lang geleden")
    return first, second


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_audit", *args, stdout=out)
    return out.getvalue()


def test_the_csv_has_the_nen_columns_one_row_per_event(events, consultant):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv")), delimiter=";"))
    assert list(rows[0]) == COLUMNS
    read = next(row for row in rows if row["omschrijving"] == "dossier")
    assert {key: read[key] for key in ("actiecode", "resultaat", "gebruiker_id", "rol", "reden_van_inzage")} == {
        "actiecode": "R",
        "resultaat": "success",
        "gebruiker_id": consultant.username,
        "rol": "consulent",
        "reden_van_inzage": "uitvoering Wmo-taak",
    }
    assert (read["netwerk_toegangspunt"], read["systeem_id"], read["bsn"]) == (
        "192.0.2.5",
        "sddcase-export",
        "*****2333",
    )
    assert (read["object_type"], read["object_id"]) == ("indications.client", str(events[0].pk))
    assert "111222333" not in export("--format", "csv")


def test_jsonl_filters_by_period_and_bsn(events):
    today = timezone.localdate().isoformat()
    lines = export("--format", "jsonl", "--since", today, "--bsn", "444555666").splitlines()
    assert [json.loads(line)["omschrijving"] for line in lines] == ["gewijzigd"]
    assert set(json.loads(lines[0])) == set(COLUMNS)
    everything = export("--format", "jsonl").splitlines()
    assert "lang geleden" in {json.loads(line)["omschrijving"] for line in everything}
    until = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert [
        json.loads(line)["omschrijving"] for line in export("--format", "jsonl", "--until", until).splitlines()
    ] == ["lang geleden"]


def test_an_export_is_itself_an_event(events):
    export("--format", "csv", "--bsn", "111222333")
    event = AuditEvent.objects.get(action="export")
    assert (event.nen_action, event.bsn, event.actor_label, event.purpose) == (
        "P",
        "111222333",
        "manage.py export_audit",
        "functioneel beheer",
    )
    assert event.changes["events"] == 1 and event.changes["bsn"] == "*****2333"
    assert "111222333" not in event.summary


def test_the_command_refuses_bad_input(events):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        export("--bsn", "12")
    with pytest.raises(CommandError):
        export("--since", "2026-02-01", "--until", "2026-01-01")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_page_streams_the_download_for_the_functioneel_beheerder(client, events):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    client.force_login(beheerder)
    assert client.get("/audittrail/export/").status_code == 200
    response = client.get("/audittrail/export/", {"format": "jsonl", "bsn": "111222333"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [row["omschrijving"] for row in rows] == ["dossier"]
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.bsn) == (beheerder, "111222333")


def test_the_page_shows_errors_at_the_fields(client):
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    response = client.get("/audittrail/export/", {"format": "csv", "bsn": "12"})
    assert response.status_code == 200
    assert "Een BSN bestaat uit precies 9 cijfers." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_consultant_may_not_export(client, consultant):
    client.force_login(consultant)
    assert client.get("/audittrail/export/", {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
    assert AuditEvent.objects.get(object_type="page").outcome == "refused"
