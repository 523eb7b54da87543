"""Benchmark (not a test): the iWmo message exchange at volume, on PostgreSQL (issue 16).

    DATABASE_URL=postgres://... .venv/bin/python bench/iwmo_bench.py [--clients 10000] [--messages 10000]
    .venv/bin/python bench/iwmo_bench.py --quick        # a smoke run: 50 clients, 50 messages
    ... --messages 0                                     # the outgoing part only

1. Setup: N clients, each with one active beschikking and its toewijzing at one of a few providers
   (bulk-created rows, no 301 yet).
2. Outgoing: one WMO301 per toewijzing, built and queued through the real hook path
   (providers.hooks.assignment_changed -> iwmo.toewijzing.queue_toewijzing), `--batch` changes per
   transaction collected and written together (iwmo.toewijzing.collect_toewijzingen ->
   queue_toewijzingen -> outbox.store_many); with --batch 0 one transaction per change, as a
   user's change has. The broker is left out: the enqueue on commit is
   counted, not sent (delivery is its own benchmark of the worker).
3. Incoming: M messages written with the project's own writer (iwmo.regie.build_heenbericht): a
   WMO305 for 70% of them, a WMO307 for 30% (stopping care that an earlier 305 started), then all
   received through iwmo.inbox.receive (parsed, judged, applied, the 306/308 retour queued).
   Printed: messages per second, and the share of the time in XML (parse, read, build, XSD) and in
   the database (every query, timed by a connection execute wrapper); the rest is Python.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import warnings
from collections import Counter
from contextlib import nullcontext
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.caseload import bulk_caseload  # noqa: E402
from iwmo import inbox, outbox, regie, toewijzing, wmo301  # noqa: E402
from iwmo import xml as iwmo_xml  # noqa: E402
from iwmo.models import IncomingMessage, OutgoingMessage  # noqa: E402
from providers.hooks import assignment_changed  # noqa: E402
from providers.models import Assignment, Provider  # noqa: E402
from tests.factories import UserFactory, contracted_provider  # noqa: E402

PROVIDERS = 4


class Timers:
    """Seconds spent in the XML calls and in the database, accumulated while `measuring`."""

    def __init__(self):
        self.xml = 0.0
        self.db = 0.0
        self.queries = 0

    def wrap_xml(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.xml += time.perf_counter() - started

        return timed

    def db_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.db += time.perf_counter() - started
            self.queries += 1

    def measuring(self):
        """Patch the XML entry points where they are looked up, and time every query."""
        patches = [
            mock.patch.object(inbox, "parse_message", self.wrap_xml(iwmo_xml.parse_message)),
            mock.patch.object(regie, "read", self.wrap_xml(regie.read)),
            mock.patch.object(regie, "build_retour", self.wrap_xml(regie.build_retour)),
            mock.patch.object(wmo301, "build", self.wrap_xml(wmo301.build)),
            mock.patch.object(outbox, "validate_bytes", self.wrap_xml(iwmo_xml.validate_bytes)),
        ]
        return _Measuring(self, patches)


class _Measuring:
    def __init__(self, timers, patches):
        self.timers, self.patches = timers, patches
        self.wrapper = None

    def __enter__(self):
        for patch in self.patches:
            patch.start()
        self.wrapper = connection.execute_wrapper(self.timers.db_wrapper)
        self.wrapper.__enter__()
        return self.timers

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)
        for patch in reversed(self.patches):
            patch.stop()


def setup(clients: int, today) -> list[Assignment]:
    """N clients with one active beschikking each and its toewijzing (bulk-created, numbered)."""
    consultant = UserFactory(username="iwmo-bench-consulent")
    first = Provider.objects.count()
    providers = [contracted_provider(agb_code=f"9{first + index:07d}") for index in range(PROVIDERS)]
    assignments = bulk_caseload(clients, today, providers=providers, consultant=consultant, tag="Bench")
    return list(
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .select_related("indication__client__municipality", "provider", "product")
        .order_by("pk")
    )


def bench_outgoing(assignments, today, *, batch: int) -> dict:
    """One 301 per toewijzing through the hook; `batch` changes per transaction (0: one each, as
    a user's change; a nightly job or a bulk vaststelling writes many in one)."""
    timers = Timers()
    enqueued = Counter()
    size = batch or 1
    with (
        mock.patch("iwmo.tasks.deliver_message.delay", lambda pk: enqueued.update(["301"])),
        timers.measuring(),
    ):
        started = time.perf_counter()
        for first in range(0, len(assignments), size):
            # Many changes in one transaction: their 301s are written together (queue_toewijzingen).
            with transaction.atomic(), toewijzing.collect_toewijzingen() if batch else nullcontext():
                for assignment in assignments[first : first + size]:
                    assignment_changed(assignment, by=None, today=today)
        seconds = time.perf_counter() - started
    return {"count": len(assignments), "seconds": seconds, "enqueued": enqueued["301"], "timers": timers}


def build_messages(assignments, messages: int, today) -> list[bytes]:
    """70% WMO305 (start three days after the ingangsdatum), then 30% WMO307 for started ones."""
    stops = min(messages * 3 // 10, len(assignments))
    starts = min(messages - stops, len(assignments))
    raws = [_message("WMO305", assignment, today, n) for n, assignment in enumerate(assignments[:starts])]
    raws += [_message("WMO307", assignment, today, starts + n) for n, assignment in enumerate(assignments[:stops])]
    return raws


def _message(message_type, assignment, today, n) -> bytes:
    client = assignment.indication.client
    begin = assignment.start_date + timedelta(days=3)
    stop = message_type == regie.STOP
    return regie.build_heenbericht(
        regie.Regiebericht(
            message_type=message_type,
            header=iwmo_xml.Header(
                message_type=message_type,
                sender=assignment.provider.agb_code,
                receiver=client.municipality.code,
                identification=f"B{assignment.pk:07d}{n % 10_000:04d}"[:12],
                dagtekening=today,
            ),
            client=regie.RegieClient.of(client),
            producten=[
                regie.RegieProduct(
                    nummer=str(int(assignment.number)),
                    categorie=assignment.product.iwmo_category,
                    code=assignment.product.iwmo_code,
                    toewijzing_ingangsdatum=assignment.start_date,
                    begindatum=begin,
                    reden_beeindiging="19" if stop else "",
                    einddatum=today - timedelta(days=1) if stop else None,
                    status_aanlevering="1",
                )
            ],
        )
    )


def bench_incoming(raws, today, *, batch: int) -> dict:
    """Receive every message: one by one with inbox.receive (batch 0), or inbox.receive_many."""
    timers = Timers()
    statuses = Counter()
    folder = IncomingMessage.Channel.FOLDER
    names = [f"{n}.xml" for n in range(len(raws))]
    with mock.patch("iwmo.tasks.deliver_message.delay", lambda pk: None), timers.measuring():
        started = time.perf_counter()
        if batch:
            received = inbox.receive_many(raws, channel=folder, file_names=names, today=today, batch=batch)
        else:
            received = [
                inbox.receive(raw, channel=folder, file_name=name, today=today)
                for raw, name in zip(raws, names, strict=True)
            ]
        seconds = time.perf_counter() - started
    statuses.update(incoming.status if incoming is not None else "mislukt" for incoming in received)
    return {"count": len(raws), "seconds": seconds, "statuses": statuses, "timers": timers}


def split(result) -> str:
    timers, seconds = result["timers"], result["seconds"]
    other = max(seconds - timers.xml - timers.db, 0.0)
    return (
        f"XML {timers.xml / seconds:5.1%}, database {timers.db / seconds:5.1%} "
        f"({timers.queries / result['count']:.1f} queries each), Python/other {other / seconds:5.1%}"
    )


def run(clients: int, messages: int, *, batch: int = 100, out=print) -> dict:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    out(f"database: {connection.vendor}")
    started = time.perf_counter()
    assignments = setup(clients, today)
    seconds = time.perf_counter() - started
    out(f"setup: {len(assignments):,} clients with a toewijzing at {PROVIDERS} providers ({seconds:.1f} s)")

    outgoing = bench_outgoing(assignments, today, batch=batch)
    out(
        f"outgoing ({f'{batch} changes per transaction' if batch else 'one transaction per change'}): "
        f"{outgoing['count']:,} WMO301 built and queued in {outgoing['seconds']:.1f} s "
        f"({outgoing['count'] / outgoing['seconds']:.0f}/s; {outgoing['enqueued']:,} deliveries enqueued)"
    )
    out(f"  {split(outgoing)}")
    # As if the worker delivered them: a later change of these clients writes a new 301.
    OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED).update(status=OutgoingMessage.Status.DELIVERED)
    if not messages:  # --messages 0: the outgoing part only
        return {"outgoing": outgoing}

    started = time.perf_counter()
    raws = build_messages(assignments, messages, today)
    out(f"built {len(raws):,} incoming WMO305/307 in {time.perf_counter() - started:.1f} s")
    incoming = bench_incoming(raws, today, batch=batch)
    out(
        f"incoming ({f'receive_many, batches of {batch}' if batch else 'receive, one by one'}): "
        f"{incoming['count']:,} received in {incoming['seconds']:.1f} s: "
        f"{incoming['count'] / incoming['seconds']:.1f} messages/s "
        f"({', '.join(f'{status} {count}' for status, count in sorted(incoming['statuses'].items()))})"
    )
    out(f"  {split(incoming)}")
    return {"outgoing": outgoing, "incoming": incoming}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50 clients and 50 messages")
    parser.add_argument(
        "--batch", type=int, default=100, help="messages (and 301 changes) per transaction; 0: one each"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the whole run")
    args = parser.parse_args()
    if args.quick:
        args.clients = args.messages = 50
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL (set DATABASE_URL); the figures of issue 16 are for PostgreSQL")
    if not args.profile:
        run(args.clients, args.messages, batch=args.batch)
        return
    profiler = cProfile.Profile()
    profiler.runcall(run, args.clients, args.messages, batch=args.batch)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
