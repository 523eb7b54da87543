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


def client_ip(request) -> str | None:
    """The caller's address as the server saw it (behind a proxy, configure it to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def record_read(request, obj: models.Model, *, client_id: int | None, summary: str) -> AuditEvent:
    """Record that the requesting user (or API client) read obj: one call in a view or API view."""
    return record_event(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=obj,
        client_id=client_id,
        summary=summary,
        ip_address=client_ip(request),
    )
