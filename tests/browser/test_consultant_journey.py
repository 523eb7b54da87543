"""A consultant takes a new client from melding to an issued beschikking, in a real browser."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT
from indications.models import Indication, IndicationStatus
from tests.browser.conftest import one_time_code
from tests.factories import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Journey-test-2026!"


def iso(day: date) -> str:
    return day.isoformat()


def test_consultant_journey_from_melding_to_beschikking(page, assert_accessible):
    staff_member(CONSULENT, username="journey", password=PASSWORD, first_name="Jet", last_name="de Vries")
    today = date.today()
    start = today + timedelta(days=14)

    # Login
    page.goto("/")
    expect(page).to_have_title(re.compile("Inloggen"))
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill("journey")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    code = one_time_code("journey")  # a confirmed second factor: a herstelcode
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap van het inloggen")
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("werkvoorraad", ignore_case=True)
    assert_accessible(page)

    # Search finds nobody; register a new client
    page.get_by_role("link", name="Cliënt zoeken").click()
    page.get_by_label("BSN").fill("111222333")
    page.get_by_role("button", name="Zoeken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe cliënt registreren").click()
    assert_accessible(page)
    page.locator("#id_bsn").fill("111222334")  # fails the elfproef
    page.locator("#id_last_name").fill("Jansen")
    page.locator("#id_first_name").fill("Piet")
    page.locator("#id_initials").fill("P.")
    page.locator("#id_date_of_birth").fill("1980-04-12")
    page.locator("#id_gender").select_option("M")
    page.locator("#id_municipality").select_option(label="Dordrecht")
    page.locator("#id_street").fill("Voorstraat")
    page.locator("#id_house_number").fill("12")
    page.locator("#id_postcode").fill("3311 AB")
    page.locator("#id_city").fill("Dordrecht")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".field--error")).to_contain_text("BSN")
    assert_accessible(page)
    page.locator("#id_bsn").fill("111222333")
    page.get_by_role("button", name="Opslaan").click()

    # Melding
    expect(page.get_by_role("heading", level=1)).to_contain_text("Melding")
    assert_accessible(page)
    page.locator("#id_received_on").fill(iso(today))
    page.locator("#id_channel").select_option("wijkteam")
    page.locator("#id_question").fill("Schulden lopen op, post blijft liggen.")
    page.locator("#id_consultant").select_option(label="Jet de Vries")
    page.get_by_role("button", name="Melding registreren").click()

    # Intake: conversation, ZRM, conclusion
    expect(page.get_by_role("heading", level=1)).to_contain_text("Onderzoek")
    expect(page.locator("main")).to_contain_text((today + timedelta(weeks=6)).strftime("%d-%m-%Y"))
    assert_accessible(page)
    page.locator("#id_gesprek-held_on").fill(iso(today))
    page.locator("#id_gesprek-place").select_option("thuis")
    page.locator("#id_gesprek-clientondersteuning_offered").check()
    page.locator("#id_gesprek-persoonlijk_plan_informed").check()
    page.locator("#id_gesprek-need_notes").fill("Overzicht over de financiën is kwijt.")
    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page.locator("main")).to_contain_text("Gesprek van")

    page.locator("#id_zrm-assessed_on").fill(iso(today))
    for select in page.locator(".zrm-grid select").all():
        select.select_option("4")
    page.locator("#id_zrm-zrm_financien").select_option("2")
    page.get_by_role("button", name="ZRM opslaan").click()
    expect(page.locator("main")).to_contain_text("ZRM-meting van")
    assert_accessible(page)

    page.locator('input[name="conclusie-conclusion"][value="maatwerkvoorziening"]').check()
    page.locator("#id_conclusie-report").fill("Cliënt heeft begeleiding nodig bij de administratie.")
    page.locator("#id_conclusie-report_sent_on").fill(iso(today))
    page.get_by_role("button", name="Onderzoek afronden").click()
    page.get_by_role("link", name="Aanvraag registreren").click()

    # Aanvraag
    assert_accessible(page)
    page.locator("#id_received_on").fill(iso(today))
    page.get_by_role("button", name="Aanvraag registreren").click()

    # Indication: first try without results, then fill it in
    expect(page.get_by_role("heading", level=1)).to_contain_text("ndicatie")
    assert_accessible(page)
    page.locator("#id_product").select_option(label="IB1 licht (02A06)")
    page.locator("#id_start_date").fill(iso(start))
    page.locator("#id_end_date").fill(iso(start + timedelta(days=364)))
    page.locator("#id_evaluation_date_1").fill(iso(start + timedelta(days=91)))
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator(".alert--error").first).to_contain_text("ten minste één resultaat")
    assert_accessible(page)
    page.locator("#id_resultaten-0-result").select_option(label="Voert zelfstandig de eigen (financiële) administratie")
    page.locator("#id_resultaten-0-goal").fill("Betaalt vaste lasten binnen drie maanden zelf op tijd.")
    # The primary life domain must be one of the results' domains; treatment (Zvw) needed or waited for.
    page.locator("#id_primary_domain").select_option(label="Huisvesting")
    page.locator("#id_treatment_needed").select_option("ja_wachtlijst")
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator("#id_primary_domain").locator("xpath=..")).to_contain_text(
        "geen domein van de gekozen resultaten"
    )
    assert_accessible(page)
    page.locator("#id_primary_domain").select_option(label="Financiën")
    page.get_by_role("button", name="Concept opslaan").click()

    # Concept → vastgesteld
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concept")
    assert_accessible(page)
    page.locator("#vaststellen_decision_date").fill(iso(today))
    page.get_by_role("button", name="Beschikking vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beschikking IB-")
    expect(page.locator(".status")).to_have_text("vastgesteld")
    assert_accessible(page)
    expect(page.locator("dd").filter(has_text="ja, cliënt wacht op behandeling")).to_be_visible()

    indication = Indication.objects.get(client__bsn="111222333")
    assert indication.status == IndicationStatus.VASTGESTELD
    assert indication.decision_date == today
    assert indication.results.get().result.domain.code == "financien"
    assert (indication.primary_domain.code, indication.treatment_needed) == ("financien", "ja_wachtlijst")
    assert indication.status_changes.filter(to_status=IndicationStatus.VASTGESTELD).exists()
