"""Run the nightly jobs now: in-process by default, or through the broker and a running worker."""

from celery import current_app
from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

# The nightly status jobs by task name, in the beat schedule's order. By name, because the jobs of
# the layers above the case file (providers) may not be imported from here.
JOBS = (
    "indications.activate_started_beschikkingen",
    "indications.end_expired_beschikkingen",
    "providers.end_lapsed_assignments",
)


class Command(BaseCommand):
    help = "Voert de nachtelijke taken nu uit (beschikkingen activeren en beëindigen, toewijzingen beëindigen)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--via-broker",
            action="store_true",
            help="Stuur de taken via de broker naar een draaiende Celery-worker en wacht op het resultaat.",
        )
        parser.add_argument("--timeout", type=int, default=120, help="Seconden wachten per taak (met --via-broker).")

    def handle(self, *args, via_broker, timeout, **options):
        autodiscover_modules("tasks")  # every app's tasks registered, without importing them here
        for name in JOBS:
            job = current_app.tasks[name]
            result = job.delay().get(timeout=timeout) if via_broker else job.apply().get()
            self.stdout.write(f"{job.name}: {result}")
