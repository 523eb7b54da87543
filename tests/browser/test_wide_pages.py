"""No page runs off the screen, at 1280 px and at 390 px wide: the main pages of the consultant
(worklist, client file, onderzoek, beschikking, signals) and of contract management (monitor, SLA
benchmark, provider dashboard), with notes of 10,000 characters without a space in them (a
conversation note, a motivation, a reason, a jaargesprek's conclusions) and a provider's name of
200. Every table scrolls inside a labelled, keyboard-focusable box of its own, its title stays on
the screen, and its dates and amounts stay on one line."""

from datetime import date, timedelta

import pytest

from accounts.roles import CONSULENT, CONTRACTMANAGER
from indications.models import Conversation, Indication, IndicationStatus, IndicationStatusChange
from monitor.services import refresh_monitor
from providers.models import AnnualReview, ChangeRequest
from signals.services import run_all_checks
from tests.factories import (
    AssignmentFactory,
    MeldingFactory,
    build_case_file,
    contracted_provider,
    get_product,
    staff_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Wide-pages-2026!"
LONG = "Onafgebroken" * 834  # 10,008 characters, no space or hyphen to break at
WIDTHS = (1280, 390)
TOO_WIDE = """width => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => { // inside a box that scrolls or clips is fine
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return false;
    }
    return true;
  })
  .slice(0, 5)
  .map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px: `
             + el.textContent.trim().slice(0, 40))"""

PAGE_WIDTH = "document.documentElement.scrollWidth"
TABLES_IN_REGIONS = """() => [...document.querySelectorAll('main table')].map(table => {
  const box = table.parentElement;
  const labelled = box.getAttribute('aria-label') ||
    (box.getAttribute('aria-labelledby') && document.getElementById(box.getAttribute('aria-labelledby')));
  return box.classList.contains('table-scroll') && box.getAttribute('role') === 'region' && box.tabIndex === 0
    && getComputedStyle(box).overflowX === 'auto' && !!labelled;
})"""
# A table's visible title (its box's label) on the screen as a whole, not cut off with the table at
# the box's edge (a caption is as wide as its table).
TITLES_OFF_SCREEN = """width => [...document.querySelectorAll('main .table-scroll[aria-labelledby]')]
  .map(box => document.getElementById(box.getAttribute('aria-labelledby')))
  .filter(title => {
    if (!title || title.getBoundingClientRect().width <= 1) return false;  // none, or visually hidden
    const text = document.createRange();  // the text's extent, not the caption's box
    text.selectNodeContents(title);
    return text.getBoundingClientRect().right > width + 1;
  })
  .map(title => title.textContent.trim().slice(0, 60))"""
# A word of a row's header (a month, a year, a name; up to 20 characters) split over two lines.
BROKEN_WORDS = r"""() => [...document.querySelectorAll('main .table tbody th')].flatMap(th => {
  const broken = [], walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/\S+/g)) {
      if (word[0].length > 20) continue;  // a name of 200 letters without a space may break
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (tops.size > 1) broken.push(word[0]);
    }
  }
  return broken;
})"""
# Cells holding only a date (or a period from a date) or an amount: each must stay on one line.
WRAPPING_DATES = r"""() => [...document.querySelectorAll('main td, main th')]
  .filter(cell => /^(\d{2}-\d{2}-\d{4}( \d{2}:\d{2})?)(\s*[–-]\s*\S+)?$|^€?\s?-?[\d.]+(,\d+)?\s?%?$/
                    .test(cell.textContent.trim()))
  .filter(cell => getComputedStyle(cell).whiteSpace !== 'nowrap')
  .map(cell => cell.textContent.trim())"""


def consultant_world():
    today = date.today()
    consultant = staff_member(CONSULENT, username="breed", password=PASSWORD)
    provider = contracted_provider(name="Zorgaanbieder" + "X" * 187)  # 200 characters, the maximum
    case = build_case_file(consultant=consultant, melding_on=today - timedelta(days=40))
    Conversation.objects.filter(intake=case.intake).update(need_notes=LONG, network_notes=LONG)
    Indication.objects.filter(pk=case.indication.pk).update(
        status=IndicationStatus.ACTIEF,
        number="IB-BREED-1",
        decision_date=today - timedelta(days=300),
        start_date=today - timedelta(days=280),
        end_date=today + timedelta(days=80),
        provider=provider,
        product=get_product("IB2"),
        opslag=True,
        opslag_motivation=LONG,
        status_reason=LONG,
    )
    indication = Indication.objects.get(pk=case.indication.pk)
    IndicationStatusChange.objects.create(
        indication=indication,
        from_status=IndicationStatus.VASTGESTELD,
        to_status=IndicationStatus.ACTIEF,
        by=consultant,
        reason=LONG,
    )
    assignment = AssignmentFactory(
        indication=indication,
        provider=provider,
        number="TW-BREED-1",
        assigned_on=indication.start_date,
        start_date=indication.start_date,
        end_date=indication.end_date,
    )
    ChangeRequest.objects.create(assignment=assignment, motivation=LONG, requested_end_date=indication.end_date)
    # An onderzoek past its 6 weeks and the IB2 past its 26 weeks: signals on the worklist.
    MeldingFactory(consultant=consultant, client=case.client, received_on=today - timedelta(days=45))
    run_all_checks(today=today)
    return consultant, case, provider


def test_no_page_is_wider_than_the_screen(page, log_in, assert_accessible):
    consultant, case, provider = consultant_world()
    manager = staff_member(CONTRACTMANAGER, username="breed-contract", password=PASSWORD)
    today = date.today()
    AnnualReview.objects.create(
        provider=provider,
        year=today.year,
        held_on=today,
        participants="P" * 500,
        conclusions=LONG,
        agreements=LONG,
        recorded_by=manager,
    )
    refresh_monitor(today=today)
    pages = {
        "breed": [
            "/werkvoorraad/",
            f"/clienten/{case.client.uuid}/",
            f"/onderzoeken/{case.intake.uuid}/",
            f"/indicaties/{case.indication.uuid}/",
            "/signalen/",
        ],
        "breed-contract": [
            f"/monitor/?year={today.year}",
            f"/aanbieders/sla/?year={today.year}&granularity=jaar",
            "/aanbieders/",
            f"/aanbieders/{provider.uuid}/dashboard/?year={today.year}",
        ],
    }
    seen_long = set()
    for username, urls in pages.items():
        log_in(username, PASSWORD)
        for url in urls:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                assert page.evaluate(PAGE_WIDTH) <= width, f"{url} at {width} px: {page.evaluate(TOO_WIDE, width)}"
                assert all(page.evaluate(TABLES_IN_REGIONS)), f"{url}: a table outside a scroll region"
                assert page.evaluate(WRAPPING_DATES) == [], f"{url} at {width} px"
                assert page.evaluate(TITLES_OFF_SCREEN, width) == [], f"{url} at {width} px"
                assert page.evaluate(BROKEN_WORDS) == [], f"{url} at {width} px"
                if LONG in page.content():
                    seen_long.add(url.split("/")[1])
            assert_accessible(page)
    # the long notes were on the pages, not left out
    assert seen_long == {"onderzoeken", "indicaties", "aanbieders"}, seen_long


def test_a_wide_table_scrolls_in_its_box_with_the_keyboard(page, log_in):
    consultant_world()
    manager = staff_member(CONTRACTMANAGER, username="breed-sla", password=PASSWORD)
    assert manager
    refresh_monitor(today=date.today())
    log_in("breed-sla", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/aanbieders/sla/?year={date.today().year}&granularity=jaar")
    box = page.locator("#tabel-benchmark .table-scroll")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # 15 columns do not fit in 390 px
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    # The key press scrolls asynchronously (the browser may animate it): wait until the box has moved.
    page.wait_for_function("() => document.querySelector('#tabel-benchmark .table-scroll').scrollLeft > 0")
    assert box.evaluate("box => box.scrollLeft") > 0
    assert page.evaluate(PAGE_WIDTH) <= 390
