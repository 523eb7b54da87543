from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitor.services import catch_up_stale_years, refresh_monitor


class Command(BaseCommand):
    help = "Bereken de cijfers van de monitor opnieuw (standaard alle jaren vanaf de eerste beschikking)."

    def add_arguments(self, parser):
        parser.add_argument("--vanaf", type=int, help="eerste jaar (standaard: het jaar van de eerste beschikking)")
        parser.add_argument("--tot", type=int, help="laatste jaar (standaard: dit jaar)")
        parser.add_argument("--datum", type=date.fromisoformat, help="peildatum JJJJ-MM-DD (standaard: vandaag)")
        parser.add_argument(
            "--verouderd",
            action="store_true",
            help="alleen de jaren die nog niet of door een eerdere versie berekend zijn (na een upgrade)",
        )

    def handle(self, *args, vanaf=None, tot=None, datum=None, verouderd=False, verbosity=1, **options):
        today = datum or timezone.localdate()
        if verouderd and (vanaf or tot):
            raise CommandError("--verouderd kiest de jaren zelf: geef er geen --vanaf of --tot bij")
        if vanaf and vanaf > min(tot or today.year, today.year):
            raise CommandError("--vanaf ligt na --tot of na het jaar van de peildatum: er is niets bij te werken")

        def progress(year):
            if verbosity:
                self.stdout.write(f"  {year} klaar")

        if verouderd:
            runs = catch_up_stale_years(today=today, progress=progress)
            if verbosity:
                years = ", ".join(str(run.first_year) for run in sorted(runs, key=lambda run: run.first_year))
                self.stdout.write(
                    self.style.SUCCESS(f"Monitor bijgewerkt: {years}")
                    if runs
                    else "Alle jaren zijn al door deze versie berekend: er is niets bij te werken"
                )
            return
        run = refresh_monitor(today=today, first_year=vanaf, last_year=tot, progress=progress)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Monitor bijgewerkt: {run.first_year}-{run.last_year}, {run.cells} cellen in {run.seconds:.1f} s"
                )
            )
