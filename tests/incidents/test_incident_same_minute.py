"""Done means "a provider's calamity report reaches a team lead within the same minute". The team
lead's signal is raised inside the report's own transaction (incidents.hooks → signals.services.
follow_incident), not by a task: so also on a run with a broker (tasks not eager, no worker) it is
committed and on the team lead's list when the API's 201 comes back. Transactional: the request
really commits, as in production."""

import pytest
from celery.app.task import Task
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT, TEAMLEIDER
from incidents.models import Incident
from signals.models import Signal, SignalType, Urgency
from signals.selectors import signals_for
from tests.factories import contracted_provider, issued_assignment, staff_member
from tests.reference_data import seed_reference_data

from .test_incident_api import URL, api_for, body

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_team_lead_has_the_signal_when_the_api_call_returns(client, monkeypatch, settings):
    seed_reference_data()  # a flushed database (transactional tests) lost the data migrations' rows
    cache.clear()
    consultant = staff_member(CONSULENT, username="consulent-minuut")
    team_lead = staff_member(TEAMLEIDER, username="teamleider-minuut", team=consultant.teams.get())
    provider = contracted_provider(name="Stichting Binnen De Minuut")
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())

    def no_task(*args, **kwargs):
        raise AssertionError("the team lead's signal must not wait for a Celery task")

    monkeypatch.setattr(Task, "apply_async", no_task)
    response = api_for(provider).post(URL, body(assignment), format="json")
    assert response.status_code == 201, response.json()

    incident = Incident.objects.get(uuid=response.json()["id"])
    signal = signals_for(team_lead, team_view=True).get(type=SignalType.INCIDENT, subject_id=incident.pk)
    assert signal.urgency == Urgency.OVERDUE and signal.escalated_on == timezone.localdate()
    assert signal.created_on == timezone.localdate()
    client.force_login(team_lead)
    page = client.get(reverse("signals:list")).content.decode()
    assert incident.client.full_name in page
    assert Signal.objects.filter(type=SignalType.INCIDENT).count() == 1
