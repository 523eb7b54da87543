"""The cliëntervaringsonderzoek: the XLSX import (service, upload page, management command), all or
nothing with a Dutch error per row and column, idempotent re-import, and the scores per provider and
product on the SLA dashboard and benchmark against the target (7.5, seed 003)."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from accounts.roles import CONSULENT, CONTRACTMANAGER
from audit.models import AuditEvent
from providers import satisfaction
from providers.models import ClientSatisfaction, SatisfactionImport, SatisfactionTarget
from providers.satisfaction import import_client_satisfaction
from providers.selectors import satisfaction_target
from providers.services import issue_api_token
from tests.factories import contracted_provider, staff_member
from ui.tables import Tag

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
HEADER = [
    "Aanbieder",
    "Product",
    "Jaar",
    "Respondenten",
    "Score",
    "Positief (8-10)",
    "Neutraal (6-7)",
    "Negatief (1-5)",
]
IMPORT_URL = "/aanbieders/clienttevredenheid/import/"


def xlsx(rows, *, header=HEADER, name="ceo.xlsx") -> SimpleUploadedFile:
    """An XLSX file built here: the header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def manager(db):
    return staff_member(CONTRACTMANAGER)


@pytest.fixture
def providers(db):
    return (
        contracted_provider(name="Stichting Thuisbegeleiding Drechtsteden", agb_code="01234567"),
        contracted_provider(name="Zorggroep De Linde", agb_code="87654321"),
    )


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


# -- the target -------------------------------------------------------------------------------


def test_the_target_is_7_5_from_2016_as_reference_data():
    assert satisfaction_target(2016) == Decimal("7.5") and satisfaction_target(2025) == Decimal("7.5")
    assert satisfaction_target(2015) is None
    SatisfactionTarget.objects.create(from_year=2024, score=Decimal("7.8"))
    assert satisfaction_target(2023) == Decimal("7.5") and satisfaction_target(2025) == Decimal("7.8")


# -- the service: a valid file ------------------------------------------------------------------


def test_a_valid_file_is_imported_with_one_audit_event(providers, manager, products):
    linde = providers[1]
    source = import_client_satisfaction(
        xlsx(
            [
                [1234567, "IB1", 2025, 40, 7.9, 30, 8, 2],  # the AGB code as a number (leading zero lost)
                ["Zorggroep De Linde", "ib2", "2025", "12", "6,8", None, None, None],  # by name, a comma decimal
                ["87654321", None, 2025.0, 30, 7.1, None, None, None],  # no product: all clients
            ]
        ),
        by=manager,
        today=TODAY,
    )
    assert source.rows == 3 and source.file_name == "ceo.xlsx"
    first = ClientSatisfaction.objects.get(provider=providers[0])
    assert (first.product, first.year, first.respondents, first.score) == (products["IB1"], 2025, 40, Decimal("7.9"))
    assert (first.positive, first.neutral, first.negative) == (30, 8, 2)
    by_product = {row.product_id: row.score for row in ClientSatisfaction.objects.filter(provider=linde)}
    assert by_product == {products["IB2"].pk: Decimal("6.8"), None: Decimal("7.1")}
    (event,) = AuditEvent.objects.filter(object_type__icontains="satisfactionimport")
    assert event.actor == manager and "3 uitslagen" in event.summary
    assert event.changes["replaced"] == 0


def test_a_re_import_replaces_the_same_provider_product_and_year_only(providers, manager, products):
    import_client_satisfaction(
        xlsx([["01234567", "IB1", 2025, 40, 7.9], ["01234567", "IB1", 2024, 35, 7.0]], header=HEADER[:5]),
        by=manager,
        today=TODAY,
    )
    import_client_satisfaction(xlsx([["01234567", "IB1", 2025, 44, 8.1]], header=HEADER[:5]), by=manager, today=TODAY)
    scores = dict(ClientSatisfaction.objects.values_list("year", "score"))
    assert scores == {2025: Decimal("8.1"), 2024: Decimal("7.0")}
    assert ClientSatisfaction.objects.get(year=2025).respondents == 44
    assert AuditEvent.objects.filter(object_type__icontains="satisfactionimport").latest("at").changes["replaced"] == 1
    # The same file twice: the same data (idempotent).
    for _attempt in range(2):
        import_client_satisfaction(
            xlsx([["01234567", "IB1", 2025, 44, 8.1]], header=HEADER[:5]), by=manager, today=TODAY
        )
    assert ClientSatisfaction.objects.filter(year=2025).count() == 1


def test_headers_in_another_order_and_case_are_read(providers, manager):
    import_client_satisfaction(
        xlsx([[8.2, 20, 2025, "Zorggroep De Linde"]], header=["score", "RESPONDENTEN", "Jaar", " aanbieder "]),
        by=manager,
        today=TODAY,
    )
    assert ClientSatisfaction.objects.get().score == Decimal("8.2")


# -- the service: bad rows, all or nothing ------------------------------------------------------


def test_every_bad_row_and_column_gets_a_dutch_error_and_nothing_is_written(providers, manager):
    import_client_satisfaction(xlsx([["01234567", "IB1", 2024, 10, 7.0]], header=HEADER[:5]), by=manager, today=TODAY)
    file = xlsx(
        [
            ["01234567", "IB1", 2025, 40, 7.9, None, None, None],  # row 2: fine
            ["99999999", "IB1", 2025, 40, 7.9, None, None, None],  # row 3: unknown provider
            ["01234567", "IB9", 2025, 40, 7.9, None, None, None],  # row 4: unknown product
            ["01234567", "IB2", 2014, 40, 7.9, None, None, None],  # row 5: year before the Wmo 2015
            ["01234567", "IB3", 2025, -1, 7.9, None, None, None],  # row 6: negative respondents
            ["01234567", "IB0", 2025, 10, 10.5, None, None, None],  # row 7: score above 10
            ["01234567", "IB2", 2025, 10, "goed", None, None, None],  # row 8: no number
            ["01234567", "IB1", 2025, 40, 8.0, None, None, None],  # row 9: the same as row 2
            ["Zorggroep De Linde", "IB1", 2025, 10, 7.0, 5, 3, 1],  # row 10: spread is not the respondents
            ["Zorggroep De Linde", "IB2", 2025, 10, 7.0, 5, None, None],  # row 11: spread half filled in
            [None, "IB1", 2027, 3.5, 0, None, None, None],  # row 12: no provider, future year, 3.5, score 0
        ]
    )
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(file, by=manager, today=TODAY)
    errors = messages_of(raised.value)
    assert errors == [
        "rij 3, kolom 'Aanbieder': geen aanbieder met AGB-code of naam '99999999'.",
        "rij 4, kolom 'Product': onbekende productcode 'IB9'.",
        "rij 5, kolom 'Jaar': een jaar van 2015 tot en met 2026.",
        "rij 6, kolom 'Respondenten': een geheel aantal van 0 of meer.",
        "rij 7, kolom 'Score': een gemiddeld cijfer van 1 tot en met 10.",
        "rij 8, kolom 'Score': een gemiddeld cijfer van 1 tot en met 10.",
        "rij 9, kolom 'Aanbieder': deze aanbieder, dit product en jaar staan ook in rij 2.",
        "rij 10, kolom 'Positief': positief, neutraal en negatief samen (9) zijn niet het aantal respondenten (10).",
        "rij 11, kolom 'Positief': vul positief, neutraal en negatief alle drie in, of geen ervan.",
        "rij 12, kolom 'Aanbieder': vul de AGB-code of de naam van de aanbieder in.",
        "rij 12, kolom 'Jaar': een jaar van 2015 tot en met 2026.",
        "rij 12, kolom 'Respondenten': een geheel aantal van 0 of meer.",
        "rij 12, kolom 'Score': een gemiddeld cijfer van 1 tot en met 10.",
    ]
    assert ClientSatisfaction.objects.count() == 1 and SatisfactionImport.objects.count() == 1  # only the earlier


def test_absurd_numbers_are_row_errors_not_a_crash(providers, manager):
    file = xlsx(
        [
            ["01234567", "IB1", 2025, 40, "1e999999"],
            ["01234567", "IB2", 2025, 40, "NaN"],
            ["01234567", "IB3", 2025, 10**12, 7.5],
            ["01234567", "IB0", "99999999999999999999", 40, 7.5],
        ],
        header=HEADER[:5],
    )
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(file, by=manager, today=TODAY)
    assert messages_of(raised.value) == [
        "rij 2, kolom 'Score': een gemiddeld cijfer van 1 tot en met 10.",
        "rij 3, kolom 'Score': een gemiddeld cijfer van 1 tot en met 10.",
        "rij 4, kolom 'Respondenten': een geheel aantal van 0 of meer.",
        "rij 5, kolom 'Jaar': een jaar van 2015 tot en met 2026.",
    ]


def test_many_errors_are_cut_off_with_a_count(providers, manager):
    rows = [["onbekend", None, 2025, 1, 7] for _index in range(60)]
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(xlsx(rows, header=HEADER[:5]), by=manager, today=TODAY)
    errors = messages_of(raised.value)
    assert len(errors) == satisfaction.SATISFACTION_MAX_ERRORS + 1 and errors[-1] == "en nog 10 fouten."


# -- the service: hostile and broken files ------------------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Het bestand is leeg."),
        (b"Aanbieder;Jaar;Score\n01234567;2025;7,5\n", "Dit is geen geldig Excel-bestand (XLSX)."),
        (b"%PDF-1.4 not a spreadsheet", "Dit is geen geldig Excel-bestand (XLSX)."),
        (zip_bytes({"hello.txt": b"a zip, but no workbook"}), "Dit is geen geldig Excel-bestand (XLSX)."),
        (
            zip_bytes({"[Content_Types].xml": b"<broken", "xl/workbook.xml": b"<<<"}),
            "Dit is geen geldig Excel-bestand (XLSX).",
        ),
    ],
)
def test_a_file_that_is_no_xlsx_is_refused_with_a_message(providers, manager, content, message):
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(SimpleUploadedFile("ceo.xlsx", content), by=manager, today=TODAY)
    assert messages_of(raised.value) == [message]
    assert not SatisfactionImport.objects.exists()


def test_an_empty_sheet_a_header_only_and_missing_headers_are_refused(providers, manager):
    cases = [
        (xlsx([], header=None), "Het werkblad is leeg: verwacht een rij met kolomkoppen en daaronder de uitslagen."),
        (xlsx([]), "Het werkblad heeft kolomkoppen maar geen uitslagen."),
        (
            xlsx([["01234567", 2025, 7.5]], header=["Aanbieder", "Jaar", "Cijfer"]),
            "De eerste rij mist de kolom(men) 'Respondenten', 'Score'; "
            "verwacht: 'Aanbieder', 'Jaar', 'Respondenten', 'Score', 'Product'.",
        ),
        (
            xlsx([["01234567", 2025, 1, 7.5, 7.5]], header=["Aanbieder", "Jaar", "Respondenten", "Score", "score"]),
            "De kolom 'score' staat twee keer in de eerste rij.",
        ),
    ]
    for file, message in cases:
        with pytest.raises(ValidationError) as raised:
            import_client_satisfaction(file, by=manager, today=TODAY)
        assert messages_of(raised.value) == [message]
    assert not ClientSatisfaction.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(providers, manager, monkeypatch):
    big = SimpleUploadedFile("ceo.xlsx", b"x" * (satisfaction.SATISFACTION_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(big, by=manager, today=TODAY)
    assert messages_of(raised.value) == ["Het bestand is te groot: ten hoogste 2 MB."]
    # A small file that unpacks to too many rows (a zip bomb of rows) stops at the row limit.
    monkeypatch.setattr(satisfaction, "SATISFACTION_MAX_ROWS", 20)
    rows = [["01234567", None, 2025, 1, 7] for _index in range(30)]
    with pytest.raises(ValidationError) as raised:
        import_client_satisfaction(xlsx(rows, header=HEADER[:5]), by=manager, today=TODAY)
    assert messages_of(raised.value) == ["Het bestand heeft meer dan 20 regels; splits het op."]
    assert not ClientSatisfaction.objects.exists()


# -- the upload page and the management command -------------------------------------------------


def test_only_contract_management_may_import(client, providers):
    client.force_login(staff_member(CONSULENT))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": xlsx([["01234567", "IB1", 2025, 40, 7.9]], header=HEADER[:5])})
    assert response.status_code == 403 and not ClientSatisfaction.objects.exists()


def test_the_upload_page_imports_and_shows_the_errors_per_row(client, providers, manager):
    client.force_login(manager)
    page = client.get(IMPORT_URL)
    assert page.status_code == 200 and "Respondenten" in page.content.decode()
    response = client.post(IMPORT_URL, {"file": xlsx([["01234567", "IB1", 2025, 40, 11]], header=HEADER[:5])})
    assert response.status_code == 400
    assert "rij 2, kolom &#x27;Score&#x27;: een gemiddeld cijfer van 1 tot en met 10." in response.content.decode()
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("ceo.xlsx", b"\x00\x01 garbage")})
    assert response.status_code == 400 and "geen geldig Excel-bestand" in response.content.decode()
    assert client.post(IMPORT_URL, {}).status_code == 400  # no file at all
    response = client.post(
        IMPORT_URL, {"file": xlsx([["01234567", "IB1", 2025, 40, 7.9]], header=HEADER[:5])}, follow=True
    )
    assert "1 uitslagen van het cliëntervaringsonderzoek zijn geïmporteerd." in response.content.decode()
    assert ClientSatisfaction.objects.get().score == Decimal("7.9")
    assert "ceo.xlsx" in response.content.decode()  # the earlier imports


def test_the_management_command_uses_the_same_service(tmp_path, providers, manager):
    path = tmp_path / "ceo.xlsx"
    path.write_bytes(xlsx([["01234567", "IB1", 2025, 40, 7.9]], header=HEADER[:5]).read())
    out = io.StringIO()
    call_command("import_client_satisfaction", str(path), gebruiker=manager.username, stdout=out)
    assert "1 uitslagen ingelezen uit ceo.xlsx." in out.getvalue()
    assert AuditEvent.objects.filter(object_type__icontains="satisfactionimport", actor=manager).exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["01234567", "IB1", 2025, 40, 0.5]], header=HEADER[:5]).read())
    with pytest.raises(CommandError, match="rij 2, kolom 'Score'"):
        call_command("import_client_satisfaction", str(bad))
    with pytest.raises(CommandError, match="Kan"):
        call_command("import_client_satisfaction", str(tmp_path / "missing.xlsx"))


# -- the dashboard, the benchmark and their exports ---------------------------------------------


@pytest.fixture
def imported(providers, manager):
    import_client_satisfaction(
        xlsx(
            [
                ["01234567", "IB1", 2025, 30, 8.0, None, None, None],
                ["01234567", "IB2", 2025, 10, 6.0, 2, 3, 5],
                ["87654321", None, 2025, 50, 7.6, None, None, None],
            ]
        ),
        by=manager,
        today=TODAY,
    )
    return providers


def test_the_dashboard_shows_the_scores_per_product_against_the_target(client, imported, manager, products):
    client.force_login(manager)
    response = client.get(f"/aanbieders/{imported[0].uuid}/dashboard/", {"year": 2025})
    table = response.context["tables"]["clienttevredenheid"]
    # The products, then all clients: the products weighted by their respondents, (30*8 + 10*6) / 40.
    assert [row[:3] for row in table.rows] == [
        [products["IB1"].name, 30, 8.0],
        [products["IB2"].name, 10, 6.0],
        ["Alle producten", 40, 7.5],
    ]
    assert [row[-1] for row in table.rows] == ["doel gehaald", Tag("onder het doel", "verlopen"), "doel gehaald"]
    assert table.rows[1][3:6] == [2, 3, 5]
    assert "gemiddeld 7,5" in table.note
    assert "onder het doel" in response.content.decode()
    # Another year: nothing imported, said so.
    response = client.get(f"/aanbieders/{imported[0].uuid}/dashboard/", {"year": 2024})
    assert response.context["tables"]["clienttevredenheid"].rows == []
    assert "zijn geen uitslagen van het cliëntervaringsonderzoek ingelezen" in response.content.decode()


def test_the_benchmark_shows_the_providers_per_product_and_exports_it(client, imported, manager):
    client.force_login(manager)
    response = client.get("/aanbieders/sla/", {"year": 2025, "granularity": "jaar"})
    table = response.context["satisfaction"]
    assert [str(column.label) for column in table.columns][2:] == [
        "Respondenten",
        "Gemiddelde score",
        "Score IB1",
        "Score IB2",
        "Tegen het doel",
    ]
    assert [[str(row[0]), *row[2:]] for row in table.rows] == [
        ["Stichting Thuisbegeleiding Drechtsteden", 40, 7.5, 8.0, 6.0, "doel gehaald"],
        ["Zorggroep De Linde", 50, 7.6, None, None, "doel gehaald"],
    ]
    assert "Cliëntervaringsonderzoek importeren" in response.content.decode()
    export = client.get(
        "/aanbieders/sla/", {"year": 2025, "granularity": "jaar", "export": "clienttevredenheid", "formaat": "xlsx"}
    )
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    values = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    assert any(row[:4] == ("Zorggroep De Linde", imported[1].reference_group.name, 50, 7.6) for row in values)


def test_a_score_below_the_target_of_a_later_year_is_flagged(client, imported, manager):
    SatisfactionTarget.objects.create(from_year=2025, score=Decimal("7.55"))
    client.force_login(manager)
    table = client.get("/aanbieders/sla/", {"year": 2025, "granularity": "jaar"}).context["satisfaction"]
    assert [row[-1] for row in table.rows] == [Tag("onder het doel", "verlopen"), "doel gehaald"]


def test_the_providers_own_sla_api_gives_its_score_of_the_year_against_the_target(imported):
    _token, key = issue_api_token(imported[0], name="ceo", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    quarters = api.get("/api/v1/sla/", {"jaar": 2025, "periode": "kwartaal"}).json()
    assert len(quarters) == 4
    assert {(row["clienttevredenheid"], row["clienttevredenheidRespondenten"]) for row in quarters} == {(7.5, 40)}
    assert quarters[0]["clienttevredenheidDoel"] == 7.5
    (other_year,) = api.get("/api/v1/sla/", {"jaar": 2024}).json()
    assert (other_year["clienttevredenheid"], other_year["clienttevredenheidRespondenten"]) == (None, 0)
