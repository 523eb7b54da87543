"""Run every signal check now (or the named ones), in-process, and show what changed."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from tqdm import tqdm

from signals.checks import CHECKS, CHECKS_BY_NAME
from signals.services import CheckOutcome, run_check
from signals.tasks import CHECK_TASKS


class Command(BaseCommand):
    help = "Voert de signaleringscontroles nu uit (zonder broker) en toont wat er veranderde."

    def add_arguments(self, parser):
        parser.add_argument("checks", nargs="*", help=f"Alleen deze controles: {', '.join(CHECKS_BY_NAME)}.")
        parser.add_argument("--datum", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")
        parser.add_argument(
            "--via-broker",
            action="store_true",
            help="Stuur de controles via de broker naar een draaiende Celery-worker en wacht op het resultaat.",
        )
        parser.add_argument(
            "--timeout", type=int, default=600, help="Seconden wachten per controle (met --via-broker)."
        )

    def handle(self, *args, checks, datum, via_broker, timeout, verbosity, **options):
        unknown = [name for name in checks if name not in CHECKS_BY_NAME]
        if unknown:
            raise CommandError(f"Onbekende controle: {', '.join(unknown)}.")
        today = parse_date(datum) if datum else None
        if datum and today is None:
            raise CommandError("Geef de datum als JJJJ-MM-DD.")
        selected = [CHECKS_BY_NAME[name] for name in checks] or CHECKS
        outcomes = []
        for check in tqdm(selected, desc="Controles", unit="controle", file=sys.stderr, disable=verbosity < 1):
            if via_broker:
                if today is not None:
                    raise CommandError("--datum kan niet samen met --via-broker.")
                result = CHECK_TASKS[check.name].delay(force=True).get(timeout=timeout)
                outcomes.append(CheckOutcome(**result))
            else:
                outcomes.append(run_check(check, today=today, force=True))
        self.stdout.write(
            f"{'controle':24} {'nieuw':>7} {'geëscaleerd':>12} {'bijgewerkt':>11} {'vervallen':>10} {'tijd':>8}"
        )
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.check:24} {outcome.created:7d} {outcome.escalated:12d} {outcome.updated:11d} "
                f"{outcome.lapsed:10d} {outcome.seconds:7.2f}s" + (f"  ({outcome.skipped})" if outcome.skipped else "")
            )
        self.stdout.write(
            f"Totaal: {sum(o.created for o in outcomes)} nieuw, {sum(o.escalated for o in outcomes)} geëscaleerd, "
            f"{sum(o.updated for o in outcomes)} bijgewerkt, {sum(o.lapsed for o in outcomes)} vervallen."
        )
