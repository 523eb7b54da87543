"""The monitor splits zorg in natura and pgb (issue #15): leveringsvorm is a dimension of the cube,
and a pgb costs its budget (the pgb tariff), not the natura tariff.

On the world of conftest.py: b9 (C7, IB1 from 2023, open-ended) costs 4401.64 in natura in 2025
(365 days x 337.66 / 28); made a pgb it costs 365 x 270.13 / 28 = 3521.34 (the default pgb tariff,
80%), or 365 x 168.83 / 28 = 2200.82 with care from the social network (50%)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import Indication, PgbBudget
from monitor.models import Cell
from monitor.selectors import KEY_COLUMNS, Selection, ceo_population, key_figures_per_year, spending
from monitor.services import refresh_monitor
from tests.factories import TODAY, staff_member

pytestmark = pytest.mark.django_db
KEYS = [key for key, _column in KEY_COLUMNS]


def figures(selection, year=2025) -> dict:
    (row,) = key_figures_per_year(selection, [year]).rows
    return dict(zip(KEYS, row[1:], strict=True))


def make_pgb(world, *, social_network=False):
    b9 = world.beschikkingen["b9"]
    Indication.objects.filter(pk=b9.pk).update(delivery_form="pgb", provider=None)
    PgbBudget.objects.create(
        indication=b9, able_to_manage=True, motivated=True, quality_plausible=True, social_network=social_network
    )
    refresh_monitor(today=TODAY, first_year=2025)


def test_natura_and_pgb_add_up_to_the_whole(world):
    refresh_monitor(today=TODAY, first_year=2025)
    whole = figures(Selection())
    make_pgb(world)
    pgb, natura = figures(Selection(delivery_form="pgb")), figures(Selection(delivery_form="natura"))
    assert set(Cell.objects.filter(year=2025).values_list("delivery_form", flat=True)) == {"natura", "pgb"}
    assert pgb["clients"] == 1
    assert pgb["clients"] + natura["clients"] == whole["clients"]
    assert pgb["cost"] == Decimal("3521.34")
    assert natura["cost"] == whole["cost"] - Decimal("4401.64")


def test_a_pgb_from_the_social_network_costs_its_lower_budget(world):
    make_pgb(world, social_network=True)
    assert figures(Selection(delivery_form="pgb"))["cost"] == Decimal("2200.82")


def test_the_cost_figures_split_natura_and_pgb(world):
    make_pgb(world)
    rows = {row[0]: row for row in spending(Selection(), 2025, per="delivery_form").rows}
    assert set(rows) == {"zorg in natura", "persoonsgebonden budget"}
    assert (rows["persoonsgebonden budget"][1], rows["persoonsgebonden budget"][2]) == (1, Decimal("3521.34"))


def test_the_monitor_page_filters_on_leveringsvorm(world, client):
    make_pgb(world)
    client.force_login(staff_member(CONTRACTMANAGER))
    response = client.get(reverse("monitor:dashboard"), {"year": "2025", "delivery_form": "pgb"})
    assert response.status_code == 200
    assert "Kosten per leveringsvorm in 2025" in response.content.decode()
    table = response.context["tables"]["kerncijfers-per-jaar"]
    assert table.rows[-1][2] == 1  # clients in the period: the one pgb


def test_the_ceo_population_names_pgb_instead_of_a_provider(world):
    make_pgb(world)
    rows = list(ceo_population(2025).rows)
    c7 = world.beschikkingen["b9"].client
    (row,) = [row for row in rows if (row[3], row[6]) == (c7.last_name, c7.postcode)]
    assert row[-1] == "persoonsgebonden budget"
    assert all(row[-1] for row in rows)
