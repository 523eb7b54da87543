"""The SLA figures are declared once (providers.sla.SLA_FIGURES): the stored model, the nightly
refresh, the dashboard and benchmark pages, their exports and the provider's SLA API all follow
the declaration. Each test fails when a declared figure is missing from one of them."""

import csv
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import CONTRACTMANAGER
from api.serializers import SlaFiguresSerializer
from providers.models import SlaFigures
from providers.selectors import benchmark, periods
from providers.services import issue_api_token, refresh_sla_figures
from providers.sla import SHOWN_FIGURES, SLA_FIGURES
from tests.factories import contracted_provider, issued_assignment, staff_member

pytestmark = pytest.mark.django_db

NOT_FIGURES = {"id", "provider", "year", "quarter", "computed_on"}
LABELS = [str(figure.label) for figure in SHOWN_FIGURES]


@pytest.fixture
def provider(consultant):
    provider = contracted_provider()
    issued_assignment(provider, consultant, today=timezone.localdate())
    refresh_sla_figures(today=timezone.localdate(), years=[timezone.localdate().year])
    return provider


def csv_header(response) -> list[str]:
    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=";") if row]
    return next(row for row in rows if LABELS[0] in row)


def test_the_declaration_is_complete_and_unambiguous():
    names = [figure.name for figure in SLA_FIGURES]
    api_names = [figure.api_name for figure in SHOWN_FIGURES]
    assert len(set(names)) == len(names) and len(set(api_names)) == len(api_names)
    assert all(api_names), "a figure shown on the pages is also in the provider's API"
    assert all(figure.unit in ("int", "pct", "days") for figure in SLA_FIGURES)


def test_every_declared_figure_is_a_stored_column_and_every_column_is_declared():
    columns = {field.name for field in SlaFigures._meta.get_fields()} - NOT_FIGURES
    assert columns == {figure.name for figure in SLA_FIGURES}


def test_the_refresh_stores_every_declared_figure_as_benchmark_computes_it(provider):
    year = timezone.localdate().year
    (row,) = benchmark(
        periods(year, "jaar")[0], providers=type(provider).objects.filter(pk=provider.pk), today=timezone.localdate()
    )
    stored = SlaFigures.objects.get(provider=provider, year=year, quarter=0)
    for figure in SLA_FIGURES:
        assert getattr(stored, figure.name) == figure.stored_value(getattr(row, figure.name)), figure.name
    assert stored.clients == 1  # the data is not empty: the comparison above means something


def test_the_pages_and_their_exports_show_every_declared_figure(client, provider):
    year = timezone.localdate().year
    client.force_login(staff_member(CONTRACTMANAGER))
    sla = client.get("/aanbieders/sla/", {"year": year, "granularity": "jaar"})
    assert [str(column.label) for column in sla.context["table"].columns][2:-1] == LABELS
    dashboard_url = f"/aanbieders/{provider.uuid}/dashboard/"
    dashboard = client.get(dashboard_url, {"year": year})
    for slug in ("sla-per-kwartaal", "sla-per-jaar"):
        assert [str(column.label) for column in dashboard.context["tables"][slug].columns][
            1 : len(LABELS) + 1
        ] == LABELS
    assert [row[0] for row in dashboard.context["tables"]["jaargesprek"].rows] == LABELS
    header = csv_header(
        client.get("/aanbieders/sla/", {"year": year, "granularity": "jaar", "export": "benchmark", "formaat": "csv"})
    )
    assert all(label in header for label in LABELS)
    header = csv_header(client.get(dashboard_url, {"year": year, "export": "sla-per-kwartaal", "formaat": "csv"}))
    assert all(label in header for label in LABELS)


def test_the_api_returns_every_declared_figure(provider):
    _token, key = issue_api_token(provider, name="sla", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    (year,) = api.get("/api/v1/sla/", {"jaar": timezone.localdate().year}).json()
    satisfaction = [
        "clienttevredenheid",
        "clienttevredenheidRespondenten",
        "clienttevredenheidDoel",
    ]  # imported, per year
    assert list(year) == ["periode", "van", "tot", *(figure.api_name for figure in SHOWN_FIGURES), *satisfaction]
    assert list(SlaFiguresSerializer().fields) == list(year)
    assert year["clienten"] == 1
