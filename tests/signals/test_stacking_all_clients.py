"""The nightly zorgstapeling run's SQL (signals.checks.stacking_of_all_clients) gives the same rows as
the check's ORM form (stacking), on a data set with every part and its edge cases."""

from datetime import timedelta

import pytest
from django.db import connection

from indications.models import OtherProvision
from signals.checks import (
    CHECKS_BY_NAME,
    HOUSEHOLD,
    KIND_BITS,
    MORE_THAN_ONE_IB,
    clients_with_stacking,
    stacked_clients,
    stacking,
    stacking_of_all_clients,
)
from signals.columns import COLUMNS
from signals.models import Signal, SignalType
from signals.services import run_check
from tests.factories import TODAY, AssignmentFactory, ClientFactory, IndicationFactory, OtherProvisionFactory

pytestmark = pytest.mark.django_db

DAGBESTEDING = KIND_BITS[OtherProvision.Kind.DAGBESTEDING]
WLZ = KIND_BITS[OtherProvision.Kind.WLZ]


def active(client, consultant, **fields):
    return IndicationFactory(actief=True, client=client, consultant=consultant, evaluations=[], **fields)


def natura(client, consultant, **assignment_fields):
    return AssignmentFactory(indication=active(client, consultant), **assignment_fields)


def plain(value):
    """A value as text, a boolean as its number (SQLite returns a raw FALSE as 0)."""
    if value is None:
        return None
    return str(int(value)) if isinstance(value, bool) else str(value)


def rows_of_sql(day):
    conditions = stacking_of_all_clients(day)
    with connection.cursor() as cursor:
        cursor.execute(conditions.sql, conditions.params)
        return sorted(tuple(plain(value) for value in row) for row in cursor.fetchall())


def rows_of_orm(day):
    return sorted(tuple(plain(row[column]) for column in COLUMNS) for row in stacking(day).order_by())


@pytest.fixture
def case_load(consultant):
    """Clients that stack in each part, alone and together, and ones that just do not."""
    clients = {}
    # Two toewijzingen; a pgb beside a toewijzing; two pgb's: more than one IB.
    clients["two"] = ClientFactory()
    natura(clients["two"], consultant)
    natura(clients["two"], consultant)
    clients["pgb+natura"] = ClientFactory()
    natura(clients["pgb+natura"], consultant)
    active(clients["pgb+natura"], consultant, delivery_form="pgb")
    clients["two pgb"] = ClientFactory()
    active(clients["two pgb"], consultant, delivery_form="pgb")
    active(clients["two pgb"], consultant, delivery_form="pgb")
    # Provisions: two kinds, one kind twice; one that ended yesterday.
    clients["kinds"] = ClientFactory()
    natura(clients["kinds"], consultant)
    OtherProvisionFactory(client=clients["kinds"])
    OtherProvisionFactory(client=clients["kinds"], start_date=TODAY - timedelta(days=5))
    OtherProvisionFactory(client=clients["kinds"], kind=OtherProvision.Kind.WLZ)
    clients["ended provision"] = ClientFactory()
    natura(clients["ended provision"], consultant)
    OtherProvisionFactory(client=clients["ended provision"], end_date=TODAY - timedelta(days=1))
    # Households: a housemate with IB; a housemate with a provision and no IB; three people at one
    # address, one of them with neither; no postcode is no address.
    clients["house A1"] = ClientFactory(postcode="3312 AA", house_number="7")
    clients["house A2"] = ClientFactory(postcode="3312 AA", house_number="7")
    natura(clients["house A1"], consultant)
    natura(clients["house A2"], consultant)
    clients["house B1"] = ClientFactory(postcode="3312 AB", house_number="8")
    natura(clients["house B1"], consultant)
    OtherProvisionFactory(client=ClientFactory(postcode="3312 AB", house_number="8"), kind=OtherProvision.Kind.BIJSTAND)
    clients["house C1"] = ClientFactory(postcode="3312 AC", house_number="9")
    natura(clients["house C1"], consultant)
    natura(clients["house C1"], consultant)
    ClientFactory(postcode="3312 AC", house_number="9")  # no IB, no provision: no housemate that counts
    clients["house C3"] = ClientFactory(postcode="3312 AC", house_number="9")
    active(clients["house C3"], consultant, delivery_form="pgb")
    clients["no postcode 1"] = ClientFactory(postcode="", house_number="1")
    clients["no postcode 2"] = ClientFactory(postcode="", house_number="1")
    natura(clients["no postcode 1"], consultant)
    natura(clients["no postcode 2"], consultant)
    # Not stacking: IB alone; a provision without IB; a toewijzing that starts tomorrow beside one.
    natura(ClientFactory(), consultant)
    OtherProvisionFactory(client=ClientFactory())
    clients["later"] = ClientFactory()
    natura(clients["later"], consultant)
    natura(clients["later"], consultant, start_date=TODAY + timedelta(days=1))
    return clients


def test_the_sql_gives_the_orm_rows(case_load):
    rows = rows_of_sql(TODAY)
    assert rows == rows_of_orm(TODAY)
    variant = {int(row[0]): int(row[1]) for row in rows}
    pk = {name: client.pk for name, client in case_load.items()}
    assert variant[pk["two"]] == variant[pk["pgb+natura"]] == variant[pk["two pgb"]] == MORE_THAN_ONE_IB
    assert variant[pk["kinds"]] == DAGBESTEDING | WLZ
    assert variant[pk["house A1"]] == variant[pk["house A2"]] == variant[pk["house B1"]] == HOUSEHOLD
    assert variant[pk["house C1"]] == HOUSEHOLD | MORE_THAN_ONE_IB
    assert variant[pk["house C3"]] == HOUSEHOLD
    for name in ("ended provision", "no postcode 1", "no postcode 2", "later"):
        assert pk[name] not in variant, name
    assert len(rows) == 9


def test_on_another_day_too(case_load):
    """A day later the toewijzing that starts tomorrow counts; ten days earlier the provision that
    ended yesterday still runs."""
    for day in (TODAY + timedelta(days=1), TODAY - timedelta(days=10)):
        assert rows_of_sql(day) == rows_of_orm(day)
    later = {int(row[0]): int(row[1]) for row in rows_of_sql(TODAY + timedelta(days=1))}
    assert later[case_load["later"].pk] == MORE_THAN_ONE_IB
    earlier = {int(row[0]): int(row[1]) for row in rows_of_sql(TODAY - timedelta(days=10))}
    assert earlier[case_load["ended provision"].pk] == DAGBESTEDING


def test_the_monitor_s_rows_are_the_orm_s_too(case_load):
    for day in (TODAY, TODAY + timedelta(days=1)):
        expected = sorted(
            clients_with_stacking(day)
            .order_by()
            .values_list("pk", "municipality_id", "stacking_mask", "postcode", "house_number")
        )
        assert sorted(stacked_clients(day)) == expected
    assert len(expected) == 10


def test_the_nightly_run_raises_what_the_sql_gives(case_load):
    run_check(CHECKS_BY_NAME["zorgstapeling"], today=TODAY, force=True)
    raised = sorted(Signal.objects.filter(type=SignalType.STACKING).values_list("subject_id", "variant"))
    assert raised == sorted((int(row[0]), int(row[1])) for row in rows_of_sql(TODAY))
