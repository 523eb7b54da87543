"""The iWmo day page with its municipality filter and the resend button on a mislukt message (the
team lead holds iwmo.resend_outgoingmessage), and the page that handles a retour that rejected our
WMO301, in a real browser at 1280 and 390 px: nothing runs off the screen, no serious axe finding.
With SCREENSHOT_DIR set, each page is also saved as a PNG (to look at; not committed)."""

import os
from datetime import date
from pathlib import Path

import pytest

from accounts.roles import TEAMLEIDER
from iwmo.models import OutgoingMessage, RetourStatus
from tests.browser.test_wide_pages import PAGE_WIDTH, TABLES_IN_REGIONS, TOO_WIDE, WIDTHS
from tests.factories import ClientFactory, OutgoingMessageFactory, ProviderFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Iwmo-resend-2026!"


def looked_at(page, name: str, width: int) -> None:
    assert page.evaluate(PAGE_WIDTH) <= width, f"{name} at {width} px: {page.evaluate(TOO_WIDE, width)}"
    assert all(page.evaluate(TABLES_IN_REGIONS)), f"{name}: a table outside a scroll region"
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def test_the_day_page_filter_the_resend_button_and_the_retour_page(page, log_in, assert_accessible):
    staff_member(TEAMLEIDER, username="iwmo-teamleider", password=PASSWORD)
    provider = ProviderFactory(name="Stichting Thuisbegeleiding Drechtsteden")
    person = ClientFactory(first_name="Noor", last_name="Bakker")
    failed = OutgoingMessageFactory(
        provider=provider,
        client=person,
        status=OutgoingMessage.Status.FAILED,
        attempts=8,
        last_error="Verbinding met het GGk geweigerd (HTTP 503).",
    )
    rejected = OutgoingMessageFactory(
        provider=provider,
        client=person,
        afgeleverd=True,
        retour_status=RetourStatus.REJECTED,
        retour_dagtekening=date(2026, 11, 24),
        retour_codes=[
            {"element": "Header", "codes": [{"code": "0200", "betekenis": "Geen opmerking over deze berichtklasse."}]},
            {
                "element": "ToegewezenProduct 42",
                "codes": [{"code": "9332", "betekenis": "Toewijzing heeft geen uniek nummer binnen wettelijk domein."}],
            },
        ],
    )
    log_in("iwmo-teamleider", PASSWORD)
    municipality = person.municipality
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/iwmo/?gemeente={municipality.code}")
        looked_at(page, "iwmo-dag-gemeente", width)
        assert page.get_by_label("Gemeente").input_value() == municipality.code  # the filter applied
        button = page.get_by_role("button", name=f"Opnieuw versturen {failed.message_type} {failed.identification}")
        assert button.first.is_visible()
        page.goto(f"/iwmo/berichten/uit/{rejected.uuid}/retour-afhandelen/")
        looked_at(page, "iwmo-retour-afhandelen", width)
        assert "9332" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Afgehandeld").click()
    assert "Schrijf op wat er is gedaan." in page.content()  # the form error next to the field
    assert_accessible(page)
    page.get_by_label("Wat is er gedaan?").fill("Nummer gecontroleerd; nieuwe WMO301 verstuurd.")
    page.get_by_role("button", name="Afgehandeld").click()
    rejected.refresh_from_db()
    assert rejected.retour_handling_note.startswith("Nummer gecontroleerd")
    page.goto("/iwmo/")
    page.get_by_role("button", name=f"Opnieuw versturen {failed.message_type} {failed.identification}").first.click()
    failed.refresh_from_db()
    assert failed.status in (OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.DELIVERED)
    assert_accessible(page)
