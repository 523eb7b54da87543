"""Audit events as the tests need them: one dated in the past (a raw INSERT: `at` is set on save)."""

import uuid
from datetime import datetime

from django.db import connection

from audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def old_event(at: datetime, *, object_type: str = "indications.client", summary: str = "oud") -> AuditEvent:
    key = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (uuid, at, actor_label, action, object_type, object_id, summary, changes) "
            "VALUES (%s, %s, '', 'read', %s, '1', %s, '{}')",
            [key.hex if connection.vendor == "sqlite" else str(key), at, object_type, summary],
        )
    return AuditEvent.objects.get(uuid=key)


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
