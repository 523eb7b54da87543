"""The signal checks are listed once, in signals.checks.CHECKS: the engine, the management
command, the Celery tasks and the beat schedule all derive from it."""

from datetime import timedelta
from io import StringIO

import pytest
from celery.schedules import crontab
from django.core.management import call_command

from indications.models import Aanvraag
from sddcase.celery import app as celery_app
from signals import checks, tasks
from signals.checks import CHECKS, CHECKS_BY_NAME, Check, beschikking_deadline
from signals.models import CheckRun, Signal, SignalType
from signals.services import run_all_checks
from tests.factories import TODAY, AanvraagFactory

pytestmark = pytest.mark.django_db

EXTRA = Check("termijn_beschikking_kopie", SignalType.BESCHIKKING_DEADLINE, beschikking_deadline)


@pytest.fixture
def extra_check():
    """A check added to the registry as a new one would be: in CHECKS, then its task registered
    the way signals.tasks registers every check's task at import."""
    CHECKS.append(EXTRA)
    CHECKS_BY_NAME[EXTRA.name] = EXTRA
    tasks.register_tasks()
    yield EXTRA
    CHECKS.remove(EXTRA)
    del CHECKS_BY_NAME[EXTRA.name]
    del tasks.CHECK_TASKS[EXTRA.name]
    celery_app.tasks.unregister(tasks.task_name(EXTRA))


def test_the_celery_app_schedules_every_check_of_the_registry_in_order():
    celery_app.finalize(auto=True)
    schedule = celery_app.conf.beat_schedule
    entries = [entry for key, entry in schedule.items() if key.startswith("signals-")]
    assert [entry["task"] for entry in entries] == [f"signals.check.{check.name}" for check in CHECKS]
    # Nightly from 02:00, five minutes apart, all before the monitor's refresh at 03:30.
    assert entries[0]["schedule"] == crontab(hour=2, minute=0)
    assert entries[-1]["schedule"] == crontab(hour=2 + 5 * (len(CHECKS) - 1) // 60, minute=5 * (len(CHECKS) - 1) % 60)
    assert "refresh-monitor" in schedule


def test_the_settings_no_longer_list_the_checks(settings):
    assert not any(entry["task"].startswith("signals.check.") for entry in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_schedule_follows_the_registry_past_the_hour(settings):
    many = [Check(f"controle_{n}", SignalType.BESCHIKKING_DEADLINE, beschikking_deadline) for n in range(14)]
    schedule = tasks.beat_schedule(many)
    assert list(schedule) == [f"signals-controle_{n}" for n in range(14)]
    assert schedule["signals-controle_13"]["schedule"] == crontab(hour=3, minute=5)
    settings.SIGNAL_BEAT_EVERY_SECONDS = 5
    assert {entry["schedule"] for entry in tasks.beat_schedule(many).values()} == {5}


def test_a_check_added_to_the_registry_is_run_by_the_engine_the_command_and_its_task(extra_check, eager, consultant):
    AanvraagFactory(consultant=consultant, received_on=TODAY - timedelta(days=10))
    assert Aanvraag.objects.count() == 1
    # The engine.
    names = [outcome.check for outcome in run_all_checks(today=TODAY)]
    assert names == [check.name for check in CHECKS] and names[-1] == extra_check.name
    assert Signal.objects.filter(type=SignalType.BESCHIKKING_DEADLINE).count() == 1  # the same conditions
    # The management command.
    CheckRun.objects.all().delete()
    call_command("run_signal_checks", extra_check.name, "--datum", TODAY.isoformat(), stdout=StringIO())
    assert list(CheckRun.objects.values_list("check_name", flat=True)) == [extra_check.name]
    # Its Celery task, by name, and its beat entry.
    assert tasks.CHECK_TASKS[extra_check.name].name == f"signals.check.{extra_check.name}"
    outcome = celery_app.tasks[f"signals.check.{extra_check.name}"].delay(force=True).get()
    assert outcome["check"] == extra_check.name
    assert tasks.beat_schedule()[f"signals-{extra_check.name}"]["task"] == f"signals.check.{extra_check.name}"
    assert checks.CHECKS_BY_NAME[extra_check.name] is extra_check
