"""Pages that show a part of a client's file record a read (NEN 7513): the bezwaar, the client's
zorgstapeling and a verzoek om toewijzing (about its client, or its BSN when that is no client)."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from objections import services as objection_services
from providers import services as provider_services
from tests.factories import IndicationFactory, bsn_for, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


def reads(summary: str):
    return list(AuditEvent.objects.filter(action="read", summary=summary))


def test_the_bezwaar_page_records_a_read(client, consultant):
    indication = IndicationFactory(actief=True, consultant=consultant)
    bezwaar = objection_services.register_bezwaar(
        indication, by=consultant, received_on=indication.decision_date, grounds="Niet eens met het besluit."
    )
    client.force_login(consultant)
    assert client.get(f"/bezwaren/{bezwaar.uuid}/").status_code == 200
    [read] = reads("bezwaar ingezien")
    assert (read.actor, read.client_id, read.bsn) == (consultant, indication.client_id, indication.client.bsn)


def test_the_stacking_page_records_a_read(client, consultant):
    indication = IndicationFactory(actief=True, consultant=consultant)
    client.force_login(consultant)
    assert client.get(f"/signalen/zorgstapeling/{indication.client.uuid}/").status_code == 200
    [read] = reads("zorgstapeling ingezien")
    assert (read.client_id, read.bsn) == (indication.client_id, indication.client.bsn)


@pytest.mark.parametrize("of_a_client", [True, False])
def test_a_verzoek_om_toewijzing_records_a_read_with_its_bsn(client, consultant, of_a_client):
    provider = contracted_provider()
    bsn = issued_assignment(provider, consultant, today=timezone.localdate()).indication.client.bsn
    request = provider_services.submit_assignment_request(
        provider,
        bsn=bsn if of_a_client else bsn_for(987_001),
        requested=provider_services.RequestedAssignment(
            reference="VOT-1", product_category="02", product_code="02A07", start_date=timezone.localdate()
        ),
        by=None,
    )
    client.force_login(consultant)
    assert client.get(f"/aanbieders/toewijzingsverzoeken/{request.uuid}/").status_code == 200
    [read] = reads("verzoek om toewijzing ingezien")
    assert read.bsn == request.bsn and (read.client_id is not None) == of_a_client
