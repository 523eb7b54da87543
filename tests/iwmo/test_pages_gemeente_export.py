"""The traffic pages' municipality filter (day and provider page) and the CSV/XLSX export of their
figures through ui.exports (the same ui.tables.Table the download writes)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indications.models import Municipality
from iwmo.models import OutgoingMessage
from tests.factories import ClientFactory, ProviderFactory
from tests.iwmo.test_pages import DAY, contract_manager, day_url, received, sent

pytestmark = pytest.mark.django_db
__all__ = ["contract_manager"]  # the fixture


@pytest.fixture
def two_municipalities(db):
    """One provider's traffic on DAY for two municipalities: 2 + 1 sent, 1 received from the first."""
    dordrecht, zwijndrecht = Municipality.objects.order_by("code")[:2]
    provider = ProviderFactory(name="Stichting De Brug")
    here, there = ClientFactory(municipality=dordrecht), ClientFactory(municipality=zwijndrecht)
    sent(provider=provider, client=here, afgeleverd=True)
    sent(provider=provider, client=here, status=OutgoingMessage.Status.FAILED, attempts=8)
    sent(provider=provider, client=there, afgeleverd=True)
    received(provider=provider, client=here, municipality=dordrecht)
    return provider, dordrecht, zwijndrecht


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content) if response.streaming else response.getvalue()


def test_the_day_filters_by_municipality(client, contract_manager, two_municipalities):
    provider, first, second = two_municipalities
    client.force_login(contract_manager)
    counts = {row.direction: row.total for row in client.get(day_url(gemeente=first.code)).context["counts"]}
    assert counts == {"uit": 2, "in": 1}
    counts = {row.direction: row.total for row in client.get(day_url(gemeente=second.code)).context["counts"]}
    assert counts == {"uit": 1}
    assert client.get(day_url(gemeente="9999")).context["form"].errors["gemeente"]  # a form error, not a 500


def test_the_day_figures_download_as_csv_and_xlsx(client, contract_manager, two_municipalities):
    provider, first, _second = two_municipalities
    client.force_login(contract_manager)
    page = client.get(day_url(gemeente=first.code)).content.decode()
    assert "export=iwmo-dag&amp;formaat=xlsx" in page and f"gemeente={first.code}" in page
    _response, body = download(client, day_url(gemeente=first.code, export="iwmo-dag", formaat="csv"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, *lines = rows
    assert header[:4] == ["Richting", "Berichtsoort", "Aanbieder", "Totaal"]
    sent_row = next(line for line in lines if line[0] == "verzonden")
    assert sent_row[1:4] == ["WMO301", provider.name, "2"]
    assert sent_row[header.index("verzonden: mislukt")] == "1"
    response, body = download(client, day_url(gemeente=first.code, export="iwmo-dag", formaat="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(body))
    selection = [tuple(row) for row in workbook["Selectie"].iter_rows(values_only=True)]
    assert any(row[:2] == ("Gemeente", first.name) for row in selection)
    figures = workbook.worksheets[1]
    assert [cell.value for cell in figures[2]][:4] == ["verzonden", "WMO301", provider.name, 2]


def test_the_provider_page_filters_by_municipality_and_exports_its_days(client, contract_manager, two_municipalities):
    provider, first, second = two_municipalities
    client.force_login(contract_manager)
    url = reverse("iwmo:provider", args=[provider.uuid])
    query = f"?van={DAY:%Y-%m-%d}&tot={DAY:%Y-%m-%d}"
    page = client.get(f"{url}{query}&gemeente={second.code}")
    assert page.context["totals"] == {"sent": 1, "received": 0, "errors": 0}
    assert f"gemeente={second.code}" in page.content.decode()
    _response, body = download(client, f"{url}{query}&gemeente={first.code}&export=iwmo-dagen&formaat=csv")
    header, line = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert header == ["Dag", "Verzonden", "Ontvangen", "Fouten"]
    assert line == [f"{DAY:%d-%m-%Y}", "2", "1", "1"]
