"""Benchmark (not a test): how fast the demo generator fills the configured database.

    DATABASE_URL=postgres://... .venv/bin/python bench/demo_bench.py --clients 280000 --trajectories 5
    .venv/bin/python bench/demo_bench.py --clients 5000            # SQLite file under bench/results/
    ... --profile /tmp/demo.prof                                   # cProfile the run

Deletes the case data first (load_demo --reset; users, teams, providers and reference data stay),
then generates `--clients` clients and prints clients/s, beschikkingen/s, rows/s, the total time and
the peak resident memory of this process. Give it a database of its own.
"""

import argparse
import cProfile
import logging
import os
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
RESULTS.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'demo_bench.sqlite3'}")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.generator import default_workers, generate_demo, reset_demo_case_data  # noqa: E402
from indications.models import Client, Indication  # noqa: E402


def case_rows() -> int:
    """Rows in the case tables (the ones reset_demo_case_data empties)."""
    total = 0
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in ("indications", "providers") and model.objects.exists():
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
                total += cursor.fetchone()[0]
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--trajectories", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core on PostgreSQL")
    parser.add_argument(
        "--bulk",
        choices=["auto", "on", "off"],
        default="auto",
        help="lift the foreign keys and secondary indexes during the load (default: by size)",
    )
    parser.add_argument("--profile", help="write a cProfile of the generation to this file")
    args = parser.parse_args()
    logging.basicConfig(format="  %(message)s")
    logging.getLogger("demo.bulkload").setLevel(logging.INFO)  # how long re-creating the keys took
    call_command("migrate", verbosity=0)
    reset_demo_case_data()
    before = case_rows()
    profiler = cProfile.Profile() if args.profile else None
    last = [time.perf_counter(), 0]

    def progress(done, total):
        now = time.perf_counter()
        if now - last[0] >= 30 or done == total:
            print(f"  {done:,}/{total:,} clients, {(done - last[1]) / (now - last[0]):,.0f}/s", flush=True)
            last[:] = [now, done]

    workers = default_workers() if args.workers is None else args.workers
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    summary = generate_demo(
        clients=args.clients,
        today=timezone.localdate(),
        seed=args.seed,
        trajectories=args.trajectories,
        progress=progress,
        workers=workers,
        bulk={"auto": None, "on": True, "off": False}[args.bulk],
    )
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    seconds = time.perf_counter() - started
    beschikkingen = Indication.objects.exclude(decision_date=None).count()
    rows = case_rows() - before
    # The largest of this process and its workers (each holds one chunk at a time).
    cpu = sum(
        getattr(usage, part)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for usage in [resource.getrusage(who)]
        for part in ("ru_utime", "ru_stime")
    )
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(
        f"database: {connection.vendor}; {workers} worker(s); {Client.objects.count():,} clients, "
        f"{summary.indications:,} indications "
        f"of which {beschikkingen:,} beschikkingen (vastgesteld), {rows:,} rows in all"
    )
    print(
        f"time: {seconds:.1f} s; {summary.clients / seconds:,.0f} clients/s, {beschikkingen / seconds:,.0f} "
        f"beschikkingen/s, {rows / seconds:,.0f} rows/s; peak RSS {peak_mb:,.0f} MB; "
        f"CPU of the generator's processes {cpu:.0f} s (the database server's not counted)"
    )


if __name__ == "__main__":
    main()
