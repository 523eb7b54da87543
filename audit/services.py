from django.db import models

from .models import AuditEvent


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model,
    client_id: int | None = None,
    summary: str = "",
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        client_id=client_id,
        summary=summary[:255],
        changes=changes or {},
        ip_address=ip_address,
    )


def changed_fields(before: dict, after: dict) -> dict:
    """The fields whose value differs, as {field: [before, after]} with JSON-safe values."""
    return {
        field: [_jsonable(before.get(field)), _jsonable(value)]
        for field, value in after.items()
        if before.get(field) != value
    }


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)
