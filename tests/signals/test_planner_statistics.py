"""On PostgreSQL the engine keeps the planner informed: the condition table of a run is analysed
before it is joined with the signals, and so are the signal tables after many new signals at once
(a first run). Without statistics the planner joined them row by row (seconds instead of ms)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signals import services
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalType
from tests.factories import TODAY, IndicationFactory, get_product

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def too_long(consultant, count: int):
    start = TODAY - timedelta(days=10)
    for _ in range(count):
        IndicationFactory(
            actief=True,
            consultant=consultant,
            evaluations=[],
            product=get_product("IB2"),
            start_date=start,
            end_date=start + timedelta(days=200),
        )


def analysed(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("ANALYZE")]


def test_the_condition_table_is_analysed_before_the_joins(consultant):
    too_long(consultant, 1)
    with CaptureQueriesContext(connection) as queries:
        services.run_check(CHECKS_BY_NAME["product_te_lang"], today=TODAY, force=True)
    assert analysed(queries) == ([f"ANALYZE {services.CONDITIONS}"] if ON_POSTGRESQL else [])
    if ON_POSTGRESQL:
        statements = [query["sql"] for query in queries.captured_queries]
        created = next(i for i, sql in enumerate(statements) if sql.startswith("CREATE TEMPORARY TABLE"))
        joined = next(i for i, sql in enumerate(statements) if "NOT EXISTS" in sql)
        assert created < statements.index(f"ANALYZE {services.CONDITIONS}") < joined


def test_the_signal_tables_are_analysed_after_many_new_signals(consultant, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)  # "many": a batch's worth
    too_long(consultant, 3)
    with CaptureQueriesContext(connection) as queries:
        outcome = services.run_check(CHECKS_BY_NAME["product_te_lang"], today=TODAY, force=True)
    assert outcome.created == Signal.objects.filter(type=SignalType.PRODUCT_TOO_LONG).count() == 3
    expected = f"ANALYZE {services.SIGNAL_TABLE}, {services.EVENT_TABLE}"
    assert (expected in analysed(queries)) is ON_POSTGRESQL
    # A few new signals leave the statistics to autovacuum.
    monkeypatch.setattr(services, "BATCH", 5000)
    too_long(consultant, 1)
    with CaptureQueriesContext(connection) as queries:
        assert services.run_check(CHECKS_BY_NAME["product_te_lang"], today=TODAY, force=True).created == 1
    assert expected not in analysed(queries)
