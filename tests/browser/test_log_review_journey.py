"""The privacy officer logs in with both factors, lands on the log review, finds a break-the-glass
access, is refused without a note and marks it reviewed with one. The page passes axe."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT, PRIVACY_FUNCTIONARIS
from audit.models import ReviewMark
from indications import emergency_services
from tests.browser.screens import shoot
from tests.factories import ClientFactory, get_municipality, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Logbeoordeling-test-2026!"
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder to keep the pages as PNGs


def test_the_privacy_officer_reviews_an_emergency_access(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="consulent-log", first_name="Fatima", last_name="El Amrani")
    officer = staff_member(PRIVACY_FUNCTIONARIS, username="privacy-log", password=PASSWORD, first_name="Sanne")
    other = ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht")
    access = emergency_services.grant_emergency_access(
        by=consultant, bsn=other.bsn, reason="Crisismelding van de politie, cliënt in nood"
    )

    log_in("privacy-log", PASSWORD)
    expect(page.get_by_role("heading", name="Logbeoordeling", level=1)).to_be_visible()
    item = page.locator(".review-item").filter(has_text="Crisismelding van de politie")
    expect(item).to_contain_text(other.masked_bsn)
    expect(item).to_contain_text("Fatima El Amrani")
    assert_accessible(page)
    shoot(page, SCREENSHOTS, "logbeoordeling")

    item.get_by_text("Beoordelen").click()
    item.get_by_role("button", name="Markeren als beoordeeld").click()
    refused = page.locator(".review-item").filter(has_text="Crisismelding van de politie")
    expect(refused.locator(".field--error")).to_contain_text("Schrijf op wat u heeft bekeken")
    assert not ReviewMark.objects.exists()

    refused.get_by_label("Notitie").fill("Nagevraagd bij de consulent: terechte crisisinzet.")
    refused.get_by_role("button", name="Markeren als beoordeeld").click()
    expect(page.get_by_text("Het logitem is als beoordeeld gemarkeerd.")).to_be_visible()
    expect(page.locator(".review-item").filter(has_text="Crisismelding van de politie")).to_have_count(0)
    mark = ReviewMark.objects.get()
    assert (mark.key, mark.reviewed_by) == (str(access.uuid), officer)
