"""Benchmark (not a test): where the monitor page's time goes, section by section, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/monitor_sections.py [--years 5] [--loads 3]

Uses a data set that is there (bench/national.py or bench/signals_bench.py make one) and its
refreshed cube (bench/monitor_bench.py --refresh, or national.py's monitor part). Loads the monitor
page as a contract manager (the whole region over --years years, then one municipality) with every
public function of the monitor's figure modules that the view calls timed, and prints per section
the median over --loads loads, its share of the page, how many tables it made and the slowest of
them (a dashboard read is one table). A section's time includes the functions it calls (only the
outermost call is counted).
"""

import argparse
import functools
import inspect
import statistics
import sys
import time
from collections import defaultdict

import monitor_bench  # sets up Django first
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import CONTRACTMANAGER, sync_roles  # noqa: E402
from indications.models import Municipality  # noqa: E402
from monitor import bezwaren, decisions, eigen_bijdrage, incidents, mantelzorg, money, selectors  # noqa: E402

MODULES = (selectors, money, mantelzorg, eigen_bijdrage, decisions, bezwaren, incidents)

timings: dict[str, float] = defaultdict(float)
calls: dict[str, list[float]] = defaultdict(list)
depth = 0


def timed(name, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        global depth
        depth += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth -= 1
            if depth == 0:
                seconds = time.perf_counter() - started
                timings[name] += seconds
                calls[name].append(seconds)

    return wrapper


def instrument() -> None:
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                setattr(module, name, timed(f"{module.__name__.split('.')[-1]}.{name}", function))


def measure(web, url: str, loads: int) -> None:
    per_load: dict[str, list[float]] = defaultdict(list)
    slowest: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}
    totals = []
    for _ in range(loads):
        timings.clear()
        calls.clear()
        started = time.perf_counter()
        response = web.get(url)
        totals.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        for name, seconds in timings.items():
            per_load[name].append(seconds)
            slowest[name].append(max(calls[name]))
            counts[name] = len(calls[name])
    total = statistics.median(totals)
    print(f"\n{url}: page {total * 1000:.0f} ms (median of {loads})")
    medians = sorted(((statistics.median(values), name) for name, values in per_load.items()), reverse=True)
    print(f"  {'total':>12}  {'share':>7}  {'tables':>6}  {'slowest':>10}  section")
    for seconds, name in medians:
        one = statistics.median(slowest[name]) * 1000
        print(f"  {seconds * 1000:9.1f} ms  {seconds * 100 / total:5.1f} %  {counts[name]:6d}  {one:7.1f} ms  {name}")
    print(f"  {(total - sum(seconds for seconds, _name in medians)) * 1000:9.1f} ms  rest (rendering, session, form)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")
    setup_test_environment()
    sync_roles()
    user, _created = get_user_model().objects.get_or_create(username="bench-sections")
    user.groups.add(Group.objects.get(name=CONTRACTMANAGER))
    web = monitor_bench.logged_in(user)
    instrument()
    year = timezone.localdate().year
    base = f"/monitor/?year={year}&years={args.years}"
    measure(web, base, args.loads)
    municipality = Municipality.objects.order_by("name").first()
    if municipality:
        measure(web, f"{base}&municipality={municipality.pk}", args.loads)


if __name__ == "__main__":
    main()
