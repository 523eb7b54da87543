"""A toewijzing's real state in the API: the `status` field and the `status` filter, including
`actief` (in force today, care started) and `startbaar` (toegewezen, can be started today)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from indications import services as indication_services
from providers import services
from providers.models import Assignment
from tests.factories import IndicationFactory, ZrmAssessmentFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder A")


@pytest.fixture
def api(provider):
    _token, key = services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def future_assignment(provider, consultant, *, starts_in_days=14) -> Assignment:
    """A beschikking vastgesteld today that starts later: its toewijzing is toegewezen, not in care."""
    today = timezone.localdate()
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=10)).client
    indication = IndicationFactory(
        client=client,
        consultant=consultant,
        provider=provider,
        start_date=today + timedelta(days=starts_in_days),
        end_date=today + timedelta(days=200),
        aanvraag__received_on=today - timedelta(days=3),
    )
    indication_services.issue_beschikking(indication, by=consultant, today=today)
    return Assignment.objects.get(indication=indication)


@pytest.fixture
def world(provider, consultant):
    """One toewijzing in each state, on the real clock."""
    today = timezone.localdate()
    started = issued_assignment(provider, consultant, days_ago=30, today=timezone.localdate())
    services.record_care_start(started, on=today - timedelta(days=25), by=None)
    stopped = issued_assignment(provider, consultant, days_ago=40, today=timezone.localdate())
    services.record_care_start(stopped, on=today - timedelta(days=35), by=None)
    services.record_care_stop(stopped, on=today - timedelta(days=2), reason="19", by=None)
    withdrawn = issued_assignment(provider, consultant, days_ago=50, today=timezone.localdate())
    indication_services.withdraw_beschikking(withdrawn.indication, by=consultant, reason="Bezwaar gegrond")
    ended = issued_assignment(provider, consultant, days_ago=60, today=timezone.localdate())
    indication_services.end_beschikking(
        ended.indication, by=consultant, ended_on=today - timedelta(days=5), reason="Verhuisd", today=today
    )
    return {
        "startable": issued_assignment(provider, consultant, days_ago=10, today=timezone.localdate()),
        "future": future_assignment(provider, consultant),
        "started": started,
        "stopped": stopped,
        "withdrawn": withdrawn,
        "ended": ended,
    }


def numbers(api, status):
    response = api.get("/api/v1/toewijzingen/", {"status": status})
    assert response.status_code == 200
    return {item["toewijzingnummer"] for item in response.json()["results"]}


def test_the_status_field_is_the_real_state(api, world):
    shown = {item["toewijzingnummer"]: item["status"] for item in api.get("/api/v1/toewijzingen/").json()["results"]}
    assert {name: shown[assignment.number] for name, assignment in world.items()} == {
        "startable": "toegewezen",
        "future": "toegewezen",
        "started": "gestart",
        "stopped": "gestopt",
        "withdrawn": "ingetrokken",
        "ended": "beeindigd",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("toegewezen", {"startable", "future"}),
        ("gestart", {"started"}),
        ("gestopt", {"stopped"}),
        ("beeindigd", {"ended"}),
        ("ingetrokken", {"withdrawn"}),
        # In force today and care started: not a vastgestelde beschikking whose care has not begun.
        ("actief", {"started"}),
        # What a provider can report the start of today: toegewezen and in force today.
        ("startbaar", {"startable"}),
    ],
)
def test_the_status_filter(api, world, status, expected):
    assert numbers(api, status) == {world[name].number for name in expected}


def test_a_startable_toewijzing_can_be_started_today(api, world):
    (number,) = numbers(api, "startbaar")
    response = api.post(
        f"/api/v1/toewijzingen/{number}/start/",
        {"berichtId": "start-1", "startdatum": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "gestart"
    assert numbers(api, "startbaar") == set()
    assert world["startable"].number in numbers(api, "actief")


def test_a_toewijzing_becomes_startable_on_its_start_date(api, provider, consultant):
    future = future_assignment(provider, consultant, starts_in_days=1)
    assert numbers(api, "startbaar") == set()
    Assignment.objects.filter(pk=future.pk).update(start_date=timezone.localdate())
    assert numbers(api, "startbaar") == {future.number}


def test_an_unknown_status_is_a_400(api, world):
    assert api.get("/api/v1/toewijzingen/", {"status": "lopend"}).status_code == 400
