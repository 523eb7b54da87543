from django.contrib.auth import get_user_model
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
    """Append one audit event; call it inside the transaction of the change it records. The actor is
    a staff user, or another principal (a provider's API client) recorded by its label."""
    is_user = isinstance(actor, get_user_model()) and actor.is_authenticated
    is_other_principal = not is_user and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=str(actor)[:120] if is_other_principal else "",
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


def record_request(request, *, action: str, object_type: str, object_id: str = "", client_id: int | None = None,
                   summary: str = "") -> AuditEvent:
    """Record one API call (who, what, from where) when there is no single object to name."""
    actor = request.user
    is_user = isinstance(actor, get_user_model()) and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label="" if is_user or not getattr(actor, "is_authenticated", False) else str(actor)[:120],
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        client_id=client_id,
        summary=summary[:255],
        ip_address=client_ip(request),
    )
