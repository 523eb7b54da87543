"""Four eyes in a real browser: a consultant submits a complex indication, a team lead sends it
back with a motivation, the consultant corrects it, a team lead approves and the beschikking is
issued."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT, TEAMLEIDER
from indications.models import Indication, IndicationStatus, Product
from tests.factories import IndicationFactory, ZrmAssessmentFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Vier-ogen-test-2026!"


def test_complex_indication_needs_a_team_leads_approval(page, log_in, assert_accessible):
    today = date.today()
    consultant = staff_member(
        CONSULENT, username="opsteller", password=PASSWORD, first_name="Fatima", last_name="El Amrani"
    )
    staff_member(TEAMLEIDER, username="leider", password=PASSWORD, first_name="Marieke", last_name="Verbeek")
    assessment = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=10))
    start = today + timedelta(days=14)
    indication = IndicationFactory(
        client=assessment.client,
        consultant=consultant,
        product=Product.objects.get(code="IB3"),
        start_date=start,
        end_date=start + timedelta(days=180),
        aanvraag__received_on=today - timedelta(days=3),
    )

    # The consultant sees why four eyes are needed and submits.
    log_in("opsteller", PASSWORD)
    page.get_by_role("link", name=f"{assessment.client.full_name}: IB3 zwaar").click()
    expect(page.locator("main")).to_contain_text("Deze indicatie is complex")
    expect(page.locator("main")).to_contain_text("Product IB3 zwaar")
    expect(page.get_by_role("button", name="Beschikking vaststellen")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Ter beoordeling aanbieden").click()
    expect(page.locator(".status").first).to_have_text("ter beoordeling")

    # The team lead sends it back with a motivation.
    log_in("leider", PASSWORD)
    page.get_by_role("link", name="Beoordelingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordelingen (vier ogen)")
    assert_accessible(page)
    page.get_by_role("link", name=f"{assessment.client.full_name}: IB3 zwaar").click()
    page.get_by_label("Terugsturen naar de consulent").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    # A motivation is required: the error stands at the field, and the summary links to it.
    expect(page.locator("#besluit_motivation_error")).to_contain_text("Motiveer")
    expect(page.locator(".error-summary a[href='#besluit_motivation']")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Terugsturen naar de consulent").check()
    page.get_by_label("Motivering (verplicht bij terugsturen)").fill("Maak het doel op financiën meetbaar.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(".status").first).to_have_text("concept")
    assert_accessible(page)

    # The consultant finds it returned, corrects the goal and submits again.
    log_in("opsteller", PASSWORD)
    expect(page.locator("main")).to_contain_text("teruggestuurd door teamleider")
    page.get_by_role("link", name=f"{assessment.client.full_name}: IB3 zwaar").click()
    expect(page.locator("main")).to_contain_text("Maak het doel op financiën meetbaar.")
    page.get_by_role("link", name="Concept wijzigen").click()
    page.locator("#id_resultaten-0-goal").fill("Betaalt binnen drie maanden alle vaste lasten zelf op tijd.")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_role("button", name="Ter beoordeling aanbieden").click()

    # A team lead approves.
    log_in("leider", PASSWORD)
    page.get_by_role("link", name="Beoordelingen").click()
    page.get_by_role("link", name=f"{assessment.client.full_name}: IB3 zwaar").click()
    page.get_by_label("Goedkeuren").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(".status").first).to_have_text("goedgekeurd")

    # The consultant issues the beschikking.
    log_in("opsteller", PASSWORD)
    page.get_by_role("link", name=f"{assessment.client.full_name}: IB3 zwaar").click()
    page.locator("#vaststellen_decision_date").fill(today.isoformat())
    page.get_by_role("button", name="Beschikking vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beschikking IB-")
    assert_accessible(page)

    indication.refresh_from_db()
    assert indication.status == IndicationStatus.VASTGESTELD
    assert indication.approved_by.username == "leider"
    assert indication.results.get().goal.startswith("Betaalt binnen drie maanden")
    assert [r.outcome for r in indication.reviews.order_by("submitted_at")] == ["afgekeurd", "goedgekeurd"]
    assert Indication.objects.count() == 1
