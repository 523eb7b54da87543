"""Incidents as the service leaves them (without its signal: for the signal engine's own tests)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from incidents.models import Incident, IncidentChannel, IncidentKind
from tests.factories import TODAY, AssignmentFactory


def _noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


class IncidentFactory(factory.django.DjangoModelFactory):
    """A calamiteit a provider reported through the API on TODAY, the day after it happened, in the
    care of an active toewijzing; its report to the GGD not yet recorded."""

    class Meta:
        model = Incident

    assignment = factory.SubFactory(AssignmentFactory)
    client = factory.SelfAttribute("assignment.indication.client")
    provider = factory.SelfAttribute("assignment.provider")
    kind = IncidentKind.CALAMITEIT
    description = "Cliënt gevallen tijdens de begeleiding."
    occurred_at = factory.LazyFunction(lambda: _noon(TODAY - timedelta(days=1)))
    reported_at = factory.LazyFunction(lambda: _noon(TODAY))
    channel = IncidentChannel.API
