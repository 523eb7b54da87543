"""Benchmark (not a test): the monitor on the national-scale data set, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/monitor_bench.py [--years 5] [--refresh]

Uses the data set of bench/signals_bench.py (300,000 clients, about 1,000,000 beschikkingen; run
that first). Refreshes the cube for the last --years years when asked or when it is empty (timed
per year), then times the monitor page as a contract manager sees it (median of 5 loads): the
whole region over five years, and filtered on a municipality and a reference group; and the
exports: a table as XLSX, and the whole year's cliëntervaringsonderzoek population as CSV and XLSX.
Then the SLA pages: the benchmark of one reference group and of all providers (with its export),
and the dashboard of the largest provider.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as WebClient  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

from accounts.roles import CONTRACTMANAGER, sync_roles  # noqa: E402
from indications.models import Indication, Municipality  # noqa: E402
from monitor.demo import ensure_demo_reference_data  # noqa: E402
from monitor.models import Cell  # noqa: E402
from monitor.services import refresh_monitor  # noqa: E402
from providers.models import Provider, ReferenceGroup  # noqa: E402


def timed(web, url: str, runs: int = 5) -> tuple[float, int, int]:
    """Median seconds of `runs` loads (the response fully read), its status and size."""
    timings, status, size = [], 0, 0
    for _ in range(runs):
        started = time.perf_counter()
        response = web.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append(time.perf_counter() - started)
        status, size = response.status_code, len(body)
    return statistics.median(timings), status, size


def logged_in(user) -> WebClient:
    """A web client logged in as `user` with the second factor passed (a confirmed static device,
    the session marked verified by it, as django_otp.login does)."""
    web = WebClient()
    web.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = web.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return web


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--refresh", action="store_true", help="recompute the cube even if it is filled")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")
    today = timezone.localdate()
    first_year = today.year - args.years + 1
    print(f"Data: {Indication.objects.count():,} beschikkingen; monitor years {first_year}-{today.year}")
    ensure_demo_reference_data(last_year=today.year)
    if args.refresh or not Cell.objects.filter(year=first_year).exists():
        print("Refresh (one INSERT ... SELECT per period, 14 periods per year):")
        for year in range(first_year, today.year + 1):
            run = refresh_monitor(today=today, first_year=year, last_year=year)
            print(f"  {year}: {run.cells:>9,} cells in {run.seconds:6.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE monitor_cell")
    print(f"Cube: {Cell.objects.count():,} cells")

    setup_test_environment()
    sync_roles()
    user, _created = get_user_model().objects.get_or_create(username="bench-contractmanager")
    user.groups.add(Group.objects.get(name=CONTRACTMANAGER))
    web = logged_in(user)
    dordrecht = Municipality.objects.get(name="Dordrecht")
    ggz = ReferenceGroup.objects.get(number=2)
    base = f"/monitor/?year={today.year}&years={args.years}"
    cases = [
        ("monitor page, whole region, 5 years", base),
        ("monitor page, Dordrecht + GGZ", f"{base}&municipality={dordrecht.pk}&reference_group={ggz.pk}"),
        ("monitor page, previous year, 18-25, women", f"/monitor/?year={today.year - 1}&age_group=18-25&gender=V"),
        ("export: cost per provider, XLSX", f"{base}&export=kosten-per-provider&formaat=xlsx"),
        ("export: key figures per period, CSV", f"{base}&export=kerncijfers-per-periode&formaat=csv"),
    ]
    largest = Provider.objects.annotate(n=Count("assignments")).order_by("-n").first()
    sla = f"/aanbieders/sla/?year={today.year - 1}&granularity=jaar"
    cases += [
        (
            f"SLA benchmark {today.year - 1}, reference group {largest.reference_group.number}",
            f"{sla}&reference_group={largest.reference_group_id}",
        ),
        (f"SLA benchmark {today.year - 1}, all {Provider.objects.count()} providers", sla),
        ("export: SLA benchmark all providers, CSV", f"{sla}&export=benchmark&formaat=csv"),
        ("export: SLA benchmark all providers, XLSX", f"{sla}&export=benchmark&formaat=xlsx"),
        (
            f"SLA dashboard of the largest provider ({largest.n:,} toewijzingen)",
            f"/aanbieders/{largest.uuid}/dashboard/?year={today.year - 1}",
        ),
    ]
    print(f"\n{'what':48} {'median s':>9} {'status':>6} {'bytes':>10}")
    for label, url in cases:
        seconds, status, size = timed(web, url)
        print(f"{label:48} {seconds:9.3f} {status:>6} {size:>10,}")
    user.user_permissions.add(Permission.objects.get(codename="export_ceo_population"))
    for file_format in ("csv", "xlsx"):
        url = f"/monitor/clientervaringsonderzoek/?year={today.year - 1}&formaat={file_format}"
        seconds, status, size = timed(web, url, runs=1)
        print(
            f"{f'export: CEO population {today.year - 1}, {file_format.upper()}':48} {seconds:9.3f} "
            f"{status:>6} {size:>10,}"
        )


if __name__ == "__main__":
    main()
