"""Benchmark (not a test): the provider API's list and detail reads in-process, against their SQL floor.

    DATABASE_URL=postgres://... .venv/bin/python bench/api_speed.py [--assignments 200000] [--repeat 50]

Loads (once, with bench/api_load.py's generator) the given number of toewijzingen over the ~50
benchmark providers, then measures with DRF's APIClient (no HTTP server, no network):

- the list page (`GET /api/v1/toewijzingen/?page=N`, 50 rows) and a detail read
  (`GET /api/v1/toewijzingen/{nr}/`): the median over --repeat requests, and per request the number
  of queries, the time spent in SQL (a connection.execute_wrapper around every statement) and the rest
  (authentication, throttling, middleware, serialising, compiling SQL);
- a refused read (`GET /api/v1/toewijzingen/{unknown}/`, 404): the fixed per-request work;
- the SQL floor of the same answers, statements written by hand on connection.cursor: for the list the
  count, the page's ids (an index-only scan) and one joined select of just the columns the answer shows;
  for the detail that one joined select by number. The ratio answer / floor is printed.

AUDIT_READS_ASYNCHRONOUS_COMMIT=true in the environment measures a read's audit event committed
without waiting for the WAL flush (see sddcase/settings.py). Figures only; nothing is asserted.
Ratios say more than absolute times on a shared machine.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
# The in-process client is 'testserver'; the benchmark's requests must never be throttled.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("API_RATE_PER_KEY", "100000000/min")

from api_load import load  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from providers.models import Assignment, Provider  # noqa: E402
from providers.services import issue_api_token  # noqa: E402

PAGE_SIZE = 50

# The columns the answer shows (api.serializers.AssignmentSerializer), joined in one statement.
SHOWN = """
SELECT a.number, i.number, p.iwmo_category, p.iwmo_code, p.code, i.opslag, a.assigned_on, a.start_date,
       a.end_date, a.volume, a.unit, a.status, a.change_reason, a.care_started_on, a.care_stopped_on,
       a.stop_reason, c.bsn, c.first_name, c.initials, c.name_prefix, c.last_name, c.date_of_birth, m.name,
       d.name, i.treatment_needed, i.dagbesteding_dagdelen_ib, u.first_name, u.last_name, u.username, u.email,
       rd.name, r.name, ir.goal
  FROM providers_assignment a
  JOIN indications_indication i ON i.id = a.indication_id
  JOIN indications_product p ON p.id = a.product_id
  JOIN indications_client c ON c.id = i.client_id
  JOIN indications_municipality m ON m.id = c.municipality_id
  JOIN auth_user u ON u.id = i.consultant_id
  LEFT JOIN indications_resultdomain d ON d.id = i.primary_domain_id
  LEFT JOIN indications_indicationresult ir ON ir.indication_id = i.id
  LEFT JOIN indications_ibresult r ON r.id = ir.result_id
  LEFT JOIN indications_resultdomain rd ON rd.id = r.domain_id
 WHERE {where}
 ORDER BY a.start_date DESC, a.id DESC
"""


class SqlTimer:
    """Counts the statements run and the time spent in them (execute_wrapper)."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0
        self.audit_seconds = 0.0  # the audit event's INSERT (and its commit, in autocommit)
        self.statements: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.seconds += elapsed
            self.queries += 1
            self.statements.append((sql, elapsed * 1000))
            if sql.startswith('INSERT INTO "audit_auditevent"'):
                self.audit_seconds += elapsed


def measure(http: APIClient, url: str, repeat: int, expect: int) -> dict:
    """Median total, SQL and rest (ms) over `repeat` requests, the query count, one request's statements."""
    response = http.get(url)  # warm: URL resolution, serializer fields, the prepared caches
    assert response.status_code == expect, (url, response.status_code, response.content[:300])
    totals, sqls, audits, counts = [], [], [], []
    timer = SqlTimer()
    for _ in range(repeat):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            http.get(url)
            totals.append((time.perf_counter() - started) * 1000)
        sqls.append(timer.seconds * 1000)
        audits.append(timer.audit_seconds * 1000)
        counts.append(timer.queries)
    total, sql = statistics.median(totals), statistics.median(sqls)
    return {
        "total": total,
        "sql": sql,
        "audit": statistics.median(audits),
        "rest": total - sql,
        "queries": max(counts),
        "statements": timer.statements,
    }


def floor(statements, repeat: int) -> float:
    """Median ms of running the statements by hand, fetching every row. A statement is (sql, params)
    or a function of the rows the previous statement returned that gives (sql, params)."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            rows: list = []
            for statement in statements:
                sql, params = statement(rows) if callable(statement) else statement
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[1:])


def _by_ids(rows) -> tuple[str, list]:
    ids = [row[0] for row in rows]
    return SHOWN.format(where=f"a.id IN ({', '.join(['%s'] * len(ids))})"), ids


def show(name: str, figures: dict, floor_ms: float | None) -> None:
    ratio = f"  floor {floor_ms:6.2f} ms  ratio {figures['total'] / floor_ms:5.1f}×" if floor_ms else ""
    print(
        f"{name:34} median {figures['total']:7.2f} ms  queries {figures['queries']:2}  "
        f"SQL {figures['sql']:6.2f} ms (audit INSERT {figures['audit']:5.2f})  rest {figures['rest']:6.2f} ms{ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--page", type=int, default=0, help="the list page (default: the middle one)")
    parser.add_argument("--show-queries", action="store_true", help="print the statements of one request")
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are expected
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load(args.assignments)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # statistics and the visibility map for index-only scans
            cursor.execute("VACUUM ANALYZE")
    print(f"database: {connection.vendor}; load: {time.perf_counter() - started:.0f} s")
    provider = Provider.objects.filter(agb_code__startswith="970000").order_by("agb_code").first()
    own = Assignment.objects.filter(provider=provider)
    count = own.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = args.page or max(1, pages // 2)
    number = own.order_by("-start_date", "-id").values_list("number", flat=True)[(page - 1) * PAGE_SIZE]
    _token, key = issue_api_token(provider, name="api_speed", by=None)
    print(
        f"data: {Assignment.objects.count()} toewijzingen over {Provider.objects.count()} providers; the measured "
        f"provider has {count} ({pages} pages of {PAGE_SIZE}); list page {page}, detail {number}"
    )
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    listed = measure(http, f"/api/v1/toewijzingen/?page={page}", args.repeat, 200)
    detail = measure(http, f"/api/v1/toewijzingen/{number}/", args.repeat, 200)
    refused = measure(http, "/api/v1/toewijzingen/B000000000X/", args.repeat, 404)

    table = "providers_assignment"
    list_floor = floor(
        [
            (f"SELECT COUNT(*) FROM {table} WHERE provider_id = %s", [provider.pk]),
            (
                f"SELECT id FROM {table} WHERE provider_id = %s ORDER BY start_date DESC, id DESC LIMIT %s OFFSET %s",
                [provider.pk, PAGE_SIZE, (page - 1) * PAGE_SIZE],
            ),
            _by_ids,
        ],
        args.repeat,
    )
    detail_floor = floor(
        [(SHOWN.format(where="a.number = %s AND a.provider_id = %s"), [number, provider.pk])], args.repeat
    )

    print(
        f"median of {args.repeat} requests each, in-process (APIClient), SQL timed per statement; "
        f"AUDIT_READS_ASYNCHRONOUS_COMMIT {'on' if settings.AUDIT_READS_ASYNCHRONOUS_COMMIT else 'off'}:"
    )
    show(f"GET /toewijzingen/?page={page}", listed, list_floor)
    show("GET /toewijzingen/{nr}/", detail, detail_floor)
    show("GET /toewijzingen/{unknown}/ (404)", refused, None)
    if args.show_queries:
        for name, figures in (("list", listed), ("detail", detail), ("404", refused)):
            print(f"-- {name}")
            for sql, ms in figures["statements"]:
                print(f"   {ms:6.2f} ms  {sql[:200]}")


if __name__ == "__main__":
    main()
