"""Break-the-glass (toegang in noodsituatie): grant, refusals, read-only, expiry, marked audit
events, the search offer and the review source per viewer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import CONSULENT, TEAMLEIDER
from audit.models import AuditEvent
from indications import emergency_services
from tests.factories import ClientFactory, TeamFactory, bsn_for, get_municipality, staff_member

pytestmark = pytest.mark.django_db

REASON = "Crisismelding van de politie, cliënt in nood"


@pytest.fixture
def other_client(db):
    """A client of Zwijndrecht: outside the Dordrecht team of the consultant."""
    return ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht")


def test_a_grant_opens_the_file_read_only_with_a_banner_and_marked_events(client, consultant, other_client):
    client.force_login(consultant)
    assert client.get(f"/clienten/{other_client.uuid}/").status_code == 404
    response = client.post("/clienten/noodtoegang/", {"bsn": other_client.bsn, "reason": REASON})
    assert response.status_code == 302 and response.url == f"/clienten/{other_client.uuid}/"
    page = client.get(response.url).content.decode()
    assert "Toegang in noodsituatie tot" in page and REASON in page and "Beëindigen" in page
    assert "Gegevens wijzigen" not in page
    read = AuditEvent.objects.filter(action=AuditEvent.Action.READ, client_id=other_client.pk).get()
    assert read.purpose.startswith("toegang in noodsituatie: Crisismelding")
    assert client.post(f"/clienten/{other_client.uuid}/wijzigen/", {}).status_code == 403
    assert client.get(f"/clienten/{other_client.uuid}/melding/").status_code == 403


def test_refusals_at_the_field(consultant, other_client, user):
    with pytest.raises(ValidationError) as short:
        emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason="nood")
    assert "reason" in short.value.message_dict
    own = ClientFactory()
    with pytest.raises(ValidationError) as visible:
        emergency_services.grant_emergency_access(by=consultant, bsn=own.bsn, reason=REASON)
    assert "bsn" in visible.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        emergency_services.grant_emergency_access(by=consultant, bsn=bsn_for(999_001), reason=REASON)
    assert "bsn" in unknown.value.message_dict
    with pytest.raises(ValidationError):
        emergency_services.grant_emergency_access(by=user, bsn=other_client.bsn, reason=REASON)


def test_the_file_closes_at_expiry_and_on_end(client, consultant, other_client):
    access = emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason=REASON)
    assert access.expires_at - access.granted_at == timedelta(hours=4)
    client.force_login(consultant)
    assert client.get(f"/clienten/{other_client.uuid}/").status_code == 200
    assert client.post(f"/noodtoegang/{access.uuid}/beeindigen/").status_code == 302
    assert client.get(f"/clienten/{other_client.uuid}/").status_code == 404
    # Granted four hours and a second ago: expired, the file is closed again.
    emergency_services.grant_emergency_access(
        by=consultant, bsn=other_client.bsn, reason=REASON, now=timezone.now() - timedelta(hours=4, seconds=1)
    )
    assert client.get(f"/clienten/{other_client.uuid}/").status_code == 404


def test_the_offer_appears_on_every_full_bsn_not_found_only(client, consultant, other_client):
    client.force_login(consultant)
    offer = "clienten/noodtoegang/"
    existing = client.get("/clienten/", {"bsn": other_client.bsn}).content.decode()
    absent = client.get("/clienten/", {"bsn": bsn_for(999_002)}).content.decode()
    assert offer in existing and offer in absent
    assert other_client.last_name not in existing
    assert offer not in client.get("/clienten/", {"name": other_client.last_name}).content.decode()
    own = ClientFactory()
    assert offer not in client.get("/clienten/", {"bsn": own.bsn}).content.decode()


def test_the_review_source_per_viewer(consultant, team_lead, other_client):
    access = emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason=REASON)
    since, until = access.granted_at - timedelta(hours=1), access.granted_at + timedelta(hours=1)
    items = emergency_services.review_items(team_lead, since, until)
    assert [item.key for item in items] == [str(access.uuid)]
    assert other_client.masked_bsn in items[0].summary and other_client.bsn not in items[0].summary
    stranger = staff_member(TEAMLEIDER, username="tl-elders", team=TeamFactory(name="Team Zwijndrecht"))
    assert emergency_services.review_items(stranger, since, until) == []
    colleague = staff_member(CONSULENT, username="collega")
    assert emergency_services.review_items(colleague, since, until) == []
