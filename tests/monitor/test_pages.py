"""The monitor's pages through the test client with real permissions: the dashboard with its
filters, the CSV and XLSX downloads of every table (compared with the figures on the screen), the
cliëntervaringsonderzoek population and the SVG charts. The data is the world of conftest.py."""

import csv
import html
import re
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from audit.models import AuditEvent
from indications.models import Client, Municipality
from monitor.models import CUBE_VERSION, Refresh, RefreshedYear
from providers.models import Provider, ReferenceGroup
from tests.factories import UserFactory, get_municipality, staff_member
from ui import charts
from ui.exports import XLSX_TYPE

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitor:dashboard")
CEO = reverse("monitor:ceo_population")
SLUGS = [
    "kerncijfers-per-jaar",
    "kerncijfers-per-periode",
    "kosten-per-product",
    "kosten-per-provider",
    "kosten-per-leveringsvorm",
    "duur-per-product",
    "duur-per-provider",
    "producten-per-jaar",
    "meldingen-per-kanaal",
    "referentiegroepen-per-jaar",
    "referentiegroepen-per-jaar-groei",
    "zorgstapeling-per-gemeente",
    "zorgstapeling-combinaties",
    "doorlooptijden-per-jaar",
    "doorlooptijden-per-periode",
    "doorlooptijden-per-gemeente",
    "doorlooptijden-per-product",
    "doorlooptijden-per-aanbieder",
    "stops-eigen-bijdrage",
    "mantelzorg-per-jaar",
    "mantelzorg-per-periode",
    "mantelzorg-per-gemeente",
    "besluiten-per-jaar",
    "besluiten-per-periode",
    "besluiten-per-gemeente",
    "besluiten-per-product",
    "betaald-per-maand",
    "betaald-per-aanbieder",
    "betaald-per-product",
    "betaald-per-gemeente",
    "budgetgebruik",
    "declaraties-per-aanbieder",
    "bezwaren-per-product",
    "calamiteiten-per-maand",
    "calamiteiten-wachten-op-ggd",
    "calamiteiten-dagen-tot-ggd",
]
YEAR_2025 = {"year": "2025", "years": "2"}


@pytest.fixture
def manager(client, cube, pinned_today):
    """The test client logged in as a contract manager (view_management_information and
    export_ceo_population), on the refreshed world, with the clock on TODAY."""
    client.force_login(staff_member(CONTRACTMANAGER, username="contractmanager-monitor"))
    return client


class ScreenTables(HTMLParser):
    """The text of every monitor table on a page, per slug: a list of rows of cell texts."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._slug = self._row = self._cell = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and (attrs.get("id") or "").startswith("tabel-"):
            self._slug = attrs["id"].removeprefix("tabel-")
            self.tables[self._slug] = []
        elif self._slug and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._slug].append(self._row)
            self._row = None
        elif tag == "table":
            self._slug = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cards(page: str) -> dict[str, str]:
    return dict(re.findall(r'<dt class="muted">(.*?)</dt><dd class="figure-card__value">(.*?)</dd>', page))


def export_links(page: str) -> list[str]:
    return [html.unescape(link) for link in re.findall(r'href="(\?[^"]*export=[^"]*)"', page)]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# -- access --------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={DASHBOARD}"
    assert client.get(CEO).status_code == 302


def test_a_consultant_may_not_see_the_monitor(client, consultant):
    client.force_login(consultant)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(CEO, {"year": "2025", "formaat": "csv"}).status_code == 403


def test_management_information_without_the_ceo_export(client, cube, pinned_today):
    user = UserFactory(username="beleidsmedewerker")
    user.user_permissions.add(Permission.objects.get(codename="view_management_information"))
    client.force_login(user)
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert CEO not in page.content.decode()  # no link to a download they may not make
    assert client.get(CEO, {"year": "2025", "formaat": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(object_type="indications.municipality").exists()


# -- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_the_years_figures(manager):
    response = manager.get(DASHBOARD, YEAR_2025)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cijfers bijgewerkt op" in page and "(peildatum 23-11-2026)" in page
    # The cards: the key figures of 2025 (test_figures.test_key_figures_2025), in Dutch notation.
    assert cards(page) == {
        "Cliënten op peildatum": "4",
        "Cliënten in periode": "6",
        "Instroom": "3",
        "Uitstroom": "2",
        "Uitstroom %": "33,3",
        "Afschaling": "1",
        "Opschaling": "1",
        "Heraanmeldingen": "1",
        "Kosten": "33.635,94",
        "Gem. kosten per cliënt per 4 weken": "645,07",
    }
    per_year = ScreenTables(page).tables["kerncijfers-per-jaar"]
    assert per_year[0][0] == "Jaar"
    # 2024: 3 on 31-12, 4 clients, instroom 3, uitstroom 1 (25%), no scaling, 12212.95 (339.25 per 4 weeks)
    assert per_year[1:] == [
        ["2024", "3", "4", "3", "1", "25,0", "0", "0", "0", "12.212,95", "339,25"],
        ["2025", "4", "6", "3", "2", "33,3", "1", "1", "1", "33.635,94", "645,07"],
    ]
    assert set(ScreenTables(page).tables) == set(SLUGS)


def test_without_a_choice_the_current_year_and_five_years(manager):
    response = manager.get(DASHBOARD)
    assert response.status_code == 200
    assert (response.context["form"].cleaned_data["year"], response.context["year"]) == (2026, 2026)
    # 2022-2026, of which the refreshed 2024-2026 have figures.
    assert [row[0] for row in ScreenTables(response.content.decode()).tables["kerncijfers-per-jaar"][1:]] == [
        "2024",
        "2025",
        "2026",
    ]


def test_filters_change_the_figures(manager, cube):
    dordrecht = get_municipality("Dordrecht")
    page = manager.get(DASHBOARD, {**YEAR_2025, "municipality": dordrecht.pk}).content.decode()
    # Dordrecht in 2025: b1 b2 b3 b7 b9 (test_figures.test_each_filter)
    figures = cards(page)
    assert (figures["Cliënten in periode"], figures["Instroom"], figures["Kosten"]) == ("4", "2", "14.508,63")
    page = manager.get(DASHBOARD, {**YEAR_2025, "provider": cube.b.pk, "age_group": "18-25"}).content.decode()
    # Provider B and 18-25: C2 (b2, b3): 3088.49 + 3328.36
    figures = cards(page)
    assert (figures["Cliënten in periode"], figures["Afschaling"], figures["Kosten"]) == ("1", "1", "6.416,85")
    # The stacking follows the municipality only.
    page = manager.get(DASHBOARD, {**YEAR_2025, "municipality": get_municipality("Sliedrecht").pk})
    assert ScreenTables(page.content.decode()).tables["zorgstapeling-per-gemeente"][1:] == [
        ["Sliedrecht", "1", "1", "1", "2.500", "0,4", "0,4"]
    ]


def test_a_selection_whose_cost_tops_the_axis_at_2500(manager):
    # Gender X is C4 alone: 2025.96 in 2024 and 2218.91 in 2025, so the cost chart's axis runs to 2500.0.
    response = manager.get(DASHBOARD, {**YEAR_2025, "gender": Client.Gender.OTHER})
    assert response.status_code == 200
    assert cards(response.content.decode())["Kosten"] == "2.218,91"


@pytest.mark.parametrize(
    "query",
    [
        {"year": "twee"},
        {"year": "2014"},  # before the first year
        {"year": "2027"},  # after the current year
        {"years": "0"},
        {"years": "11"},
        {"municipality": "999999"},
        {"product": "IB1"},  # a primary key is expected
        {"provider": "-1"},
        {"reference_group": "groep"},
        {"age_group": "17-18"},
        {"gender": "Q"},
        {"year": "", "export": "kerncijfers-per-jaar", "formaat": "csv"},
    ],
)
def test_a_bad_filter_value_is_a_form_error(manager, query):
    response = manager.get(DASHBOARD, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    field = next(key for key in query if key not in ("export", "formaat"))
    assert field in response.context["form"].errors
    assert "tables" not in response.context
    assert "Deze selectie kan niet worden getoond:" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"export": "onbekende-tabel", "formaat": "csv"},
        {"export": "kerncijfers-per-jaar", "formaat": "pdf"},
        {"export": "", "formaat": "xlsx"},
    ],
)
def test_an_unknown_export_shows_the_page(manager, query):
    response = manager.get(DASHBOARD, {**YEAR_2025, **query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "kerncijfers-per-jaar" in response.context["tables"]


def test_before_the_first_refresh_the_page_says_so(manager):
    Refresh.objects.all().delete()
    page = manager.get(DASHBOARD, YEAR_2025).content.decode()
    assert "De cijfers zijn nog niet berekend" in page


STALE = "zijn nog niet berekend of door een eerdere versie van sddcase"


def test_the_page_says_which_of_its_years_are_not_computed_by_this_release(manager):
    # The cube is refreshed from 2024; the world's first beschikking is of 2023, so 2021 and 2022
    # have no figures to compute.
    assert STALE not in manager.get(DASHBOARD, YEAR_2025).content.decode()
    page = html.unescape(manager.get(DASHBOARD, {"year": "2025", "years": "5"}).content.decode())
    assert "De cijfers van 2023 zijn nog niet berekend" in page
    assert "voor dat jaar leeg" in page
    RefreshedYear.objects.filter(year=2025).update(cube_version=CUBE_VERSION - 1)  # an older release's
    page = html.unescape(manager.get(DASHBOARD, {"year": "2025", "years": "3"}).content.decode())
    assert "De cijfers van 2023, 2025 zijn nog niet berekend" in page
    assert "voor die jaren leeg" in page
    assert "refresh_monitor --verouderd" in page


def test_the_number_of_queries_does_not_grow_with_the_page(manager, django_assert_max_num_queries):
    # Measured: 27 queries (session, user, permissions, the refresh, one or two per table, the filter
    # form's choices), 5 for the waiting times (one per table over the stored steps), 2 for
    # the stops after the eigen bijdrage (its rules, one count), 3 for mantelzorg (one per table),
    # 2 for the membership (the year's members for the stacking, the municipalities the figures cover)
    # and 8 for the decisions on aanvragen (aanvragen and decisions per table: 4 x 2), 6 for the money of
    # the declaraties (expected, the contract prices, paid; the budgets and their payments; the
    # rejections per provider), 1 for the bezwaren (one grouped query), 3 for the calamiteiten (one
    # grouped query per table), 1 for the stale years (those computed by this release); the bound
    # leaves a little room. The world's size does not enter into it.
    with django_assert_max_num_queries(61):  # +1: the second factor's device (django-otp) on every request
        assert manager.get(DASHBOARD, YEAR_2025).status_code == 200


# -- exports -------------------------------------------------------------------------------------


@pytest.fixture
def screen(manager):
    response = manager.get(DASHBOARD, YEAR_2025)
    page = response.content.decode()
    return page, ScreenTables(page).tables, response.context["tables"]


def test_every_table_has_an_xlsx_and_a_csv_link(screen):
    """Internal (exact) and for publication (monitor.publication)."""
    page, _texts, tables = screen
    links = export_links(page)
    assert sorted(links) == sorted(
        f"?year=2025&years=2&export={slug}&formaat={file_format}{variant}"
        for slug in tables
        for file_format in ("xlsx", "csv")
        for variant in ("", "&publicatie=1")
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_the_csv_download_holds_the_figures_on_the_screen(manager, screen, slug):
    _page, texts, tables = screen
    response = manager.get(f"{DASHBOARD}?year=2025&years=2&export={slug}&formaat=csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.csv"', response["Content-Disposition"])
    content = body(response).decode("utf-8")
    assert content.startswith("\ufeff")  # a byte order mark, for Excel
    rows = list(csv.reader(StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == texts[slug][0]  # the headers
    numeric = [column.is_numeric for column in tables[slug].columns]
    on_screen = [] if texts[slug][1:] == [["Geen gegevens voor deze selectie."]] else texts[slug][1:]
    # The same cells as on the screen, without the thousands point (and empty instead of "–").
    assert rows[1:] == [
        [
            ("" if text == "–" else text.replace(".", "")) if is_numeric else text
            for text, is_numeric in zip(row, numeric, strict=True)
        ]
        for row in on_screen
    ]


def test_the_csv_has_a_decimal_comma_and_no_thousands_point(manager):
    content = body(manager.get(DASHBOARD, {**YEAR_2025, "export": "kerncijfers-per-jaar", "formaat": "csv"}))
    lines = content.decode("utf-8").removeprefix("\ufeff").splitlines()
    assert lines[0].split(";")[:3] == ["Jaar", "Cliënten op peildatum", "Cliënten in periode"]
    assert lines[2] == "2025;4;6;3;2;33,3;1;1;1;33635,94;645,07"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_xlsx_download_holds_the_figures_on_the_screen(manager, screen, slug):
    from ui.tables import format_cell

    _page, texts, tables = screen
    response = manager.get(f"{DASHBOARD}?year=2025&years=2&export={slug}&formaat=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.xlsx"', response["Content-Disposition"])
    sheet = openpyxl.load_workbook(BytesIO(body(response))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert list(values[0]) == texts[slug][0]
    columns = tables[slug].columns
    on_screen = [] if texts[slug][1:] == [["Geen gegevens voor deze selectie."]] else texts[slug][1:]
    assert len(values) - 1 == len(on_screen)
    for row, screen_row in zip(values[1:], on_screen, strict=True):
        for index, (value, column, text) in enumerate(zip(row, columns, screen_row, strict=True)):
            if column.is_numeric and value is not None:
                assert isinstance(value, int | float), (slug, row)
            shown = format_cell(value, column.kind)
            assert (shown or ("" if index == 0 else "–")) == text, (slug, row, column.label)


def test_the_xlsx_cells_are_numbers_with_a_format(manager):
    response = manager.get(DASHBOARD, {**YEAR_2025, "export": "kerncijfers-per-jaar", "formaat": "xlsx"})
    sheet = openpyxl.load_workbook(BytesIO(body(response))).active
    header = [cell.value for cell in sheet[1]]
    row_2025 = {name: cell for name, cell in zip(header, sheet[3], strict=True)}
    assert sheet.title == "Kerncijfers per jaar"
    assert row_2025["Jaar"].value == 2025
    assert row_2025["Kosten"].value == pytest.approx(33635.94)
    assert row_2025["Kosten"].number_format == '"€" #,##0.00'
    assert row_2025["Instroom"].value == 3
    assert row_2025["Uitstroom %"].value == pytest.approx(100 * 2 / 6)


# -- the cliëntervaringsonderzoek population ----------------------------------------------------


def ceo_rows(response) -> list[list[str]]:
    content = body(response).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(StringIO(content), delimiter=";"))


def ceo_events(user):
    return AuditEvent.objects.filter(actor=user, object_type="indications.municipality", action=AuditEvent.Action.READ)


def test_the_ceo_population_of_a_year(manager, cube):
    response = manager.get(CEO, {"year": "2025", "formaat": "csv"})
    assert response.status_code == 200 and response.streaming
    header, *rows = ceo_rows(response)
    assert header == [
        "Gemeente",
        "Voorletters",
        "Tussenvoegsel",
        "Achternaam",
        "Straat",
        "Huisnummer",
        "Postcode",
        "Woonplaats",
        "Leeftijdsgroep",
        "Geslacht",
        "Product",
        "Aanbieder",
    ]
    # Everyone with a decided beschikking in force in 2025: C1 C2 C3 C4 C5 C7; not C6 (no IB), not
    # C8 (ingetrokken). Per municipality, by address; age on 2025-12-31; the last beschikking's product.
    assert [[row[0], row[3], row[6], row[8], row[9], row[10], row[11]] for row in rows] == [
        ["Dordrecht", "Akkerman", "3311 AB", "26-45", "V", "IB1 licht", "Aanbieder A"],  # C1: b1
        ["Dordrecht", "Bakker", "3311 AC", "18-25", "M", "IB1 licht", "Aanbieder B"],  # C2: b3
        ["Dordrecht", "Gerritsen", "3311 AC", "26-45", "M", "IB1 licht", "Aanbieder A"],  # C7: b9
        ["Dordrecht", "Dekker", "3311 AD", "46-65", "X", "IB1 licht", "Aanbieder B"],  # C4: b7
        ["Sliedrecht", "Evers", "3361 AA", "66-75", "V", "IB1 licht", "Aanbieder A"],  # C5: b8
        ["Zwijndrecht", "Claassen", "3331 AA", "76+", "M", "IB3 zwaar", "Aanbieder A"],  # C3: b5
    ]
    assert rows[0][1:8] == ["A.", "", "Akkerman", "Singel", "1", "3311 AB", "Dordrecht"]


def test_the_ceo_population_holds_no_bsn(manager, cube):
    for file_format in ("csv", "xlsx"):
        content = body(manager.get(CEO, {"year": "2025", "formaat": file_format}))
        if file_format == "xlsx":
            sheet = openpyxl.load_workbook(BytesIO(content)).active
            content = "\n".join(";".join(str(value) for value in row) for row in sheet.iter_rows(values_only=True))
        else:
            content = content.decode("utf-8")
        assert "BSN" not in content.upper()
        assert "Akkerman" in content
        for client in Client.objects.all():
            assert client.bsn not in content


def test_each_ceo_download_is_recorded_once_per_municipality(manager, cube):
    user = manager.get(DASHBOARD, YEAR_2025).context["user"]
    manager.get(CEO, {"year": "2025", "formaat": "csv"})
    events = ceo_events(user)
    assert events.count() == Municipality.objects.count() == 7  # every municipality is in the download
    assert {event.object_id for event in events} == {
        str(pk) for pk in Municipality.objects.values_list("pk", flat=True)
    }
    assert {event.summary for event in events} == {"Export populatie cliëntervaringsonderzoek 2025"}

    dordrecht = get_municipality("Dordrecht")
    response = manager.get(CEO, {"year": "2025", "municipality": dordrecht.pk, "formaat": "xlsx"})
    assert response["Content-Type"] == XLSX_TYPE
    sheet = openpyxl.load_workbook(BytesIO(body(response))).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Akkerman",
        "Bakker",
        "Gerritsen",
        "Dekker",
    ]  # C1 C2 C7 C4
    assert ceo_events(user).count() == 7 + 1
    assert ceo_events(user).filter(object_id=str(dordrecht.pk)).count() == 2


def test_the_ceo_population_counts_a_beschikking_decided_in_the_year(manager, cube):
    # 2026: b3 (C2), b5 (C3), b8 (C5), b9 (C7) in force, and C1's b10, decided 2026-11-20, from 12-01.
    header, *rows = ceo_rows(manager.get(CEO, {"year": "2026", "formaat": "csv"}))
    assert sorted(row[3] for row in rows) == ["Akkerman", "Bakker", "Claassen", "Evers", "Gerritsen"]
    akkerman = next(row for row in rows if row[3] == "Akkerman")
    assert (akkerman[10], akkerman[11]) == ("IB1 licht", "Aanbieder B")  # b10


@pytest.mark.parametrize(
    "query", [{}, {"year": "2025"}, {"year": "twee", "formaat": "csv"}, {"year": "2025", "formaat": "pdf"}]
)
def test_without_a_valid_choice_the_ceo_page_shows_the_form(manager, cube, query):
    response = manager.get(CEO, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(object_type="indications.municipality").exists()


# -- charts --------------------------------------------------------------------------------------


def test_the_charts_are_accessible_svg(manager):
    page = manager.get(DASHBOARD, YEAR_2025).content.decode()
    svgs = re.findall(r"<svg [^>]*>", page)
    # trend, cost, periods, products, reference groups; the world has no waiting times (no chart)
    assert len(svgs) == 5
    assert all('role="img"' in svg and "aria-label=" in svg for svg in svgs)
    titles = re.findall(r"<svg [^>]*><title>(.*?)</title><desc>(.*?)</desc>", page)
    assert [title for title, _description in titles] == [
        "Cliënten, instroom en uitstroom per jaar",
        "Kosten per jaar",
        "Cliënten, instroom en uitstroom per periode van 4 weken in 2025",
        "Cliënten per product per jaar",
        "Cliënten per referentiegroep per jaar",
    ]
    # Each chart describes its figures in words for a screen reader, as the table under it shows them.
    assert titles[1][1] == "Kosten: 2024 € 12.212,95, 2025 € 33.635,94"
    # Each title is also the visible caption of the chart's figure.
    captions = re.findall(r'<figcaption class="chart-figure__title">(.*?)</figcaption>', page)
    assert captions == [title for title, _description in titles]
    assert titles[0][1].startswith("Cliënten in periode: 2024 4, 2025 6; Instroom: 2024 3, 2025 3; Uitstroom:")


def test_names_in_the_page_and_its_charts_are_escaped(manager, cube):
    Provider.objects.filter(pk=cube.a.pk).update(name="<script>alert('aanbieder')</script>")
    ReferenceGroup.objects.filter(number=1).update(name="<script>alert('groep')</script>")
    page = manager.get(DASHBOARD, YEAR_2025).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;aanbieder&#x27;)&lt;/script&gt;" in page  # the cost per provider table
    group_chart = re.search(r'<svg [^>]*aria-label="Cliënten per referentiegroep per jaar".*?</svg>', page, re.S)
    assert "&lt;script&gt;alert(&#x27;groep&#x27;)&lt;/script&gt;" in group_chart.group()


def test_the_chart_functions_escape_every_text():
    evil = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    drawn = [
        charts.bar_chart(
            f"Kosten {evil}", [evil, "Aanbieder B"], [Decimal("12.5"), None], kind="money", highlight=evil
        ),
        charts.line_chart(evil, [evil, "2026"], [charts.Series(evil, [1, 2])]),
        charts.share_chart(evil, [evil], [charts.Series(evil, [3]), charts.Series("IB1", [1])]),
    ]
    for svg in drawn:
        assert svg.startswith('<figure class="chart-figure"><figcaption') and svg.endswith("</svg></figure>")
        assert '<svg class="chart"' in svg and 'role="img"' in svg
        assert "<script>" not in svg
        assert escaped in svg
    # The bar chart describes its figures in Dutch notation, with a dash for a missing one.
    assert "<desc>&lt;script&gt;alert(1)&lt;/script&gt;: € 12,50; Aanbieder B: –</desc>" in drawn[0]


def test_every_chart_on_the_page_has_a_legend_entry_per_series(manager):
    page = manager.get(DASHBOARD, YEAR_2025).content.decode()
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        series = re.findall(r'<g class="chart__series" data-colour="([^"]+)" data-marker="([^"]+)"', svg)
        entries = re.findall(r'<g class="chart__legend-item" data-colour="([^"]+)" data-marker="([^"]+)"', svg)
        assert series and entries == series
        assert len(set(series)) == len(series)
