"""The charts: every series has a legend entry and a colour and marker of its own (with eight series
and more), the legend stays inside the chart, and the axes carry their units."""

import re
import xml.etree.ElementTree as ET

import pytest

from ui import charts

SVG = "{http://www.w3.org/2000/svg}"
NAMES = [
    "Gehandicaptenzorg",
    "GGZ",
    "Psychische kwetsbaarheid / psychosociaal",
    "Autismezorg",
    "Thuiszorg en maatschappelijke dienstverlening",
    "Ouderenzorg",
    "Jeugd naar Wmo",
    "Overig",
    "Negende reeks",
    "Tiende reeks",
]


def svg_of(figure: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*</svg>", figure, re.S).group(0))


def legend(svg: ET.Element) -> list[tuple[str, str, str]]:
    """(name, colour, marker) per legend entry."""
    return [
        ("".join(item.find(f"{SVG}text").itertext()), item.get("data-colour"), item.get("data-marker"))
        for item in svg.iter(f"{SVG}g")
        if item.get("class") == "chart__legend-item"
    ]


def drawn_series(svg: ET.Element) -> list[tuple[str, str]]:
    return [
        (group.get("data-colour"), group.get("data-marker"))
        for group in svg.iter(f"{SVG}g")
        if group.get("class") == "chart__series"
    ]


def axis_labels(svg: ET.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "end"]


def all_charts(count: int) -> dict[str, str]:
    series = [charts.Series(name, [index + 1, 2 * index + 3, None, index]) for index, name in enumerate(NAMES[:count])]
    years = ["2022", "2023", "2024", "2025"]
    return {
        "line": charts.line_chart("Cliënten per referentiegroep", years, series),
        "share": charts.share_chart("Cliënten per product", years, series),
        "grouped bars": charts.grouped_bar_chart("Te late meldingen", years, series),
    }


@pytest.mark.parametrize("count", [1, 2, 6, 8, 9, 10])
def test_every_series_has_its_own_legend_entry_colour_and_marker(count):
    for kind, figure in all_charts(count).items():
        svg = svg_of(figure)
        entries = legend(svg)
        assert [name for name, _colour, _marker in entries] == NAMES[:count], kind
        styles = [(colour, marker) for _name, colour, marker in entries]
        assert len(set(styles)) == count, kind  # no two series look alike
        assert drawn_series(svg) == styles, kind  # and each is drawn as its legend shows it
        if count <= len(charts.PALETTE):
            assert len({colour for colour, _marker in styles}) == count, kind
            assert len({marker for _colour, marker in styles}) == count, kind


@pytest.mark.parametrize("count", [6, 10])
def test_the_legend_wraps_inside_the_chart(count):
    for kind, figure in all_charts(count).items():
        svg = svg_of(figure)
        _x, _y, width, height = (float(value) for value in svg.get("viewBox").split())
        for item in svg.iter(f"{SVG}g"):
            if item.get("class") != "chart__legend-item":
                continue
            text = item.find(f"{SVG}text")
            x, y = float(text.get("x")), float(text.get("y"))
            assert x + charts.CHAR_WIDTH * len(text.text) <= width + 1, (kind, text.text)
            assert y <= height, (kind, text.text)
        lines = {
            item.find(f"{SVG}text").get("y")
            for item in svg.iter(f"{SVG}g")
            if item.get("class") == "chart__legend-item"
        }
        assert len(lines) > 1, kind  # six long names do not fit on one line


def test_counts_on_the_axis_are_whole_numbers_without_a_decimal():
    svg = svg_of(charts.line_chart("Cliënten", ["2024", "2025"], [charts.Series("Cliënten", [3, 1])]))
    assert axis_labels(svg) == ["0", "1", "2", "3"]
    svg = svg_of(charts.line_chart("Cliënten", ["2024", "2025"], [charts.Series("Cliënten", [1200, 2720])]))
    assert axis_labels(svg) == ["0", "1.000", "2.000", "3.000"]


def test_money_on_the_axis_shows_euros_and_percentages_show_a_percent_sign():
    money = svg_of(
        charts.line_chart("Kosten", ["2024", "2025"], [charts.Series("Kosten", [12212.95, 33635.94])], kind="money")
    )
    assert axis_labels(money) == ["€ 0", "€ 10.000", "€ 20.000", "€ 30.000", "€ 40.000"]
    pct = svg_of(
        charts.line_chart("Uitstroom %", ["2024", "2025"], [charts.Series("Uitstroom %", [18, 66.7])], kind="pct")
    )
    assert axis_labels(pct) == ["0%", "20%", "40%", "60%", "80%"]


def test_the_product_share_axis_shows_percentages():
    svg = svg_of(
        charts.share_chart("Cliënten per product", ["2025"], [charts.Series("IB1", [3]), charts.Series("IB2", [1])])
    )
    assert axis_labels(svg) == ["0%", "25%", "50%", "75%", "100%"]


def test_grouped_bars_print_each_value_with_its_unit():
    figure = charts.grouped_bar_chart(
        "Uitstroom",
        ["Aanbieder A", "Aanbieder B"],
        [charts.Series("Uitstroom %", [66.66, None]), charts.Series("Referentiegroep", [50, 25])],
        kind="pct",
    )
    texts = [text.text for text in svg_of(figure).iter(f"{SVG}text")]
    assert {"66,7%", "–", "50,0%", "25,0%", "Aanbieder A", "Aanbieder B"} <= set(texts)
