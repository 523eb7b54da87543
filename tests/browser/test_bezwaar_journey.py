"""A consultant registers a bezwaar from the beschikking page (a form error first), a team lead
decides it; the pages pass axe at 1280 and 390 px (screenshots to BEZWAAR_SCREENSHOTS when set)."""

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT, TEAMLEIDER
from objections.models import Bezwaar, BezwaarStatus
from tests.browser.screens import shoot
from tests.factories import IndicationFactory, TeamFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Bezwaar-test-2026!"
SCREENSHOTS = os.environ.get("BEZWAAR_SCREENSHOTS", "")


def _shoot(page, name: str) -> None:
    shoot(page, SCREENSHOTS, name)


def test_a_bezwaar_registered_and_decided(page, log_in, assert_accessible):
    team = TeamFactory(name="Team Dordrecht")
    consultant = staff_member(CONSULENT, username="bezwaar-consulent", password=PASSWORD, team=team)
    staff_member(TEAMLEIDER, username="bezwaar-teamleider", password=PASSWORD, team=team)
    letter = date.today() - timedelta(days=30)
    beschikking = IndicationFactory(actief=True, decision_date=letter, consultant=consultant)

    log_in("bezwaar-consulent", PASSWORD)
    page.goto(f"/indicaties/{beschikking.uuid}/")
    page.get_by_role("link", name="Bezwaar registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bezwaar registreren")
    page.get_by_label("Ontvangen op").fill((letter + timedelta(days=10)).isoformat())
    page.get_by_label("een vertegenwoordiger of gemachtigde").check()
    page.get_by_label("Gronden van het bezwaar").fill("De begeleiding is te kort toegekend.")
    page.get_by_role("button", name="Bezwaar registreren").click()
    expect(page.get_by_text("Vul de naam van de vertegenwoordiger in.").last).to_be_visible()
    assert_accessible(page)
    _shoot(page, "bezwaar-registreren")
    page.get_by_label("Naam vertegenwoordiger").fill("mr. J. de Wit")
    page.get_by_role("button", name="Bezwaar registreren").click()
    expect(page.get_by_text("Het bezwaar is geregistreerd.")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "bezwaar-detail")

    log_in("bezwaar-teamleider", PASSWORD)
    page.get_by_role("link", name="Bezwaren", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezwaren in behandeling")
    assert_accessible(page)
    _shoot(page, "bezwaren-lijst")
    page.get_by_role("link", name=beschikking.client.full_name).click()
    page.get_by_label("ongegrond").check()
    page.get_by_label("Motivering (verplicht)", exact=True).fill("Na heroverweging blijft de beschikking in stand.")
    page.get_by_role("button", name="Beslissing vastleggen").click()
    expect(page.get_by_text("Op het bezwaar is beslist.")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "bezwaar-beslist")
    assert Bezwaar.objects.get().status == BezwaarStatus.ONGEGROND
