"""/health/live and /health/ready (sddcase/health.py): 200 when every part answers, 503 naming the part
that does not; no login, no session, no audit event."""

from unittest import mock

import pytest

from audit.models import AuditEvent
from sddcase import health

pytestmark = pytest.mark.django_db


def test_live_answers_without_login_session_or_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_ok_when_database_and_cache_answer(client, settings):
    settings.CELERY_BROKER_URL = ""
    events = AuditEvent.objects.count()
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}
    assert "sessionid" not in response.cookies
    assert AuditEvent.objects.count() == events


def test_ready_names_a_failing_database(client, settings):
    settings.CELERY_BROKER_URL = ""
    with mock.patch.object(health, "check_database", side_effect=RuntimeError("down")):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response.json()["checks"]["database"]["error"] == "RuntimeError"


def test_ready_names_a_cache_that_does_not_keep_values(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    from django.core.cache import caches

    caches._settings = None  # the new CACHES, for this test
    try:
        with mock.patch.object(health, "cache", caches.create_connection("default")):
            response = client.get("/health/ready")
    finally:
        caches._settings = None
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_ready_checks_the_broker_when_one_is_set(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/6"
    with mock.patch.object(health, "check_broker", return_value={"ok": True}) as broker:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert broker.called
    assert "broker" in response.json()["checks"]


def test_ready_names_an_unreachable_broker(client, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_ready_checks_the_replica_and_its_lag_when_configured(client, settings):
    settings.CELERY_BROKER_URL = ""
    databases = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    settings.DATABASES = databases
    with mock.patch.object(health, "replica_lag_seconds", return_value=1.5) as lag:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert lag.called
    assert response.json()["checks"]["replica"]["lag_seconds"] == 1.5

    settings.HEALTH_REPLICA_MAX_LAG_SECONDS = 1
    with mock.patch.object(health, "replica_lag_seconds", return_value=1.5):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["replica"]


def test_ready_names_an_unreachable_replica(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    with mock.patch.object(health, "replica_lag_seconds", side_effect=OSError("no route")):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["replica"]
