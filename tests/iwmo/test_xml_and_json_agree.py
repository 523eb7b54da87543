"""One service layer, two faces: the same start and stop, reported once through the REST API (JSON)
and once as WMO305/WMO307 (XML), leave the toewijzing in the same state, through the same provider
services, and both send the same WMO301 for the ended toewijzing. Then both withdraw the stop and
the start (CS058, StatusAanlevering 3): as a 307/305 with StatusAanlevering 3 and through the REST
batch endpoint (`soort` stop_ingetrokken / start_ingetrokken), again with the same state, the same
audit events and the same new WMO301."""

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


def start_and_stop_both_ways(provider, consultant) -> tuple:
    """Two toewijzingen started and stopped, one through JSON and one through XML, checked alike."""
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
    return api, by_json, by_xml, begin, end


def test_the_same_scenario_through_json_and_through_xml_leaves_the_same_state(provider, consultant):
    start_and_stop_both_ways(provider, consultant)


def batch(api, *messages) -> list[dict]:
    answer = api.post("/api/v1/berichten/", {"berichten": list(messages)}, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["resultaten"]


def last_summary(assignment) -> str:
    events = AuditEvent.objects.filter(object_type="providers.assignment", object_id=assignment.pk)
    return events.order_by("id").values_list("summary", flat=True).last()


def test_cs058_a_withdrawal_through_the_batch_endpoint_and_through_xml_leaves_the_same_state(provider, consultant):
    api, by_json, by_xml, begin, end = start_and_stop_both_ways(provider, consultant)
    today = timezone.localdate()
    planned_end = by_json.indication.end_date
    folder = IncomingMessage.Channel.FOLDER
    withdraw_stop = {"soort": "stop_ingetrokken", "toewijzingnummer": by_json.number, "berichtId": "j3"}
    (result,) = batch(api, withdraw_stop)
    assert (result["status"], result["httpStatus"], result["antwoord"]["zorgGestoptOp"]) == ("geaccepteerd", 200, None)
    assert batch(api, withdraw_stop) == [result]  # a retry gets the first answer, applied once
    raw = stop_message(by_xml, begindatum=begin, einddatum=end, dagtekening=today, reden="23", status="3")
    assert receive(raw, channel=folder, today=today).status == "geaccepteerd"

    assert state(by_json) == state(by_xml) == (begin, None, "", "actief", planned_end, "")
    assert last_summary(by_json) == last_summary(by_xml) == "stop zorg ingetrokken"
    json_301, xml_301 = (
        OutgoingMessage.objects.filter(message_type="WMO301", status="wachtrij", client=a.indication.client).get()
        for a in (by_json, by_xml)
    )
    (json_product,) = wmo301.parse(json_301.xml.encode()).producten
    (xml_product,) = wmo301.parse(xml_301.xml.encode()).producten
    assert json_product.einddatum == xml_product.einddatum == planned_end  # the end from before the stop

    # TR063: nothing left to withdraw is refused alike (the batch: afgewezen with the service's code).
    (refused,) = batch(api, {**withdraw_stop, "berichtId": "j4"})
    assert (refused["status"], refused["httpStatus"]) == ("afgewezen", 400)
    assert "not_stopped" in str(refused["antwoord"])

    (result,) = batch(api, {"soort": "start_ingetrokken", "toewijzingnummer": by_json.number, "berichtId": "j5"})
    assert result["status"] == "geaccepteerd"
    raw = start_message(by_xml, begindatum=begin, dagtekening=today, status="3")
    assert receive(raw, channel=folder, today=today).status == "geaccepteerd"
    assert state(by_json) == state(by_xml) == (None, None, "", "actief", planned_end, "")
    assert last_summary(by_json) == last_summary(by_xml) == "start zorg ingetrokken"
