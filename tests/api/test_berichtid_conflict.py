"""A berichtId names one message: the same message again is a retry (the first answer, replayed), another
message under a used id is a 409 `bericht_id_conflict`, and an answer that did not process the message
(404, 401, 429, 5xx) is never stored as the answer to that id."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.throttling import PerTokenThrottle
from providers import services
from providers.models import CareEvent
from tests.api.hostile import assert_refused
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder Herhaling")


@pytest.fixture
def api(provider):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.issue_api_token(provider, name='t', by=None)[1]}")
    return client


@pytest.fixture
def assignment(provider, consultant):
    return issued_assignment(provider, consultant, today=timezone.localdate())


def send(api, assignment, kind, body):
    number = assignment if isinstance(assignment, str) else assignment.number
    return api.post(f"/api/v1/toewijzingen/{number}/{kind}/", body, format="json")


def start_body(assignment, message_id="m-1", days=1):
    return {"berichtId": message_id, "startdatum": str(assignment.start_date + timedelta(days=days))}


def test_a_stop_sent_under_a_starts_id_is_a_conflict_and_changes_nothing(api, assignment):
    assert send(api, assignment, "start", start_body(assignment)).status_code == 200
    stop = send(
        api,
        assignment,
        "stop",
        {"berichtId": "m-1", "einddatum": str(assignment.start_date + timedelta(3)), "redenBeeindiging": "19"},
    )
    body = assert_refused(stop, 409, "bericht_id_conflict")
    assert "m-1" in body["melding"] and "Idempotent-Replayed" not in stop
    assignment.refresh_from_db()
    assert assignment.care_stopped_on is None and assignment.status == "actief"
    assert list(CareEvent.objects.values_list("kind", "response_status")) == [("start", 200)]


def test_the_same_id_with_another_date_is_a_conflict(api, assignment):
    send(api, assignment, "start", start_body(assignment, days=1))
    assert_refused(send(api, assignment, "start", start_body(assignment, days=2)), 409, "bericht_id_conflict")
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date + timedelta(days=1)


def test_the_same_id_for_another_toewijzing_is_a_conflict(api, assignment, provider, consultant):
    other = issued_assignment(provider, consultant, today=timezone.localdate())
    send(api, assignment, "start", start_body(assignment))
    assert_refused(send(api, other, "start", start_body(assignment)), 409, "bericht_id_conflict")
    other.refresh_from_db()
    assert other.care_started_on is None


def test_the_same_message_in_another_key_order_or_layout_is_a_retry(api, assignment):
    first = send(api, assignment, "start", start_body(assignment))
    url = f"/api/v1/toewijzingen/{assignment.number}/start/"
    body = start_body(assignment)
    raw = '{\n  "startdatum" : "' + body["startdatum"] + '",\n  "berichtId":"m-1"\n}'
    retry = api.generic("POST", url, raw, content_type="application/json")
    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true" and retry.json() == first.json()


def test_a_batch_message_and_the_single_endpoint_share_the_id(api, assignment):
    first = send(api, assignment, "start", start_body(assignment))
    batch = api.post(
        "/api/v1/berichten/",
        {
            "berichten": [
                {"soort": "start", "toewijzingnummer": assignment.number, **start_body(assignment)},
                {"soort": "start", "toewijzingnummer": assignment.number, **start_body(assignment, days=5)},
                {
                    "soort": "stop",
                    "toewijzingnummer": assignment.number,
                    "berichtId": "m-1",
                    "einddatum": str(assignment.start_date + timedelta(3)),
                    "redenBeeindiging": "19",
                },
            ]
        },
        format="json",
    ).json()["resultaten"]
    assert batch[0]["httpStatus"] == 200 and batch[0]["antwoord"] == first.json()
    assert [(r["httpStatus"], r["antwoord"]["code"]) for r in batch[1:]] == [(409, "bericht_id_conflict")] * 2


def test_a_404_is_not_stored_so_the_id_works_for_the_right_number(api, assignment):
    wrong = send(api, "0000999999", "start", start_body(assignment))
    assert_refused(wrong, 404, "not_found")
    assert not CareEvent.objects.exists()
    right = send(api, assignment, "start", start_body(assignment))
    assert right.status_code == 200 and "Idempotent-Replayed" not in right
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date + timedelta(days=1)


def test_another_providers_toewijzing_is_a_404_that_is_not_stored(api, assignment, consultant):
    theirs = issued_assignment(contracted_provider(name="Ander"), consultant, today=timezone.localdate())
    assert send(api, theirs, "start", start_body(theirs)).status_code == 404
    assert send(api, assignment, "start", start_body(assignment)).status_code == 200


def test_a_401_is_not_stored(api, assignment, provider):
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer sdd_onbekend")
    assert_refused(send(stranger, assignment, "start", start_body(assignment)), 401)
    assert send(api, assignment, "start", start_body(assignment)).status_code == 200


def test_a_429_is_not_stored(api, assignment, settings, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"provider": "1/min"})
    assert api.get("/api/v1/toewijzingen/").status_code == 200
    throttled = send(api, assignment, "start", start_body(assignment))
    assert_refused(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0 and not CareEvent.objects.exists()
    cache.clear()
    assert send(api, assignment, "start", start_body(assignment)).status_code == 200


def test_a_failure_while_processing_is_not_stored(provider, assignment):
    def failing():
        raise RuntimeError("storing failed")

    with pytest.raises(RuntimeError):
        services.process_message(
            provider=provider, message_id="f-1", kind="start", assignment=assignment, handle=failing, fingerprint="a"
        )
    outcome = services.process_message(
        provider=provider,
        message_id="f-1",
        kind="start",
        assignment=assignment,
        handle=lambda: (503, {"code": "unavailable"}),
        fingerprint="a",
    )
    assert outcome.status == 503 and not CareEvent.objects.exists()
    outcome = services.process_message(
        provider=provider,
        message_id="f-1",
        kind="start",
        assignment=assignment,
        handle=lambda: (200, {"ok": True}),
        fingerprint="a",
    )
    assert (outcome.status, outcome.replayed) == (200, False) and CareEvent.objects.get().fingerprint == "a"


def test_a_rule_refusal_is_stored_and_replayed_but_a_corrected_message_needs_a_new_id(api, assignment):
    refused = send(api, assignment, "start", {"berichtId": "r-1", "startdatum": "2001-01-01"})
    assert refused.status_code == 400
    again = send(api, assignment, "start", {"berichtId": "r-1", "startdatum": "2001-01-01"})
    assert again.json() == refused.json() and again["Idempotent-Replayed"] == "true"
    assert_refused(send(api, assignment, "start", start_body(assignment, "r-1")), 409, "bericht_id_conflict")
    assert send(api, assignment, "start", start_body(assignment, "r-2")).status_code == 200


def test_an_unprocessed_answer_stored_before_the_fix_is_processed_now(api, assignment, provider):
    CareEvent.objects.create(
        provider=provider,
        assignment=None,
        message_id="oud",
        kind="start",
        accepted=False,
        response_status=404,
        response={"code": "not_found"},
    )
    response = send(api, assignment, "start", start_body(assignment, "oud"))
    assert response.status_code == 200 and "Idempotent-Replayed" not in response
    event = CareEvent.objects.get(message_id="oud")
    assert (event.response_status, event.accepted, event.assignment) == (200, True, assignment)


def test_a_message_stored_without_a_fingerprint_is_replayed_as_before(api, assignment, provider):
    CareEvent.objects.create(
        provider=provider,
        assignment=assignment,
        message_id="oud",
        kind="start",
        accepted=True,
        response_status=200,
        response={"oud": True},
    )
    response = send(api, assignment, "start", start_body(assignment, "oud", days=4))
    assert response.json() == {"oud": True} and response["Idempotent-Replayed"] == "true"


def test_the_fingerprint_is_of_the_content_not_its_layout():
    fingerprint = services.message_fingerprint
    same = fingerprint(kind="start", number="1", fields={"a": 1, "b": "x"})
    assert same == fingerprint(kind="start", number="1", fields={"b": "x", "a": 1})
    assert same != fingerprint(kind="stop", number="1", fields={"a": 1, "b": "x"})
    assert same != fingerprint(kind="start", number="2", fields={"a": 1, "b": "x"})
    assert same != fingerprint(kind="start", number="1", fields={"a": 1, "b": "y"})
