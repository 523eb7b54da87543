"""deploy/gunicorn.conf.py: the loading process hands no database connection to the workers it forks
(with preload_app and persistent connections, DB_CONN_MAX_AGE, one socket would serve several
processes), and an empty variable means its default."""

import os
import runpy
from pathlib import Path

import pytest
from django.db import connections

CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


NAMES = (
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_ACCESS_LOG",
    "TRUSTED_PROXIES",
)


def test_the_application_is_loaded_before_the_workers_fork():
    assert runpy.run_path(str(CONF))["preload_app"] is True


def test_empty_variables_mean_the_defaults_and_set_ones_count(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    defaults = runpy.run_path(str(CONF))
    assert defaults["workers"] == 2 * (os.cpu_count() or 1) + 1 and defaults["threads"] == 1
    assert (defaults["bind"], defaults["timeout"], defaults["accesslog"]) == ("127.0.0.1:8000", 30, "-")
    for name in NAMES:
        monkeypatch.setenv(name, " ")
    empty = runpy.run_path(str(CONF))
    assert {key: empty[key] for key in ("bind", "workers", "threads", "timeout", "max_requests", "accesslog")} == {
        key: defaults[key] for key in ("bind", "workers", "threads", "timeout", "max_requests", "accesslog")
    }
    assert empty["forwarded_allow_ips"] == defaults["forwarded_allow_ips"] == "127.0.0.1"
    monkeypatch.setenv("GUNICORN_WORKERS", "8")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "60")
    told = runpy.run_path(str(CONF))
    assert (told["workers"], told["timeout"]) == (8, 60)


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
