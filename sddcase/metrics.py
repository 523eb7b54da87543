"""Prometheus metrics (prometheus_client): request latency and queries per request per view, Celery
task durations and failures, and at each scrape the iWmo outbox backlog and the open signals per type.
/metrics is not public (METRICS_TOKEN or METRICS_ALLOWED_NETWORKS). With several gunicorn workers the
counters live in PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode) and a scrape of any
worker answers for all of them."""

import hmac
import ipaddress
import os
import time

from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_LATENCY = Histogram(
    "sddcase_request_duration_seconds",
    "Time to answer a request, per view.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUEST_QUERIES = Histogram(
    "sddcase_request_queries",
    "Database queries of one request, per view.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)
TASK_DURATION = Histogram(
    "sddcase_task_duration_seconds",
    "Time a Celery task ran, per task and final state.",
    ["task", "state"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)
TASK_FAILURES = Counter("sddcase_task_failures", "Celery tasks that raised, per task.", ["task"])

# Views that are not measured: the scrape itself and the load balancer's checks.
UNMEASURED_PATHS = ("/metrics", "/health/")


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match._func_path


class RequestMetricsMiddleware:
    """Latency and query count per view (the route's name, never the path: bounded label values)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(UNMEASURED_PATHS):
            return self.get_response(request)
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        view = _view_name(request)
        REQUEST_LATENCY.labels(view, request.method, str(response.status_code)).observe(time.perf_counter() - started)
        REQUEST_QUERIES.labels(view).observe(queries[0])
        return response


_task_started: dict[str, float] = {}


@task_prerun.connect
def _task_prerun(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_DURATION.labels(task.name, state or "UNKNOWN").observe(time.perf_counter() - started)


@task_failure.connect
def _task_failure(sender=None, **kwargs):
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


class BacklogCollector:
    """Gauges computed at the scrape, two cheap grouped counts (both on indexed status columns)."""

    def collect(self):
        from iwmo.models import OutgoingMessage
        from signals.models import OPEN_STATUSES, Signal

        backlog = GaugeMetricFamily(
            "sddcase_iwmo_outbox_backlog", "Outgoing iWmo messages not delivered, per status.", labels=["status"]
        )
        counts = dict(
            OutgoingMessage.objects.exclude(status=OutgoingMessage.Status.DELIVERED)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        for status in (OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.FAILED):
            backlog.add_metric([status], counts.get(status, 0))
        yield backlog

        signals = GaugeMetricFamily("sddcase_signals_open", "Open signals, per type.", labels=["type"])
        rows = (
            Signal.objects.filter(status__in=OPEN_STATUSES)
            .values_list("type")
            .annotate(n=Count("id"))
            .values_list("type", "n")
            .order_by("type")
        )
        for signal_type, n in rows:
            signals.add_metric([signal_type], n)
        yield signals


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    scrape = CollectorRegistry()
    scrape.register(BacklogCollector())
    return generate_latest(registry) + generate_latest(scrape)


@login_not_required
@never_cache
@require_safe
def metrics(request):
    """Not public: without the token or an allowed address the page does not exist (404)."""
    if not _allowed(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
