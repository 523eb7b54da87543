"""The iWmo message-traffic pages in a real browser, at 1280 and 390 px: nothing runs off the
screen, every table scrolls in a labelled region, dates stay on one line, no serious axe finding;
the consultant sees the client (masked BSN) and downloads the XML, contract management sees neither."""

from datetime import date

import pytest

from accounts.roles import CONSULENT, CONTRACTMANAGER
from iwmo.models import IncomingMessage, OutgoingMessage
from tests.browser.test_wide_pages import PAGE_WIDTH, TABLES_IN_REGIONS, TOO_WIDE, WIDTHS, WRAPPING_DATES
from tests.factories import ClientFactory, IncomingMessageFactory, OutgoingMessageFactory, ProviderFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Iwmo-pages-2026!"


def test_the_iwmo_pages_in_the_browser(page, log_in, assert_accessible):
    staff_member(CONSULENT, username="iwmo-consulent", password=PASSWORD)
    staff_member(CONTRACTMANAGER, username="iwmo-contract", password=PASSWORD)
    provider = ProviderFactory(name="Stichting " + "Lange Naam " * 17)  # 197 characters: within max_length 200
    person = ClientFactory(first_name="Noor", last_name="Bakker")
    OutgoingMessageFactory(provider=provider, client=person, afgeleverd=True)
    OutgoingMessageFactory(
        provider=provider, client=person, status=OutgoingMessage.Status.FAILED, attempts=8, last_error="X" * 400
    )
    IncomingMessageFactory(
        message_type="WMO307",
        provider=provider,
        client=person,
        status=IncomingMessage.Status.REJECTED,
        errors=[{"element": "StopProduct 0000000042", "codes": ["9019", "0001"], "melding": "Geen toewijzing."}],
    )
    today = date.today().isoformat()
    pages = {
        "iwmo-consulent": ["/iwmo/", f"/iwmo/aanbieders/{provider.uuid}/", f"/iwmo/clienten/{person.uuid}/"],
        "iwmo-contract": ["/iwmo/", f"/iwmo/aanbieders/{provider.uuid}/?tot={today}"],
    }
    for username, urls in pages.items():
        log_in(username, PASSWORD)
        for url in urls:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                assert page.evaluate(PAGE_WIDTH) <= width, f"{url} at {width} px: {page.evaluate(TOO_WIDE, width)}"
                assert all(page.evaluate(TABLES_IN_REGIONS)), f"{url}: a table outside a scroll region"
                assert page.evaluate(WRAPPING_DATES) == [], f"{url} at {width} px"
            assert_accessible(page)
            content = page.content()
            if username == "iwmo-consulent":
                assert person.masked_bsn in content and person.bsn not in content
            else:
                assert "Bakker" not in content and "/xml/" not in content
    log_in("iwmo-consulent", PASSWORD)
    page.goto("/iwmo/")
    with page.expect_download() as download:
        page.get_by_role("link", name="XML WMO307").first.click()
    assert download.value.suggested_filename.startswith("WMO307_")
