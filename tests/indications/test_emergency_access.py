"""Break-the-glass (toegang in noodsituatie): grant, refusals, read-only, expiry, marked audit
events, the search offer and the review source per viewer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import CONSULENT, PRIVACY_FUNCTIONARIS, TEAMLEIDER
from audit.models import AuditEvent
from indications import emergency_services
from tests.factories import (
    ClientFactory,
    IndicationFactory,
    IntakeFactory,
    TeamFactory,
    bsn_for,
    get_municipality,
    staff_member,
)

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


def test_the_indication_detail_reads_through_a_grant_without_any_action(client, consultant, other_client):
    indication = IndicationFactory(client=other_client, actief=True)
    client.force_login(consultant)
    url = f"/indicaties/{indication.uuid}/"
    assert client.get(url).status_code == 404
    emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason=REASON)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Toegang in noodsituatie tot" in text and "Beëindigen" in text
    for action in ("Beschikking beëindigen", "Intrekken", "Evaluatie vastleggen", "Toewijzen", "Bezwaar registreren"):
        assert action not in text, action
    read = AuditEvent.objects.filter(action="read", object_type="indications.indication").get()
    assert read.purpose.startswith("toegang in noodsituatie: Crisismelding")
    ended = client.post(f"/indicaties/{indication.uuid}/beeindigen/", {"ended_on": "2026-11-23", "reason": "x"})
    assert ended.status_code == 404
    indication.refresh_from_db()
    assert indication.status == "actief"


def test_the_detail_page_of_an_access_for_its_reviewers_with_what_was_done(client, consultant, other_client):
    access = emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason=REASON)
    client.force_login(consultant)
    client.get(f"/clienten/{other_client.uuid}/")
    url = f"/noodtoegang/{access.uuid}/"
    assert client.get(url).status_code == 404  # the user themselves does not review it
    officer = staff_member(PRIVACY_FUNCTIONARIS)
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert REASON in text and other_client.masked_bsn in text and other_client.bsn not in text
    assert "dossier ingezien" in text and "Nog niet beoordeeld" in text
    viewed = AuditEvent.objects.filter(actor=officer, object_type="indications.emergencyaccess").get()
    assert viewed.action == "read" and viewed.purpose == "privacy: logbeoordeling"
    elsewhere = staff_member(TEAMLEIDER, team=TeamFactory(name="Team Oost", municipalities=["Papendrecht"]))
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    lead = staff_member(TEAMLEIDER)  # the Dordrecht team, the consultant's
    client.force_login(lead)
    assert client.get(url).status_code == 200
    [item] = emergency_services.review_items(lead, access.granted_at, access.expires_at)
    assert item.url == url


def test_the_onderzoek_reads_through_a_grant_without_a_form(client, consultant, other_client):
    intake = IntakeFactory(melding__client=other_client)
    client.force_login(consultant)
    url = f"/onderzoeken/{intake.uuid}/"
    assert client.get(url).status_code == 404
    emergency_services.grant_emergency_access(by=consultant, bsn=other_client.bsn, reason=REASON)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Toegang in noodsituatie tot" in text and "Het onderzoek is nog niet afgerond." in text
    for action in (
        "Gesprek opslaan",
        "ZRM opslaan",
        "Voorziening opslaan",
        "Onderzoek afronden",
        'class="intake-form">',
    ):
        assert action not in text.replace('<div class="intake-form">', ""), action
    read = AuditEvent.objects.filter(action="read", object_type="indications.intake").get()
    assert read.purpose.startswith("toegang in noodsituatie: Crisismelding")
    assert client.post(url, {"step": "gesprek"}).status_code == 404
