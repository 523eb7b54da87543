from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitor.services import refresh_monitor


class Command(BaseCommand):
    help = "Bereken de cijfers van de monitor opnieuw (standaard alle jaren vanaf de eerste beschikking)."

    def add_arguments(self, parser):
        parser.add_argument("--vanaf", type=int, help="eerste jaar (standaard: het jaar van de eerste beschikking)")
        parser.add_argument("--tot", type=int, help="laatste jaar (standaard: dit jaar)")
        parser.add_argument("--datum", type=date.fromisoformat, help="peildatum JJJJ-MM-DD (standaard: vandaag)")

    def handle(self, *args, vanaf=None, tot=None, datum=None, verbosity=1, **options):
        today = datum or timezone.localdate()
        if vanaf and vanaf > min(tot or today.year, today.year):
            raise CommandError("--vanaf ligt na --tot of na het jaar van de peildatum: er is niets bij te werken")

        def progress(year):
            if verbosity:
                self.stdout.write(f"  {year} klaar")

        run = refresh_monitor(today=today, first_year=vanaf, last_year=tot, progress=progress)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Monitor bijgewerkt: {run.first_year}-{run.last_year}, {run.cells} cellen in {run.seconds:.1f} s"
                )
            )
