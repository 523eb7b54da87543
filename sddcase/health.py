"""Health checks for load balancers: /health/live (the process answers; touches nothing) and
/health/ready (the database, the replica and its lag, the cache, the broker). JSON, 200 or 503 with
the failing part named; no login, no session, no audit event, no rate limit, cheap."""

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sddcase.replica import replica_lag_seconds

logger = logging.getLogger(__name__)


def check_database(alias: str = "default") -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_replica() -> dict:
    lag = replica_lag_seconds()
    limit = float(settings.HEALTH_REPLICA_MAX_LAG_SECONDS)
    if lag is not None and lag > limit:
        return {"ok": False, "lag_seconds": round(lag, 3), "error": f"lag above {limit:g} s"}
    return {"ok": True, "lag_seconds": None if lag is None else round(lag, 3)}


def check_cache() -> dict:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        return {"ok": False, "error": "value written was not read back"}
    return {"ok": True}


def check_broker() -> dict:
    from sddcase.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=1, timeout=settings.HEALTH_BROKER_TIMEOUT_SECONDS)
    return {"ok": True}


def readiness_checks() -> dict:
    """The parts /health/ready checks: the replica only when configured, the broker only when set."""
    parts = {"database": check_database}
    if "replica" in settings.DATABASES:
        parts["replica"] = check_replica
    parts["cache"] = check_cache
    if settings.CELERY_BROKER_URL:
        parts["broker"] = check_broker
    return parts


def run_checks() -> tuple[bool, dict]:
    results = {}
    for name, check in readiness_checks().items():
        started = time.monotonic()
        try:
            result = check()
        except Exception as error:  # any failure of a dependency is a 503, never a 500
            logger.warning("health: %s is not ready: %s", name, error)
            result = {"ok": False, "error": error.__class__.__name__}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return all(result["ok"] for result in results.values()), results


@login_not_required
@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def ready(request):
    ok, checks = run_checks()
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=200 if ok else 503)
