"""A pgb beschikking is never shown to a provider (issue #15): it has no provider and no
toewijzing, also when the client had natura care from that provider before."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from indications import services as indication_services
from indications.models import ComplexityRule, Indication
from providers import services
from providers.models import Assignment
from tests.factories import PgbBudgetFactory, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


def test_a_pgb_after_natura_is_not_in_the_providers_api(consultant):
    ComplexityRule.objects.update(is_active=False)
    today = timezone.localdate()
    provider = contracted_provider()
    natura = issued_assignment(provider, consultant, today=today)
    pgb = PgbBudgetFactory(
        indication__client=natura.indication.client,
        indication__consultant=consultant,
        indication__replaces=natura.indication,
        indication__kind=Indication.Kind.HERINDICATIE,
        indication__aanvraag=None,
        indication__start_date=today + timedelta(days=7),
    ).indication
    indication_services.issue_beschikking(pgb, by=consultant, today=today)
    _token, key = services.issue_api_token(provider, name="test", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    listed = api.get("/api/v1/toewijzingen/").json()
    assert [item["toewijzingnummer"] for item in listed["results"]] == [natura.number]
    assert not Assignment.objects.filter(indication=pgb).exists()
    natura.refresh_from_db()
    assert natura.end_date == pgb.start_date - timedelta(days=1) and natura.change_reason == "08"
