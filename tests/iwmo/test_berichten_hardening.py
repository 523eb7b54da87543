"""POST /iwmo/berichten/ against hostile callers: a budget per API key and per address for calls
without a valid key (429, Dutch, Retry-After), the wrong method (405), a body that is not XML (415),
no length or a chunked body (411), a huge body (413, read no further than the limit), a revoked key
(401). Every refusal is in the audit trail, and none of them stores a message."""

import socket

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditEvent
from iwmo.models import IncomingMessage
from providers.services import issue_api_token, revoke_api_token
from tests.factories import contracted_provider, issued_assignment
from tests.iwmo.messages import start_message
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db

URL = "/iwmo/berichten/"


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def started(provider, consultant):
    today = timezone.localdate()
    assignment = issued_assignment(provider, consultant, today=today)
    token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    raw = start_message(assignment, begindatum=assignment.start_date, dagtekening=today)
    return token, key, raw


def post(client, raw: bytes, key: str | None, content_type="application/xml", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, data=raw, content_type=content_type, **headers, **extra)


def refusals(code: str) -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.REJECTED, summary=f"POST /iwmo/berichten/ geweigerd ({code})"
    ).count()


def test_a_key_over_its_budget_gets_429_in_dutch_with_retry_after(client, started, settings):
    _token, key, raw = started
    settings.IWMO = {**settings.IWMO, "RATE_PER_KEY": "2/min"}
    assert [post(client, raw, key).status_code for _ in range(2)] == [200, 200]
    response = post(client, raw, key)
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert "Te veel berichten met deze API-sleutel" in response.json()["melding"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert refusals("throttled") == 1
    assert IncomingMessage.objects.count() == 1  # the same bytes twice: one message


def test_each_key_has_its_own_budget(client, started, settings, provider, consultant):
    _token, key, raw = started
    _other, other_key = issue_api_token(provider, name="tweede koppeling", by=consultant)
    settings.IWMO = {**settings.IWMO, "RATE_PER_KEY": "1/min"}
    assert post(client, raw, key).status_code == 200
    assert post(client, raw, key).status_code == 429
    assert post(client, raw, other_key).status_code == 200


def test_calls_without_a_valid_key_have_a_budget_per_address(client, started, settings):
    _token, key, raw = started
    settings.IWMO = {**settings.IWMO, "RATE_PER_IP_ANONYMOUS": "3/min", "RATE_PER_KEY": "100/min"}
    statuses = [post(client, raw, guess).status_code for guess in (None, "sdd_geraden1", "sdd_geraden2")]
    assert statuses == [401, 401, 401]
    blocked = post(client, raw, "sdd_geraden3")
    assert blocked.status_code == 429 and "zonder geldige API-sleutel" in blocked.json()["melding"]
    assert int(blocked["Retry-After"]) >= 1
    # A forged X-Forwarded-For is no other address: the budget counts the address the server saw.
    assert post(client, raw, "sdd_geraden4", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another address has its own budget, and a valid key is not held up by the guessing.
    assert post(client, raw, "sdd_geraden5", REMOTE_ADDR="198.51.100.7").status_code == 401
    assert post(client, raw, key).status_code == 200
    assert refusals("not_authenticated") == 4 and refusals("throttled") == 2
    assert IncomingMessage.objects.count() == 1


def test_the_key_of_a_revoked_token_is_refused(client, started, consultant):
    token, key, raw = started
    revoke_api_token(token, by=consultant)
    response = post(client, raw, key)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
    assert not IncomingMessage.objects.exists()
    event = AuditEvent.objects.get(summary="POST /iwmo/berichten/ geweigerd (not_authenticated)")
    assert "ingetrokken" in event.actor_label


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "head", "options"])
def test_any_other_method_is_405_with_allow_post(client, started, method):
    _token, key, _raw = started
    response = getattr(client, method)(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert refusals("method_not_allowed") == 1


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml-dtd"]
)
def test_a_body_that_is_not_xml_is_415(client, started, content_type):
    _token, key, raw = started
    response = post(client, raw, key, content_type=content_type)
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert not IncomingMessage.objects.exists() and refusals("unsupported_media_type") == 1


def test_text_xml_with_a_charset_is_xml(client, started):
    _token, key, raw = started
    assert post(client, raw, key, content_type="text/xml; charset=UTF-8").status_code == 200


def test_a_huge_body_is_413_by_its_content_length_before_reading(client, started, settings):
    _token, key, _raw = started
    settings.IWMO = {**settings.IWMO, "MAX_MESSAGE_BYTES": 10_000}
    response = post(client, b"<a>" + b"x" * 2_000_000 + b"</a>", key)
    assert response.status_code == 413 and "ten hoogste 10000 bytes" in response.json()["melding"]
    assert not IncomingMessage.objects.exists() and refusals("request_too_large") == 1


def test_a_body_without_length_or_chunked_is_411(client, started):
    """Django reads no body without a Content-Length (a chunked upload would look empty): refused."""
    _token, key, raw = started
    assert post(client, raw, key, CONTENT_LENGTH="").status_code == 411
    chunked = post(client, raw, key, HTTP_TRANSFER_ENCODING="chunked")
    assert chunked.status_code == 411 and chunked.json()["code"] == "length_required"
    assert post(client, raw, key, CONTENT_LENGTH="12abc").status_code == 400
    assert not IncomingMessage.objects.exists() and refusals("length_required") == 2


def test_a_message_in_another_providers_afzender_changes_nothing(client, started, consultant):
    """TR (technical rejection 0001): the Afzender is not the key's provider; audited, retour 0001."""
    _token, _key, raw = started
    other = contracted_provider(name="Vreemde Aanbieder")
    _other_token, other_key = issue_api_token(other, name="koppeling", by=consultant)
    response = post(client, raw, other_key)
    assert response.status_code == 200 and response.json()["fouten"][0]["codes"] == ["0001"]
    assert IncomingMessage.objects.get().status == IncomingMessage.Status.REJECTED


@pytest.fixture
def reference_data(transactional_db):
    """Before the fixtures that need it: a flushing test may have run before this one."""
    seed_reference_data()


@pytest.mark.django_db(transaction=True)
def test_a_client_that_stops_sending_mid_body_is_refused_not_received(
    reference_data, live_server, consultant, provider
):
    """Over a real socket: the headers promise 1000 bytes, 100 come and the client stops sending
    (a slowloris-style partial body, cut off). Half a message is no message: 400, nothing stored.
    (Holding a connection open for long is the front web server's to cut off: its body timeout.)"""
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            b"POST /iwmo/berichten/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\n"
            + f"Authorization: Bearer {key}\r\nContent-Length: 1000\r\n\r\n".encode()
            + b"<" * 100
        )
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 400 " in status_line and b'"incomplete_body"' in rest
    assert not IncomingMessage.objects.exists() and refusals("incomplete_body") == 1
