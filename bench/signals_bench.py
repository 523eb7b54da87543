"""Benchmark (not a test): the signal checks on a national-scale data set, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/signals_bench.py [--clients 300000] [--trajectories 5]

Generates (once) the data set with the demo generator (300,000 clients who come back up to 5 times
give about 1,000,000 beschikkingen), then times every check on a first run with no signals yet
(cold) and a second run with nothing changed (warm). Each figure is also printed as a ratio to a
hand-written SQL query for the overdue evaluations, measured in the same run. Give it a database of
its own: the cold run starts by deleting all signals.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from indications.models import Client, Indication  # noqa: E402
from signals.checks import CHECKS  # noqa: E402
from signals.models import CheckRun, Signal, SignalEvent  # noqa: E402
from signals.services import run_check  # noqa: E402

BASELINE_SQL = """
    SELECT pe.id, pe.planned_on, i.consultant_id, i.client_id
    FROM indications_plannedevaluation pe
    JOIN indications_indication i ON i.id = pe.indication_id
    WHERE pe.evaluation_id IS NULL AND pe.planned_on < %s AND i.status = 'actief'
"""


def baseline_seconds(today) -> tuple[float, int]:
    """Median of five runs of the hand-written overdue-evaluations query (rows fetched)."""
    timings, rows = [], 0
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute(BASELINE_SQL, [today])
            rows = len(cursor.fetchall())
            timings.append(time.perf_counter() - started)
    return statistics.median(timings), rows


def run_all(label: str, today, baseline: float) -> float:
    print(f"\n{label}:")
    print(f"  {'check':24} {'seconds':>8} {'ratio':>7} {'new':>8} {'lapsed':>7} {'updated':>8}")
    total = 0.0
    for check in CHECKS:
        started = time.perf_counter()
        outcome = run_check(check, today=today, force=True)
        seconds = time.perf_counter() - started
        total += seconds
        print(
            f"  {check.name:24} {seconds:8.3f} {seconds / baseline:7.1f} {outcome.created:8d} {outcome.lapsed:7d} "
            f"{outcome.updated + outcome.escalated:8d}"
        )
    print(f"  {'all checks':24} {total:8.3f} {total / baseline:7.1f}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300_000)
    parser.add_argument("--trajectories", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this benchmark on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    if Client.objects.count() < args.clients:
        started = time.perf_counter()
        call_command("load_demo", clients=args.clients, trajectories=args.trajectories)
        print(f"generated in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"data: {Client.objects.count():,} clients, {Indication.objects.count():,} beschikkingen "
        f"(all states), {Signal.objects.count():,} signals before the cold run"
    )
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {SignalEvent._meta.db_table}, {Signal._meta.db_table}, {CheckRun._meta.db_table}")
    baseline, rows = baseline_seconds(today)
    print(f"baseline: hand-written overdue-evaluations query {baseline * 1000:.1f} ms ({rows:,} rows)")
    cold = run_all("cold (first run, no signals yet)", today, baseline)
    warm = run_all("warm (second run, nothing changed)", today, baseline)
    print(
        f"\nsignals: {Signal.objects.count():,}; cold {cold:.2f} s ({cold / baseline:.0f}x baseline), "
        f"warm {warm:.2f} s ({warm / baseline:.1f}x baseline)"
    )


if __name__ == "__main__":
    main()
