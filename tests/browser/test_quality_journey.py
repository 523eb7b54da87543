"""Quality checks in a real browser: the team lead draws a sample, answers the checklist beside the
beschikking (a "voldoet niet" without a note is refused at its field), completes the check and sees
the findings per consultant; every page passes axe and fits a phone's width."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT, TEAMLEIDER
from indications.models import QualityCheck, QualityQuestion
from tests.factories import IndicationFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kwaliteit-test-2026!"
PAGE_WIDTH = "document.documentElement.scrollWidth"


def fits(page, name: str):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(PAGE_WIDTH) <= width, f"{name} is wider than {width} px"
        page.screenshot(path=f"/tmp/kwaliteit-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_team_lead_checks_a_sampled_beschikking(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="consulent-k", first_name="Fatima", last_name="El Amrani")
    staff_member(TEAMLEIDER, username="leider-k", password=PASSWORD, first_name="Marieke", last_name="Verbeek")
    indication = IndicationFactory(vastgesteld=True, consultant=consultant, decision_date=date.today() - timedelta(2))
    questions = list(QualityQuestion.objects.filter(is_active=True).order_by("order", "id"))

    log_in("leider-k", PASSWORD)
    page.get_by_role("link", name="Kwaliteitscontrole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kwaliteitscontrole op beschikkingen")
    assert_accessible(page)
    page.get_by_label("Startwaarde (seed)").fill("browser")
    page.get_by_role("button", name="Steekproef trekken").click()
    expect(page.get_by_text("Steekproef getrokken: 1 beschikkingen (startwaarde browser).")).to_be_visible()
    fits(page, "open")

    page.get_by_role("link", name=indication.number).click()
    expect(page.get_by_role("heading", name="De beschikking")).to_be_visible()
    for question in questions[1:]:
        page.get_by_role("group", name=question.text).get_by_label("voldoet", exact=True).check()
    page.get_by_role("group", name=questions[0].text).get_by_label("voldoet niet").check()
    page.get_by_role("button", name="Opslaan en afronden").click()
    note = page.locator(f"#id_note_{questions[0].pk}")
    expect(page.locator(f"#id_note_{questions[0].pk}_error")).to_contain_text(
        "Licht toe waarom de beschikking hier niet aan voldoet."
    )
    assert_accessible(page)
    fits(page, "controle-fout")
    note.fill("Het netwerk is niet onderzocht.")
    page.get_by_role("button", name="Opslaan en afronden").click()
    expect(page.get_by_text("De kwaliteitscontrole is afgerond.")).to_be_visible()
    assert QualityCheck.objects.get().status == QualityCheck.Status.DONE

    page.get_by_role("link", name="Bevindingen per consulent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevindingen per consulent")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Fatima El Amrani")
    expect(row.locator("td").nth(2)).to_contain_text(f"{round(100 * (len(questions) - 1) / len(questions))}%")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_accessible(page)
    fits(page, "overzicht")
