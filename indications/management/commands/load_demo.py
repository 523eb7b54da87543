"""Load the demo data: users, providers and a case load of N clients (idempotent)."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from indications.demo import generate_demo, reset_demo_case_data


class Command(BaseCommand):
    help = "Laadt demogegevens: gebruikers, aanbieders en een caseload van N cliënten (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=3000, help="Aantal cliënten (standaard 3000).")
        parser.add_argument("--seed", type=int, default=2026, help="Startwaarde van de toevalsgenerator.")
        parser.add_argument(
            "--reset", action="store_true", help="Verwijder eerst alle dossiergegevens (niet de referentiegegevens)."
        )

    def handle(self, *args, clients, seed, reset, verbosity, **options):
        if reset:
            reset_demo_case_data()
        with tqdm(total=clients, unit="cliënt", desc="Demodata", file=sys.stderr, disable=verbosity < 1) as bar:
            summary = generate_demo(clients=clients, seed=seed, today=timezone.localdate(), progress=bar.update)
        if summary.skipped:
            self.stdout.write(f"Demodata al aanwezig ({summary.clients} cliënten); niets toegevoegd.")
        else:
            self.stdout.write(
                f"Toegevoegd: {summary.clients} cliënten, {summary.meldingen} meldingen, "
                f"{summary.indications} indicaties, {summary.evaluations} evaluaties."
            )
        self.stdout.write("Demo-inloggegevens (gebruikersnaam / wachtwoord):")
        for username, password in summary.users:
            self.stdout.write(f"  {username:16} {password}")
