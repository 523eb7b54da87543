"""The read replica for reporting (sddcase.db_router, ui.reporting): reads go to the `replica` alias
only inside a reporting scope and outside a transaction on the primary; writes never do. The
reporting pages read from it and say how fresh their figures are; the case file, the worklists and
every write stay on the primary.

Runs on every engine: the `replica` fixture (tests/conftest.py) is a second connection to the test
database, or in .ci/run a real hot standby (DATABASE_REPLICA_URL)."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import CONSULENT, CONTRACTMANAGER, TEAMLEIDER
from indications.models import Client
from providers.models import AnnualReview
from providers.services import issue_api_token
from sddcase.db_router import ReportingReadsRouter
from sddcase.replica import data_freshness, replica_lag_seconds
from tests.factories import ClientFactory, IndicationFactory, SignalFactory, contracted_provider, staff_member
from ui.reporting import reporting_reads

router = ReportingReadsRouter()
pytestmark = pytest.mark.usefixtures("replica_alias")
transactional = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _statement(sql: str) -> str:
    """The kind of an SQL statement; a server-side cursor (`.iterator()` on PostgreSQL) over a
    SELECT counts as a SELECT."""
    kind = sql.lstrip().split(None, 1)[0].upper()
    return "SELECT" if kind == "DECLARE" and " CURSOR WITH HOLD FOR SELECT " in sql.upper() else kind


def _statements(captured) -> list[str]:
    return [_statement(query["sql"]) for query in captured.captured_queries]


@pytest.fixture
def without_replica(monkeypatch, settings):
    monkeypatch.delitem(settings.DATABASES, "replica", raising=False)


def test_writes_and_migrations_go_to_the_primary_also_in_the_reporting_scope():
    assert router.db_for_write(Client) == "default"
    with reporting_reads():
        assert router.db_for_write(Client) == "default"
        assert router.db_for_write(Client, instance=Client(pk=1)) == "default"
    assert router.allow_migrate("default", "indications") is True
    assert router.allow_migrate("replica", "indications") is False


def test_without_a_replica_every_read_stays_on_the_primary(without_replica):
    with reporting_reads():
        assert router.db_for_read(Client) == "default"
    assert data_freshness() is None and replica_lag_seconds() is None


@transactional
def test_reads_go_to_the_replica_only_in_the_scope_and_outside_a_transaction(replica):
    assert router.db_for_read(Client) == "default"
    with reporting_reads():
        assert router.db_for_read(Client) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Client) == "default"
        assert router.db_for_read(Client) == "replica"
    assert router.db_for_read(Client) == "default"

    @reporting_reads
    def view():
        return router.db_for_read(Client)

    assert view() == "replica" and router.db_for_read(Client) == "default"


@transactional
def test_in_the_scope_the_orm_reads_from_the_replica_and_writes_to_the_primary(replica):
    existing = ClientFactory()
    replica.catch_up()
    with (
        CaptureQueriesContext(replica.connection) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        with reporting_reads():
            assert Client.objects.filter(pk=existing.pk).count() == 1
            loaded = Client.objects.get(pk=existing.pk)
            assert loaded._state.db == "replica"
            loaded.last_name = "Gewijzigd"
            loaded.save()
            created = ClientFactory()
            Client.objects.filter(pk=created.pk).update(first_name="Bijgewerkt")
            again, was_created = Client.objects.get_or_create(pk=created.pk, defaults={"last_name": "-"})
            assert not was_created
            Client.objects.filter(pk=created.pk).delete()
            existing.delete()
    statements = _statements(on_replica)
    assert "SELECT" in statements
    assert set(statements) <= {"SELECT"}, statements
    written = set(_statements(on_primary))
    assert {"INSERT", "UPDATE", "DELETE"} <= written
    assert not Client.objects.filter(pk__in=[existing.pk, created.pk]).exists()


@transactional
def test_freshness_and_lag_read_the_replica_with_selects_only(replica):
    with CaptureQueriesContext(replica.connection) as on_replica:
        freshness, lag = data_freshness(), replica_lag_seconds()
    assert set(_statements(on_replica)) <= {"SELECT"}
    assert lag is not None and lag >= 0
    if replica.connection.vendor == "postgresql":
        assert freshness is not None and freshness <= timezone.now()
    else:
        assert freshness is None  # a second SQLite connection has no replay time: the page says nothing


def _reads_from_the_replica(replica, client, url, params=None) -> tuple[list[str], list[str], str]:
    """(statements on the replica, statements on the primary, body) of a GET, streamed bodies included."""
    with (
        CaptureQueriesContext(replica.connection) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url, params or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, url
    return _statements(on_replica), _statements(on_primary), body.decode()


def _says_freshness(replica, page: str) -> bool:
    return ("Cijfers bijgewerkt tot" in page) == (replica.connection.vendor == "postgresql")


@transactional
def test_the_monitor_and_the_ceo_export_read_from_the_replica(replica, client):
    IndicationFactory(actief=True)
    client.force_login(staff_member(CONTRACTMANAGER))
    replica.catch_up()
    year = timezone.localdate().year
    on_replica, _, page = _reads_from_the_replica(replica, client, "/monitor/", {"year": year})
    assert on_replica and set(on_replica) == {"SELECT"} and _says_freshness(replica, page)
    # The streamed CSV reads its rows after the view returned: on the replica too. The download's
    # audit event is a write: on the primary.
    on_replica, on_primary, _ = _reads_from_the_replica(
        replica, client, "/monitor/clientervaringsonderzoek/", {"year": year, "formaat": "csv"}
    )
    assert on_replica and set(on_replica) == {"SELECT"} and "INSERT" in on_primary


@transactional
def test_the_sla_pages_and_the_sla_api_read_from_the_replica(replica, client):
    provider = contracted_provider()
    manager = staff_member(CONTRACTMANAGER)
    year = timezone.localdate().year
    AnnualReview.objects.create(
        provider=provider,
        year=year,
        held_on=timezone.localdate(),
        participants="Aanbieder en gemeente",
        conclusions="Op koers",
        recorded_by=manager,
    )
    _token, key = issue_api_token(provider, name="sla", by=None)
    client.force_login(manager)
    replica.catch_up()
    for url, params in [
        ("/aanbieders/sla/", {"year": year, "granularity": "jaar"}),
        ("/aanbieders/sla/", {"year": year, "granularity": "jaar", "export": "benchmark", "formaat": "csv"}),
        (f"/aanbieders/{provider.uuid}/dashboard/", {"year": year}),
    ]:
        on_replica, _, page = _reads_from_the_replica(replica, client, url, params)
        assert on_replica and set(on_replica) == {"SELECT"}, url
        if "export" not in params:
            assert _says_freshness(replica, page), url
    # The jaargesprek that contract management just recorded is read back from the primary.
    with CaptureQueriesContext(replica.connection) as on_replica:
        dashboard = client.get(f"/aanbieders/{provider.uuid}/dashboard/", {"year": year})
    assert dashboard.context["review_done"] and list(dashboard.context["reviews"])
    assert not any("providers_annualreview" in query["sql"] for query in on_replica.captured_queries)

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    with CaptureQueriesContext(replica.connection) as on_replica:
        response = api.get("/api/v1/sla/", {"jaar": year})
    assert response.status_code == 200
    assert _statements(on_replica) and set(_statements(on_replica)) == {"SELECT"}
    assert timezone.datetime.fromisoformat(response["X-Data-Freshness"]) <= timezone.now()


@transactional
def test_the_stacking_overview_reads_from_the_replica(replica, client):
    client.force_login(staff_member(TEAMLEIDER))
    replica.catch_up()
    on_replica, _, page = _reads_from_the_replica(replica, client, "/signalen/zorgstapeling/")
    assert on_replica and set(on_replica) == {"SELECT"} and _says_freshness(replica, page)


@transactional
def test_the_case_file_the_worklists_and_the_signal_list_stay_on_the_primary(replica, client):
    consultant = staff_member(CONSULENT)
    indication = IndicationFactory(actief=True, consultant=consultant)
    SignalFactory()
    client.force_login(consultant)
    replica.catch_up()
    for url in [f"/clienten/{indication.client.uuid}/", f"/indicaties/{indication.uuid}/", "/werkvoorraad/"]:
        on_replica, on_primary, page = _reads_from_the_replica(replica, client, url)
        assert on_replica == [] and on_primary, url
        assert "Cijfers bijgewerkt tot" not in page, url
    client.force_login(staff_member(TEAMLEIDER))
    on_replica, on_primary, _ = _reads_from_the_replica(replica, client, "/signalen/")
    assert on_replica == [] and on_primary
