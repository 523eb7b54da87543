"""Run the nightly jobs now: in-process by default, or through the broker and a running worker."""

from django.core.management.base import BaseCommand

from indications import tasks

JOBS = (tasks.activate_started_beschikkingen, tasks.end_expired_beschikkingen)


class Command(BaseCommand):
    help = "Voert de nachtelijke taken nu uit (beschikkingen activeren en beëindigen)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--via-broker",
            action="store_true",
            help="Stuur de taken via de broker naar een draaiende Celery-worker en wacht op het resultaat.",
        )
        parser.add_argument("--timeout", type=int, default=120, help="Seconden wachten per taak (met --via-broker).")

    def handle(self, *args, via_broker, timeout, **options):
        for job in JOBS:
            result = job.delay().get(timeout=timeout) if via_broker else job.apply().get()
            self.stdout.write(f"{job.name}: {result}")
