"""The coarse tables (CoarseCell, CoarseDurationCell, CoarseWaitingCell, CoarseDecisionCell): the refresh stores the
cube's sums per period, municipality, product, provider (and its reference group) and leveringsvorm
beside the cells, and a
table whose selection and grouping use only those dimensions reads them. Every table gives the same
figures from the coarse tables as from the cells themselves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitor import decisions, selectors
from monitor.models import (
    Cell,
    CoarseCell,
    CoarseDurationCell,
    CoarseWaitingCell,
    DecisionCell,
    DurationCell,
    WaitingCell,
)
from monitor.selectors import Selection
from providers.models import Provider, ReferenceGroup
from tests.factories import get_municipality, get_product

pytestmark = pytest.mark.django_db

YEARS = [2024, 2025, 2026]
FINE_ONLY = {Cell: [], DurationCell: [], WaitingCell: [], DecisionCell: []}
# The waiting times with the coarse waiting cells only (not per municipality or provider alone).
ONLY_COARSE_WAITING = {
    **selectors.COARSE,
    WaitingCell: [level for level in selectors.COARSE[WaitingCell] if level[0] is CoarseWaitingCell],
}


def _rounded(value):
    # The averages are floats computed from sums, whose last bits depend on the order of summing.
    return round(value, 9) if isinstance(value, float) else value


def tables(selection: Selection) -> list:
    """Every table of the monitor page that reads the cube, as (slug, rows)."""
    built = [
        selectors.key_figures_per_year(selection, YEARS),
        selectors.key_figures_per_period(selection, 2025),
        selectors.product_shares(selection, YEARS),
        selectors.clients_per_reference_group(selection, YEARS),
        selectors.waiting_times_per_year(selection, YEARS),
        selectors.waiting_times_per_period(selection, 2025),
        *(selectors.spending(selection, 2025, per=per) for per in ("product", "provider", "delivery_form")),
        *(selectors.durations(selection, 2025, per=per) for per in ("product", "provider")),
        *(selectors.waiting_times(selection, 2025, per=per) for per in ("municipality", "product", "provider")),
        decisions.decisions_per_year(selection, YEARS),
        decisions.decisions_per_period(selection, 2025),
        *(decisions.decisions_in_year(selection, 2025, per=per) for per in ("municipality", "product")),
    ]
    return [(table.slug, [[_rounded(value) for value in row] for row in table.rows]) for table in built]


def coarse_selections() -> list[Selection]:
    return [
        Selection(),
        Selection(municipality=get_municipality("Dordrecht")),
        Selection(product=get_product("IB1")),
        Selection(provider=Provider.objects.get(name="Aanbieder A")),
        Selection(delivery_form="natura"),
        Selection(municipality=get_municipality("Dordrecht"), provider=Provider.objects.get(name="Aanbieder B")),
        *(Selection(reference_group=group) for group in ReferenceGroup.objects.all()),
    ]


def test_the_coarse_tables_give_the_figures_of_the_cells(cube, monkeypatch):
    # This world has no aanvragen and no funnel: tests/monitor/test_decisions.py and
    # test_waiting_times.py compare the decisions' and the waiting times' tables.
    assert CoarseCell.objects.exists() and CoarseDurationCell.objects.exists()
    for selection in coarse_selections():
        coarse = tables(selection)
        for levels in (FINE_ONLY, ONLY_COARSE_WAITING):
            with monkeypatch.context() as patched:
                patched.setattr(selectors, "COARSE", levels)
                assert tables(selection) == coarse, (selection, levels)
    assert any(rows for _slug, rows in tables(Selection()))


def tables_read(selection: Selection) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        tables(selection)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    return {
        model._meta.db_table
        for model in (*FINE_ONLY, *(table for levels in selectors.COARSE.values() for table, _d in levels))
        if f'"{model._meta.db_table}"' in sql
    }


def test_a_selection_on_the_coarse_dimensions_reads_only_the_coarse_tables(cube):
    coarse = {
        "monitor_coarsecell",
        "monitor_coarsedurationcell",
        "monitor_coarsewaitingcell",
        "monitor_coarsedecisioncell",
    }
    # The waiting times per year, per period and per municipality read the municipalities' rows,
    # per product (or of one product) the products', per provider (or of a reference group) the
    # providers'.
    per_municipality, per_provider = {"monitor_municipalitywaitingcell"}, {"monitor_providerwaitingcell"}
    per_product = {"monitor_productwaitingcell"}
    assert tables_read(Selection(municipality=get_municipality("Dordrecht"))) == coarse | per_municipality
    # For the whole region every waiting table has a level of its own.
    waiting_levels = per_municipality | per_product | per_provider
    assert tables_read(Selection()) == coarse - {"monitor_coarsewaitingcell"} | waiting_levels
    assert tables_read(Selection(reference_group=ReferenceGroup.objects.first())) == coarse | per_provider
    assert tables_read(Selection(product=get_product("IB1"))) == coarse | per_product


def test_a_selection_on_another_dimension_reads_the_cells(cube):
    assert tables_read(Selection(gender="V")) == {
        "monitor_cell",
        "monitor_durationcell",
        "monitor_waitingcell",
        "monitor_decisioncell",
    }
