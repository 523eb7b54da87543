"""gunicorn's production configuration: `gunicorn -c deploy/gunicorn.conf.py sddcase.wsgi`.

Every value comes from the environment (the systemd unit's EnvironmentFile or compose's environment)."""

import os
import shutil


def _env(name: str, default: str) -> str:
    """A variable's value; an empty or blank one means the default, as in sddcase/settings.py."""
    return os.environ.get(name, "").strip() or default


bind = _env("GUNICORN_BIND", "127.0.0.1:8000")
# Processes of one thread each (threads of one process share its interpreter lock), by default
# gunicorn's advice of 2 x cores + 1. Measured on 2 cores with 16 clients of the provider API
# (docs/operations.md): 8 processes of 1 thread served 97-101 list pages a second, 4 of 4 threads
# 76, 5 of 1 thread 77 (more clients than processes wait in the queue): raise it for many clients.
workers = int(_env("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(_env("GUNICORN_THREADS", "1"))
# 30 s: the largest API batch (500 messages, api.serializers.BATCH_MAX_MESSAGES, within
# API_MAX_BODY_BYTES) and a letter's PDF are answered well within it (500 starts or stops: about 3-4 s
# on PostgreSQL, bench/batch_bench.py; docs/operations.md); a request that takes longer is a fault,
# and the worker is restarted. Raise the batch limit and this timeout together.
timeout = int(_env("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The application is loaded once, before the workers fork (faster start, shared memory).
preload_app = True
# Restart a worker now and then (memory that a long-running process gathers).
max_requests = int(_env("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Access log to stdout, without query strings (%(U)s is the path only: a query may hold a BSN or a
# name searched for). No Server banner of gunicorn's own (sddcase.middleware removes Django's).
accesslog = _env("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = _env("TRUSTED_PROXIES", "127.0.0.1")
proc_name = "sddcase-web"


def on_starting(server):
    """Prometheus' multiprocess mode: an empty directory at every start (sddcase/metrics.py)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """A worker that exits leaves its live gauges behind unless they are marked dead."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def pre_fork(server, worker):
    """No database connection crosses a fork: with preload_app and persistent connections
    (DB_CONN_MAX_AGE), one the application opened while loading would be shared by every worker's
    process on one socket. Each worker opens its own at its first request."""
    from django.db import connections

    connections.close_all()
