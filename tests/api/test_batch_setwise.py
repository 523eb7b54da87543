"""POST /api/v1/berichten/ handled set-wise (issue 20): the batch's queries do not grow with its
messages (on PostgreSQL), and the answers, the stored message ids, the audit
events, the WMO301s and the signal recheck are what the messages sent one by one give."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from indications import hooks
from iwmo.models import OutgoingMessage
from providers import services
from providers.models import Assignment, CareEvent
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "batch_bench.py"
# The queries each message adds to a batch (the rest is the batch's fixed part): none for a start
# (the toewijzingen's UPDATEs are one per kind of report, providers.services.deferring_reports); a
# stop on SQLite its WMO301's INSERT and UPDATE (PostgreSQL reserves the outbox ids, so the batch's
# 301s are one INSERT there).
PER_START = {"sqlite": 0, "postgresql": 0}
PER_STOP = {"sqlite": 2, "postgresql": 0}
# The batch's fixed part: the request (key, throttle, its audit event), the toewijzingen (locked)
# and their results, the earlier answers, their UPDATE, the stored answers' and the audit events'
# INSERTs, the WMO301s' reads, the signal recheck of the batch's clients.
MAX_FIXED = 60
# Not per message, but not the same in every batch either: SQLite takes at most 999 parameters per
# statement, so Django splits a bulk INSERT of wide rows (a 301, an audit event) in chunks (50
# messages may cost an INSERT or two more than 5); PostgreSQL reserves the outbox ids 100 at a time,
# so one batch of stops has the query that reserves them and the next may not.
SLACK = {"sqlite": 2, "postgresql": 1}


def load_bench():
    spec = importlib.util.spec_from_file_location("batch_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def api_for(provider) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.issue_api_token(provider, name='t', by=None)[1]}")
    return client


def post(api, items):
    cache.clear()  # the key's throttle
    response = api.post("/api/v1/berichten/", {"berichten": items}, format="json")
    assert response.status_code == 200
    return response.json()["resultaten"]


def counted(api, items) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        results = post(api, items)
    return len(queries), results


def test_the_queries_do_not_grow_with_the_messages(bench):
    today = timezone.localdate()
    provider, assignments = bench.setup(110, today)
    api = api_for(provider)
    post(api, [bench.start_item(assignments[-1], "warm")])  # the key's first use writes its last_used_at
    small, large = assignments[:5], assignments[5:55]
    starts_small, results = counted(api, [bench.start_item(a, "q") for a in small])
    assert {r["httpStatus"] for r in results} == {200}
    starts_large, results = counted(api, [bench.start_item(a, "q") for a in large])
    assert {r["httpStatus"] for r in results} == {200} and len(results) == 50
    assert starts_small <= MAX_FIXED + 5 * PER_START[connection.vendor]
    extra = starts_large - starts_small - 45 * PER_START[connection.vendor]
    assert abs(extra) <= SLACK[connection.vendor]

    stops_small, results = counted(api, [bench.stop_item(a, "q", today) for a in small])
    assert {r["httpStatus"] for r in results} == {200}
    stops_large, results = counted(api, [bench.stop_item(a, "q", today) for a in large])
    assert {r["httpStatus"] for r in results} == {200}
    assert stops_small <= MAX_FIXED + 5 * PER_STOP[connection.vendor]
    extra = stops_large - stops_small - 45 * PER_STOP[connection.vendor]
    assert abs(extra) <= SLACK[connection.vendor]
    # Every stop has its WMO301, every message its stored answer and its audit event.
    assert OutgoingMessage.objects.filter(provider=provider).count() == 55
    assert CareEvent.objects.filter(provider=provider).count() == 111
    stopped = Assignment.objects.filter(provider=provider, care_stopped_on=today - timedelta(days=1))
    assert stopped.count() == 55


def test_the_bench_runs_and_prints_its_figures(bench):
    lines = []
    figures = bench.run([2, 3], ["start", "stop"], out=lines.append)
    assert [(figure["kind"], figure["count"]) for figure in figures] == [
        ("start", 2),
        ("stop", 2),
        ("start", 3),
        ("stop", 3),
    ]
    assert all(figure["statuses"] == {200: figure["count"]} for figure in figures)
    assert any("queries per message" in line for line in lines)


# -- the same answers as one by one ---------------------------------------------------------------


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder Batch")


@pytest.fixture
def api(provider):
    return api_for(provider)


@pytest.fixture
def assignment(provider, consultant):
    return issued_assignment(provider, consultant, today=timezone.localdate())


def start(assignment, message_id, days=0):
    return {
        "soort": "start",
        "toewijzingnummer": assignment.number,
        "berichtId": message_id,
        "startdatum": str(assignment.start_date + timedelta(days=days)),
    }


def stop(assignment, message_id):
    return {
        "soort": "stop",
        "toewijzingnummer": assignment.number,
        "berichtId": message_id,
        "einddatum": str(assignment.start_date + timedelta(days=3)),
        "redenBeeindiging": "19",
    }


def withdraw(kind, assignment, message_id):
    return {"soort": f"{kind}_ingetrokken", "toewijzingnummer": assignment.number, "berichtId": message_id}


def code(body) -> str | None:
    """The refusal's code (the field error's when there is one); none for an accepted message."""
    errors = body.get("fouten") or []
    return errors[0]["code"] if errors else body.get("code")


def answers(results):
    return [(r["berichtId"], r["httpStatus"], code(r["antwoord"])) for r in results]


def test_later_messages_see_what_earlier_ones_of_the_batch_did(api, assignment):
    results = post(
        api,
        [
            start(assignment, "s1"),
            start(assignment, "s2", days=1),  # already started by s1
            stop(assignment, "e1"),
            withdraw("start", assignment, "w1"),  # refused: the stop rests on the start
            withdraw("stop", assignment, "w2"),
            withdraw("start", assignment, "w3"),
            start(assignment, "s3", days=2),
            start(assignment, "s1"),  # a retry of s1: its first answer
            start(assignment, "s1", days=1),  # another message under s1's id
        ],
    )
    assert answers(results) == [
        ("s1", 200, None),
        ("s2", 400, "already_started"),
        ("e1", 200, None),
        ("w1", 400, "stop_reported"),
        ("w2", 200, None),
        ("w3", 200, None),
        ("s3", 200, None),
        ("s1", 200, None),
        ("s1", 409, "bericht_id_conflict"),
    ]
    assert results[7]["antwoord"] == results[0]["antwoord"]
    assert results[0]["antwoord"]["zorgGestartOp"] == str(assignment.start_date)
    assert results[2]["antwoord"]["zorgGestoptOp"] == str(assignment.start_date + timedelta(days=3))
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date + timedelta(days=2)
    assert assignment.care_stopped_on is None and assignment.status == Assignment.Status.ACTIVE
    # The processed messages (2xx and 400) are stored once each, the 409 is not.
    stored = dict(CareEvent.objects.values_list("message_id", "response_status"))
    assert stored == {"s1": 200, "s2": 400, "e1": 200, "w1": 400, "w2": 200, "w3": 200, "s3": 200}
    # Every change is audited as the single endpoint audits it; the refused ones are not.
    summaries = list(
        AuditEvent.objects.filter(object_type="providers.assignment", object_id=str(assignment.pk))
        .filter(summary__contains="zorg")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "start zorg",
        "stop zorg (19)",
        "stop zorg ingetrokken",
        "start zorg ingetrokken",
        "start zorg",
    ]


def test_a_batchs_audit_event_holds_what_the_single_endpoints_holds(api, provider, consultant, assignment):
    single = issued_assignment(provider, consultant, today=timezone.localdate())
    cache.clear()
    body = {"berichtId": "one", "startdatum": str(single.start_date)}
    assert api.post(f"/api/v1/toewijzingen/{single.number}/start/", body, format="json").status_code == 200
    post(api, [start(assignment, "many")])
    fields = [
        "actor_id",
        "actor_label",
        "action",
        "nen_action",
        "outcome",
        "actor_role",
        "purpose",
        "system_id",
        "ip_address",
        "summary",
    ]

    def event(of):
        return AuditEvent.objects.filter(object_type="providers.assignment", object_id=str(of.pk)).latest("pk")

    alone, batched = event(single), event(assignment)
    assert batched.client_id == assignment.indication.client_id
    assert batched.bsn == assignment.indication.client.bsn
    assert alone.bsn == single.indication.client.bsn
    for name in fields:
        assert getattr(batched, name) == getattr(alone, name), name


def test_the_signals_are_rechecked_once_for_the_batchs_clients(api, provider, consultant, assignment):
    other = issued_assignment(provider, consultant, today=timezone.localdate())
    one_by_one, together = [], []

    def recheck(client_id, today, change):
        one_by_one.append(client_id)

    def recheck_many(client_ids, today, change):
        together.append(sorted(client_ids))

    hooks.on_case_changed(recheck, many=recheck_many)
    try:
        post(api, [start(assignment, "a"), start(other, "b"), stop(assignment, "c")])
    finally:
        hooks.case_changed_hook.unregister(recheck)
        hooks._batch_forms.pop(recheck, None)
    clients = sorted([assignment.indication.client_id, other.indication.client_id])
    assert one_by_one == [] and together == [clients]


def test_a_failure_runs_the_batch_again_message_by_message(api, assignment, provider, consultant, monkeypatch):
    other = issued_assignment(provider, consultant, today=timezone.localdate())

    def broken(self):
        raise DatabaseError("simulated")

    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)  # the 301s
    monkeypatch.setattr(services.MessageBatch, "write", broken)
    results = post(api, [start(assignment, "a"), start(other, "b", days=-1), stop(assignment, "c")])
    assert answers(results) == [("a", 200, None), ("b", 400, "start_before_beschikking"), ("c", 200, None)]
    assert sorted(CareEvent.objects.values_list("message_id", flat=True)) == ["a", "b", "c"]
    assignment.refresh_from_db()
    assert assignment.care_stopped_on == assignment.start_date + timedelta(days=3)
    # The rolled-back set-wise run left nothing behind: one event per change, one 301 for the stop.
    assert AuditEvent.objects.filter(object_id=str(assignment.pk), summary="start zorg").count() == 1
    assert (
        OutgoingMessage.objects.filter(provider=provider).exclude(status=OutgoingMessage.Status.DELIVERED).count() == 1
    )


def test_another_providers_toewijzing_in_a_batch_is_a_404_and_is_not_locked(api, assignment, consultant):
    theirs = issued_assignment(contracted_provider(name="Ander"), consultant, today=timezone.localdate())
    results = post(api, [start(theirs, "x"), start(assignment, "y")])
    assert answers(results) == [("x", 404, "not_found"), ("y", 200, None)]
    theirs.refresh_from_db()
    assert theirs.care_started_on is None and not CareEvent.objects.filter(message_id="x").exists()
