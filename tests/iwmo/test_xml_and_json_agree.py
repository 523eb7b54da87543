"""One service layer, two faces: the same start and stop, reported once through the REST API (JSON)
and once as WMO305/WMO307 (XML), leave the toewijzing in the same state, through the same provider
services, and both send the same WMO301 for the ended toewijzing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from iwmo import wmo301
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.services import issue_api_token
from tests.factories import issued_assignment
from tests.iwmo.messages import start_message, stop_message

pytestmark = pytest.mark.django_db

FIELDS = ("care_started_on", "care_stopped_on", "stop_reason", "status", "end_date", "change_reason")


def state(assignment) -> tuple:
    assignment.refresh_from_db()
    return tuple(getattr(assignment, name) for name in FIELDS)


def test_the_same_scenario_through_json_and_through_xml_leaves_the_same_state(provider, consultant):
    today = timezone.localdate()  # the REST API reads the clock
    by_json = issued_assignment(provider, consultant, today=today)
    by_xml = issued_assignment(provider, consultant, today=today)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    begin, end = by_json.start_date + timedelta(days=2), today - timedelta(days=1)

    _token, key = issue_api_token(provider, name="test", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    base = f"/api/v1/toewijzingen/{by_json.number}"
    assert api.post(f"{base}/start/", {"berichtId": "j1", "startdatum": str(begin)}, format="json").status_code == 200
    stopped = api.post(
        f"{base}/stop/", {"berichtId": "j2", "einddatum": str(end), "redenBeeindiging": "23"}, format="json"
    )
    assert stopped.status_code == 200

    folder = IncomingMessage.Channel.FOLDER
    started = receive(start_message(by_xml, begindatum=begin, dagtekening=today), channel=folder, today=today)
    stop = stop_message(by_xml, begindatum=begin, einddatum=end, dagtekening=today, reden="23")
    ended = receive(stop, channel=folder, today=today)
    assert (started.status, ended.status) == ("geaccepteerd", "geaccepteerd")

    assert state(by_json) == state(by_xml) == (begin, end, "23", "beeindigd", end, "")
    for assignment in (by_json, by_xml):  # the same services wrote the same audit events
        summaries = list(
            AuditEvent.objects.filter(object_type="providers.assignment", object_id=assignment.pk)
            .order_by("id")
            .values_list("summary", flat=True)
        )
        assert summaries[-2:] == ["start zorg", "stop zorg (23)"]
    json_301, xml_301 = (
        OutgoingMessage.objects.filter(message_type="WMO301", status="wachtrij", client=a.indication.client).get()
        for a in (by_json, by_xml)
    )
    (json_product,) = wmo301.parse(json_301.xml.encode()).producten
    (xml_product,) = wmo301.parse(xml_301.xml.encode()).producten
    assert (json_product.einddatum, json_product.reden_wijziging) == (xml_product.einddatum, "") == (end, "")
