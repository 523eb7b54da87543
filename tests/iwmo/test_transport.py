"""Transport of the iWmo messages: the iwmo tasks on their own Celery queue, which a worker consumes."""

from pathlib import Path

from django.conf import settings

from sddcase.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_iwmo_tasks_go_to_the_iwmo_queue_and_others_to_the_default():
    router = celery_app.amqp.router
    assert router.route({}, "iwmo.deliver_message")["queue"].name == "delivery"
    assert router.route({}, "iwmo.deliver_queued_messages")["queue"].name == "delivery"
    assert router.route({}, "monitor.refresh")["queue"].name == "monitor"


def test_every_queue_has_a_worker_where_we_start_them():
    """`make worker` consumes every queue; `.ci/run` starts one worker per queue, the queues read
    from CELERY_QUEUES_BY_KIND (so a new queue gets its worker there too)."""
    every = ",".join(settings.CELERY_QUEUES_BY_KIND.values())
    lines = [line for line in (ROOT / "Makefile").read_text().splitlines() if "celery -A sddcase worker" in line]
    assert lines and all(f"-Q {every}" in line for line in lines)
    ci = (ROOT / ".ci/run").read_text()
    (worker,) = [line for line in ci.splitlines() if "celery -A sddcase worker" in line]
    assert '-Q "$queue"' in worker
    assert "for queue in $queues; do" in ci and "settings.CELERY_QUEUES_BY_KIND.values()" in ci
