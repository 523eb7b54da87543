"""The monitor's data migrations. 0007 adds the reference group to the coarse tables: the rows stored
before it get their provider's reference group (the one the refresh stores), so that the reference
groups' figures, which now read the coarse tables, are right before the next refresh. 0010 and 0012:
the cube's version per year and the last refresh's first year with data."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from indications.models import IndicationStatus
from providers.models import ReferenceGroup
from tests.factories import IndicationFactory, contracted_provider, get_municipality, get_product
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("monitor", "0006_coarse_tables")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_the_coarse_rows_stored_before_get_their_providers_reference_group():
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "monitor"]
    seed_reference_data()  # an earlier transactional test's flush may have taken it
    group = ReferenceGroup.objects.get(number=2)
    provider = contracted_provider(name="Aanbieder M", reference_group=group)
    executor = _migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    common = {"year": 2026, "municipality_id": get_municipality("Dordrecht").pk, "product_id": get_product("IB2").pk}
    old_apps.get_model("monitor", "CoarseCell").objects.create(period=0, provider_id=provider.pk, clients=3, **common)
    old_apps.get_model("monitor", "CoarseCell").objects.create(period=0, provider_id=None, clients=1, **common)
    old_apps.get_model("monitor", "CoarseWaitingCell").objects.create(
        period=0, provider_id=provider.pk, step="melding", days=4, number=2, **common
    )

    _migrate(latest)

    from monitor.models import CoarseCell, CoarseWaitingCell

    assert sorted(CoarseCell.objects.values_list("clients", "reference_group_id")) == [(1, None), (3, group.pk)]
    assert list(CoarseWaitingCell.objects.values_list("reference_group_id", flat=True)) == [group.pk]


def test_the_years_stored_before_are_stale_and_the_last_refresh_knows_the_first_year_with_data():
    """monitor 0010 and 0012: the years computed before the cube had a version are stale (version
    0), and the last refresh gets the first year with data, so the page names those years at once."""
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "monitor"]
    seed_reference_data()
    IndicationFactory(
        start_date=date(2021, 3, 1), end_date=None, status=IndicationStatus.ACTIEF, decision_date=date(2021, 2, 1)
    )
    IndicationFactory(start_date=date(2019, 3, 1), status=IndicationStatus.CONCEPT)  # not decided
    before = [("monitor", "0009_waiting_per_provider")]
    executor = _migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Refresh = old_apps.get_model("monitor", "Refresh")
    older = Refresh.objects.create(reference_date=date(2026, 11, 1), first_year=2021, last_year=2026)
    last = Refresh.objects.create(reference_date=date(2026, 11, 2), first_year=2025, last_year=2026)
    for year in (2025, 2026):
        old_apps.get_model("monitor", "RefreshedYear").objects.create(year=year, refreshed_at=timezone.now())

    _migrate(latest)

    from monitor.models import Refresh, RefreshedYear
    from monitor.services import stale_years

    assert set(RefreshedYear.objects.values_list("cube_version", flat=True)) == {0}
    assert Refresh.objects.get(pk=last.pk).first_data_year == 2021
    assert Refresh.objects.get(pk=older.pk).first_data_year is None
    assert stale_years(date(2026, 12, 1)) == [2021, 2022, 2023, 2024, 2025, 2026]
