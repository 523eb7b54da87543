import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")

app = Celery("sddcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The tasks' durations and failures for Prometheus (the signal handlers connect on import).
import sddcase.metrics  # noqa: E402,F401


@app.on_after_finalize.connect
def schedule_signal_checks(sender, **kwargs):
    """One beat entry per check in the registry (signals.checks.CHECKS), so the list of checks is
    written once. Imported here, after finalize: the tasks need the Django apps, which are loaded
    by then (the settings, read earlier, cannot import them)."""
    from signals.tasks import beat_schedule

    sender.conf.beat_schedule = {**sender.conf.beat_schedule, **beat_schedule()}
