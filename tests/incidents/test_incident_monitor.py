"""The calamiteiten in the monitor (monitor.incidents): per provider and soort the reports per
month, the ones waiting for their GGD report, and the days from the report to the municipality to
the report to the GGD. Each one grouped query; the selection's municipality and provider apply."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONTRACTMANAGER
from incidents.models import IncidentKind, IncidentStatus
from monitor import incidents as figures
from monitor.selectors import Selection
from tests.factories import AssignmentFactory, get_municipality, staff_member

from .factories import IncidentFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def incident(assignment, *, reported: date, kind=IncidentKind.CALAMITEIT, ggd_on: date | None = None, hour=12):
    fields = {}
    if ggd_on:
        fields = {"status": IncidentStatus.GGD_REPORTED, "ggd_reported_on": ggd_on, "ggd_reference": "G"}
    return IncidentFactory(
        assignment=assignment,
        kind=kind,
        occurred_at=at(reported, 8),
        reported_at=at(reported, hour),
        **fields,
    )


@pytest.fixture
def two_providers():
    first, second = AssignmentFactory(), AssignmentFactory()
    # January twice (one geweld), March once; the other provider once in March; one the year before.
    incident(first, reported=date(YEAR, 1, 5), ggd_on=date(YEAR, 1, 7))
    incident(first, reported=date(YEAR, 1, 20), kind=IncidentKind.GEWELD, ggd_on=date(YEAR, 1, 21))
    incident(first, reported=date(YEAR, 3, 2))
    incident(second, reported=date(YEAR, 3, 31), hour=23)  # 23:00 local: still March
    incident(second, reported=date(YEAR - 1, 12, 30), ggd_on=date(YEAR, 1, 9))
    return first.provider, second.provider


def test_per_provider_kind_and_month(two_providers, django_assert_num_queries):
    first, second = two_providers
    with django_assert_num_queries(1):
        table = figures.incidents_per_month(Selection(), YEAR)
    rows = {(row[0], row[1]): row[2:] for row in table.rows}
    assert rows[(first.name, "calamiteit")] == [1, 0, 1, *[0] * 9, 2]
    assert rows[(first.name, "geweldsincident")] == [1, *[0] * 11, 1]
    assert rows[(second.name, "calamiteit")] == [0, 0, 1, *[0] * 9, 1]
    assert len(rows) == 3  # the one of the year before is not counted


def test_the_ones_waiting_for_the_ggd(two_providers, django_assert_num_queries):
    first, second = two_providers
    today = date(YEAR, 4, 10)
    with django_assert_num_queries(1):
        table = figures.waiting_for_ggd(Selection(), today)
    assert [row[:3] for row in table.rows] == [[first.name, 1, date(YEAR, 3, 2)], [second.name, 1, date(YEAR, 3, 31)]]
    assert table.rows[0][3] == 39


def test_days_to_the_ggd_report(two_providers, django_assert_num_queries):
    first, second = two_providers
    with django_assert_num_queries(1):
        table = figures.days_to_ggd_report(Selection(), YEAR)
    assert table.rows == [[first.name, 2, 1.5, 2]]  # 2 and 1 days; the other's was reported the year before
    last_year = figures.days_to_ggd_report(Selection(), YEAR - 1)
    assert last_year.rows == [[second.name, 1, 10.0, 10]]


def test_the_selection_applies(two_providers):
    first, second = two_providers
    assert {row[0] for row in figures.incidents_per_month(Selection(provider=second), YEAR).rows} == {second.name}
    elsewhere = get_municipality("Sliedrecht")
    assert figures.incidents_per_month(Selection(municipality=elsewhere), YEAR).rows == []
    assert figures.waiting_for_ggd(Selection(municipality=elsewhere), date(YEAR, 4, 1)).rows == []


def test_the_dashboard_shows_them(client, two_providers):
    first, _second = two_providers
    client.force_login(staff_member(CONTRACTMANAGER, username="cm-calamiteiten"))
    response = client.get(reverse("monitor:dashboard"), {"year": str(YEAR), "years": "1"})
    assert response.status_code == 200
    tables = response.context["tables"]
    assert {"calamiteiten-per-maand", "calamiteiten-wachten-op-ggd", "calamiteiten-dagen-tot-ggd"} <= set(tables)
    page = response.content.decode()
    assert "Calamiteiten en geweld per aanbieder, soort en maand in 2026" in page and first.name in page
