"""Benchmarks (not tests): print figures for the demo generator and the consultant's busiest pages.

make bench                              # SQLite file under bench/results/, 3,000 clients
BENCH_CLIENTS=30000 make bench          # larger
DATABASE_URL=postgres://... make bench  # on PostgreSQL (uses that database: give it an empty one)
"""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
RESULTS.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indications.models import Client, Indication  # noqa: E402
from indications.selectors import clients_visible_to  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "3000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def timed_get(http, url: str) -> tuple[float, float, int]:
    """Median and p95 response time in ms over REPEAT requests, and the query count of one."""
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    query_count = len(queries)  # read now: the next request resets the connection's query log
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        http.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], query_count


def main() -> None:
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_demo", clients=CLIENTS, verbosity=0)
    generated = time.perf_counter() - start
    print(f"database: {vendor}")
    print(
        f"demo data: {Client.objects.count()} clients, {Indication.objects.count()} indications "
        f"(load_demo: {generated:.1f} s, near 0 when the data was already there)"
    )

    consultant = get_user_model().objects.get(username="consulent")
    http = HttpClient(HTTP_HOST="127.0.0.1")
    http.force_login(consultant)
    busiest = (
        clients_visible_to(consultant)
        .annotate(n=Count("indications"))
        .order_by("-n", "pk")
        .values_list("uuid", flat=True)
        .first()
    )
    pages = {
        "werkvoorraad": "/werkvoorraad/",
        "cliënt zoeken (naam)": "/clienten/?name=de+",
        "cliëntdossier": f"/clienten/{busiest}/",
    }
    print(f"{'page':24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        median, p95, queries = timed_get(http, url)
        print(f"{name:24} {median:10.1f} {p95:8.1f} {queries:8d}")

    # The audit trail records every read of a client file: what does that cost the page?
    url = pages["cliëntdossier"]
    with_audit = timed_get(http, url)
    with mock.patch("indications.views.record_read"):
        without_audit = timed_get(http, url)
    print(
        f"client file with audit {with_audit[0]:.1f} ms ({with_audit[2]} queries), "
        f"without {without_audit[0]:.1f} ms ({without_audit[2]} queries): "
        f"ratio {with_audit[0] / without_audit[0]:.2f}"
    )


if __name__ == "__main__":
    main()
