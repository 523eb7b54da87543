"""Benchmark (not a test): the provider API on a large data set, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/api_load.py [--assignments 1000000] [--seconds 20]

Loads (once) the given number of assignments over the ~50 demo providers, starts gunicorn on
loopback, and measures the provider's list endpoint, a detail read and the start-event endpoint with 1
and 16 concurrent clients: median and p95 latency and throughput. Give it a database of its own.
DB_CONN_MAX_AGE=0 in the environment measures a new database connection per request (Django's default);
BENCH_GUNICORN_WORKERS and BENCH_GUNICORN_THREADS set gunicorn's processes and threads (default 4 and 4).
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from indications.models import Client, Indication, IndicationStatus, Municipality, Product  # noqa: E402
from providers.models import Assignment, Contract, Provider, ReferenceGroup  # noqa: E402
from providers.services import issue_api_token  # noqa: E402

PORT = 8765
# gunicorn's processes and threads for the measured server.
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "4")
THREADS = os.environ.get("BENCH_GUNICORN_THREADS", "4")
CHUNK = 20_000


def bsn(counter: int) -> str:
    """A valid, unique BSN per counter: first digit 4 (or the next one when the elfproef needs 10)."""
    for first in "456789":
        digits = f"{first}{counter:07d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            return digits + str(check)
    raise ValueError(counter)


def load(assignments: int) -> None:
    """Clients with one beschikking and one toewijzing each, spread over the providers."""
    have = Assignment.objects.count()
    if have >= assignments:
        print(f"data: {have} assignments present")
        return
    call_command("load_demo", clients=0, verbosity=0)  # the demo users
    groups = list(ReferenceGroup.objects.all())
    for number in range(1, 51):
        Provider.objects.get_or_create(
            agb_code=f"970000{number:02d}",
            defaults={"name": f"Benchmark-aanbieder {number}", "reference_group": groups[number % len(groups)]},
        )
    providers = list(Provider.objects.filter(agb_code__startswith="970000"))
    for provider in providers:
        contract, _created = Contract.objects.get_or_create(provider=provider, valid_from=date(2016, 1, 1))
        contract.products.set(Product.objects.all())
    products = list(Product.objects.exclude(code="IB0").filter(age_limit__isnull=True))  # not IB4 (age limit)
    municipalities = list(Municipality.objects.all())
    consultant = get_user_model().objects.get(username="consulent")
    rng = random.Random(7)
    today = date.today()
    offset = Client.objects.count()
    with tqdm(total=assignments - have, unit="toewijzing", file=sys.stderr) as bar:
        done = 0
        while done < assignments - have:
            size = min(CHUNK, assignments - have - done)
            with transaction.atomic():
                clients = Client.objects.bulk_create(
                    Client(
                        bsn=bsn(offset + done + i),
                        last_name=f"Bench{offset + done + i}",
                        date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 20000)),
                        gender=rng.choice("VM"),
                        municipality=rng.choice(municipalities),
                    )
                    for i in range(size)
                )
                indications = []
                for client in clients:
                    start = today - timedelta(days=rng.randint(0, 3650))
                    end = start + timedelta(days=rng.choice([181, 364, 728]))
                    status = IndicationStatus.ACTIEF if end >= today else IndicationStatus.BEEINDIGD
                    indications.append(
                        Indication(
                            client=client,
                            product=rng.choice(products),
                            start_date=start,
                            end_date=end,
                            status=status,
                            decision_date=start,
                            consultant=consultant,
                            provider=rng.choice(providers),
                            ended_on=None if status == "actief" else end,
                        )
                    )
                Indication.objects.bulk_create(indications)
                Assignment.objects.bulk_create(
                    Assignment(
                        indication=i,
                        provider=i.provider,
                        product=i.product,
                        assigned_on=i.start_date,
                        start_date=i.start_date,
                        end_date=i.end_date,
                        number=f"B{i.pk:09d}",
                        status="actief" if i.status == "actief" else "beeindigd",
                        care_started_on=None if i.status == "actief" and rng.random() < 0.3 else i.start_date,
                    )
                    for i in indications
                )
            done += size
            bar.update(size)


class Server:
    def __enter__(self):
        env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "API_RATE_PER_KEY": "1000000/min"}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "sddcase.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                WORKERS,
                "--threads",
                THREADS,
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,  # 400s are expected: django.request logs each one
        )
        for _ in range(100):
            try:
                # Ready when a worker answers; the cheap liveness check, so that no worker is still busy
                # with an earlier probe (the OpenAPI schema took seconds) when the measuring starts.
                probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                probe.request("GET", "/health/live")
                probe.getresponse().read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()


def run(name: str, concurrency: int, seconds: float, make_request) -> None:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop_at:
            method, path, body = make_request()
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status >= 500:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(
        f"{name:28} c={concurrency:<3} n={len(latencies):<6} median {statistics.median(latencies):7.1f} ms"
        f"  p95 {p95:7.1f} ms  {len(latencies) / seconds:7.1f} req/s  5xx={errors}"
    )


HEADERS: dict[str, str] = {}


def read_requests(pages: int, numbers: list[str], rng: random.Random):
    """The two reads measured: a random list page among the first 200, a random detail read."""

    def list_request():
        return "GET", f"/api/v1/toewijzingen/?page={rng.randint(1, min(pages, 200))}", None

    def detail_request():
        return "GET", f"/api/v1/toewijzingen/{rng.choice(numbers)}/", None

    return list_request, detail_request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this benchmark on PostgreSQL: set DATABASE_URL.")
    started = time.perf_counter()
    load(args.assignments)
    with connection.cursor() as cursor:  # statistics and the visibility map for index-only scans
        cursor.execute("VACUUM ANALYZE")
    print(f"load: {time.perf_counter() - started:.0f} s")
    provider = Provider.objects.filter(agb_code__startswith="970000").order_by("agb_code").first()
    own = Assignment.objects.filter(provider=provider)
    pages = max(1, own.count() // 50)
    unstarted = list(own.filter(status="actief", care_started_on__isnull=True).values_list("number", "start_date"))
    everything = list(own.values_list("number", "start_date"))
    rng = random.Random(3)
    rng.shuffle(unstarted)
    _token, key = issue_api_token(provider, name="bench", by=None)
    HEADERS.update({"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Host": "localhost"})
    print(
        f"data: {Assignment.objects.count()} assignments over {Provider.objects.count()} providers; "
        f"the measured provider has {own.count()} ({pages} pages of 50)"
    )
    events = iter(unstarted)
    events_lock = threading.Lock()

    list_request, detail_request = read_requests(pages, [number for number, _start in everything], rng)

    def event_request():
        # First the assignments without a start report (accepted); then any of the provider's
        # assignments (a processed and stored rejection: already started), as retries in real life.
        with events_lock:
            number, start = next(events, None) or rng.choice(everything)
        body = json.dumps({"berichtId": str(uuid.uuid4()), "startdatum": start.isoformat()})
        return "POST", f"/api/v1/toewijzingen/{number}/start/", body

    connection.close()
    with Server():
        for concurrency in (1, 16):
            run("GET /toewijzingen/", concurrency, args.seconds, list_request)
            run("GET /toewijzingen/{nr}/", concurrency, args.seconds, detail_request)
            run("POST /toewijzingen/{nr}/start/", concurrency, args.seconds, event_request)


if __name__ == "__main__":
    main()
