"""Small cells are secret in the monitor's exports for publication (seed 003): values 0 to 7 are
"geheim", counts rounded to fives, a second cell suppressed where one alone would be recomputable,
derived figures of a row with a secret count hidden; the internal export stays exact."""

import csv
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from monitor.publication import SECRET, Protection, protect_count, protect_table
from tests.factories import staff_member
from ui.tables import Column, Table

DASHBOARD = reverse("monitor:dashboard")
DEFAULT = Protection(secret_below=8, round_to=5)


@pytest.mark.parametrize("value", range(8))
def test_values_0_to_7_are_secret(value):
    assert protect_count(value, DEFAULT) == SECRET


@pytest.mark.parametrize(
    ("value", "published"), [(8, 10), (12, 10), (13, 15), (15, 15), (17, 15), (18, 20), (102, 100)]
)
def test_counts_from_8_are_rounded_to_fives(value, published):
    assert protect_count(value, DEFAULT) == published


def test_empty_cells_stay_empty():
    assert protect_count(None, DEFAULT) is None


def test_the_threshold_and_the_rounding_are_settings(settings):
    settings.MONITOR_PUBLICATION = {"SECRET_BELOW": 3, "ROUND_TO": 10}
    protection = Protection.from_settings()
    assert (protect_count(2, protection), protect_count(3, protection), protect_count(14, protection)) == (
        SECRET,
        0,
        10,
    )
    settings.MONITOR_PUBLICATION = {"SECRET_BELOW": 0, "ROUND_TO": 1}
    assert protect_count(7, Protection.from_settings()) == 7


def _table(rows):
    return Table(
        "t",
        "T",
        [Column("Naam", "text"), Column("2024"), Column("2025"), Column("Uitstroom %", "pct")],
        rows,
    )


def test_a_second_cell_is_suppressed_when_one_alone_would_be_recomputable_from_a_total():
    table = protect_table(_table([["A", 3, 40, 12.5], ["B", 20, 9, 30.0], ["C", 31, 50, 10.0]]), DEFAULT)
    # A/2024 (3) is secret; in column 2024 the smallest other (B: 20) and then in row B the smallest
    # other (9) is suppressed too, and column 2025 then has two secret cells.
    assert table.rows == [
        ["A", SECRET, SECRET, SECRET],
        ["B", SECRET, SECRET, SECRET],
        ["C", 30, 50, 10.0],
    ]
    for line in [*table.rows, *zip(*table.rows, strict=True)]:
        assert list(line).count(SECRET) != 1


def test_a_table_without_small_cells_is_only_rounded():
    table = protect_table(_table([["A", 8, 41, 12.5], ["B", 22, 9, 30.0]]), DEFAULT)
    assert table.rows == [["A", 10, 40, 12.5], ["B", 20, 10, 30.0]]
    assert "geheim" in table.note


@pytest.fixture
def manager(client, cube, pinned_today):
    client.force_login(staff_member(CONTRACTMANAGER, username="publicatie-check"))
    return client


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_the_publication_csv_holds_the_protected_values_and_the_internal_one_the_exact(manager):
    query = {"year": "2025", "years": "2", "export": "kerncijfers-per-jaar", "formaat": "csv"}
    exact = _csv_rows(manager.get(DASHBOARD, query))
    published = _csv_rows(manager.get(DASHBOARD, {**query, "publicatie": "1"}))
    assert exact[0] == published[0]
    clients = exact[0].index("Cliënten in periode")
    # The small world has a handful of clients per year: exact internally, secret for publication.
    assert [int(row[clients]) for row in exact[1:]] == [4, 6]  # 2024: C2, C3, C4, C7; 2025: also C1, C5
    assert [row[clients] for row in published[1:]] == [SECRET, SECRET]
    cost = exact[0].index("Kosten")
    assert all(row[cost] == SECRET for row in published[1:])
    assert all(row[cost] not in ("", SECRET) for row in exact[1:])


@pytest.mark.django_db
def test_the_publication_xlsx_says_so_and_holds_the_protected_values(manager, settings):
    settings.MONITOR_PUBLICATION = {"SECRET_BELOW": 1, "ROUND_TO": 5}
    response = manager.get(
        DASHBOARD,
        {"year": "2025", "years": "2", "export": "kerncijfers-per-jaar", "formaat": "xlsx", "publicatie": "1"},
    )
    assert "publicatie" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    selection = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert selection["Variant"].startswith("voor publicatie")
    header, *rows = workbook.worksheets[1].iter_rows(values_only=True)
    clients = header.index("Cliënten in periode")
    # With only 0 secret the counts 4 and 6 are rounded to 5 and 5.
    assert [row[clients] for row in rows] == [5, 5]


@pytest.mark.django_db
def test_the_page_offers_both_variants_and_says_what_publication_means(manager):
    response = manager.get(DASHBOARD, {"year": "2025", "years": "2"})
    page = response.content.decode()
    assert "export=kerncijfers-per-jaar&amp;formaat=xlsx&amp;publicatie=1" in page
    assert "waarden 0 tot en met 7 zijn geheim, aantallen afgerond op 5" in page


@pytest.mark.django_db
def test_the_growth_for_publication_is_computed_from_the_protected_counts(manager, settings):
    query = {"year": "2025", "years": "2", "export": "referentiegroepen-per-jaar-groei", "formaat": "csv"}
    exact = _csv_rows(manager.get(DASHBOARD, query))
    assert SECRET not in {cell for row in exact for cell in row}
    # Every reference group has fewer than 8 clients a year: its growth is secret too.
    published = _csv_rows(manager.get(DASHBOARD, {**query, "publicatie": "1"}))
    assert [row[0] for row in published[1:]] == [row[0] for row in exact[1:]]
    assert {row[1] for row in published[1:]} == {SECRET}
    # With no threshold and no rounding the variant for publication is the internal export.
    settings.MONITOR_PUBLICATION = {"SECRET_BELOW": 0, "ROUND_TO": 1}
    assert _csv_rows(manager.get(DASHBOARD, {**query, "publicatie": "1"})) == exact
