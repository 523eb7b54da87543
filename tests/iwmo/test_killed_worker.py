"""The outbox loses nothing and delivers nothing twice when a real worker is killed mid-delivery
(issue 16: "Prove it with a test that kills a real worker process during delivery (PostgreSQL +
Redis in CI) and shows every message delivered once").

A real `celery worker -Q <every queue>` runs on the test database; the WMO301s of twelve toewijzingen
go through the broker to an HTTP receiver that answers the first four and leaves the next three
hanging, so that each of the worker's three pool processes is mid-delivery (inside its transaction,
holding the message's row lock, the POST sent). The worker is SIGKILLed; a new one starts, takes the
tasks still in the queue, and the beat's sweep (sent through the broker, as beat does) takes the
three whose tasks died with the first worker. At the receiving end every BerichtIdentificatie is
answered exactly once (TR056: the identity by which a repeat is recognised; the three hanging calls
were never answered, so their message was sent again, to the same place with the same identity).

The same with a running worker: an upload sent twice and a folder imported twice change nothing
twice, and each retour is delivered once.

Collected only on PostgreSQL with a broker (tests/iwmo/conftest.py)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.roles import CONSULENT
from audit.models import AuditEvent
from iwmo import tasks
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.services import issue_api_token
from tests.factories import TODAY, contracted_provider, issued_assignment, staff_member
from tests.iwmo.messages import start_message, stop_message
from tests.iwmo.worker_harness import Receiver, Worker, purge_queues, wait_for, worker_environment
from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 12
ANSWERED_FIRST = 4
STALLED = {5, 6, 7}  # the calls that hang: one per pool process of the first worker


@pytest.fixture
def tasks_in_process():
    """Not in process here (overrides tests/iwmo/conftest.py): the tasks go through the broker."""
    yield


@pytest.fixture
def reference_data():
    """A transactional test may run after one that flushed the database (a browser test)."""
    seed_reference_data()


def delivered() -> int:
    return OutgoingMessage.objects.filter(status=OutgoingMessage.Status.DELIVERED).count()


def identity(message: OutgoingMessage) -> str:
    return f"{message.identification}/{message.dagtekening:%Y-%m-%d}"


def test_a_worker_killed_mid_delivery_loses_nothing_and_delivers_each_message_once(reference_data, tmp_path):
    """TR056 (BerichtIdentificatie unique; a repeat recognised by it), OP: the outbox delivers exactly
    once, also when the worker dies between sending a message and committing that it was sent."""
    purge_queues()
    log = tmp_path / "worker.log"
    consultant = staff_member(CONSULENT, username="consulent-worker")
    provider = contracted_provider(name="Aanbieder Doorzetter")
    with Receiver(stall=STALLED) as receiver:
        env = worker_environment(receiver.url)
        first = Worker(env, log)
        try:
            for _ in range(MESSAGES):
                issued_assignment(provider, consultant, today=TODAY)  # commits: its WMO301 task is sent
            assert OutgoingMessage.objects.filter(message_type="WMO301").count() == MESSAGES
            wait_for(lambda: receiver.stalled_count() == len(STALLED), seconds=120, what="three hanging calls", log=log)
        finally:
            first.kill()
        # The killed attempts rolled back: their messages are queued still, with no attempt counted.
        assert delivered() == ANSWERED_FIRST
        hanging = OutgoingMessage.objects.filter(identification__in=[key.split("/")[0] for key in receiver.stalled])
        assert hanging.count() == len(STALLED)
        assert all(m.status == OutgoingMessage.Status.QUEUED and m.attempts == 0 for m in hanging)
        receiver.released.set()

        second = Worker(env, log)
        try:
            tasks.deliver_queued_messages.delay()  # the beat's sweep, through the broker
            wait_for(lambda: delivered() == MESSAGES, seconds=180, what="every message delivered", log=log)
            # Replays while the worker runs: every message's task again, and the sweep again.
            for pk in OutgoingMessage.objects.values_list("pk", flat=True):
                tasks.deliver_message.delay(pk)
            replay = tasks.deliver_queued_messages.delay()
            wait_for(lambda: replay.ready(), seconds=120, what="the replayed sweep", log=log)
            assert replay.get() == {}  # nothing left to deliver
        finally:
            second.stop()

    messages = list(OutgoingMessage.objects.all())
    assert {identity(m) for m in messages} == set(receiver.answered)
    assert all(count == 1 for count in receiver.answered.values()), dict(receiver.answered)
    assert sum(receiver.stalled.values()) == len(STALLED)
    assert all(m.status == OutgoingMessage.Status.DELIVERED and m.attempts == 1 for m in messages)
    assert all(m.delivered_to == receiver.url for m in messages)
    afgeleverd = (
        AuditEvent.objects.filter(object_type="iwmo.outgoingmessage", summary__endswith=" afgeleverd")
        .values("object_id")
        .annotate(n=Count("id"))
    )
    assert len(afgeleverd) == MESSAGES and all(row["n"] == 1 for row in afgeleverd)


def test_a_duplicate_upload_and_a_replayed_import_with_a_running_worker_change_nothing_twice(
    reference_data, tmp_path, client
):
    """TR056: the same message again (the same BerichtIdentificatie, the same bytes) is that message
    again: one IncomingMessage, one retour (WMO306, WMO308), each delivered once by the worker."""
    purge_queues()
    log = tmp_path / "worker.log"
    today = timezone.localdate()  # the endpoint reads the clock
    consultant = staff_member(CONSULENT, username="consulent-replay")
    provider = contracted_provider(name="Aanbieder Herhaler")
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    with Receiver(stall=set()) as receiver:
        worker = Worker(worker_environment(receiver.url), log, concurrency=2)
        try:
            assignment = issued_assignment(provider, consultant, today=today)
            start = start_message(assignment, begindatum=assignment.start_date, dagtekening=today)
            answers = [
                client.post("/iwmo/berichten/", data=start, content_type="application/xml",
                            HTTP_AUTHORIZATION=f"Bearer {key}").json()
                for _ in range(2)
            ]  # fmt: skip
            assert answers[0] == answers[1] and answers[0]["status"] == "geaccepteerd"
            folder = tmp_path / "in"
            folder.mkdir()
            (folder / "stop.xml").write_bytes(
                stop_message(
                    assignment,
                    begindatum=assignment.start_date,
                    einddatum=today - timedelta(days=2),
                    dagtekening=today,
                    reden="23",
                )
            )
            for _ in range(2):
                call_command("iwmo_import", str(folder), stdout=StringIO())
            outgoing = OutgoingMessage.objects.count()
            wait_for(lambda: delivered() == outgoing, seconds=120, what="every retour delivered", log=log)
        finally:
            worker.stop()

    assert IncomingMessage.objects.count() == 2
    kinds = list(OutgoingMessage.objects.values_list("message_type", flat=True))
    assert kinds.count("WMO306") == 1 and kinds.count("WMO308") == 1 and "WMO301" in kinds
    assert {identity(m) for m in OutgoingMessage.objects.all()} == set(receiver.answered)
    assert all(count == 1 for count in receiver.answered.values()), dict(receiver.answered)
    assignment.refresh_from_db()
    assert assignment.care_stopped_on == today - timedelta(days=2)
