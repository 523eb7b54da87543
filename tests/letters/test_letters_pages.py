"""The letters on the client file and the beschikking page, in a real browser at 1280 and 390 px:
nothing runs off the screen, the table scrolls in a labelled region, no serious axe finding, and the
PDF link downloads the letter as sent (screenshots in the test's directory)."""

import pytest

from accounts.roles import CONSULENT
from indications import services
from indications.models import Indication
from letters.models import Letter
from tests.browser.test_wide_pages import PAGE_WIDTH, TABLES_IN_REGIONS, TOO_WIDE, WIDTHS
from tests.factories import TODAY, build_case_file, contracted_provider, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Brieven-pagina-2026!"


def test_the_letters_on_the_client_file_and_the_beschikking_page(page, log_in, assert_accessible, tmp_path):
    consultant = staff_member(CONSULENT, username="brieven-consulent", password=PASSWORD)
    case_file = build_case_file(consultant=consultant)
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=contracted_provider(name="Zorg Dichtbij"))
    indication = services.issue_beschikking(case_file.indication, by=consultant, today=TODAY)
    letter = Letter.objects.get(client=case_file.client)
    log_in("brieven-consulent", PASSWORD)
    for url, name in (
        (f"/clienten/{case_file.client.uuid}/", "dossier"),
        (f"/indicaties/{indication.uuid}/", "beschikking"),
    ):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            assert page.evaluate(PAGE_WIDTH) <= width, f"{url} at {width} px: {page.evaluate(TOO_WIDE, width)}"
            assert all(page.evaluate(TABLES_IN_REGIONS)), f"{url}: a table outside a scroll region"
            page.locator("#h-brieven").scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert_accessible(page)
        assert letter.kenmerk in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF {letter.kenmerk}").click()
    letter.refresh_from_db()
    assert download.value.suggested_filename == f"{letter.kenmerk}.pdf"
    assert open(download.value.path(), "rb").read() == letter.pdf.open("rb").read()
