"""The audit trail's retention: events older than AUDIT_RETENTION_DAYS are removed, in batches, by
the nightly task audit.remove_expired_events, which leaves one event of its own with what it removed
(counts per object type, never contents).

The append-only trigger lets a DELETE through only for an event older than the cutoff of the one
RetentionPermit row; that row is written here inside the batch's transaction and deleted again before
it commits, so no other connection ever sees it (PostgreSQL) and SQLite has no other writer meanwhile.
UPDATE and TRUNCATE stay refused, and so does every other DELETE."""

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from . import context
from .models import AuditEvent, RetentionPermit
from .services import _append


def retention_cutoff(*, now: datetime | None = None, days: int | None = None) -> datetime:
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=days)


def remove_expired_events(*, now: datetime | None = None, days: int | None = None, batch: int | None = None) -> dict:
    """Remove the events older than the retention period; returns {"removed": n, "per_object_type": {...},
    "cutoff": iso}. Each batch in its own transaction; one audit event records the run."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    batch = settings.AUDIT_RETENTION_BATCH if batch is None else batch
    if days < 1 or batch < 1:
        raise ValueError("AUDIT_RETENTION_DAYS and AUDIT_RETENTION_BATCH must be at least 1.")
    cutoff = retention_cutoff(now=now, days=days)
    removed: Counter = Counter()
    while True:
        counts = _remove_batch(cutoff, batch)
        if not counts:
            break
        removed.update(counts)
    total = sum(removed.values())
    result = {"removed": total, "per_object_type": dict(sorted(removed.items())), "cutoff": cutoff.isoformat()}
    with transaction.atomic(), context.purpose_of_use(context.AUTOMATED):
        _append(
            actor=None,
            actor_label="bewaartermijn audittrail",
            action=AuditEvent.Action.DELETE,
            object_type=AuditEvent._meta.label_lower,
            object_id="",
            summary=f"bewaartermijn ({days} dagen): {total} gebeurtenissen van vóór {cutoff:%d-%m-%Y} verwijderd",
            changes={**result, "retention_days": days},
        )
    return result


def _remove_batch(cutoff: datetime, batch: int) -> dict[str, int]:
    with transaction.atomic():
        expired = AuditEvent.objects.filter(at__lt=cutoff)
        ids = list(expired.order_by("id").values_list("id", flat=True)[batch - 1 : batch])
        last = ids[0] if ids else expired.order_by("-id").values_list("id", flat=True).first()
        if last is None:
            return {}
        # The first `batch` expired events by id: a range, so no list of ids travels to the database.
        chosen = expired.filter(id__lte=last)
        counts = dict(
            chosen.order_by().values_list("object_type").annotate(n=Count("id")).values_list("object_type", "n")
        )
        RetentionPermit.objects.create(cutoff=cutoff)
        # A plain queryset: the model's own queryset refuses delete() (see models.AuditEventQuerySet).
        models.QuerySet(AuditEvent).filter(at__lt=cutoff, id__lte=last)._raw_delete(AuditEvent.objects.db)
        RetentionPermit.objects.filter(pk=1).delete()
        return counts
