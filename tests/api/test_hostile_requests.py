"""A hostile or broken client: whatever it sends, the answer is a 4xx in JSON with a code and a Dutch
melding, nothing changes, and the call is in the audit trail (on SQLite and on PostgreSQL)."""

import json
from io import BytesIO
from urllib.parse import quote
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from api.parsers import JSONParser, RequestTooLarge
from audit.models import AuditEvent
from providers import services
from providers.models import CareEvent
from sddcase.wsgi import application
from tests.api.hostile import AuditCounter, assert_refused, english_in
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder Vijandig")


@pytest.fixture
def key(provider):
    return services.issue_api_token(provider, name="vijandig", by=None)[1]


@pytest.fixture
def assignment(provider, consultant):
    return issued_assignment(provider, consultant, today=timezone.localdate())


@pytest.fixture
def http(key) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def label_of(provider) -> str:
    return f"aanbieder {provider.agb_code} (sleutel "


def start_url(assignment):
    return f"/api/v1/toewijzingen/{assignment.number}/start/"


def post(http, path, body: bytes | str, content_type="application/json", **extra):
    return http.generic("POST", path, body.encode() if isinstance(body, str) else body, content_type, **extra)


def assert_audited(counter: AuditCounter, provider, status: int) -> AuditEvent:
    call = counter.the_call()
    assert call.action == AuditEvent.Action.REJECTED
    assert f"→ {status}" in call.summary
    assert call.actor_label.startswith(label_of(provider)), call.actor_label
    return call


# -- bodies ---------------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize(
    "body, code",
    [
        (DEEP, "too_deep"),
        (DEEP_OBJECT, "too_deep"),
        ('{"berichtId": "x", "startdatum": ' + "[" * 40 + "]" * 40 + "}", "too_deep"),  # just over the limit
        ("geen json", "invalid_json"),
        ('{"berichtId": "x",', "invalid_json"),
        (b'{"berichtId": "\xff\xfe", "startdatum": "2026-11-01"}', "invalid_encoding"),
        ('{"berichtId": "x", "startdatum": NaN}', "invalid_json"),
        ('{"berichtId": "x", "startdatum": 1e999}', "invalid_json"),
        ('{"berichtId": ' + "9" * 5000 + "}", "invalid_json"),
        ("[]", "invalid"),
        ('"tekst"', "invalid"),
        ("null", "invalid"),
        ("12", "invalid"),
        ('{"berichtId": {"a": 1}, "startdatum": ["2026-11-01"]}', "invalid"),
        ('{"berichtId": "' + "9" * 4000 + '", "startdatum": 1e308}', "invalid"),
        ('{"berichtId": "\\u0000", "startdatum": "2026-11-01"}', "null_characters_not_allowed"),
        ('{"berichtId": "\\ud800", "startdatum": "2026-11-01"}', "surrogate_characters_not_allowed"),
        ('{"berichtId": "x", "startdatum": "2026-11-01", "\\ud800\\u0000": 1}', "unknown_field"),
        ('{"berichtId": "x", "startdatum": "01-11-2026T00:00"}', "invalid"),
        ('{"berichtId": true, "startdatum": false}', "invalid"),
        ("", "required"),
    ],
)
def test_a_broken_body_on_start_is_a_dutch_400(http, assignment, provider, body, code):
    counter = AuditCounter()
    assert_refused(post(http, start_url(assignment), body), 400, code)
    assert_audited(counter, provider, 400)
    assignment.refresh_from_db()
    assert assignment.care_started_on is None and not CareEvent.objects.exists()


@pytest.mark.parametrize("path", ["stop/", "wijzigingsverzoeken/"])
def test_deep_nesting_on_every_message_endpoint(http, assignment, provider, path):
    counter = AuditCounter()
    assert_refused(post(http, f"/api/v1/toewijzingen/{assignment.number}/{path}", DEEP), 400, "too_deep")
    assert_audited(counter, provider, 400)


@pytest.mark.parametrize(
    "body, code",
    [
        (DEEP, "too_deep"),
        ('{"berichten": ' + "[" * 50 + "]" * 50 + "}", "too_deep"),
        ('{"berichten": {"soort": "start"}}', "not_a_list"),
        ('{"berichten": "alles"}', "not_a_list"),
        ('{"berichten": [1, "twee", null]}', "not_a_dict"),
        ('{"berichten": []}', "min_length"),
        ('{"berichten": [' + ",".join(["{}"] * 501) + "]}", "max_length"),
        ('{"items": []}', "unknown_field"),
        ("[]", "invalid"),
    ],
)
def test_a_broken_batch_is_a_dutch_400(http, provider, body, code):
    counter = AuditCounter()
    assert_refused(post(http, "/api/v1/berichten/", body), 400, code)
    assert_audited(counter, provider, 400)


def test_broken_messages_inside_a_batch_are_answered_in_dutch(http, assignment):
    response = post(
        http,
        "/api/v1/berichten/",
        json.dumps(
            {
                "berichten": [
                    {
                        "soort": "start",
                        "toewijzingnummer": assignment.number,
                        "berichtId": 1e308,
                        "startdatum": {"x": 1},
                    },
                    {"soort": ["start"], "toewijzingnummer": {"a": 1}},
                    {
                        "soort": "stop",
                        "toewijzingnummer": assignment.number,
                        "berichtId": "s",
                        "einddatum": "morgen",
                        "redenBeeindiging": 19,
                    },
                    {"soort": "start", "toewijzingnummer": "\u0000", "berichtId": "\ud800"},
                ]
            }
        ),
    )
    assert response.status_code == 200
    results = response.json()["resultaten"]
    assert [result["httpStatus"] for result in results] == [400, 400, 400, 400]
    for result in results:
        assert_refused_body(result["antwoord"])


def assert_refused_body(body):
    assert body["code"] and body["melding"]
    for message in [body["melding"], *(error["melding"] for error in body.get("fouten", []))]:
        assert not english_in(message), message


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json-patch+json",
        "",
        "application/json\x00",
        "tekst/\u00ff",
    ],
)
def test_another_content_type_is_a_dutch_415(http, assignment, provider, content_type):
    counter = AuditCounter()
    body = '{"berichtId": "ct", "startdatum": "2026-11-01"}'
    assert_refused(post(http, start_url(assignment), body, content_type=content_type), 415, "unsupported_media_type")
    assert_audited(counter, provider, 415)


def test_a_body_over_the_limit_is_a_json_413_and_audited_without_the_body(http, assignment, provider, settings):
    settings.API_LIMITS = {**settings.API_LIMITS, "MAX_BODY_BYTES": 1000}
    counter = AuditCounter()
    body = json.dumps({"berichtId": "groot", "startdatum": "2026-11-01", "x": "geheim" * 500})
    response = assert_refused(post(http, start_url(assignment), body), 413, "request_too_large")
    assert "1000" in response["melding"]
    call = assert_audited(counter, provider, 413)
    assert "geheim" not in call.summary and call.changes == {}
    assert call.object_type == "providers.assignment" and call.object_id == assignment.number


def test_the_default_limit_refuses_a_large_body_before_reading_it(http, assignment, provider, settings):
    limit = settings.API_LIMITS["MAX_BODY_BYTES"]
    counter = AuditCounter()
    response = http.generic("POST", "/api/v1/berichten/", b"{}", "application/json", CONTENT_LENGTH=str(limit + 1))
    assert_refused(response, 413, "request_too_large")
    assert_audited(counter, provider, 413)


def test_the_parser_itself_refuses_more_than_the_limit(settings):
    settings.API_LIMITS = {**settings.API_LIMITS, "MAX_BODY_BYTES": 10}
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(BytesIO(b'{"a": "0123456789"}'))
    with pytest.raises(ParseError):
        JSONParser().parse(BytesIO(b"[[[[[[[[[["))


def test_a_lying_content_length_is_harmless(http, assignment, provider):
    counter = AuditCounter()
    response = http.generic(
        "POST", start_url(assignment), b'{"berichtId": "x"}', "application/json", CONTENT_LENGTH="abc"
    )
    assert_refused(response, 400, "required")
    assert_audited(counter, provider, 400)


# -- paths and query parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/wijzigingsverzoeken/%00/",
        "/api/v1/producten/%00/",
        "/api/v1/toewijzingen/%00/",
        "/api/v1/toewijzingen/%00/start/",
        "/api/v1/producten/IB1%1b%5b31m/",
        "/api/v1/%7f/",
        "/api/v1/wijzigingsverzoeken/%C2%85/",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_control_character_in_the_path_is_a_404_and_audited_escaped(http, provider, path, method):
    counter = AuditCounter()
    response = http.generic(method, path, b"{}", "application/json")
    assert_refused(response, 404, "not_found")
    call = assert_audited(counter, provider, 404)
    assert "\x00" not in call.summary + call.object_id and "\\x" in call.summary


def test_the_audit_record_names_the_object_of_a_refused_path(http, provider):
    counter = AuditCounter()
    assert_refused(http.get("/api/v1/producten/%00/"), 404)
    call = counter.the_call()
    assert (call.object_type, call.object_id) == ("indications.product", "\\x00")


@pytest.mark.parametrize(
    "query, code",
    [
        ("product=%00", "invalid_parameter"),
        ("status=actief%0d%0aX-Injected:%201", "invalid_parameter"),
        ("%00=1", "invalid_parameter"),
        ("stauts=actief", "unknown_parameter"),
        ("format=api", "unknown_parameter"),
        ("ingangsdatum_vanaf=gisteren", "invalid"),
        ("ingangsdatum_vanaf=" + "9" * 5000, "invalid"),
        ("status=%C3%BF%C3%BF", "invalid_choice"),
        ("&".join(f"p{n}=1" for n in range(1001)), "too_many_parameters"),
    ],
)
def test_a_bad_query_parameter_is_a_dutch_400(http, assignment, provider, query, code):
    counter = AuditCounter()
    assert_refused(http.get(f"/api/v1/toewijzingen/?{query}"), 400, code)
    assert_audited(counter, provider, 400)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "1e400", "%00"])
def test_a_page_that_does_not_exist(http, assignment, provider, page):
    counter = AuditCounter()
    response = http.get(f"/api/v1/toewijzingen/?page={page}")
    assert response.status_code in (400, 404)
    assert_refused(response, response.status_code)
    assert_audited(counter, provider, response.status_code)


def test_unknown_parameters_are_refused_on_every_provider_endpoint(http, assignment, provider):
    for path in [
        f"/api/v1/toewijzingen/{assignment.number}/",
        "/api/v1/wijzigingsverzoeken/",
        "/api/v1/sla/?jaar=2026&",
        start_url(assignment),
    ]:
        separator = "&" if "?" in path else "?"
        method = "POST" if path.endswith("start/") else "GET"
        response = http.generic(method, f"{path}{separator}onbekend=1", b"{}", "application/json")
        assert_refused(response, 400, "unknown_parameter")


@pytest.mark.parametrize("jaar", ["99999999999999999999999", "1e400", "-5", "twee", "1" * 2000])
def test_huge_or_odd_numbers_in_a_query(http, provider, jaar):
    counter = AuditCounter()
    assert_refused(http.get(f"/api/v1/sla/?jaar={jaar}"), 400)
    assert_audited(counter, provider, 400)


@pytest.mark.parametrize("path", ["/api/v1/toewijzing/", "/api/v2/toewijzingen/", "/api/", "/api/v1/berichten/x/y/"])
def test_a_mistyped_url_is_a_json_404(http, provider, path):
    counter = AuditCounter()
    assert_refused(http.get(path), 404, "not_found")
    assert_audited(counter, provider, 404)


def test_a_post_without_the_trailing_slash_is_a_json_404_naming_the_right_address(http, assignment, provider):
    counter = AuditCounter()
    response = post(http, start_url(assignment).rstrip("/"), '{"berichtId": "z", "startdatum": "2026-11-01"}')
    body = assert_refused(response, 404, "not_found")
    assert start_url(assignment) in body["melding"]
    assert_audited(counter, provider, 404)


def test_a_get_without_the_trailing_slash_is_redirected_in_json(http, assignment):
    response = http.get(f"/api/v1/toewijzingen/{assignment.number}")
    assert response.status_code == 301 and response["Location"].endswith(f"/{assignment.number}/")
    assert response.json()["code"] == "redirect"


# -- methods, negotiation, headers --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOOBAR"])
def test_a_method_that_is_not_offered_is_a_dutch_405(http, assignment, provider, method):
    counter = AuditCounter()
    assert_refused(
        http.generic(method, f"/api/v1/toewijzingen/{assignment.number}/", b"{}", "application/json"),
        405,
        "method_not_allowed",
    )
    assert_audited(counter, provider, 405)


@pytest.mark.parametrize("accept", ["application/xml", "text/html", "text/csv; q=1.0"])
def test_an_answer_in_another_format_is_a_dutch_406(http, assignment, provider, accept):
    counter = AuditCounter()
    assert_refused(http.get("/api/v1/toewijzingen/", HTTP_ACCEPT=accept), 406, "not_acceptable")
    assert_audited(counter, provider, 406)


@pytest.mark.parametrize(
    "authorization, code",
    [
        ("Bearer \x00\x01\x02", "authentication_failed"),
        ("Bearer sdd_\u00ff\u00fe", "authentication_failed"),
        ("Bearer sdd_abc%00def", "authentication_failed"),
        ("Bearer " + "x" * 10_000, "authentication_failed"),
        ("Bearer een twee", "authentication_failed"),
        ("Bearer", "authentication_failed"),
        ("Basic dXNlcjpwYXNz", "not_authenticated"),
        ("\x1b[31mBearer", "not_authenticated"),
        ("", "not_authenticated"),
    ],
)
def test_an_odd_authorization_header_is_a_dutch_401(assignment, authorization, code):
    counter = AuditCounter()
    response = Client(HTTP_AUTHORIZATION=authorization).get("/api/v1/toewijzingen/")
    assert_refused(response, 401, code)
    call = counter.the_call()
    assert call.action == AuditEvent.Action.REJECTED and call.actor is None
    assert call.actor_label in ("onbekende API-sleutel", "zonder API-sleutel")


def test_no_authorization_header_at_all(assignment):
    counter = AuditCounter()
    assert_refused(Client().post(start_url(assignment), {}, content_type="application/json"), 401, "not_authenticated")
    assert counter.the_call().actor_label == "zonder API-sleutel"


def test_a_disallowed_host_is_a_json_400(http, provider):
    counter = AuditCounter()
    assert_refused(http.get("/api/v1/toewijzingen/", HTTP_HOST="kwaadaardig.example\x00"), 400, "bad_request")
    assert_audited(counter, provider, 400)


def test_control_characters_in_other_headers_are_harmless(http, assignment, provider):
    counter = AuditCounter()
    response = http.get(
        "/api/v1/toewijzingen/",
        HTTP_X_FORWARDED_FOR="\x00\x01",
        HTTP_USER_AGENT="\x00",
        HTTP_ACCEPT_LANGUAGE="\x00en",
        HTTP_COOKIE="sessionid=\x00",
        REMOTE_ADDR="\x00",
    )
    assert response.status_code == 200
    call = counter.the_call()
    assert call.summary.endswith("→ 200") and call.ip_address is None


# -- generated input ----------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
    ]
)


@pytest.mark.parametrize("path", ["/api/v1/berichten/", "START"])
@SETTINGS
@given(body=st.binary(max_size=300) | st.text(max_size=200).map(str.encode), content_type=CONTENT_TYPES)
def test_any_bytes_as_a_body(http, assignment, provider, path, body, content_type):
    counter = AuditCounter()
    response = post(http, start_url(assignment) if path == "START" else path, body, content_type=content_type)
    if path == "START" or response.status_code != 200:
        assert_refused(response, response.status_code)
        assert 400 <= response.status_code < 500
        assert_audited(counter, provider, response.status_code)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["berichtId", "startdatum", "einddatum", "redenBeeindiging", "product", "motivering", "soort", "x"]
        ),
        JSON_VALUES,
        max_size=5,
    )
)
def test_any_json_object_as_a_message(http, assignment, provider, body):
    counter = AuditCounter()
    response = post(http, start_url(assignment), json.dumps(body))
    assert response.status_code < 500
    if response.status_code >= 400:
        assert_refused(response, response.status_code)
    assert counter.the_call()


@SETTINGS
@given(
    segment=st.text(min_size=1, max_size=20),
    base=st.sampled_from(["/api/v1/toewijzingen/", "/api/v1/producten/", "/api/v1/wijzigingsverzoeken/"]),
)
def test_any_text_as_an_identifier_in_the_path(http, provider, base, segment):
    counter = AuditCounter()
    response = http.get(base + quote(segment, safe="") + "/")
    assert response.status_code < 500
    if response.status_code >= 300:
        assert_refused(response, response.status_code)
    counter.the_call()


@SETTINGS
@given(name=st.text(max_size=10), value=st.text(max_size=30))
def test_any_query_parameter(http, provider, assignment, name, value):
    counter = AuditCounter()
    response = http.get("/api/v1/toewijzingen/?" + quote(name, safe="") + "=" + quote(value, safe=""))
    assert response.status_code < 500
    if response.status_code >= 400:
        assert_refused(response, response.status_code)
    counter.the_call()


# -- the WSGI entry point -----------------------------------------------------------------------------


def call_wsgi(method: str, path: str, body: bytes, content_type: str, **headers) -> tuple[int, bytes]:
    """A request through sddcase.wsgi.application, the callable runserver and gunicorn serve: Django
    builds the request itself there, which the test client does not exercise."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": BytesIO(body),
        **headers,
    }
    setup_testing_defaults(environ)
    status = []
    request_started.disconnect(close_old_connections)  # as the test client does: keep the test's connection
    try:
        content = b"".join(application(environ, lambda line, headers, exc_info=None: status.append(line)))
    finally:
        request_started.connect(close_old_connections)
    return int(status[0].split()[0]), content


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=\x00", "application/json; charset=utf-\x008", "application/json\x00", "\x00"],
)
def test_a_control_character_in_the_content_type_is_refused_not_a_500(key, assignment, provider, content_type):
    counter = AuditCounter()
    status, content = call_wsgi(
        "POST", start_url(assignment), b'{"startdatum": "2026-01-01"}', content_type, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert status == 415
    body = json.loads(content)
    assert body["code"] and not english_in(body["melding"])
    assert_audited(counter, provider, 415)
    assert not CareEvent.objects.exists()


def test_a_clean_content_type_passes_the_wsgi_entry_point_unchanged(key, assignment):
    status, content = call_wsgi(
        "POST",
        start_url(assignment),
        b'{"startdatum": "x"}',
        "application/json; charset=utf-8",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert status == 400 and json.loads(content)["code"]
