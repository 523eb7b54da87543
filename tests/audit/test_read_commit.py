"""A read's audit event may commit without waiting for the WAL flush (AUDIT_READS_ASYNCHRONOUS_COMMIT):
only a read, only as its own transaction, only on PostgreSQL; the event is written either way."""

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.services import record_event

pytestmark = pytest.mark.django_db(transaction=True)

ASYNCHRONOUS = "SET LOCAL synchronous_commit TO OFF"


def _statements(action, *, atomic=False):
    """The statements run while recording one event of `action` about a fresh user."""
    from tests.factories import UserFactory

    user = UserFactory()
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        if atomic:
            with transaction.atomic():
                record_event(actor=user, action=action, obj=user, summary="test")
        else:
            record_event(actor=user, action=action, obj=user, summary="test")
    assert AuditEvent.objects.filter(object_id=str(user.pk), action=action).count() == 1
    return seen


def test_off_by_default_a_read_waits_for_the_flush(settings):
    settings.AUDIT_READS_ASYNCHRONOUS_COMMIT = False
    assert ASYNCHRONOUS not in _statements(AuditEvent.Action.READ)


def test_when_asked_a_read_of_its_own_commits_asynchronously_on_postgresql(settings):
    settings.AUDIT_READS_ASYNCHRONOUS_COMMIT = True
    statements = _statements(AuditEvent.Action.READ)
    assert (ASYNCHRONOUS in statements) is (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":  # set for that transaction only, before the event's INSERT
        assert statements.index(ASYNCHRONOUS) < next(i for i, s in enumerate(statements) if s.startswith("INSERT"))
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


def test_a_change_and_a_read_inside_a_transaction_always_wait(settings):
    settings.AUDIT_READS_ASYNCHRONOUS_COMMIT = True
    assert ASYNCHRONOUS not in _statements(AuditEvent.Action.UPDATE)
    assert ASYNCHRONOUS not in _statements(AuditEvent.Action.READ, atomic=True)
