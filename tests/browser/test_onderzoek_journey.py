"""On the onderzoek page a consultant types in one section and saves another: nothing typed is lost."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import CONSULENT
from indications.models import Conversation, ZrmAssessment
from tests.factories import ClientFactory, MeldingFactory, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Onderzoek-test-2026!"


def test_saving_one_section_keeps_what_was_typed_in_the_others(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="onderzoeker", password=PASSWORD, first_name="Lot")
    melding = MeldingFactory(
        client=ClientFactory(), consultant=consultant, received_on=date.today() - timedelta(days=3)
    )
    log_in("onderzoeker", PASSWORD)
    page.goto(f"/onderzoeken/{melding.intake.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Onderzoek")

    notes = "Overzicht over de financiën is kwijt; de buurvrouw opent de post."
    page.locator("#id_gesprek-need_notes").fill(notes)
    page.locator("#id_gesprek-place").select_option("thuis")
    page.locator("#id_conclusie-report").fill("Eerste aanzet voor het verslag.")
    for select in page.locator(".zrm-grid select").all():
        select.select_option("4")
    page.locator("#id_zrm-zrm_financien").select_option("2")
    page.get_by_role("button", name="ZRM opslaan").click()

    expect(page.locator("main")).to_contain_text("ZRM-meting van")
    expect(page.locator("#id_gesprek-need_notes")).to_have_value(notes)
    expect(page.locator("#id_gesprek-place")).to_have_value("thuis")
    expect(page.locator("#id_conclusie-report")).to_have_value("Eerste aanzet voor het verslag.")
    assert ZrmAssessment.objects.count() == 1 and not Conversation.objects.exists()
    assert_accessible(page)

    # Pressing Enter in a field saves nothing and keeps the input.
    page.locator("#id_gesprek-held_on").press("Enter")
    expect(page.locator("main")).to_contain_text("Er is niets opgeslagen")
    expect(page.locator("#id_gesprek-need_notes")).to_have_value(notes)
    assert not Conversation.objects.exists()

    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page.locator("main")).to_contain_text("Gesprek van")
    expect(page.locator("#id_conclusie-report")).to_have_value("Eerste aanzet voor het verslag.")
    assert Conversation.objects.get().need_notes == notes
