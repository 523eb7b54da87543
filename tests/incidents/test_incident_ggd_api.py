"""POST /api/v1/calamiteiten/{id}/ggd-melding/: the provider records its report to the GGD (the
law puts the report on the provider): the date and the GGD's kenmerk; the team lead's signal closes.
Only the reporting provider (another: 404); bad input is a 400 with a code and a Dutch message per
field; the same report again is idempotent."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditEvent
from incidents import services
from incidents.models import Incident, IncidentStatus
from signals.models import Signal, SignalStatus, SignalType
from tests.factories import contracted_provider

from .test_incident_api import URL, api_for, body, errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    cache.clear()


@pytest.fixture
def reported(assignment, reporting_provider) -> Incident:
    response = api_for(reporting_provider).post(URL, body(assignment), format="json")
    assert response.status_code == 201, response.json()
    return Incident.objects.get(uuid=response.json()["id"])


def ggd_url(incident) -> str:
    return f"{URL}{incident.uuid}/ggd-melding/"


def report(today=None, **fields) -> dict:
    return {"datum": (today or timezone.localdate()).isoformat(), "kenmerk": "GGD-2026-0042", **fields}


def test_the_provider_records_its_ggd_report_and_the_signal_closes(reported, reporting_provider):
    response = api_for(reporting_provider).post(ggd_url(reported), report(), format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "ggd_gemeld" and data["ggdKenmerk"] == "GGD-2026-0042"
    assert data["ggdGemeldOp"] == timezone.localdate().isoformat()
    reported.refresh_from_db()
    assert reported.status == IncidentStatus.GGD_REPORTED
    assert Signal.objects.get(type=SignalType.INCIDENT, subject_id=reported.pk).status == SignalStatus.LAPSED
    change = reported.history.get(to_status=IncidentStatus.GGD_REPORTED)
    assert change.by is None and reporting_provider.agb_code in change.by_label
    event = AuditEvent.objects.get(object_type="incidents.incident", object_id=str(reported.pk), action="transition")
    assert event.changes["ggd_reference"] == [None, "GGD-2026-0042"]


def test_the_same_report_again_is_idempotent_and_another_one_refused(reported, reporting_provider):
    api = api_for(reporting_provider)
    api.post(ggd_url(reported), report(), format="json")
    again = api.post(ggd_url(reported), report(), format="json")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert reported.history.filter(to_status=IncidentStatus.GGD_REPORTED).count() == 1
    other = api.post(ggd_url(reported), report(kenmerk="GGD-ANDERS"), format="json")
    assert other.status_code == 400 and errors(other) == {None: "invalid_transition"}
    reported.refresh_from_db()
    assert reported.ggd_reference == "GGD-2026-0042"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"datum": "morgen"}, "datum", "invalid"),
        ({"kenmerk": ""}, "kenmerk", "blank"),
        ({"kenmerk": "x" * 61}, "kenmerk", "max_length"),
        ({"onbekend": 1}, "onbekend", "unknown_field"),
        # Days from today, computed when the test runs (at collection a run across midnight saw the
        # wrong day: "tomorrow" was today by then).
        ({"datum": 1}, "datum", "in_future"),
        ({"datum": -5}, "datum", "before_incident"),
    ],
)
def test_bad_input_is_a_400_with_dutch_field_messages(reported, reporting_provider, fields, field, code):
    if isinstance(fields.get("datum"), int):
        fields = {"datum": (timezone.localdate() + timedelta(days=fields["datum"])).isoformat()}
    response = api_for(reporting_provider).post(ggd_url(reported), report(**fields), format="json")
    assert response.status_code == 400, response.json()
    assert errors(response).get(field) == code
    assert all(error["melding"] for error in response.json()["fouten"])
    reported.refresh_from_db()
    assert reported.status == IncidentStatus.REPORTED and reported.ggd_reference == ""


def test_a_missing_field_is_a_400(reported, reporting_provider):
    response = api_for(reporting_provider).post(ggd_url(reported), {"datum": "2026-01-01"}, format="json")
    assert response.status_code == 400 and errors(response) == {"kenmerk": "required"}


def test_another_provider_gets_a_404_and_changes_nothing(reported):
    other = api_for(contracted_provider(name="Andere Aanbieder"))
    response = other.post(ggd_url(reported), report(), format="json")
    assert response.status_code == 404
    reported.refresh_from_db()
    assert reported.status == IncidentStatus.REPORTED


def test_a_phone_report_of_the_provider_is_its_own_too(assignment, reporting_provider, consultant):
    incident = services.report_incident(
        assignment=assignment,
        kind="calamiteit",
        description="Gevallen.",
        occurred_at=timezone.now() - timedelta(hours=1),
        channel="telefonisch",
        by=consultant,
    )
    response = api_for(reporting_provider).post(ggd_url(incident), report(), format="json")
    assert response.status_code == 200 and response.json()["status"] == "ggd_gemeld"
