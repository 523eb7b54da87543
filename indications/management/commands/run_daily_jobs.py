"""Run the nightly jobs now, in-process: the embedded default works without a broker or beat."""

from django.core.management.base import BaseCommand

from indications import tasks


class Command(BaseCommand):
    help = "Voert de nachtelijke taken nu uit (beschikkingen activeren en beëindigen)."

    def handle(self, *args, **options):
        activated = tasks.activate_started_beschikkingen.apply().get()
        ended = tasks.end_expired_beschikkingen.apply().get()
        self.stdout.write(f"Geactiveerd: {activated}, beëindigd: {ended}")
