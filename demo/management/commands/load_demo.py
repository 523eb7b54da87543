"""Load the demo data: users with their roles, teams, providers and a case load of N clients (idempotent)."""

import sys
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from demo.generator import default_workers, generate_demo, reset_demo_case_data
from demo.guard import refuse_outside_demo
from monitor.demo import ensure_demo_reference_data


class Command(BaseCommand):
    help = (
        "Laadt demogegevens: gebruikers met hun rol, teams, aanbieders en een caseload van N cliënten. "
        "Idempotent: zijn er al N cliënten, dan wordt niets toegevoegd; zijn er minder, dan wordt aangevuld."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=3000, help="Aantal cliënten (standaard 3000).")
        parser.add_argument("--seed", type=int, default=2026, help="Startwaarde van de toevalsgenerator.")
        parser.add_argument(
            "--trajectories",
            type=int,
            default=None,
            help="Voor benchmarks: elke cliënt komt 1 tot N keer terug (langere geschiedenis, meer beschikkingen).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Aantal processen dat naast elkaar genereert (standaard: één per processorkern op PostgreSQL, "
            "1 op SQLite).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Verwijder eerst ALLE dossiergegevens (cliënten en alles wat daaraan hangt; niet de "
            "referentiegegevens, gebruikers, teams, aanbieders of het auditlog).",
        )

    def handle(self, *args, clients, seed, reset, trajectories, workers, verbosity, **options):
        refuse_outside_demo()
        if reset:
            reset_demo_case_data()
            self.stdout.write("Dossiergegevens verwijderd.")
        started = time.monotonic()
        with tqdm(unit="cliënt", desc="Demodata", file=sys.stderr, disable=verbosity < 1) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            summary = generate_demo(
                clients=clients,
                seed=seed,
                today=timezone.localdate(),
                progress=progress,
                trajectories=trajectories,
                workers=default_workers() if workers is None else workers,
            )
        ensure_demo_reference_data(last_year=timezone.localdate().year)
        if summary.skipped:
            self.stdout.write(f"Demodata al aanwezig ({summary.clients} cliënten); niets toegevoegd.")
        else:
            self.stdout.write(
                f"Toegevoegd in {time.monotonic() - started:.1f} s: {summary.clients} cliënten, "
                f"{summary.meldingen} meldingen, {summary.indications} indicaties, {summary.evaluations} "
                f"evaluaties, {summary.reviews} vier-ogenbeoordelingen ({summary.consultants} consulenten)."
            )
        self.stdout.write("Demo-inloggegevens (gebruikersnaam / wachtwoord):")
        for username, password in summary.users:
            self.stdout.write(f"  {username:16} {password}")
