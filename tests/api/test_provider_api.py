"""The provider API: every endpoint, every error code, scoping between providers, idempotent
retries, the batch endpoint, throttling and the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from api.pagination import IdsFirstPageNumberPagination
from audit.models import AuditEvent
from indications import services as indication_services
from indications.models import IndicationStatus
from providers import services
from providers.models import Assignment, CareEvent, ChangeRequest
from tests.factories import ProviderFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_a():
    return contracted_provider(name="Aanbieder A")


@pytest.fixture
def provider_b():
    return contracted_provider(name="Aanbieder B")


def api_for(provider) -> APIClient:
    _token, key = services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_a(provider_a):
    return api_for(provider_a)


@pytest.fixture
def api_b(provider_b):
    return api_for(provider_b)


@pytest.fixture
def assignment(provider_a, consultant):
    return issued_assignment(provider_a, consultant, today=timezone.localdate())


def url(assignment, suffix=""):
    return f"/api/v1/toewijzingen/{assignment.number}/{suffix}"


def codes(response) -> set[str]:
    return {error["code"] for error in response.json().get("fouten", [])} | {response.json().get("code")}


# -- vaststelling creates the toewijzing --------------------------------------------------------


def test_issuing_a_beschikking_assigns_it_to_the_provider(assignment, provider_a):
    assert assignment.provider == provider_a
    assert assignment.product.code == "IB1"
    assert (assignment.start_date, assignment.end_date) == (
        assignment.indication.start_date,
        assignment.indication.end_date,
    )
    assert assignment.status == Assignment.Status.ACTIVE and assignment.unit == "82"


def test_a_provider_without_a_contract_for_the_product_is_refused(consultant):
    provider = ProviderFactory()
    with pytest.raises(ValidationError) as failure:
        issued_assignment(provider, consultant, today=timezone.localdate())
    assert "no_contract" in {error.code for error in failure.value.error_list}


# -- reading ------------------------------------------------------------------------------------


def test_list_shows_only_own_assignments(api_a, api_b, assignment, provider_b, consultant):
    other = issued_assignment(provider_b, consultant, today=timezone.localdate())
    listed = api_a.get("/api/v1/toewijzingen/").json()
    assert [item["toewijzingnummer"] for item in listed["results"]] == [assignment.number]
    assert listed["count"] == 1
    assert [item["toewijzingnummer"] for item in api_b.get("/api/v1/toewijzingen/").json()["results"]] == [other.number]


def test_an_assignment_carries_what_the_provider_needs(api_a, assignment):
    body = api_a.get(url(assignment)).json()
    assert body["productcode"] == "02A06" and body["productcategorie"] == "02"
    assert body["omvang"] == {"volume": 1, "eenheid": "82", "frequentie": "per 4 weken"}
    assert body["client"]["bsn"] == assignment.indication.client.bsn
    assert body["resultaten"][0]["domein"] == "Financiën"
    assert body["contactpersoon"]["naam"] == "Fatima El Amrani"


def test_filters(api_a, assignment, provider_a, consultant):
    issued_assignment(provider_a, consultant, product="IB0", days_ago=40, today=timezone.localdate())
    assert api_a.get("/api/v1/toewijzingen/", {"product": "IB0"}).json()["count"] == 1
    since = (assignment.start_date - timedelta(days=1)).isoformat()
    assert api_a.get("/api/v1/toewijzingen/", {"ingangsdatum_vanaf": since}).json()["count"] == 1
    assert api_a.get("/api/v1/toewijzingen/", {"status": "beeindigd"}).json()["count"] == 0
    bad = api_a.get("/api/v1/toewijzingen/", {"ingangsdatum_vanaf": "gisteren"})
    assert bad.status_code == 400


def test_list_runs_a_constant_number_of_queries(api_a, provider_a, consultant, django_assert_max_num_queries):
    for days in (20, 40, 60):
        issued_assignment(provider_a, consultant, days_ago=days, today=timezone.localdate())
    with django_assert_max_num_queries(9):
        assert api_a.get("/api/v1/toewijzingen/").json()["count"] == 3


def test_pages_keep_the_newest_first_order_and_never_repeat_an_assignment(api_a, provider_a, consultant, monkeypatch):
    monkeypatch.setattr(IdsFirstPageNumberPagination, "page_size", 2)
    today = timezone.localdate()
    made = [issued_assignment(provider_a, consultant, days_ago=days, today=today) for days in (50, 10, 30, 10, 40)]
    expected = [a.number for a in sorted(made, key=lambda a: (a.start_date, a.pk), reverse=True)]
    first = api_a.get("/api/v1/toewijzingen/").json()
    pages = [first] + [api_a.get("/api/v1/toewijzingen/", {"page": n}).json() for n in (2, 3)]
    assert [item["toewijzingnummer"] for page in pages for item in page["results"]] == expected
    assert first["count"] == 5 and first["next"] and pages[-1]["next"] is None


def test_another_providers_assignment_is_not_found_on_every_endpoint(api_b, assignment):
    before = (assignment.care_started_on, assignment.status)
    assert api_b.get(url(assignment)).status_code == 404
    assert (
        api_b.post(
            url(assignment, "start/"), {"berichtId": "b1", "startdatum": str(assignment.start_date)}, format="json"
        ).status_code
        == 404
    )
    assert (
        api_b.post(
            url(assignment, "stop/"),
            {"berichtId": "b2", "einddatum": str(assignment.start_date), "redenBeeindiging": "19"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        api_b.post(
            url(assignment, "wijzigingsverzoeken/"),
            {"berichtId": "b3", "product": "IB3", "motivering": "x"},
            format="json",
        ).status_code
        == 404
    )
    batch = api_b.post(
        "/api/v1/berichten/",
        {
            "berichten": [
                {
                    "soort": "start",
                    "toewijzingnummer": assignment.number,
                    "berichtId": "b4",
                    "startdatum": str(assignment.start_date),
                }
            ]
        },
        format="json",
    )
    assert batch.json()["resultaten"][0]["httpStatus"] == 404
    assignment.refresh_from_db()
    assert (assignment.care_started_on, assignment.status) == before
    assert not ChangeRequest.objects.exists()


def test_another_providers_change_request_is_not_found(api_a, api_b, assignment):
    created = api_a.post(
        url(assignment, "wijzigingsverzoeken/"),
        {"berichtId": "w1", "product": "IB3", "motivering": "Meer nodig"},
        format="json",
    )
    request_id = created.json()["id"]
    assert api_a.get(f"/api/v1/wijzigingsverzoeken/{request_id}/").status_code == 200
    assert api_b.get(f"/api/v1/wijzigingsverzoeken/{request_id}/").status_code == 404
    assert api_b.get("/api/v1/wijzigingsverzoeken/").json()["count"] == 0


# -- authentication -----------------------------------------------------------------------------


def test_no_key_or_a_wrong_key_is_401(assignment):
    assert APIClient().get("/api/v1/toewijzingen/").status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer sdd_niet-bestaand")
    response = wrong.get("/api/v1/toewijzingen/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_a_revoked_key_stops_working(provider_a, assignment):
    token, key = services.issue_api_token(provider_a, name="oud", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/toewijzingen/").status_code == 200
    services.revoke_api_token(token, by=None)
    assert client.get("/api/v1/toewijzingen/").status_code == 401


def test_only_the_hash_of_a_key_is_stored(provider_a):
    token, key = services.issue_api_token(provider_a, name="x", by=None)
    token.refresh_from_db()
    assert key not in (token.key_hash, token.prefix) and token.key_hash == services.hash_key(key)


def test_staff_sessions_cannot_use_the_provider_api(client, consultant):
    client.force_login(consultant)
    assert client.get("/api/v1/toewijzingen/").status_code in (401, 403)


# -- start and stop ------------------------------------------------------------------------------


def test_report_start_and_stop(api_a, assignment):
    start = assignment.start_date + timedelta(days=2)
    response = api_a.post(url(assignment, "start/"), {"berichtId": "s1", "startdatum": str(start)}, format="json")
    assert response.status_code == 200 and response.json()["zorgGestartOp"] == str(start)
    stop = start + timedelta(days=5)
    response = api_a.post(
        url(assignment, "stop/"), {"berichtId": "s2", "einddatum": str(stop), "redenBeeindiging": "19"}, format="json"
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert (assignment.care_stopped_on, assignment.stop_reason, assignment.status) == (stop, "19", "beeindigd")


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"startdatum": "2099-01-01"}, "date_in_future"),
        ({"startdatum": "2001-01-01"}, "start_before_beschikking"),
        ({"startdatum": "23-11-2026x"}, "invalid"),
        ({"startdatum": "2026-13-45"}, "invalid"),
        ({}, "required"),
        ({"startdatum": None}, "null"),
    ],
)
def test_start_errors(api_a, assignment, payload, code):
    response = api_a.post(url(assignment, "start/"), {"berichtId": "e1", **payload}, format="json")
    assert response.status_code == 400
    assert code in codes(response)
    assert all(error["melding"] for error in response.json()["fouten"])
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


def test_unknown_fields_are_refused(api_a, assignment):
    response = api_a.post(
        url(assignment, "start/"),
        {"berichtId": "u1", "startdatum": str(assignment.start_date), "startDatum": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert {"veld": "startDatum", "code": "unknown_field", "melding": "Onbekend veld."} in response.json()["fouten"]


def test_a_missing_message_id_is_refused(api_a, assignment):
    response = api_a.post(url(assignment, "start/"), {"startdatum": str(assignment.start_date)}, format="json")
    assert response.status_code == 400 and "required" in codes(response)


def test_start_twice_is_refused_with_a_new_message_id(api_a, assignment):
    payload = {"startdatum": str(assignment.start_date)}
    assert api_a.post(url(assignment, "start/"), {"berichtId": "d1", **payload}, format="json").status_code == 200
    again = api_a.post(url(assignment, "start/"), {"berichtId": "d2", **payload}, format="json")
    assert again.status_code == 400 and "already_started" in codes(again)


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"einddatum": "START-1", "redenBeeindiging": "19"}, "stop_before_start"),
        ({"einddatum": "START", "redenBeeindiging": "99"}, "unknown_reason"),
        ({"einddatum": "2099-01-01", "redenBeeindiging": "19"}, "date_in_future"),
        ({"einddatum": "START"}, "required"),
    ],
)
def test_stop_errors(api_a, assignment, payload, code):
    start = assignment.start_date + timedelta(days=3)
    api_a.post(url(assignment, "start/"), {"berichtId": "st", "startdatum": str(start)}, format="json")
    values = {
        key: (str(start - timedelta(days=1)) if value == "START-1" else str(start) if value == "START" else value)
        for key, value in payload.items()
    }
    response = api_a.post(url(assignment, "stop/"), {"berichtId": "sp", **values}, format="json")
    assert response.status_code == 400 and code in codes(response)
    assignment.refresh_from_db()
    assert assignment.care_stopped_on is None


def test_stop_before_a_start_was_reported(api_a, assignment):
    response = api_a.post(
        url(assignment, "stop/"),
        {"berichtId": "n1", "einddatum": str(assignment.start_date), "redenBeeindiging": "19"},
        format="json",
    )
    assert response.status_code == 400 and "not_started" in codes(response)


def test_events_for_a_withdrawn_beschikking_are_refused(api_a, assignment, consultant):
    indication_services.withdraw_beschikking(assignment.indication, by=consultant, reason="Bezwaar gegrond")
    response = api_a.post(
        url(assignment, "start/"), {"berichtId": "x1", "startdatum": str(assignment.start_date)}, format="json"
    )
    assert response.status_code == 400 and "beschikking_withdrawn" in codes(response)


# -- idempotency ---------------------------------------------------------------------------------


def test_a_retry_returns_the_original_answer_and_changes_nothing(api_a, assignment):
    start = assignment.start_date + timedelta(days=1)
    first = api_a.post(url(assignment, "start/"), {"berichtId": "r1", "startdatum": str(start)}, format="json")
    retry = api_a.post(url(assignment, "start/"), {"berichtId": "r1", "startdatum": str(start)}, format="json")
    assert (retry.status_code, retry.json()) == (first.status_code, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    reordered = api_a.post(url(assignment, "start/"), {"startdatum": str(start), "berichtId": "r1"}, format="json")
    assert reordered.json() == first.json() and reordered["Idempotent-Replayed"] == "true"
    assignment.refresh_from_db()
    assert assignment.care_started_on == start
    assert CareEvent.objects.filter(message_id="r1").count() == 1


def test_a_rejected_message_is_also_answered_the_same_on_retry(api_a, assignment):
    payload = {"berichtId": "r2", "startdatum": "2001-01-01"}
    first = api_a.post(url(assignment, "start/"), payload, format="json")
    retry = api_a.post(url(assignment, "start/"), payload, format="json")
    assert first.status_code == retry.status_code == 400 and retry.json() == first.json()


def test_message_ids_are_per_provider(api_a, api_b, assignment, provider_b, consultant):
    other = issued_assignment(provider_b, consultant, today=timezone.localdate())
    assert (
        api_a.post(
            url(assignment, "start/"), {"berichtId": "same", "startdatum": str(assignment.start_date)}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_b.post(
            url(other, "start/"), {"berichtId": "same", "startdatum": str(other.start_date)}, format="json"
        ).status_code
        == 200
    )


# -- verzoek om wijziging ------------------------------------------------------------------------


def test_change_request_and_the_answer(api_a, assignment, consultant):
    created = api_a.post(
        url(assignment, "wijzigingsverzoeken/"),
        {"berichtId": "c1", "product": "IB3", "motivering": "Situatie is verslechterd."},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "open"
    request = ChangeRequest.objects.get()
    services.answer_change_request(request, by=consultant, accept=True, reason="Akkoord na overleg.")
    answer = api_a.get(f"/api/v1/wijzigingsverzoeken/{created.json()['id']}/").json()
    assert answer["status"] == "toegekend" and answer["toelichting"] == "Akkoord na overleg."
    request.refresh_from_db()
    follow_up = request.follow_up
    assert follow_up.kind == "opschaling" and follow_up.replaces == assignment.indication
    # IB3 is complex: the follow-up waits for a team lead before it is vastgesteld and assigned
    assert follow_up.status == IndicationStatus.TER_BEOORDELING


def test_a_granted_lighter_product_is_issued_and_reassigned(api_a, assignment, consultant):
    api_a.post(
        url(assignment, "wijzigingsverzoeken/"),
        {"berichtId": "c2", "product": "IB0", "motivering": "Kan af met minder."},
        format="json",
    )
    request = services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=True, reason="Afschalen naar IB0."
    )
    new = Assignment.objects.get(indication=request.follow_up)
    assignment.refresh_from_db()
    assert new.product.code == "IB0" and new.provider == assignment.provider
    assert assignment.end_date == new.start_date - timedelta(days=1)
    assert assignment.change_reason == "12"
    assert (
        api_a.get(f"/api/v1/wijzigingsverzoeken/{request.uuid}/").json()["vervolgbeschikking"]
        == request.follow_up.number
    )


def test_a_refused_change_request(api_a, assignment, consultant):
    api_a.post(
        url(assignment, "wijzigingsverzoeken/"),
        {
            "berichtId": "c3",
            "einddatum": str(assignment.end_date + timedelta(days=60)),
            "motivering": "Meer tijd nodig.",
        },
        format="json",
    )
    request = services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=False, reason="Eerst evalueren.", refusal_reason="7"
    )
    assert request.status == "afgewezen" and request.follow_up is None


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"motivering": "x"}, "nothing_asked"),
        ({"product": "IB9", "motivering": "x"}, "unknown_product"),
        ({"product": "IB3"}, "required"),
        ({"product": "IB1", "motivering": "x"}, "same_product"),
    ],
)
def test_change_request_errors(api_a, assignment, payload, code):
    response = api_a.post(url(assignment, "wijzigingsverzoeken/"), {"berichtId": "ce", **payload}, format="json")
    assert response.status_code == 400 and code in codes(response)


# -- batch ---------------------------------------------------------------------------------------


def test_batch_answers_per_message(api_a, assignment, provider_a, consultant):
    second = issued_assignment(provider_a, consultant, days_ago=40, today=timezone.localdate())
    response = api_a.post(
        "/api/v1/berichten/",
        {
            "berichten": [
                {
                    "soort": "start",
                    "toewijzingnummer": assignment.number,
                    "berichtId": "b1",
                    "startdatum": str(assignment.start_date),
                },
                {"soort": "start", "toewijzingnummer": second.number, "berichtId": "b2", "startdatum": "2001-01-01"},
                {"soort": "onbekend", "toewijzingnummer": second.number, "berichtId": "b3"},
                {
                    "soort": "stop",
                    "toewijzingnummer": "0000000000",
                    "berichtId": "b4",
                    "einddatum": "2026-01-01",
                    "redenBeeindiging": "19",
                },
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    results = response.json()["resultaten"]
    assert [(r["berichtId"], r["status"], r["httpStatus"]) for r in results] == [
        ("b1", "geaccepteerd", 200),
        ("b2", "afgewezen", 400),
        ("b3", "afgewezen", 400),
        ("b4", "afgewezen", 404),
    ]
    assignment.refresh_from_db()
    second.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date and second.care_started_on is None
    retry = api_a.post(
        "/api/v1/berichten/",
        {
            "berichten": [
                {
                    "soort": "start",
                    "toewijzingnummer": assignment.number,
                    "berichtId": "b1",
                    "startdatum": str(assignment.start_date),
                }
            ]
        },
        format="json",
    )
    assert retry.json()["resultaten"][0] == results[0]


def test_batch_shape_errors(api_a):
    assert api_a.post("/api/v1/berichten/", {"berichten": []}, format="json").status_code == 400
    assert api_a.post("/api/v1/berichten/", {"items": []}, format="json").status_code == 400
    assert api_a.post("/api/v1/berichten/", "geen json", content_type="application/json").status_code == 400


# -- throttling and audit -------------------------------------------------------------------------


def test_too_many_requests_get_429_with_retry_after(api_a, settings):
    from api.throttling import PerTokenThrottle

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "provider": "3/min"}
    PerTokenThrottle.THROTTLE_RATES = rates
    try:
        responses = [api_a.get("/api/v1/toewijzingen/") for _ in range(4)]
    finally:
        PerTokenThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    assert responses[-1].json()["code"] == "throttled"


def test_every_api_call_is_in_the_audit_trail(api_a, assignment, provider_a):
    api_a.get(url(assignment))
    api_a.post(url(assignment, "start/"), {"berichtId": "a1", "startdatum": str(assignment.start_date)}, format="json")
    calls = AuditEvent.objects.filter(actor_label__startswith=f"aanbieder {provider_a.agb_code}")
    summaries = list(calls.values_list("summary", flat=True))
    assert any(s.startswith("API GET") and s.endswith("200") for s in summaries)
    assert any(s.startswith("API POST") for s in summaries)
    assert calls.filter(summary="start zorg").exists()  # the change itself, by the provider


def test_issue_a_key_from_the_command_line(provider_a, assignment):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("issue_api_token", provider_a.agb_code, stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    assert client.get("/api/v1/toewijzingen/").json()["count"] == 1
