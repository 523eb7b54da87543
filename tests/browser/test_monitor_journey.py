"""A contract manager opens the monitor, filters on a municipality and a reference group, reads the
figures and downloads the same figures as XLSX; compares the providers of a reference group, opens a
provider's dashboard and records the jaargesprek. Every page passes axe."""

from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.roles import CONTRACTMANAGER
from indications.models import Indication, IndicationStatus
from monitor.services import refresh_monitor
from providers.models import ReferenceGroup
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    contracted_provider,
    get_municipality,
    staff_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Monitor-test-2026!"


def beschikking(client, provider, start: date):
    return IndicationFactory(
        client=client,
        provider=provider,
        start_date=start,
        end_date=None,
        status=IndicationStatus.ACTIEF,
        decision_date=start,
    )


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


def test_contract_manager_compares_providers_and_records_the_jaargesprek(page, log_in, assert_accessible, tmp_path):
    staff_member(CONTRACTMANAGER, username="contract", password=PASSWORD)
    ggz_group = ReferenceGroup.objects.get(number=2)
    strong = contracted_provider(name="GGZ Sterk", reference_group=ggz_group)
    small = contracted_provider(name="GGZ Klein", reference_group=ggz_group)
    contracted_provider(name="Buiten De Groep", reference_group=ReferenceGroup.objects.get(number=1))
    today = date.today()
    # GGZ Sterk: 3 toewijzingen (eerste indicatie) starting this year; GGZ Klein: 1.
    for provider, count in ((strong, 3), (small, 1)):
        for _ in range(count):
            AssignmentFactory(
                provider=provider,
                indication__start_date=date(today.year, 1, 5),
                indication__end_date=None,
                indication__kind=Indication.Kind.FIRST,
            )
    refresh_monitor(today=today)

    log_in("contract", PASSWORD)
    page.get_by_role("link", name="SLA-cijfers", exact=True).click()
    page.get_by_label("Referentiegroep", exact=True).select_option(label=str(ggz_group))
    page.get_by_role("button", name="Tonen").click()
    table = page.locator("#tabel-benchmark table")
    expect(table.locator("tbody tr")).to_have_count(3)  # two providers and the group's average
    expect(table).not_to_contain_text("Buiten De Groep")
    expect(page.locator("figure.chart-figure").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"SLA-benchmark {today.year}: {ggz_group.name} als XLSX").click()
    target = tmp_path / "benchmark.xlsx"
    download_info.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    instroom = {row[0].value: row[header.index("Instroom")].value for row in sheet.iter_rows(min_row=2)}
    assert instroom == {"GGZ Klein": 1, "GGZ Sterk": 3, "Gemiddelde": 2}

    table.get_by_role("link", name="GGZ Sterk", exact=True).click()  # the name in the table opens the dashboard
    expect(page.get_by_role("heading", level=1)).to_have_text("SLA-dashboard GGZ Sterk")
    year_row = page.locator("#tabel-sla-per-kwartaal tbody tr", has_text=f"Heel {today.year}")
    expect(year_row.locator("td").first).to_have_text("3")
    assert_accessible(page)

    page.get_by_label("Gehouden op").fill(today.isoformat())
    page.get_by_label("Deelnemers").fill("R. Hoogendoorn (SDD), directeur GGZ Sterk")
    page.get_by_label("Conclusies over de prestaties").fill("Instroom boven het groepsgemiddelde.")
    page.get_by_role("button", name="Jaargesprek vastleggen").click()
    expect(page.get_by_text(f"Het jaargesprek over {today.year} is vastgelegd.")).to_be_visible()
    review = page.locator("article", has_text=f"Jaargesprek {today.year}, gehouden op")
    expect(review).to_contain_text("Instroom boven het groepsgemiddelde.")
    expect(page.get_by_role("button", name="Jaargesprek vastleggen")).to_have_count(0)
    assert_accessible(page)
