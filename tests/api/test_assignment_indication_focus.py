"""The toewijzing shows the provider the beschikking's primary life domain, whether treatment (Zvw) is
needed, and the dagdelen dagbesteding filled in with IB (one dagdeel counts as one hour IB)."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from indications.models import Indication
from providers import services
from tests.factories import contracted_provider, get_result_domain, issued_assignment

pytestmark = pytest.mark.django_db


def test_an_assignment_carries_the_primary_domain_treatment_and_dagdelen(consultant):
    provider = contracted_provider(name="Aanbieder A")
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    _token, key = services.issue_api_token(provider, name="test", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    path = f"/api/v1/toewijzingen/{assignment.number}/"

    body = api.get(path).json()
    assert (body["primairLeefdomein"], body["behandelingNodig"], body["dagdelenDagbestedingIB"]) == (None, "", 0)

    Indication.objects.filter(pk=assignment.indication_id).update(
        primary_domain=get_result_domain("financien"),
        treatment_needed=Indication.TreatmentNeeded.IN_PLACE,
        dagbesteding_dagdelen_ib=2,
    )
    body = api.get(path).json()
    assert body["primairLeefdomein"] == "Financiën"
    assert body["behandelingNodig"] == "ja_ingezet"
    assert body["dagdelenDagbestedingIB"] == 2
    listed = api.get("/api/v1/toewijzingen/").json()["results"][0]
    assert listed["primairLeefdomein"] == "Financiën"
