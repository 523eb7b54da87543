"""The payment run in a real browser: contract management makes a batch for a month, reads the
totals per provider, stellt vast en exporteert it, and downloads the SEPA file; at 1280 and 390 px
nothing runs off the screen, tables scroll in labelled regions, no serious axe finding."""

import os

import pytest

from accounts.roles import CONTRACTMANAGER
from tests.billing.declaraties import billable_provider
from tests.billing.payments import billed_month, ib1_assignment, with_bank_account
from tests.browser.test_wide_pages import PAGE_WIDTH, TABLES_IN_REGIONS, TOO_WIDE, WIDTHS
from tests.factories import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Betaalronde-2026!"
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _check(page, name: str, assert_accessible, *, reload: bool = True) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if reload:
            page.reload()
        assert page.evaluate(PAGE_WIDTH) <= width, f"{name} at {width} px: {page.evaluate(TOO_WIDE, width)}"
        assert all(page.evaluate(TABLES_IN_REGIONS)), f"{name}: a table outside a scroll region"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    assert_accessible(page)


def test_the_payment_run_journey(page, log_in, assert_accessible):
    staff_member(CONTRACTMANAGER, username="betaal-contract", password=PASSWORD)
    for name in ("Stichting De Brug", "Zorggroep " + "Lange Naam " * 10):
        provider = billable_provider()
        provider.name = name
        with_bank_account(provider)
        billed_month(provider, ib1_assignment(provider), 2026, 10)
    log_in("betaal-contract", PASSWORD)

    page.goto("/declaraties/betaalrondes/")
    page.get_by_label("Maand").fill("2099-01")  # not over yet
    page.get_by_role("button", name="Betaalronde aanmaken").click()
    assert "Kies een maand die voorbij is" in page.content()
    _check(page, "betaalrondes-fout", assert_accessible, reload=False)

    page.get_by_label("Maand").fill("2026-10")
    page.get_by_role("button", name="Betaalronde aanmaken").click()
    page.wait_for_url("**/betaalrondes/*/")
    assert "€ 731,60" in page.content()
    _check(page, "betaalronde-concept", assert_accessible)

    page.get_by_label("Ik stel deze betaalronde vast").check()
    page.get_by_role("button", name="Vaststellen en exporteren").click()
    assert "is vastgesteld en geëxporteerd" in page.content()
    _check(page, "betaalronde-geexporteerd", assert_accessible)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download SEPA (pain.001)").click()
    assert download.value.suggested_filename.endswith(".xml")

    page.goto("/declaraties/betaalrondes/")
    _check(page, "betaalrondes", assert_accessible)
