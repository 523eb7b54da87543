"""Transport of the iWmo messages: the iwmo tasks on their own Celery queue, which every worker consumes."""

from pathlib import Path

from django.conf import settings

from sddcase.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_iwmo_tasks_go_to_the_iwmo_queue_and_others_to_the_default():
    router = celery_app.amqp.router
    assert router.route({}, "iwmo.deliver_message")["queue"].name == "delivery"
    assert router.route({}, "iwmo.deliver_queued_messages")["queue"].name == "delivery"
    assert router.route({}, "monitor.refresh")["queue"].name == "monitor"


def test_every_worker_we_start_consumes_every_queue():
    for path in ("Makefile", ".ci/run"):
        lines = [line for line in (ROOT / path).read_text().splitlines() if "celery -A sddcase worker" in line]
        every = ",".join(settings.CELERY_QUEUES_BY_KIND.values())
        assert lines and all(f"-Q {every}" in line for line in lines), path
