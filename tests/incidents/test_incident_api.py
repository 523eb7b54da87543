"""POST/GET /api/v1/calamiteiten/: a provider reports a calamiteit with its API key; the team lead's
signal is there when the answer comes; a bad body, another provider's toewijzing or a BSN that is
not the toewijzing's client is a 400 with a code and a Dutch field message (never a 404 that tells
what exists); a provider sees only its own reports; a retry with the same berichtId is idempotent."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from incidents.models import Incident, IncidentChannel
from providers import services as provider_services
from signals.models import Signal, SignalType, Urgency
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db

URL = "/api/v1/calamiteiten/"
MOMENT = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    cache.clear()


def api_for(provider) -> APIClient:
    _token, key = provider_services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def body(assignment, **fields) -> dict:
    return {
        "berichtId": "calamiteit-1",
        "soort": "geweld",
        "toewijzingnummer": assignment.number,
        "bsn": assignment.indication.client.bsn,
        "moment": MOMENT.isoformat(),
        "omschrijving": "Cliënt heeft een begeleider bedreigd met een mes.",
        **fields,
    }


def errors(response) -> dict[str, str]:
    return {error["veld"]: error["code"] for error in response.json()["fouten"]}


def test_a_report_is_created_and_reaches_the_team_lead_at_once(assignment, reporting_provider, team_lead):
    response = api_for(reporting_provider).post(URL, body(assignment), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["soort"] == "geweld" and data["status"] == "gemeld" and data["kanaal"] == "api"
    assert data["ggdGemeldOp"] is None and data["toewijzingnummer"] == assignment.number
    incident = Incident.objects.get(uuid=data["id"])
    assert incident.channel == IncidentChannel.API and incident.registered_by is None
    signal = Signal.objects.get(type=SignalType.INCIDENT, subject_id=incident.pk)
    assert signal.urgency == Urgency.OVERDUE and signal.escalated_on == timezone.localdate()
    created = AuditEvent.objects.get(object_type="incidents.incident", object_id=str(incident.pk), action="create")
    assert created.actor is None and reporting_provider.agb_code in created.actor_label


def test_a_retry_returns_the_first_report_and_other_content_is_a_conflict(assignment, reporting_provider):
    api = api_for(reporting_provider)
    first = api.post(URL, body(assignment), format="json")
    again = api.post(URL, body(assignment), format="json")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and Incident.objects.count() == 1
    other = api.post(URL, body(assignment, omschrijving="Iets anders."), format="json")
    assert other.status_code == 409 and other.json()["code"] == "bericht_id_conflict"


def test_another_providers_toewijzing_is_a_400_that_leaks_nothing(assignment, consultant):
    other = contracted_provider(name="Andere Aanbieder")
    response = api_for(other).post(URL, body(assignment), format="json")
    unknown = api_for(other).post(URL, body(assignment, toewijzingnummer="BESTAAT-NIET"), format="json")
    assert response.status_code == unknown.status_code == 400
    assert response.json()["fouten"] == unknown.json()["fouten"]
    assert errors(response) == {"toewijzingnummer": "unknown_assignment"}
    assert "toewijzing" in response.json()["fouten"][0]["melding"]
    assert not Incident.objects.exists()


def test_a_bsn_that_is_not_the_toewijzings_client_is_refused(assignment, reporting_provider, consultant):
    someone_else = issued_assignment(contracted_provider(), consultant, today=timezone.localdate())
    response = api_for(reporting_provider).post(
        URL, body(assignment, bsn=someone_else.indication.client.bsn), format="json"
    )
    assert response.status_code == 400 and errors(response) == {"bsn": "client_mismatch"}


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"soort": "brand"}, "soort", "invalid_choice"),
        ({"bsn": "12"}, "bsn", "invalid"),
        ({"moment": "gisteren"}, "moment", "invalid"),
        ({"omschrijving": ""}, "omschrijving", "blank"),
        ({"berichtId": None}, "berichtId", "null"),
        ({"onbekend": 1}, "onbekend", "unknown_field"),
        ({"moment": (timezone.now() + timedelta(days=2)).isoformat()}, "moment", "in_future"),
    ],
)
def test_bad_input_is_a_400_with_dutch_field_messages(assignment, reporting_provider, fields, field, code):
    response = api_for(reporting_provider).post(URL, body(assignment, **fields), format="json")
    assert response.status_code == 400, response.json()
    assert errors(response).get(field) == code
    assert all(error["melding"] for error in response.json()["fouten"])
    assert not Incident.objects.exists()


def test_a_provider_sees_only_its_own_reports(assignment, reporting_provider, consultant):
    api_for(reporting_provider).post(URL, body(assignment), format="json")
    incident = Incident.objects.get()
    other = api_for(contracted_provider(name="Andere Aanbieder"))
    assert other.get(URL).json()["count"] == 0
    assert other.get(f"{URL}{incident.uuid}/").status_code == 404
    own = api_for(reporting_provider)
    assert own.get(URL).json()["count"] == 1
    assert own.get(f"{URL}{incident.uuid}/").json()["id"] == str(incident.uuid)
    read = AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.uuid), action="read")
    assert read.count() == 1


def test_staff_sessions_cannot_use_it(client, consultant):
    client.force_login(consultant)
    assert client.get(URL).status_code in (401, 403)


def test_the_list_runs_a_constant_number_of_queries(reporting_provider, consultant, django_assert_max_num_queries):
    api = api_for(reporting_provider)
    for number in range(3):
        assignment = issued_assignment(reporting_provider, consultant, today=timezone.localdate())
        api.post(URL, body(assignment, berichtId=f"c-{number}"), format="json")
    with django_assert_max_num_queries(12):
        response = api.get(URL)
    assert response.json()["count"] == 3
