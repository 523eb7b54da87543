"""A contract manager opens the monitor, filters on a municipality and a reference group, reads the
figures and downloads the same figures as XLSX; the page passes axe."""

from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.roles import CONTRACTMANAGER
from indications.models import IndicationStatus
from monitor.services import refresh_monitor
from providers.models import ReferenceGroup
from tests.factories import ClientFactory, IndicationFactory, contracted_provider, get_municipality, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Monitor-test-2026!"


def beschikking(client, provider, start: date):
    return IndicationFactory(client=client, provider=provider, start_date=start, end_date=None,
                             status=IndicationStatus.ACTIEF, decision_date=start)


def test_contract_manager_filters_the_monitor_and_downloads_xlsx(page, log_in, assert_accessible, tmp_path):
    staff_member(CONTRACTMANAGER, username="monitor", password=PASSWORD)
    ggz = contracted_provider(name="GGZ Test", reference_group=ReferenceGroup.objects.get(number=2))
    other = contracted_provider(name="Gehandicaptenzorg Test", reference_group=ReferenceGroup.objects.get(number=1))
    dordrecht, sliedrecht = get_municipality("Dordrecht"), get_municipality("Sliedrecht")
    this_year = date.today().year
    start = date(this_year, 1, 5)
    # In Dordrecht 3 clients at the GGZ provider and 2 at the other; in Sliedrecht 4 at the GGZ one.
    for municipality, provider, count in ((dordrecht, ggz, 3), (dordrecht, other, 2), (sliedrecht, ggz, 4)):
        for _ in range(count):
            beschikking(ClientFactory(municipality=municipality), provider, start)
    refresh_monitor(today=date.today())

    log_in("monitor", PASSWORD)
    page.get_by_role("link", name="Monitor", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor individuele begeleiding")
    instroom = page.locator(".figure-card", has_text="Instroom").locator("dd")
    expect(instroom).to_have_text("9")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Gemeente", exact=True).select_option(label="Dordrecht")
    page.get_by_label("Referentiegroep", exact=True).select_option(label=str(ReferenceGroup.objects.get(number=2)))
    page.get_by_role("button", name="Tonen").click()
    expect(instroom).to_have_text("3")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Kerncijfers per jaar als XLSX").click()
    target = tmp_path / "kerncijfers.xlsx"
    download_info.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    last_row = [cell.value for cell in sheet[sheet.max_row]]
    assert last_row[0] == this_year
    assert last_row[header.index("Instroom")] == 3
