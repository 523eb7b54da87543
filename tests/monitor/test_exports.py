"""What an XLSX download says about itself: a first sheet with the chosen filters, the date of the
figures and who exported it when; the table as the sheet that opens, with real date cells in a
Dutch format and column widths that fit. For the monitor, the CEO population and (in
tests/test_provider_dashboard.py) the SLA benchmark and dashboard."""

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import Municipality
from monitor.models import Refresh
from providers.models import ReferenceGroup
from tests.factories import staff_member
from ui.exports import MAX_WIDTH, ExportContext, write_xlsx
from ui.tables import Column, Table

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitor:dashboard")
CEO = reverse("monitor:ceo_population")


@pytest.fixture
def manager(client, cube, pinned_today):
    client.force_login(
        staff_member(CONTRACTMANAGER, username="export-check", first_name="Rianne", last_name="Hoogendoorn")
    )
    return client


def workbook_of(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def selection_sheet(workbook) -> dict:
    """The first sheet as {label: value} (its title row and empty rows left out)."""
    return {
        row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if row and row[0] and len(row) > 1
    }


def test_the_monitor_download_records_the_filters_the_date_of_the_figures_and_who(manager):
    dordrecht = Municipality.objects.get(name="Dordrecht")
    ggz = ReferenceGroup.objects.get(number=2)
    response = manager.get(
        DASHBOARD,
        {
            "year": "2025",
            "years": "2",
            "municipality": dordrecht.pk,
            "reference_group": ggz.pk,
            "export": "kerncijfers-per-jaar",
            "formaat": "xlsx",
        },
    )
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Selectie", "Kerncijfers per jaar"]
    assert workbook.active.title == "Kerncijfers per jaar"  # the figures open first
    facts = selection_sheet(workbook)
    assert facts["Gemeente"] == "Dordrecht"
    assert facts["Referentiegroep"] == str(ggz)
    assert (facts["Jaar"], facts["Aantal jaren in de trend"]) == ("2025", "2")
    assert (facts["Product"], facts["Aanbieder"]) == ("alle producten", "alle aanbieders")
    refresh = Refresh.objects.order_by("-started_at").first()
    assert facts["Cijfers van"] == datetime.combine(refresh.reference_date, datetime.min.time())
    assert facts["Geëxporteerd door"] == "Rianne Hoogendoorn (export-check)"
    assert isinstance(facts["Geëxporteerd op"], datetime)
    date_cell = next(row[1] for row in workbook.worksheets[0].iter_rows() if row[0].value == "Cijfers van")
    assert date_cell.is_date and date_cell.number_format == "dd-mm-yyyy"


def test_period_dates_are_date_cells_in_a_dutch_format(manager):
    response = manager.get(
        DASHBOARD, {"year": "2025", "years": "2", "export": "kerncijfers-per-periode", "formaat": "xlsx"}
    )
    sheet = workbook_of(response).active
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert first["Van"].value == datetime(2024, 12, 30) and first["Van"].is_date
    assert first["Van"].number_format == "dd-mm-yyyy"
    assert first["Tot en met"].value == datetime(2025, 1, 26)
    # widths that fit: a date column fits "30-12-2024", the long money header fits its label
    widths = {name: sheet.column_dimensions[cell.column_letter].width for name, cell in first.items()}
    assert widths["Van"] >= 10
    assert widths["Gem. kosten per cliënt per 4 weken"] >= len("Gem. kosten per cliënt per 4 weken")
    assert sheet.freeze_panes == "A2"


def test_the_ceo_population_download_records_its_selection(manager):
    dordrecht = Municipality.objects.get(name="Dordrecht")
    workbook = workbook_of(manager.get(CEO, {"year": "2025", "municipality": dordrecht.pk, "formaat": "xlsx"}))
    assert workbook.sheetnames[0] == "Selectie"
    facts = selection_sheet(workbook)
    assert (facts["Jaar"], facts["Gemeente"]) == ("2025", "Dordrecht")
    assert facts["Geëxporteerd door"] == "Rianne Hoogendoorn (export-check)"
    assert workbook.active.max_row > 1


def test_text_columns_are_as_wide_as_their_values_up_to_a_maximum(tmp_path):
    table = Table(
        "t",
        "Notities",
        [Column("Naam", "text"), Column("Toelichting", "text"), Column("Op", "date")],
        iter([["Jansen", "x" * 500, date(2025, 12, 29)], ["Van der Hoeven-Pietersen", "kort", None]]),
    )
    target = tmp_path / "t.xlsx"
    write_xlsx(table, target, ExportContext())
    sheet = openpyxl.load_workbook(target).active
    assert sheet.column_dimensions["A"].width == len("Van der Hoeven-Pietersen") + 2
    assert sheet.column_dimensions["B"].width == MAX_WIDTH  # capped: a long note does not make a column of 500
    assert sheet["C2"].is_date and sheet["C3"].value is None
