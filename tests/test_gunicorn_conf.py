"""deploy/gunicorn.conf.py: the loading process hands no database connection to the workers it forks
(with preload_app and persistent connections, DB_CONN_MAX_AGE, one socket would serve several
processes)."""

import runpy
from pathlib import Path

import pytest
from django.db import connections

CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_the_application_is_loaded_before_the_workers_fork():
    assert runpy.run_path(str(CONF))["preload_app"] is True


@pytest.mark.django_db(transaction=True)
def test_every_database_connection_is_closed_before_a_worker_forks():
    config = runpy.run_path(str(CONF))
    connections["default"].ensure_connection()
    assert connections["default"].connection is not None
    config["pre_fork"](server=None, worker=None)
    for connection in connections.all(initialized_only=True):
        # SQLite's in-memory test database is never closed (it would be gone); production runs PostgreSQL.
        kept = connection.vendor == "sqlite" and connection.is_in_memory_db()
        assert connection.connection is None or kept, connection.alias
