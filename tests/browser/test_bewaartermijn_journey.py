"""The review of a closed client file in a real browser: the functioneel beheerder opens
*Bewaartermijn dossiers*, sees the proposal with its masked BSN, approves without a reason (refused at
the field), approves with one and carries it out; every page passes axe and fits a phone's width."""

import pytest
from playwright.sync_api import expect

from accounts.roles import FUNCTIONEEL_BEHEERDER
from indications import retention
from indications.models import Client, DestructionProposal, DestructionStatus
from tests.factories import staff_member
from tests.indications.test_bewaartermijn_dossiers import closed_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Bewaartermijn-test-2026!"
PAGE_WIDTH = "document.documentElement.scrollWidth"


def fits(page, name: str):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(PAGE_WIDTH) <= width, f"{name} is wider than {width} px"
        page.screenshot(path=f"/tmp/bewaartermijn-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_beheerder_reviews_and_carries_out_a_proposal(page, log_in, assert_accessible):
    staff_member(
        FUNCTIONEEL_BEHEERDER, username="beheer-b", password=PASSWORD, first_name="Ruud", last_name="Hoogendoorn"
    )
    client = closed_client()
    retention.propose_closed_client_files()

    log_in("beheer-b", PASSWORD)
    page.get_by_role("link", name="Bewaartermijn dossiers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorstellen tot vernietiging van dossiers")
    expect(page.get_by_role("rowheader", name=client.masked_bsn)).to_be_visible()
    assert client.bsn not in page.content()
    assert_accessible(page)
    fits(page, "lijst")

    page.get_by_role("link", name=f"Beoordelen {client.masked_bsn}").click()
    page.get_by_label("Goedkeuren: het dossier wordt geanonimiseerd").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("#id_note_error")).to_contain_text("Geef een toelichting bij uw besluit.")
    assert_accessible(page)
    fits(page, "besluit-fout")

    page.get_by_label("Goedkeuren: het dossier wordt geanonimiseerd").check()
    page.get_by_label("Toelichting").fill("Selectielijst: vernietigen 15 jaar na beëindiging.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Uw besluit over het voorstel is vastgelegd.")).to_be_visible()
    page.get_by_role("link", name=f"Uitvoeren of herzien {client.masked_bsn}").click()
    fits(page, "goedgekeurd")
    page.get_by_role("button", name="Dossier nu anonimiseren").click()
    expect(page.get_by_text("Het dossier is geanonimiseerd")).to_be_visible()
    assert DestructionProposal.objects.get().status == DestructionStatus.EXECUTED
    assert Client.objects.get(pk=client.pk).anonymised_at is not None
