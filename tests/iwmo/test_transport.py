"""Transport of the iWmo messages: the iwmo tasks on their own Celery queue, which every worker consumes."""

from pathlib import Path

from sddcase.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_iwmo_tasks_go_to_the_iwmo_queue_and_others_to_the_default():
    router = celery_app.amqp.router
    assert router.route({}, "iwmo.deliver_message")["queue"].name == "iwmo"
    assert router.route({}, "iwmo.deliver_queued_messages")["queue"].name == "iwmo"
    assert router.route({}, "monitor.refresh")["queue"].name == "celery"


def test_every_worker_we_start_consumes_both_queues():
    for path in ("Makefile", ".ci/run"):
        lines = [line for line in (ROOT / path).read_text().splitlines() if "celery -A sddcase worker" in line]
        assert lines and all("-Q celery,iwmo" in line for line in lines), path
