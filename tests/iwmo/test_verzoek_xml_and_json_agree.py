"""One service layer, two faces: the same verzoek om wijziging, sent once through the REST API (JSON)
and once as a WMO317 (XML), and refused with the same WJ759 reason, leaves the same state through
the same provider services; the API shows the WJ760/WJ759 answer with Dutch labels for both, and only
the XML one gets a WMO319 (a REST verzoek is answered in the API)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from iwmo import wmo319
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers import services as provider_services
from providers.models import Assignment, ChangeRequest
from providers.services import issue_api_token
from tests.factories import issued_assignment
from tests.iwmo.messages import verzoek_message

pytestmark = pytest.mark.django_db

FIELDS = ("requested_product_id", "requested_end_date", "request_reason", "status", "answer_kind", "refusal_reason")


def state(request: ChangeRequest) -> tuple:
    request.refresh_from_db()
    return tuple(getattr(request, name) for name in FIELDS)


@pytest.fixture
def api(provider):
    _token, key = issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_the_same_verzoek_through_json_and_through_xml_leaves_the_same_state(provider, consultant, api):
    today = timezone.localdate()  # the REST API reads the clock
    by_json = issued_assignment(provider, consultant, today=today)
    by_xml = issued_assignment(provider, consultant, today=today)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    end = by_json.start_date + timedelta(days=150)

    posted = api.post(
        f"/api/v1/toewijzingen/{by_json.number}/wijzigingsverzoeken/",
        {"berichtId": "v1", "einddatum": str(end), "motivering": "Meer tijd nodig.", "redenVerzoek": "1"},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    assert posted.json()["redenVerzoek"] == {"code": "1", "omschrijving": "verandering cliëntsituatie"}
    incoming = receive(
        verzoek_message(by_xml, dagtekening=today, einddatum=end, reden="1", referentie="R-XML"),
        channel=IncomingMessage.Channel.FOLDER,
        today=today,
    )
    assert incoming.status == IncomingMessage.Status.ACCEPTED
    json_request = ChangeRequest.objects.get(assignment=by_json)
    xml_request = ChangeRequest.objects.get(assignment=by_xml)
    assert state(json_request) == state(xml_request)

    for request in (json_request, xml_request):
        provider_services.answer_change_request(
            request, by=consultant, accept=False, reason="Past niet.", refusal_reason="4", today=today
        )
    assert state(json_request) == state(xml_request) == (None, end, "1", "afgewezen", "1", "4")

    for request in (json_request, xml_request):
        body = api.get(f"/api/v1/wijzigingsverzoeken/{request.uuid}/").json()
        assert body["status"] == "afgewezen" and body["nieuweToewijzingen"] == []
        assert body["antwoord"] == {
            "verzoekAntwoord": {"code": "1", "omschrijving": "verzoek afgewezen"},
            "redenAfwijzing": {"code": "4", "omschrijving": "past niet binnen contract"},
        }
    (answer,) = OutgoingMessage.objects.filter(message_type="WMO319")
    assert answer.client == by_xml.indication.client
    assert wmo319.read(answer.xml.encode()).referentie_aanbieder == "R-XML"


def test_a_granted_verzoek_shows_the_new_toewijzing_in_the_api(provider, consultant, api):
    today = timezone.localdate()
    assignment = issued_assignment(provider, consultant, today=today)
    api.post(
        f"/api/v1/toewijzingen/{assignment.number}/wijzigingsverzoeken/",
        {"berichtId": "v2", "einddatum": str(assignment.start_date + timedelta(days=200)), "motivering": "Langer."},
        format="json",
    )
    request = provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=True, reason="Akkoord.", today=today
    )
    body = api.get(f"/api/v1/wijzigingsverzoeken/{request.uuid}/").json()
    new = Assignment.objects.get(indication=request.follow_up)
    assert body["status"] == "toegekend" and body["antwoord"] is None and body["redenVerzoek"] is None
    assert body["nieuweToewijzingen"] == [new.number] and body["vervolgbeschikking"] == request.follow_up.number


def test_an_unknown_reden_verzoek_is_a_400_in_dutch(provider, consultant, api):
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    response = api.post(
        f"/api/v1/toewijzingen/{assignment.number}/wijzigingsverzoeken/",
        {
            "berichtId": "v3",
            "einddatum": str(assignment.start_date + timedelta(days=90)),
            "motivering": "x",
            "redenVerzoek": "7",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "WJ758" in str(response.json())
    assert not ChangeRequest.objects.exists()
