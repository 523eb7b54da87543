"""Benchmark (not a test): the provider's SLA figures, stored against live, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/sla_bench.py [--year 2025] [--runs 5] [--refresh]

Uses the data set already in the database (e.g. that of bench/signals_bench.py; this script does
not generate one). For the provider with the most toewijzingen, per periode (jaar, kwartaal,
maand) of the year: the median and p95 of what SlaView.get computes per period, live
(selectors.benchmark, the old path) with and without `SET jit = off`, and through
selectors.sla_figures per period (stored for closed periods), and through
selectors.sla_figures_of_periods (the periods of the answer together, as the API reads them now).
--refresh first runs the nightly refresh of the stored figures for the year (timed).
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

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from providers.models import Provider  # noqa: E402
from providers.selectors import benchmark, periods, sla_figures, sla_figures_of_periods  # noqa: E402
from providers.services import refresh_sla_figures  # noqa: E402


def timed(function, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refresh", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (set DATABASE_URL)")
    largest = Provider.objects.annotate(n=Count("assignments")).order_by("-n").first()
    if largest is None:
        sys.exit("no data: generate a data set first (bench/signals_bench.py)")
    own = Provider.objects.filter(pk=largest.pk)
    print(f"provider {largest.name}: {largest.n} toewijzingen; load average {os.getloadavg()}")
    if args.refresh:
        started = time.perf_counter()
        refresh_sla_figures(today=timezone.localdate(), years=[args.year])
        print(f"refresh {args.year}: {time.perf_counter() - started:.1f} s")
    for periode in ("jaar", "kwartaal", "maand"):
        chosen = periods(args.year, periode)

        def live(chosen=chosen):
            return [benchmark(period, providers=own) for period in chosen]

        def stored(chosen=chosen):
            return [sla_figures(period, providers=own) for period in chosen]

        results = {"live": timed(live, args.runs)}
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        results["live, jit off"] = timed(live, args.runs)
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
        results["sla_figures"] = timed(stored, args.runs)

        def together(chosen=chosen):
            return sla_figures_of_periods(chosen, providers=own)

        results["of_periods"] = timed(together, args.runs)
        for name, (median, p95) in results.items():
            print(f"{periode:9} {name:14} median {median * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
