"""A consultant with a busy day (150 open signals): the worklist shows the day's work first and stays
a page you can scan; the signals page shows a refused move next to its row; the beschikking page
shows a missing date at its field. Every page passes axe, with and without an error."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT
from signals.models import Signal
from tests.factories import MeldingFactory, build_case_file, staff_member
from tests.worklist_data import many_signals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Worklist-test-2026!"
ERROR_RED = "rgb(168, 32, 26)"  # --error in sddcase.css
# A worklist of ten onderzoeken and 150 signals was 21,515 px tall; now the signals are a summary.
MAX_HEIGHT = {1280: 4500, 390: 9000}


def top_of(page, selector: str) -> float:
    return page.locator(selector).evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def test_a_busy_worklist_puts_the_days_work_first_and_stays_short(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="drukke-dag", password=PASSWORD)
    many_signals(consultant, 150)
    for days in range(12):
        MeldingFactory(consultant=consultant, received_on=date.today() - timedelta(days=days))
    case = build_case_file(consultant=consultant)

    log_in("drukke-dag", PASSWORD)
    expect(page.get_by_role("heading", name="Mijn werkvoorraad")).to_be_visible()
    for width, max_height in MAX_HEIGHT.items():
        page.set_viewport_size({"width": width, "height": 900})
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= max_height, f"worklist is {height} px tall at {width} px wide"
        assert top_of(page, "#h-onderzoeken") < top_of(page, "#h-signalen")
        assert top_of(page, "#h-aanvragen") < top_of(page, "#h-signalen")
        page.screenshot(path=f"/tmp/worklist-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    expect(page.get_by_text("Pagina 1 van 2")).to_be_visible()
    page.get_by_role("link", name="Volgende").first.click()
    expect(page.get_by_text("Pagina 2 van 2")).to_be_visible()

    # The signals page: 25 rows a page; "Opgelost" without a note is refused next to its row.
    page.get_by_role("link", name="Alle 150 signalen behandelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn signalen")
    assert_accessible(page)
    first_row = page.locator("tbody tr").first
    signal_pk = int(first_row.get_attribute("id").removeprefix("signaal-"))
    first_row.get_by_role("button", name="Opgelost").click()
    row = page.locator(f"#signaal-{signal_pk}")
    expect(row.get_by_text("Geef aan wat u gedaan heeft.")).to_be_visible()
    note = page.locator(f"#signaal-{signal_pk}_note")
    assert note.evaluate("element => getComputedStyle(element).borderTopColor") == ERROR_RED
    page.screenshot(path="/tmp/signals-error.png", full_page=False)
    assert_accessible(page)
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == f"signaal-{signal_pk}_note"
    note.fill("Cliënt gebeld")
    row.get_by_role("button", name="Opgelost").click()
    expect(page.get_by_text("Signaal bijgewerkt.")).to_be_visible()
    assert Signal.objects.get(pk=signal_pk).status == "opgelost"

    # The beschikking page: a missing decision date at its field, and no "voldoet" next to it.
    page.goto(f"/indicaties/{case.indication.uuid}/")
    expect(page.get_by_text("De indicatie voldoet aan de IB-regels.")).to_be_visible()
    page.get_by_label("Besluitdatum").fill("")
    page.get_by_role("button", name="Beschikking vaststellen").click()
    expect(page.locator("#vaststellen_decision_date_error")).to_have_text("Dit veld is verplicht.")
    assert page.evaluate("location.hash") == "#h-acties"  # lands at the form, not the page top
    expect(page.get_by_text("De indicatie voldoet aan de IB-regels.")).to_have_count(0)
    decision_date = page.locator("#vaststellen_decision_date")
    assert decision_date.evaluate("element => getComputedStyle(element).borderTopColor") == ERROR_RED
    page.screenshot(path="/tmp/beschikking-error.png", full_page=False)
    assert_accessible(page)
