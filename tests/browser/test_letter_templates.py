"""A functioneel beheerder edits a letter template on its page: a broken placeholder is refused
with the error at the field, the preview shows the letter, the save is a new version; then the
municipality's signature on the letterhead page; the consultant sees the client's letters. The pages
pass axe (screenshots at 1280 and 390 px to LETTER_SCREENSHOTS when set)."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import CONSULENT, FUNCTIONEEL_BEHEERDER
from indications import services as case_services
from indications.models import Indication, Municipality
from letters import kinds
from letters.models import LetterTemplate, MunicipalityLetterhead
from tests.browser.screens import shoot
from tests.factories import build_case_file, contracted_provider, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Brieven-test-2026!"
SCREENSHOTS = os.environ.get("LETTER_SCREENSHOTS", "")


def _shoot(page, name: str) -> None:
    shoot(page, SCREENSHOTS, name)


def test_a_beheerder_edits_previews_and_saves_a_letter_template(page, log_in, assert_accessible, eager):
    staff_member(FUNCTIONEEL_BEHEERDER, username="beheer-sjablonen", password=PASSWORD, first_name="Bram")
    dordrecht = Municipality.objects.get(name="Dordrecht")

    log_in("beheer-sjablonen", PASSWORD)
    page.get_by_role("link", name="Briefsjablonen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefsjablonen")
    assert_accessible(page)
    _shoot(page, "briefsjablonen-lijst")
    page.get_by_label("Gemeente").select_option(label="Dordrecht")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("row")).to_have_count(2 * len(kinds.all_kinds()) + 1)  # a heading row per kind
    page.get_by_role("link", name="Dordrecht (beschikking: toekenning)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beschikking: toekenning")
    expect(page.get_by_text("{{ partial_motivation }}", exact=True)).to_be_visible()

    body = page.get_by_label("Tekst (verplicht)", exact=True)
    body.fill("<p>Beste {{ client_name }}, u krijgt {{ product }.</p>")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#id_body_error")).to_contain_text("Een plaatshouder of opdracht is niet goed afgesloten.")
    expect(page.get_by_role("alert")).to_contain_text("De tekst is niet opgeslagen:")
    assert_accessible(page)
    _shoot(page, "briefsjabloon-fout")
    assert not LetterTemplate.objects.filter(municipality=dordrecht).exists()

    page.get_by_label("Tekst (verplicht)", exact=True).fill(
        "<p>Beste {{ client_name }}, u krijgt {{ product }}.</p>\n<p>{{ provider }} belt u binnen twee weken.</p>"
    )
    page.get_by_role("button", name="Voorbeeld", exact=True).click()
    preview = page.frame_locator("iframe[title='Voorbeeld van de brief']")
    expect(preview.get_by_text("Beste J. de Vries, u krijgt individuele begeleiding licht (IB1).")).to_be_visible()
    expect(preview.get_by_text("Gemeente Dordrecht").first).to_be_visible()
    assert not LetterTemplate.objects.filter(municipality=dordrecht).exists()
    assert_accessible(page)
    _shoot(page, "briefsjabloon-voorbeeld")

    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_text("Versie 1 is opgeslagen. Nieuwe brieven krijgen deze tekst.")).to_be_visible()
    expect(page.get_by_text("huidige versie")).to_be_visible()
    saved = LetterTemplate.objects.get(municipality=dordrecht)
    assert saved.kind == kinds.TOEKENNING and saved.version == 1 and "binnen twee weken" in saved.body
    assert_accessible(page)
    _shoot(page, "briefsjabloon-opgeslagen")

    page.get_by_role("link", name="Briefhoofd van Dordrecht").click()
    page.get_by_label("Naam ondertekenaar").fill("A. Jansen")
    page.get_by_label("E-mail").fill("geen adres")
    page.get_by_role("button", name="Briefhoofd opslaan").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "briefhoofd-fout")
    page.get_by_label("E-mail").fill("wmo@dordrecht.example.nl")
    page.get_by_role("button", name="Briefhoofd opslaan").click()
    expect(page.get_by_text("Het briefhoofd van Dordrecht is opgeslagen.")).to_be_visible()
    assert MunicipalityLetterhead.objects.get(municipality=dordrecht).signatory_name == "A. Jansen"
    assert_accessible(page)
    _shoot(page, "briefhoofd")


def test_the_consultant_sees_the_letter_with_the_new_text_on_the_client_file(page, log_in, assert_accessible, eager):
    consultant = staff_member(CONSULENT, username="consulent-brieven", password=PASSWORD)
    case = build_case_file(consultant=consultant)
    Indication.objects.filter(pk=case.indication.pk).update(provider=contracted_provider(name="Stichting Thuis"))
    case_services.issue_beschikking(case.indication, by=consultant, today=timezone.localdate())

    log_in("consulent-brieven", PASSWORD)
    page.goto(f"/clienten/{case.client.uuid}/")
    section = page.locator("section[aria-labelledby='h-brieven']")
    expect(section.get_by_role("heading", name="Brieven")).to_be_visible()
    expect(section.get_by_role("link").first).to_be_visible()
    assert_accessible(page)
    _shoot(page, "client-brieven")
    assert page.request.get("/brieven/sjablonen/").status == 403
