"""Benchmark (not a test): the selection of closed client files and the nightly proposal, on a demo load.

    DATABASE_URL=postgres://... .venv/bin/python bench/retention_bench.py [--years-ahead 20]

Run it on a database with a demo load (`manage.py load_demo --clients N`). The demo's files are all
recent, so the run takes "today" `--years-ahead` years from now: every file without an open indication
or onderzoek is then closed. It times the selection (count and fetch) and the nightly proposal, the
latter inside a transaction that is rolled back (the database is left as it was).
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from indications import retention  # noqa: E402
from indications.models import Client, Indication  # noqa: E402


def timed(label: str, func):
    start = time.perf_counter()
    value = func()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years-ahead", type=int, default=20)
    args = parser.parse_args()
    today = timezone.localdate() + timedelta(days=365 * args.years_ahead)
    years = settings.CLIENT_FILE_RETENTION_YEARS
    print(f"{connection.vendor}: {Client.objects.count():,} clients, {Indication.objects.count():,} indications")
    print(f"today {today}, retention {years} years")
    closed = timed("closed_client_files().count()", lambda: retention.closed_client_files(today=today).count())
    timed(
        "closed_client_files() fetched (pk, closed_on)",
        lambda: list(retention.closed_client_files(today=today).values_list("pk", "closed_on")),
    )
    print(f"closed files: {closed:,}")
    with transaction.atomic():
        result = timed("propose_closed_client_files()", lambda: retention.propose_closed_client_files(today=today))
        transaction.set_rollback(True)
    print(f"proposal (rolled back): {result}")


if __name__ == "__main__":
    main()
