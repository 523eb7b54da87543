"""Retention: events older than AUDIT_RETENTION_DAYS are removed in batches by a nightly task that
records one event with the counts per object type; every other DELETE, and every UPDATE, is still
refused by the database on both engines."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.models import AuditEvent, RetentionPermit
from audit.retention import remove_expired_events
from audit.tasks import remove_expired_events as remove_task
from sddcase.celery import app as celery_app
from tests.audit.helpers import TABLE, old_event, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    expired = [
        old_event(now - timedelta(days=40), object_type="indications.client"),
        old_event(now - timedelta(days=35), object_type="indications.client"),
        old_event(now - timedelta(days=31), object_type="providers.assignment"),
    ]
    kept = old_event(now - timedelta(days=29), object_type="indications.client")
    return expired, kept


def test_the_nightly_removal_deletes_only_expired_events_and_records_counts(trail):
    expired, kept = trail
    result = remove_expired_events(batch=2)
    assert result["removed"] == 3
    assert result["per_object_type"] == {"indications.client": 2, "providers.assignment": 1}
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in expired]).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    record = AuditEvent.objects.get(action="delete", object_type="audit.auditevent")
    assert record.changes["per_object_type"] == {"indications.client": 2, "providers.assignment": 1}
    assert record.changes["removed"] == 3 and record.changes["retention_days"] == 30
    assert (record.nen_action, record.purpose) == ("D", "geautomatiseerde verwerking")
    assert "oud" not in str(record.changes)  # counts, never contents
    assert not RetentionPermit.objects.exists()


def test_a_second_run_removes_nothing(trail):
    remove_expired_events()
    assert remove_expired_events()["removed"] == 0


def test_the_task_is_in_the_beat_schedule_and_runs(trail, eager, settings):
    assert any(entry["task"] == "audit.remove_expired_events" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    assert "audit.remove_expired_events" in celery_app.tasks
    assert remove_task.delay().get()["removed"] == 3


def test_the_default_retention_is_five_years():
    from django.conf import settings

    assert settings.AUDIT_RETENTION_DAYS == 1827


def test_an_ordinary_delete_is_still_refused(trail):
    expired, kept = trail
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [expired[0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=kept.pk).delete()
    assert AuditEvent.objects.count() == 4


def test_the_permit_lets_through_only_deletes_of_events_before_its_cutoff(trail):
    expired, kept = trail
    with transaction.atomic():
        RetentionPermit.objects.create(cutoff=timezone.now() - timedelta(days=36))
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(f"DELETE FROM {TABLE} WHERE id = %s", [expired[1].pk])  # 35 days old: after the cutoff
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["anders", expired[0].pk])
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [expired[0].pk])  # 40 days old: before it
        RetentionPermit.objects.all().delete()
    assert not AuditEvent.objects.filter(pk=expired[0].pk).exists()
    assert AuditEvent.objects.get(pk=expired[1].pk).summary == "oud"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [expired[2].pk])  # no permit: refused again
