"""The monitor's Table: Dutch notation of its cells (on the screen with a thousands point, in CSV
without) and rows that may be a generator until a page needs them twice."""

from datetime import date
from decimal import Decimal

import pytest

from ui.tables import Column, Link, Table, Tag, as_number, format_cell
from ui.templatetags import cells, table_rows


@pytest.mark.parametrize(
    ("value", "kind", "screen", "csv"),
    [
        (Decimal("1234567.891"), "money", "1.234.567,89", "1234567,89"),
        (Decimal("-1234.5"), "money", "-1.234,50", "-1234,50"),
        (Decimal("0.00"), "money", "0,00", "0,00"),
        (645.0728, "money", "645,07", "645,07"),
        (33.3333, "pct", "33,3", "33,3"),
        (-100.0, "pct", "-100,0", "-100,0"),
        (12345.67, "pct", "12.345,7", "12345,7"),
        (0.4, "decimal", "0,4", "0,4"),
        (1666.66, "decimal", "1.666,7", "1666,7"),
        (12345, "int", "12.345", "12345"),
        (1234567, "int", "1.234.567", "1234567"),
        (0, "int", "0", "0"),
        (Decimal("7"), "int", "7", "7"),
        (183.67, "days", "184", "184"),
        (-180.33, "days", "-180", "-180"),
        (2025, "text", "2025", "2025"),
        ("IB1 licht", "text", "IB1 licht", "IB1 licht"),
        ("n.v.t.", "int", "n.v.t.", "n.v.t."),  # not a number: as it is
        (None, "money", "", ""),
        ("", "int", "", ""),
    ],
)
def test_format_cell_in_dutch(value, kind, screen, csv):
    assert format_cell(value, kind) == screen
    assert format_cell(value, kind, grouping=False) == csv


def test_as_number_gives_a_file_plain_numbers():
    assert as_number(Decimal("33635.94")) == 33635.94 and isinstance(as_number(Decimal("1.5")), float)
    assert as_number(None) is None
    assert as_number(7) == 7 and as_number("IB1") == "IB1"


def test_numeric_columns():
    assert Column("Kosten", "money").is_numeric
    assert Column("Cliënten").is_numeric  # int by default
    assert not Column("Product", "text").is_numeric


def test_materialise_turns_a_generator_into_a_list_once():
    produced = []

    def rows():
        for number in range(3):
            produced.append(number)
            yield [number]

    table = Table("t", "Tabel", [Column("Nummer")], rows())
    assert produced == []  # lazy until asked
    assert table.materialise() is table
    assert table.rows == [[0], [1], [2]]
    assert table.materialise().rows == [[0], [1], [2]]  # a second time reads the same rows
    assert produced == [0, 1, 2]


def test_materialise_keeps_a_list():
    rows = [["IB1", 3]]
    table = Table("t", "Tabel", [Column("Product", "text"), Column("Cliënten")], rows)
    assert table.materialise().rows is rows
    assert Table("leeg", "Leeg", [Column("A")]).materialise().rows == []


def test_the_template_filter_formats_each_cell_for_its_column():
    columns = [
        Column("Gemeente", "text"),
        Column("Kosten", "money"),
        Column("Per 1.000", "decimal"),
        Column("Vanaf", "date"),
        Column("Aanbieder", "text"),
        Column("Urgentie", "text"),
    ]
    plain = {"url": "", "current": False, "tone": ""}
    assert cells(
        [
            "Dordrecht",
            Decimal("14508.63"),
            None,
            date(2025, 12, 29),
            Link("Zorg BV", "/a/", current=True),
            Tag("termijn nadert", "nadert"),
        ],
        columns,
    ) == [
        {**plain, "text": "Dordrecht", "numeric": False, "kind": "text"},
        {**plain, "text": "14.508,63", "numeric": True, "kind": "money"},
        {**plain, "text": "", "numeric": True, "kind": "decimal"},
        {**plain, "text": "29-12-2025", "numeric": False, "kind": "date"},
        {**plain, "text": "Zorg BV", "numeric": False, "kind": "text", "url": "/a/", "current": True},
        {**plain, "text": "termijn nadert", "numeric": False, "kind": "text", "tone": "nadert"},
    ]
    with pytest.raises(ValueError):  # a row that does not fit its columns is a programming error
        cells(["Dordrecht"], columns)


def test_the_rows_as_html_with_a_row_header_links_tags_dashes_and_escaped_text():
    table = Table(
        "t",
        "T",
        [Column("Aanbieder", "text"), Column("Kosten", "money"), Column("Vanaf", "date"), Column("Urgentie", "text")],
        [
            [Link("Zorg & Co", "/a/?x=1&y=<2>", current=True), None, date(2025, 12, 29), Tag("nadert", "warn")],
            ["<b>Dordrecht</b>", Decimal("14508.63"), None, ""],
            ["", 0, None, "geheim"],
        ],
    )
    assert table_rows(table) == (
        '<tr><th scope="row"><a href="/a/?x=1&amp;y=&lt;2&gt;" aria-current="true">Zorg &amp; Co</a></th>'
        '<td class="num">–</td><td class="date">29-12-2025</td><td><span class="tag tag--warn">nadert</span></td></tr>'
        '<tr><th scope="row">&lt;b&gt;Dordrecht&lt;/b&gt;</th><td class="num">14.508,63</td><td class="date">–</td>'
        "<td>–</td></tr>"
        '<tr><th scope="row"></th><td class="num">0,00</td><td class="date">–</td><td>geheim</td></tr>'
    )
    empty = '<tr><td colspan="2">Geen gegevens voor deze selectie.</td></tr>'
    assert table_rows(Table("t", "T", [Column("A", "text"), Column("B")], iter([]))) == empty


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (2.5, "int", "3"),
        (182.5, "days", "183"),
        (183.5, "days", "184"),
        (0.25, "pct", "0,3"),
        (Decimal("0.125"), "money", "0,13"),
        (-2.5, "int", "-3"),
    ],
)
def test_format_cell_rounds_half_up_as_people_do(value, kind, text):
    assert format_cell(value, kind) == text


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ([], None),
        ([(90, 1)], 90),
        ([(90, 1), (243, 1)], (90 + 243) / 2),  # two values: their mean
        ([(10, 2), (20, 1)], 10),  # 10, 10, 20
        ([(10, 2), (20, 2)], 15),  # 10, 10, 20, 20
        ([(10, 1), (20, 3), (30, 1)], 20),  # 10, 20, 20, 20, 30
        ([(5, 3), (7, 1), (9, 4)], 8),  # 5, 5, 5, 7 | 9, 9, 9, 9: the 4th and 5th are 7 and 9
    ],
)
def test_the_median_of_counted_durations(histogram, median):
    from monitor.selectors import _median

    assert _median(histogram) == median
