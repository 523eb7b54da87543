"""Stops after the eigen bijdrage (seed 001: clients stop their support because of it): per month
after 1 December 2020 the clients whose care stopped, against the same month a year earlier, read
from the stops per month that the monitor's refresh stores (StopCell).

client  stop reported  reason                         counts in
S1      2020-12-10     21 eenzijdig door cliënt       december 2020 (and "door cliënt")
S2      2020-12-31     19 volgens plan                december 2020
S3      2021-02-01     23 voortijdig                  februari 2021
S3      2021-02-20     21 (a second toewijzing)       februari 2021 once, and "door cliënt"
S4      2021-01-15     38 overstap andere aanbieder   nowhere: a switch is no stop
S5      2019-12-05     21 eenzijdig door cliënt       december 2019, the baseline of december 2020
S6      2021-06-01     21                             nowhere: after the six months
S7      2021-03-03     19 volgens plan, Zwijndrecht   maart 2021, not with the filter on Dordrecht
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import EigenBijdrageRule
from monitor.eigen_bijdrage import stops_after_eigen_bijdrage
from monitor.models import StopCell
from monitor.selectors import Selection
from monitor.services import refresh_monitor
from providers.codes import RedenBeeindiging as R
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    get_municipality,
    get_product,
    staff_member,
)

pytestmark = pytest.mark.django_db


TODAY = date(2026, 12, 1)


def _refresh():
    refresh_monitor(today=TODAY, first_year=2019, last_year=2021)


def _stop(client, on: date, reason: str, product="IB2"):
    indication = IndicationFactory(
        actief=True,
        client=client,
        start_date=date(2019, 1, 1),
        end_date=date(2022, 12, 31),
        aanvraag=None,
        product=get_product(product),
    )
    return AssignmentFactory(
        indication=indication,
        product=indication.product,
        care_started_on=date(2019, 1, 3),
        care_stopped_on=on,
        stop_reason=reason,
        end_date=on,
    )


@pytest.fixture
def stops():
    s3 = ClientFactory()
    _stop(ClientFactory(), date(2020, 12, 10), R.DOOR_CLIENT)
    _stop(ClientFactory(), date(2020, 12, 31), R.VOLGENS_PLAN)
    _stop(s3, date(2021, 2, 1), R.VOORTIJDIG)
    _stop(s3, date(2021, 2, 20), R.DOOR_CLIENT)
    _stop(ClientFactory(), date(2021, 1, 15), R.ANDERE_AANBIEDER)
    _stop(ClientFactory(), date(2019, 12, 5), R.DOOR_CLIENT)
    _stop(ClientFactory(), date(2021, 6, 1), R.DOOR_CLIENT)
    _stop(ClientFactory(municipality=get_municipality("Zwijndrecht")), date(2021, 3, 3), R.VOLGENS_PLAN)
    _refresh()


def test_stops_per_month_after_the_start_against_a_year_earlier(stops):
    table = stops_after_eigen_bijdrage()
    assert table.note == "eigen bijdrage verschuldigd vanaf 1 december 2020"
    assert table.rows == [
        ("december 2020", 2, 1, 1, 1, 1),
        ("januari 2021", 0, 0, 0, 0, 0),
        ("februari 2021", 1, 1, 0, 0, 1),
        ("maart 2021", 1, 0, 0, 0, 1),
        ("april 2021", 0, 0, 0, 0, 0),
        ("mei 2021", 0, 0, 0, 0, 0),
    ]


def test_the_selection_of_the_monitor_applies(stops):
    rows = stops_after_eigen_bijdrage(Selection(municipality=get_municipality("Dordrecht"))).rows
    assert rows[3] == ("maart 2021", 0, 0, 0, 0, 0)
    assert rows[0] == ("december 2020", 2, 1, 1, 1, 1)


def test_the_figure_follows_the_rules_start(stops):
    # A later reintroduction (a free year 2021, due again from 1 June 2021) moves the months.
    due = EigenBijdrageRule.objects.get(valid_from=date(2020, 12, 1))
    due.valid_until = date(2020, 12, 31)
    due.save()
    EigenBijdrageRule.objects.create(valid_from=date(2021, 1, 1), valid_until=date(2021, 5, 31), is_due=False)
    EigenBijdrageRule.objects.create(valid_from=date(2021, 6, 1), is_due=True, amount_per_month=19)
    # The months stored do not depend on the rules: no refresh is needed for the new start.
    table = stops_after_eigen_bijdrage(months=1)
    assert table.rows == [("juni 2021", 1, 1, 0, 0, 1)]


def test_a_client_stopping_two_products_in_a_month_counts_once_and_in_each_product():
    client = ClientFactory()
    _stop(client, date(2021, 1, 5), R.VOLGENS_PLAN, product="IB1")
    _stop(client, date(2021, 1, 25), R.DOOR_CLIENT, product="IB3")
    _refresh()
    assert stops_after_eigen_bijdrage().rows[1] == ("januari 2021", 1, 1, 0, 0, 1)
    assert stops_after_eigen_bijdrage(Selection(product=get_product("IB1"))).rows[1] == ("januari 2021", 1, 0, 0, 0, 1)
    assert stops_after_eigen_bijdrage(Selection(product=get_product("IB3"))).rows[1] == ("januari 2021", 1, 1, 0, 0, 1)
    assert stops_after_eigen_bijdrage(Selection(product=get_product("IB2"))).rows[1] == ("januari 2021", 0, 0, 0, 0, 0)


def test_the_figures_are_those_of_the_last_refresh(stops):
    """Stored figures: a stop reported after the refresh counts from the next one; a second refresh
    replaces the year's stops instead of adding to them."""
    _stop(ClientFactory(), date(2021, 4, 2), R.VOLGENS_PLAN)
    assert stops_after_eigen_bijdrage().rows[4] == ("april 2021", 0, 0, 0, 0, 0)
    stored = StopCell.objects.count()
    _refresh()
    assert stops_after_eigen_bijdrage().rows[4] == ("april 2021", 1, 0, 0, 0, 1)
    assert StopCell.objects.count() == stored + 2  # april 2021, Dordrecht: IB2 and all products
    _refresh()
    assert StopCell.objects.count() == stored + 2
    assert stops_after_eigen_bijdrage().rows[0] == ("december 2020", 2, 1, 1, 1, 1)


def test_stops_up_to_the_refresh_day_are_stored():
    _stop(ClientFactory(), date(2021, 5, 10), R.VOLGENS_PLAN)
    _stop(ClientFactory(), date(2021, 5, 20), R.VOLGENS_PLAN)
    refresh_monitor(today=date(2021, 5, 15), first_year=2021)
    assert stops_after_eigen_bijdrage().rows[5] == ("mei 2021", 1, 0, 0, 0, 1)


def test_without_rules_the_table_is_empty():
    EigenBijdrageRule.objects.all().delete()
    assert stops_after_eigen_bijdrage().rows == []


def test_the_monitor_page_shows_the_table(client, stops):
    client.force_login(staff_member(CONTRACTMANAGER, username="contractmanager-eb"))
    page = client.get(reverse("monitor:dashboard"), {"year": "2021", "years": "2"})
    text = page.content.decode()
    assert "Stops na de eigen bijdrage" in text
    assert "december 2020" in text
    download = client.get(
        reverse("monitor:dashboard"), {"year": "2021", "years": "2", "export": "stops-eigen-bijdrage", "formaat": "csv"}
    )
    lines = b"".join(download.streaming_content).decode().removeprefix("\ufeff").splitlines()
    assert lines[1] == "december 2020;2;1;1;1;1"
