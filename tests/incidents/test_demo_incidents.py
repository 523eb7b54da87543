"""The demo's incidents: a few in each state, through the real services (each open one with its
team lead's signal, each reported to the GGD with its signal closed); a second run adds nothing."""

from collections import Counter
from datetime import timedelta

import pytest

from demo.incidents import INCIDENTS, ensure_demo_incidents
from incidents.models import Incident, IncidentStatus
from signals.models import OPEN_STATUSES, Signal, SignalType
from tests.factories import TODAY, AssignmentFactory, IndicationFactory

pytestmark = pytest.mark.django_db


def test_a_few_incidents_in_each_state_and_a_second_run_adds_nothing(consultant):
    start = TODAY - timedelta(days=90)
    for _ in range(8):
        AssignmentFactory(indication=IndicationFactory(actief=True, consultant=consultant, start_date=start))
    assert ensure_demo_incidents(today=TODAY, seed=7) == len(INCIDENTS)
    assert Counter(Incident.objects.values_list("status", flat=True)) == {
        IncidentStatus.REPORTED: 2,
        IncidentStatus.GGD_REPORTED: 2,
        IncidentStatus.CLOSED: 2,
    }
    open_signals = Signal.objects.filter(type=SignalType.INCIDENT, status__in=OPEN_STATUSES)
    assert set(open_signals.values_list("subject_id", flat=True)) == set(
        Incident.objects.filter(status=IncidentStatus.REPORTED).values_list("pk", flat=True)
    )
    assert ensure_demo_incidents(today=TODAY, seed=7) == 0
    assert Incident.objects.count() == len(INCIDENTS)
