"""The declaratie reconciliation pages in a real browser, at 1280 and 390 px: nothing runs off the
screen, every table scrolls in a labelled region, no serious axe finding; contract management sees
no BSN, the consultant sees it masked. Screenshots go to $SCREENSHOT_DIR when it is set."""

import os

import pytest

from accounts.roles import CONSULENT, CONTRACTMANAGER
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider, declaratie, ib1_assignment, line, submit
from tests.browser.test_wide_pages import PAGE_WIDTH, TABLES_IN_REGIONS, TOO_WIDE, WIDTHS
from tests.factories import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Declaraties-2026!"


def test_the_reconciliation_pages_in_the_browser(page, log_in, assert_accessible):
    staff_member(CONSULENT, username="decl-consulent", password=PASSWORD)
    staff_member(CONTRACTMANAGER, username="decl-contract", password=PASSWORD)
    provider = billable_provider()
    good = ib1_assignment(provider)
    submit(
        declaratie(
            line(good),
            line(ib1_assignment(provider), amount_cents=IB1_MONTH_CENTS + 100),
            line(good, assignment_number="9999999999", reference="ONBEKEND1"),
        ),
        provider,
    )
    bsn = good.indication.client.bsn
    month = f"/declaraties/{provider.uuid}/2026/10/"
    shots = os.environ.get("SCREENSHOT_DIR")
    for username in ("decl-contract", "decl-consulent"):
        log_in(username, PASSWORD)
        for url in ("/declaraties/?jaar=2026", month):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                assert page.evaluate(PAGE_WIDTH) <= width, f"{url} at {width} px: {page.evaluate(TOO_WIDE, width)}"
                assert all(page.evaluate(TABLES_IN_REGIONS)), f"{url}: a table outside a scroll region"
                if shots:
                    name = f"{username}-{'maand' if url == month else 'overzicht'}-{width}.png"
                    page.screenshot(path=os.path.join(shots, name), full_page=True)
            assert_accessible(page)
            assert bsn not in page.content()
        if username == "decl-consulent":
            assert f"*****{bsn[-4:]}" in page.content()
