"""POST /iwmo/berichten/: a raw WMO305 over HTTPS with the provider's API key, answered with the
retour's BerichtIdentificatie; audited; the same bytes again change nothing."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.services import issue_api_token
from tests.factories import contracted_provider, issued_assignment
from tests.iwmo.messages import start_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(provider, consultant):
    today = timezone.localdate()  # the endpoint reads the clock, as the API does
    assignment = issued_assignment(provider, consultant, today=today)
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    return assignment, key, today


def post(client, raw: bytes, key: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post("/iwmo/berichten/", data=raw, content_type="application/xml", **headers)


def test_a_start_over_https_is_applied_and_answered_with_its_retour(client, started):
    assignment, key, today = started
    raw = start_message(assignment, begindatum=assignment.start_date, dagtekening=today)
    response = post(client, raw, key)
    assert response.status_code == 200
    body = response.json()
    retour = OutgoingMessage.objects.get(message_type="WMO306")
    assert body["status"] == "geaccepteerd" and body["retour"]["identificatie"] == retour.identification
    assert body["retour"]["berichtsoort"] == "WMO306"
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date
    assert IncomingMessage.objects.get().channel == IncomingMessage.Channel.HTTPS
    assert AuditEvent.objects.filter(summary__startswith="POST /iwmo/berichten/: WMO305").exists()
    again = post(client, raw, key)
    assert again.json() == body and OutgoingMessage.objects.filter(message_type="WMO306").count() == 1


def test_without_a_valid_key_nothing_is_received(client, started):
    assignment, _key, today = started
    raw = start_message(assignment, begindatum=assignment.start_date, dagtekening=today)
    for key in (None, "sdd_onbekend"):
        response = post(client, raw, key)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert not IncomingMessage.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REJECTED, object_type="iwmo.incomingmessage").count() == 2


def test_a_message_in_another_providers_name_is_a_technical_rejection(client, started, consultant):
    assignment, _key, today = started
    other = contracted_provider(name="Andere Aanbieder")
    _token, other_key = issue_api_token(other, name="koppeling", by=consultant)
    response = post(client, start_message(assignment, begindatum=assignment.start_date, dagtekening=today), other_key)
    assert response.json()["fouten"][0]["codes"] == ["0001"]
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


def test_a_message_over_the_size_limit_is_refused_unread(client, started, settings):
    _assignment, key, _today = started
    settings.IWMO = {**settings.IWMO, "MAX_MESSAGE_BYTES": 1000}
    response = post(client, b"<a>" + b" " * 5000 + b"</a>", key)
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert not IncomingMessage.objects.exists()
    assert AuditEvent.objects.filter(summary="POST /iwmo/berichten/ geweigerd (request_too_large)").exists()


def test_get_is_refused(client):
    assert client.get("/iwmo/berichten/").status_code == 405
