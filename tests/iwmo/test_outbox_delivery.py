"""Delivery of the outbox (iwmo.delivery, iwmo.tasks): enqueued when the transaction commits, to a
folder or by HTTP POST, exactly once per BerichtIdentificatie, retried with backoff, swept by beat."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from audit.models import AuditEvent
from iwmo import delivery, tasks
from iwmo.models import OutgoingMessage
from iwmo.toewijzing import queue_toewijzing
from providers.hooks import assignments_changed
from sddcase.settings import CELERY_BEAT_SCHEDULE
from tests.factories import TODAY, IncomingMessageFactory, OutgoingMessageFactory, issued_assignment

pytestmark = pytest.mark.django_db


def export_dir() -> Path:
    return Path(django_settings.IWMO["EXPORT_DIR"])


def test_iwmo_registers_its_hook_at_start_up():
    assert queue_toewijzing in assignments_changed.callbacks


def test_the_message_is_delivered_on_commit(provider, consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.all()
    assert message.status == OutgoingMessage.Status.QUEUED and not export_dir().exists()
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()  # the commit: the eager task delivers
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.DELIVERED and message.attempts == 1
    (file,) = export_dir().iterdir()
    assert file.name == message.file_name and file.read_text(encoding="utf-8") == message.xml
    # NEN 7513: the delivery is a transfer (verstrekken, T) of this client's data, with the BSN.
    transfer = AuditEvent.objects.get(object_type="iwmo.outgoingmessage", action=AuditEvent.Action.TRANSFER)
    assert transfer.nen_action == "T" and transfer.outcome == "success"
    assert transfer.bsn == message.client.bsn and transfer.object_id == str(message.pk)
    assert transfer.summary == f"WMO301 {message.identification} aan {message.receiver} afgeleverd"


def test_a_rolled_back_change_sends_nothing(provider, consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            from django.db import transaction

            with transaction.atomic():
                issued_assignment(provider, consultant, today=TODAY)
                raise RuntimeError("rollback")
    assert callbacks == [] and not OutgoingMessage.objects.exists() and not export_dir().exists()


def test_a_second_delivery_of_a_delivered_message_does_nothing(provider, consultant):
    issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.all()
    assert delivery.deliver_message(message.pk).status == "afgeleverd"
    events = AuditEvent.objects.count()
    file = export_dir() / message.file_name
    written = file.stat().st_mtime_ns
    assert delivery.deliver_message(message.pk).status == "overgeslagen"
    assert tasks.deliver_message.delay(message.pk).get() == "overgeslagen"
    assert delivery.deliver_queued_messages() == {}
    message.refresh_from_db()
    assert message.attempts == 1 and AuditEvent.objects.count() == events
    assert file.stat().st_mtime_ns == written and len(list(export_dir().iterdir())) == 1


def test_a_worker_that_died_after_writing_the_file_delivers_the_same_file_again(provider, consultant):
    """The attempt wrote the file and died before committing: the message is still queued; the next
    attempt lands in the same file (its name is the message's identity) and marks it delivered."""
    issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.all()
    export_dir().mkdir(parents=True)
    (export_dir() / message.file_name).write_text(message.xml, encoding="utf-8")
    assert delivery.deliver_queued_messages() == {"afgeleverd": 1}
    assert [path.name for path in export_dir().iterdir()] == [message.file_name]


def test_a_failed_delivery_is_retried_with_backoff_and_then_marked_failed(provider, consultant, settings):
    settings.IWMO = {**settings.IWMO, "OUTBOX_URL": "http://127.0.0.1:9/niet-bereikbaar", "DELIVERY_MAX_ATTEMPTS": 3}
    issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.all()
    now = timezone.now()
    assert delivery.deliver_message(message.pk, now=now) == delivery.Outcome("opnieuw", retry_in=60)
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at, message.status) == (1, now + timedelta(seconds=60), "wachtrij")
    assert message.last_error
    assert delivery.deliver_queued_messages(now=now + timedelta(seconds=59)) == {}  # not due yet
    assert delivery.deliver_queued_messages(now=now + timedelta(seconds=60)) == {"opnieuw": 1}
    message.refresh_from_db()
    assert message.next_attempt_at == now + timedelta(seconds=60 + 120)  # the backoff doubles
    assert delivery.deliver_queued_messages(now=now + timedelta(seconds=180)) == {"mislukt": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutgoingMessage.Status.FAILED, 3)


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["X-Iwmo-Berichtidentificatie"], self.headers["Content-Type"], body))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_an_outbox_url_the_message_is_posted_once(provider, consultant, settings):
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.IWMO = {**settings.IWMO, "OUTBOX_URL": f"http://127.0.0.1:{server.server_port}/iwmo"}
        issued_assignment(provider, consultant, today=TODAY)
        (message,) = OutgoingMessage.objects.all()
        assert delivery.deliver_queued_messages() == {"afgeleverd": 1}
        assert delivery.deliver_queued_messages() == {}
    finally:
        server.shutdown()
        server.server_close()
    (identification, content_type, body) = _Receiver.received[0]
    assert len(_Receiver.received) == 1
    assert identification == f"{message.identification}/{TODAY:%Y-%m-%d}"
    assert content_type.startswith("application/xml") and body == message.xml.encode()
    message.refresh_from_db()
    assert message.delivered_to.endswith("/iwmo") and not export_dir().exists()


def test_the_beat_sweeps_the_outbox():
    entry = CELERY_BEAT_SCHEDULE["deliver-queued-iwmo-messages"]
    assert entry["task"] == tasks.deliver_queued_messages.name == "iwmo.deliver_queued_messages"


def test_the_factories_rows_are_valid_and_delivered_ones_are_skipped():
    queued, delivered = OutgoingMessageFactory(), OutgoingMessageFactory(afgeleverd=True)
    incoming = IncomingMessageFactory()
    for row in (queued, delivered, incoming):
        row.full_clean()
    assert delivery.deliver_message(delivered.pk).status == "overgeslagen"
    assert delivery.deliver_message(queued.pk).status == "afgeleverd"
    assert (export_dir() / queued.file_name).exists()
