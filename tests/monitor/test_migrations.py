"""monitor 0007 adds the reference group to the coarse tables: the rows stored before it get their
provider's reference group (the one the refresh stores), so that the reference groups' figures,
which now read the coarse tables, are right before the next refresh."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from providers.models import ReferenceGroup
from tests.factories import contracted_provider, get_municipality, get_product
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
