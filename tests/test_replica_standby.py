"""Against a real hot standby (.ci/run: pg_basebackup -R of the CI primary on port 5433, with
DATABASE_REPLICA_URL pointing at it and DATABASE_REPLICA_IS_STANDBY=1; deselected elsewhere): the
standby refuses every write, so a write the router sent there would fail, and the ORM's writes in
the reporting scope all succeed on the primary and reach the standby by replication."""

import pytest
from django.db import DatabaseError

from indications.models import Client
from sddcase.replica import data_freshness, replica_lag_seconds
from tests.factories import ClientFactory
from ui.reporting import reporting_reads

pytestmark = [
    pytest.mark.standby,
    pytest.mark.usefixtures("replica_alias"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def test_the_standby_is_in_recovery_and_refuses_writes(replica):
    with replica.connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with pytest.raises(DatabaseError, match="read-only"):
        with replica.connection.cursor() as cursor:
            cursor.execute("UPDATE indications_client SET last_name = last_name")
    with pytest.raises(DatabaseError, match="read-only"):
        ClientFactory.build().save(using="replica")


def test_the_router_sends_no_write_to_the_standby(replica):
    kept = ClientFactory()
    with reporting_reads():
        created = ClientFactory()  # on the standby this would raise (see above)
        Client.objects.filter(pk=created.pk).update(last_name="Bijgewerkt")
        replica.catch_up()
        loaded = Client.objects.get(pk=kept.pk)
        assert loaded._state.db == "replica"
        loaded.first_name = "Opgeslagen"
        loaded.save()
        Client.objects.filter(pk=kept.pk).delete()
    replica.catch_up()
    on_standby = Client.objects.using("replica")
    assert on_standby.get(pk=created.pk).last_name == "Bijgewerkt"
    assert not on_standby.filter(pk=kept.pk).exists()


def test_the_standby_says_how_fresh_it_is(replica):
    ClientFactory()
    replica.catch_up()
    assert data_freshness() is not None
    assert 0 <= replica_lag_seconds() < 60
