"""A pgb is IB without a toewijzing (issue #15): the zorgstapeling must still see it, where it
used to look at active toewijzingen only."""

from datetime import timedelta

import pytest

from indications.models import OtherProvision
from signals.checks import CHECKS_BY_NAME, KIND_BITS, MORE_THAN_ONE_IB, clients_with_stacking
from signals.models import Signal, SignalType
from signals.services import run_check
from tests.factories import TODAY, AssignmentFactory, ClientFactory, IndicationFactory, OtherProvisionFactory

pytestmark = pytest.mark.django_db
DAGBESTEDING = KIND_BITS[OtherProvision.Kind.DAGBESTEDING]


def running_pgb(client, **fields):
    return IndicationFactory(actief=True, client=client, delivery_form="pgb", evaluations=[], **fields)


def test_a_pgb_and_another_provision_is_stacking():
    client = ClientFactory()
    indication = running_pgb(client)
    OtherProvisionFactory(client=client)
    row = clients_with_stacking(TODAY).get(pk=client.pk)
    assert (row.ib_count, row.kinds_mask) == (1, DAGBESTEDING)
    run_check(CHECKS_BY_NAME["zorgstapeling"], today=TODAY, force=True)
    signal = Signal.objects.get(type=SignalType.STACKING)
    assert (signal.client, signal.indication, signal.variant) == (client, indication, DAGBESTEDING)


def test_a_pgb_beside_a_natura_toewijzing_is_more_than_one_ib():
    client = ClientFactory()
    running_pgb(client)
    AssignmentFactory(indication=IndicationFactory(actief=True, client=client, evaluations=[]))
    row = clients_with_stacking(TODAY).get(pk=client.pk)
    assert row.ib_count == 2 and row.stacking_mask == MORE_THAN_ONE_IB


def test_an_ended_or_future_pgb_is_not_ib_today():
    client = ClientFactory()
    running_pgb(client, start_date=TODAY + timedelta(days=3), status="vastgesteld", decision_date=TODAY)
    running_pgb(client, end_date=TODAY - timedelta(days=1))
    OtherProvisionFactory(client=client)
    assert not clients_with_stacking(TODAY).filter(pk=client.pk).exists()
