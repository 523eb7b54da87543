"""/metrics (sddcase/metrics.py): protected, and it exposes request, task, outbox and signal metrics."""

import pytest
from celery import shared_task

from iwmo.models import OutgoingMessage
from sddcase import metrics
from signals.models import OPEN_STATUSES, Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = "scrape-secret"
    settings.METRICS_ALLOWED_NETWORKS = []
    return "scrape-secret"


def scrape(client, token):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_metrics_are_not_public(client, token):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_without_a_token_setting_refuse_every_bearer(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_from_an_allowed_network(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert client.get("/metrics").status_code == 200
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404


def test_request_latency_and_queries_per_view(client, token):
    client.get("/inloggen/")
    text = scrape(client, token)
    assert 'sddcase_request_duration_seconds_count{method="GET",status="200",view="login"}' in text
    assert 'sddcase_request_queries_count{view="login"}' in text


def test_outbox_backlog_and_open_signals_at_scrape(client, token, django_assert_max_num_queries):
    text = scrape(client, token)
    queued = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED).count()
    assert f'sddcase_iwmo_outbox_backlog{{status="wachtrij"}} {float(queued)}' in text
    for signal_type in Signal.objects.filter(status__in=OPEN_STATUSES).values_list("type", flat=True).distinct():
        assert f'sddcase_signals_open{{type="{signal_type}"}}' in text
    with django_assert_max_num_queries(2):
        list(metrics.BacklogCollector().collect())


def test_open_signals_counted_per_type(token, client):
    from tests.factories import SignalFactory

    SignalFactory()
    signal = Signal.objects.get()
    text = scrape(client, token)
    assert f'sddcase_signals_open{{type="{signal.type}"}} 1.0' in text


@shared_task(name="tests.metrics_probe")
def probe(fail: bool):
    if fail:
        raise ValueError("probe")
    return "ok"


def test_task_durations_and_failures(client, token):
    probe.apply(args=(False,))
    probe.apply(args=(True,), throw=False)
    text = scrape(client, token)
    assert 'sddcase_task_duration_seconds_count{state="SUCCESS",task="tests.metrics_probe"}' in text
    assert 'sddcase_task_failures_total{task="tests.metrics_probe"}' in text
