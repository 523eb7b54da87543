"""Benchmark (not a test): the national-scale figures of issue 20 on one data set, on PostgreSQL.

    DATABASE_URL=postgres://.../sddcase_n1 .venv/bin/python bench/national.py --clients 277000
    DATABASE_URL=postgres://.../sddcase_n3 .venv/bin/python bench/national.py --clients 831000

Generates (once) the data set with the demo generator (clients who come back up to --trajectories
times: 277,000 clients give about 1,000,000 beschikkingen, 831,000 about 3,000,000), then prints,
in this order and in one run:

- the data and the database's size (the largest tables with their indexes);
- the nightly work as beat runs it: the status tasks, every signal check (a first run with no
  signals yet, then the warm run with nothing changed, against the hand-written baseline query of
  bench/signals_bench.py) and the monitor's refresh per year of the last --monitor-years (default
  five; the nightly refresh is its last MONITOR_REFRESH_YEARS years, the SLA figures included);
- the monitor page as a contract manager sees it (median of 5 loads);
- the provider API's list page and a detail read of the largest provider, against their SQL floor
  (bench/api_speed.py's measurement), and both over HTTP through gunicorn with 1 and 16 clients
  (bench/api_load.py's; DB_CONN_MAX_AGE=0 in the environment: a new connection per request).

Run it at two sizes to read how each figure grows with the data; --parts measures some parts again
on a data set that is there (e.g. `--parts nightly` after a change to a check). Give each size a database of its own.
"""

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("API_RATE_PER_KEY", "100000000/min")  # the measured requests are never throttled
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from api_load import HEADERS, THREADS, WORKERS, Server, read_requests, run  # noqa: E402
from api_speed import PAGE_SIZE, SHOWN, _by_ids, floor, measure, show  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from monitor_bench import logged_in, timed  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from signals_bench import baseline_seconds, run_all  # noqa: E402

from accounts.roles import CONTRACTMANAGER, sync_roles  # noqa: E402
from demo.generator import generate_demo  # noqa: E402
from indications.models import Client, Indication  # noqa: E402
from indications.tasks import activate_started_beschikkingen, end_expired_beschikkingen  # noqa: E402
from monitor.demo import ensure_demo_reference_data  # noqa: E402
from monitor.services import refresh_monitor  # noqa: E402
from providers.models import Assignment, Provider  # noqa: E402
from providers.services import issue_api_token  # noqa: E402
from providers.tasks import end_lapsed_assignments  # noqa: E402
from signals.models import CheckRun, Signal, SignalEvent  # noqa: E402

MONITOR_YEARS = 5


def database_size() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"database size: {cursor.fetchone()[0] / 2**30:.2f} GiB; largest tables (with indexes and TOAST):")
        cursor.execute(
            """SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid), c.reltuples
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname = 'public'
                ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 10"""
        )
        for name, total, indexes, rows in cursor.fetchall():
            print(f"  {name:40} {total / 2**20:9.0f} MiB (indexes {indexes / 2**20:7.0f} MiB) {rows:>12,.0f} rows")


def step(label: str, work):
    started = time.perf_counter()
    outcome = work()
    seconds = time.perf_counter() - started
    print(f"  {label:44} {seconds:8.1f} s  {outcome if outcome is not None else ''}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=277_000)
    parser.add_argument("--trajectories", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=50, help="requests per API figure")
    parser.add_argument("--seconds", type=float, default=20, help="seconds per HTTP figure (part http)")
    parser.add_argument(
        "--parts",
        default="nightly,monitor,pages,api,http",
        help="what to measure after the data and its size (comma list; default all): nightly (status tasks and "
        "signal checks), monitor (the refresh per year), pages (the monitor page), api (in-process), http (through "
        "gunicorn)",
    )
    parser.add_argument(
        "--monitor-years", type=int, default=MONITOR_YEARS, help="years refreshed and shown on the monitor page"
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if connection.vendor != "postgresql":
        sys.exit("Run this benchmark on PostgreSQL: set DATABASE_URL.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    if Client.objects.count() < args.clients:
        started = time.perf_counter()
        generate_demo(clients=args.clients, today=today, trajectories=args.trajectories, workers=args.workers)
        print(f"generated in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"data: {Client.objects.count():,} clients, {Indication.objects.count():,} beschikkingen, "
        f"{Assignment.objects.count():,} toewijzingen"
    )
    database_size()

    if "nightly" in parts:
        nightly(today)
    if "api" in parts:
        provider_api(args.repeat)
    if "http" in parts:
        provider_api_http(args.seconds)
    if "monitor" in parts:
        monitor_refresh(today, args.monitor_years)
    if "pages" in parts:
        pages(today, args.monitor_years)


def nightly(today) -> None:
    print("\nnightly work (beat's order):")
    seconds = step("status: beschikkingen that started", activate_started_beschikkingen)
    seconds += step("status: beschikkingen that expired", end_expired_beschikkingen)
    seconds += step("status: toewijzingen that lapsed", end_lapsed_assignments)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {SignalEvent._meta.db_table}, {Signal._meta.db_table}, {CheckRun._meta.db_table}")
    baseline, rows = baseline_seconds(today)
    print(f"baseline: hand-written overdue-evaluations query {baseline * 1000:.1f} ms ({rows:,} rows)")
    cold = run_all("signal checks, cold (first run, no signals yet)", today, baseline)
    warm = run_all("signal checks, warm (second run, nothing changed)", today, baseline)
    seconds += warm
    print(f"status tasks and warm signal run: {seconds:.1f} s; cold signal run {cold:.1f} s")


def monitor_refresh(today, years: int) -> None:
    ensure_demo_reference_data(last_year=today.year)
    print(f"\nmonitor refresh per year (the nightly task refreshes the last {settings.MONITOR_REFRESH_YEARS}):")
    per_year = {}
    for year in range(today.year - years + 1, today.year + 1):
        run = refresh_monitor(today=today, first_year=year, last_year=year)
        per_year[year] = run.seconds
        print(f"  {year}: {run.cells:>9,} cells in {run.seconds:7.1f} s (SLA figures included)")
    last = range(today.year - settings.MONITOR_REFRESH_YEARS + 1, today.year + 1)
    nightly_refresh = sum(per_year.get(year, 0) for year in last)
    measured = [year for year in last if year in per_year]
    print(f"the nightly refresh: {nightly_refresh:.1f} s for {len(measured)} of its {len(last)} years")


def pages(today, years: int) -> None:
    setup_test_environment()
    sync_roles()
    user, _created = get_user_model().objects.get_or_create(username="bench-contractmanager")
    user.groups.add(Group.objects.get(name=CONTRACTMANAGER))
    web = logged_in(user)
    print(f"\n{'page':48} {'median s':>9} {'status':>6} {'bytes':>10}")
    for label, url in (
        (f"monitor page, whole region, {years} years", f"/monitor/?year={today.year}&years={years}"),
        ("monitor page, previous year, 18-25, women", f"/monitor/?year={today.year - 1}&age_group=18-25&gender=V"),
    ):
        seconds, status, size = timed(web, url)
        print(f"{label:48} {seconds:9.3f} {status:>6} {size:>10,}")


def largest_provider() -> tuple[Provider, QuerySet, int]:
    """The provider with the most toewijzingen, its toewijzingen and their number of list pages."""
    provider = Provider.objects.annotate(n=Count("assignments")).order_by("-n").first()
    own = Assignment.objects.filter(provider=provider)
    return provider, own, max(1, -(-provider.n // PAGE_SIZE))


def provider_api_http(seconds: float) -> None:
    """The largest provider's list pages (any of the first 200) and detail reads over HTTP, through
    gunicorn on loopback (bench/api_load.py's server: by default 4 workers of 4 threads), 1 and 16 clients."""
    provider, own, pages = largest_provider()
    list_request, detail_request = read_requests(pages, list(own.values_list("number", flat=True)), random.Random(3))
    _token, key = issue_api_token(provider, name="national-http", by=None)
    HEADERS.update({"Authorization": f"Bearer {key}", "Host": "localhost"})
    print(
        f"\nprovider API of the largest provider ({provider.n:,} toewijzingen) over HTTP; DB_CONN_MAX_AGE "
        f"{settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}; gunicorn {WORKERS} workers x {THREADS} threads:"
    )
    connection.close()
    with Server():
        for concurrency in (1, 16):
            run("GET /toewijzingen/", concurrency, seconds, list_request)
            run("GET /toewijzingen/{nr}/", concurrency, seconds, detail_request)


def provider_api(repeat: int) -> None:
    provider, own, pages = largest_provider()
    page = max(1, pages // 2)
    number = own.order_by("-start_date", "-id").values_list("number", flat=True)[(page - 1) * PAGE_SIZE]
    _token, key = issue_api_token(provider, name="national", by=None)
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    print(f"\nprovider API of the largest provider ({provider.n:,} toewijzingen, {pages:,} pages), in-process:")
    listed = measure(http, f"/api/v1/toewijzingen/?page={page}", repeat, 200)
    detail = measure(http, f"/api/v1/toewijzingen/{number}/", repeat, 200)
    table = Assignment._meta.db_table
    list_floor = floor(
        [
            (f"SELECT COUNT(*) FROM {table} WHERE provider_id = %s", [provider.pk]),
            (
                f"SELECT id FROM {table} WHERE provider_id = %s ORDER BY start_date DESC, id DESC LIMIT %s OFFSET %s",
                [provider.pk, PAGE_SIZE, (page - 1) * PAGE_SIZE],
            ),
            _by_ids,
        ],
        repeat,
    )
    detail_floor = floor([(SHOWN.format(where="a.number = %s AND a.provider_id = %s"), [number, provider.pk])], repeat)
    show(f"GET /toewijzingen/?page={page}", listed, list_floor)
    show("GET /toewijzingen/{nr}/", detail, detail_floor)


if __name__ == "__main__":
    main()
