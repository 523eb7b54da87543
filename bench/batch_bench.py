"""Benchmark (not a test): the provider API's batch endpoint, POST /api/v1/berichten/ (issue 20).

    DATABASE_URL=postgres://... .venv/bin/python bench/batch_bench.py [--sizes 100,500] [--kinds start,stop]
    .venv/bin/python bench/batch_bench.py --quick      # a smoke run: batches of 5 and 10

1. Setup: for one new contracted provider, as many clients as the batches need, each with an active
   beschikking (two results with goals, as the API shows them) and its toewijzing at that provider
   (bulk-created rows, numbered with providers.numbering.reserve_assignment_numbers), and an API key.
2. Per batch size: one batch of starts (startdatum = the toewijzing's ingangsdatum) for fresh
   toewijzingen, then one batch of stops (reden 19) for the same ones; each posted with the
   in-process test client (the whole middleware stack: authentication, throttling, the audit of the
   request) with the provider's key. A stop's WMO301 is built and queued as in production; its
   delivery, enqueued on commit, is counted, not sent (that is the worker's cost).
3. Printed per batch: seconds, ms and queries per message (every query, counted with
   CaptureQueriesContext), and the answers' statuses. Each run adds new rows: give it a database of
   its own. Times are printed, never asserted.
"""

import argparse
import collections
import os
import sys
import time
import warnings
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:  # the smoke test imports this module inside a configured test run
    django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.caseload import bulk_caseload  # noqa: E402
from indications.models import Client  # noqa: E402
from providers.models import Assignment, Provider  # noqa: E402
from providers.services import issue_api_token  # noqa: E402
from tests.factories import UserFactory, contracted_provider  # noqa: E402


def setup(clients: int, today) -> tuple[Provider, list[Assignment]]:
    """One provider with N clients, each with an active beschikking (two results) and its toewijzing there."""
    run = f"{Client.objects.count():06d}"
    consultant = UserFactory(username=f"batch-bench-{run}")
    provider = contracted_provider(agb_code=f"8{Provider.objects.count():07d}", name=f"Batch-bench {run}")
    assignments = bulk_caseload(clients, today, providers=[provider], consultant=consultant, tag="Batch", results=2)
    return provider, assignments


def start_item(assignment: Assignment, run: str) -> dict:
    return {
        "soort": "start",
        "toewijzingnummer": assignment.number,
        "berichtId": f"bench-{run}-start-{assignment.pk}",
        "startdatum": str(assignment.start_date),
    }


def stop_item(assignment: Assignment, run: str, today) -> dict:
    return {
        "soort": "stop",
        "toewijzingnummer": assignment.number,
        "berichtId": f"bench-{run}-stop-{assignment.pk}",
        "einddatum": str(today - timedelta(days=1)),
        "redenBeeindiging": "19",
    }


def post_batch(api: APIClient, items: list[dict]) -> dict:
    cache.clear()  # the key's throttle counts requests: a bench run must not be throttled
    enqueued = Counter()
    # CaptureQueriesContext keeps Django's last 9,000 queries only: room for a batch's every query.
    connection.queries_log = collections.deque(maxlen=1_000_000)
    # The broker is left out: a stop's WMO301 delivery is enqueued on commit, counted, not run here.
    with (
        mock.patch("iwmo.tasks.deliver_message.delay", lambda pk: enqueued.update(["301"])),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.perf_counter()
        response = api.post("/api/v1/berichten/", {"berichten": items}, format="json")
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"the batch was answered {response.status_code}: {response.content[:500]!r}")
    statuses = Counter(result["httpStatus"] for result in response.json()["resultaten"])
    return {
        "count": len(items),
        "seconds": seconds,
        "queries": len(queries),
        "statuses": statuses,
        "enqueued": enqueued["301"],
    }


def run(sizes: list[int], kinds: list[str], *, out=print) -> list[dict]:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    out(f"database: {connection.vendor}")
    started = time.perf_counter()
    provider, assignments = setup(sum(sizes), today)
    out(f"setup: {len(assignments):,} toewijzingen at one provider ({time.perf_counter() - started:.1f} s)")
    _token, key = issue_api_token(provider, name="batch-bench", by=None)
    api = APIClient(HTTP_HOST="localhost")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    run_id = f"{provider.pk}"
    figures = []
    first = 0
    for size in sizes:
        chosen = assignments[first : first + size]
        first += size
        for kind in kinds:
            items = [start_item(a, run_id) if kind == "start" else stop_item(a, run_id, today) for a in chosen]
            result = post_batch(api, items) | {"kind": kind}
            figures.append(result)
            out(
                f"batch of {size:>4} {kind:<5}: {result['seconds']:6.2f} s, "
                f"{1000 * result['seconds'] / size:6.1f} ms and {result['queries'] / size:5.1f} queries per message "
                f"({result['queries']} queries; answers {dict(sorted(result['statuses'].items()))}, "
                f"{result['enqueued']} WMO301 deliveries enqueued)"
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,500", help="batch sizes, comma-separated (the API allows 500)")
    parser.add_argument("--kinds", default="start,stop", help="start, stop or both (stops follow the starts)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: batches of 5 and 10")
    args = parser.parse_args()
    sizes = [5, 10] if args.quick else [int(size) for size in args.sizes.split(",")]
    kinds = [kind for kind in args.kinds.split(",") if kind]
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL (set DATABASE_URL); the figures of issue 20 are for PostgreSQL")
    run(sizes, kinds)


if __name__ == "__main__":
    main()
