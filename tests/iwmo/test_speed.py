"""The speed of the message exchange (issue 16), held in deterministic figures: query counts per
message, the narrowed signal recheck after a care report, the batched receive, and a smoke run of
bench/iwmo_bench.py (figures printed, no timings asserted)."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.services import SET_WISE_FROM
from indications import hooks
from iwmo import outbox
from iwmo.inbox import receive, receive_many
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.models import Assignment
from signals.checks import CHECKS, CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType
from signals.services import run_check
from tests.factories import TODAY, issued_assignment
from tests.iwmo.messages import start_message, stop_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
ACCEPTED = IncomingMessage.Status.ACCEPTED
# The queries of one accepted message received on its own (SQLite; PostgreSQL adds none): the
# message, its judgement (TR056, TR378, TR019), the care event through the provider service, the
# signal recheck of the checks that read care reports, the retour and three audit events. A change
# that adds queries to the hot path must raise these on purpose (and the bench's figures with it).
# The start here is reported more than 5 werkdagen after it began, so the 305 also raises the signal
# iwmo_melding_te_laat (its insert, event and team lookups); the 307 reruns that check and the
# verzoek check as well.
MAX_QUERIES_305 = 35
MAX_QUERIES_307 = 39  # a stop also ends the toewijzing: its WMO301 (the hook) is part of it
# In receive_many, per accepted WMO305 (no savepoint per message while nothing fails): on SQLite the
# message's INSERT and its retour's INSERT and UPDATE; the care start's UPDATE is kept for the
# batch's one UPDATE per kind of report (providers.services.deferring_reports; its checks raise
# before it writes; its toewijzing, TR019, is read and locked with the batch's). On PostgreSQL the
# message and the retour are part of the batch's two bulk INSERTs (ids reserved): no query of its own.
# The batch's fixed part: the earlier receipts, the senders (locked), identifications, clients and
# toewijzingen (locked), the care UPDATEs, the audit INSERT, the signal recheck of the batch's clients.
MAX_QUERIES_305_IN_BATCH = {"sqlite": 3, "postgresql": 0}
# Per accepted WMO307 in receive_many: nothing on PostgreSQL (its UPDATE is kept as a start's is, its
# WMO301 collected and written with the batch's 301s at its end); on SQLite its row, its retour's
# INSERT and UPDATE and its 301's INSERT and UPDATE (no reserved ids there).
MAX_QUERIES_307_IN_BATCH = {"sqlite": 5, "postgresql": 0}
MAX_QUERIES_BATCH_FIXED = 30
# A WMO301 (SQLite; on PostgreSQL the same): version upsert, waiting 301, toewijzingen with client and
# provider, the outbox INSERT (its UPDATE on SQLite, where the id comes from the INSERT), the event.
MAX_QUERIES_301 = 6


@pytest.fixture
def assignments(provider, consultant):
    """Three toewijzingen from TODAY - 20, their 301s delivered."""
    made = [issued_assignment(provider, consultant, today=TODAY) for _ in range(3)]
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return made


def queries_of(raw: bytes) -> tuple[IncomingMessage, int]:
    with CaptureQueriesContext(connection) as queries:
        incoming = receive(raw, channel=FOLDER, today=TODAY)
    return incoming, len(queries)


def test_one_accepted_305_and_307_take_a_bounded_number_of_queries_tr019_tr069(assignments):
    """WMO305 then WMO307 (TR019 the toewijzing, TR069 the stop matches the start): each within its
    query budget, whatever the number of other clients and toewijzingen."""
    assignment = assignments[0]
    begin = assignment.start_date + timedelta(days=3)
    started, count_305 = queries_of(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    stopped, count_307 = queries_of(
        stop_message(assignment, begindatum=begin, einddatum=TODAY - timedelta(days=1), dagtekening=TODAY)
    )
    assert (started.status, stopped.status) == (ACCEPTED, ACCEPTED)
    assert count_305 <= MAX_QUERIES_305, count_305
    assert count_307 <= MAX_QUERIES_307, count_307


def test_the_query_count_of_a_305_does_not_grow_with_the_clients_tr019(assignments, provider, consultant):
    """No N+1: the second message costs what the first did, with more clients in the database."""
    first = assignments[0]
    _incoming, before = queries_of(
        start_message(first, begindatum=first.start_date + timedelta(days=3), dagtekening=TODAY)
    )
    for _ in range(3):
        issued_assignment(provider, consultant, today=TODAY)
    last = assignments[-1]
    _incoming, after = queries_of(
        start_message(last, begindatum=last.start_date + timedelta(days=3), dagtekening=TODAY)
    )
    assert after == before


def test_checks_that_skip_a_care_report_do_not_read_toewijzingen():
    """A care report (WMO305/307) rechecks only the checks with reads_care_reports: every other
    check's condition must not read the toewijzingen, where a start or stop of care is recorded."""
    table = Assignment._meta.db_table
    for check in CHECKS:
        if not check.reads_care_reports:
            assert f'"{table}"' not in str(check.conditions(TODAY).query), check.name
    assert {check.name for check in CHECKS if check.reads_care_reports} >= {
        "geen_start_zorg",
        "zorg_na_einde",
        "stop_zonder_reden",
        "ondersteuningsplan_ontbreekt",
        "zorgstapeling",  # counts the active toewijzingen: a stop ends one
    }


def test_a_care_report_rechecks_only_the_care_checks(assignments, monkeypatch):
    """The hook carries CARE_REPORTED for a start of care; the recheck runs the care checks only."""
    ran = []
    original = CHECKS_BY_NAME["geen_start_zorg"].conditions_of_client

    def spy(self, today, client_id):
        ran.append(self.name)
        return original(today, client_id) if self.name == "geen_start_zorg" else self.conditions(today).none()

    monkeypatch.setattr(type(CHECKS[0]), "conditions_of_client", spy)
    assignment = assignments[0]
    receive(start_message(assignment, begindatum=assignment.start_date + timedelta(days=3), dagtekening=TODAY),
            channel=FOLDER, today=TODAY)  # fmt: skip
    assert set(ran) == {check.name for check in CHECKS if check.reads_care_reports}


def test_receive_many_answers_like_receive_and_clears_the_no_start_signal_tr074(provider, consultant):
    """A batch: every message judged and answered as one by one (the repeat is TR074, 'sleutel al
    ontvangen'), and the signal recheck at the batch's end still lapses the 'geen start zorg'
    signals of the clients whose care started."""
    # Toewijzingen of a month ago without a start of care: the SLA signal is open.
    assignments = [issued_assignment(provider, consultant, today=TODAY - timedelta(days=30), days_ago=5) for _ in "abc"]
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    run_check(CHECKS_BY_NAME["geen_start_zorg"], today=TODAY, force=True)
    assert Signal.objects.filter(type=SignalType.NO_START_REPORTED, status=SignalStatus.OPEN).count() == 3
    raws = [
        start_message(assignment, begindatum=assignment.start_date + timedelta(days=3), dagtekening=TODAY)
        for assignment in assignments
    ]
    first = assignments[0]
    repeat = start_message(first, begindatum=first.start_date + timedelta(days=3), dagtekening=TODAY)
    received = receive_many([*raws, repeat], channel=FOLDER, today=TODAY, batch=2)
    assert [incoming.status for incoming in received] == [ACCEPTED] * 3 + [IncomingMessage.Status.REJECTED]
    assert received[3].errors[0]["codes"] == ["9074"]
    retours = OutgoingMessage.objects.filter(message_type="WMO306").values_list("in_reply_to_id", flat=True)
    assert sorted(retours) == sorted(incoming.pk for incoming in received)
    assert not Signal.objects.filter(type=SignalType.NO_START_REPORTED, status=SignalStatus.OPEN).exists()


def test_collect_case_changes_runs_each_clients_hooks_once_at_the_end():
    """Inside the block the hooks wait; at its end the batch form gets each client once."""
    single, batches = [], []

    def hook(client_id, today, change):
        single.append(client_id)

    def many(client_ids, today, change):
        batches.append((client_ids, change))

    hooks.on_case_changed(hook, many=many)
    try:
        with hooks.collect_case_changes():
            with hooks.collect_case_changes():  # nested: the outer block runs them
                hooks.case_changed(1, today=TODAY, change=hooks.CARE_REPORTED)
            hooks.case_changed(2, today=TODAY, change=hooks.CARE_REPORTED)
            hooks.case_changed(1, today=TODAY, change=hooks.CARE_REPORTED)
            assert batches == [] and single == []
        assert batches == [([1, 2], hooks.CARE_REPORTED)] and single == []
        hooks.case_changed(3, today=TODAY)
        assert single == [3]
    finally:
        hooks.case_changed_hook.unregister(hook)
        hooks._batch_forms.pop(hook, None)


def test_the_bench_runs_and_prints_its_figures():
    """A smoke run of bench/iwmo_bench.py with a tiny N: it prints the figures of issue 16."""
    path = Path(__file__).resolve().parents[2] / "bench" / "iwmo_bench.py"
    spec = importlib.util.spec_from_file_location("iwmo_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines = []
    result = bench.run(4, 4, batch=2, out=lines.append)
    text = "\n".join(lines)
    assert "WMO301 built and queued" in text and "messages/s" in text and "XML" in text and "database" in text
    # (Its deliveries are enqueued on commit, which a test's transaction never reaches.)
    assert result["outgoing"]["count"] == 4 and OutgoingMessage.objects.filter(message_type="WMO301").count() >= 4
    assert result["incoming"]["statuses"] == {ACCEPTED: 4}


# -- receive_many: the batch's shared lookups, its savepoint per message, its bulk audit ------------


def batch_of_starts(assignments) -> list[bytes]:
    return [
        start_message(assignment, begindatum=assignment.start_date + timedelta(days=3), dagtekening=TODAY)
        for assignment in assignments
    ]


def fill_the_id_reserves() -> None:
    """On PostgreSQL the outbox and the inbox reserve ids from their sequences 100 at a time: fill
    both reserves, so that no reservation falls inside a measured batch."""
    outbox._reserved.clear()
    outbox.reserve_id(OutgoingMessage)
    outbox.reserve_id(IncomingMessage)


def test_a_batch_takes_fewer_queries_per_message_than_one_by_one(provider, consultant):
    """In a batch the senders, municipalities, clients and earlier identifications are read once,
    the care starts are one UPDATE, the audit events one INSERT and the signal recheck runs once: a
    message's own queries are, on SQLite only, its row and retour (MAX_QUERIES_305_IN_BATCH)."""
    # Three messages or more: their audit events (three each) read their BSNs in one query.
    assert 3 * 3 >= SET_WISE_FROM
    assignments = [issued_assignment(provider, consultant, today=TODAY) for _ in range(8)]
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    raws = batch_of_starts(assignments)
    fill_the_id_reserves()
    with CaptureQueriesContext(connection) as three:
        receive_many(raws[:3], channel=FOLDER, today=TODAY)
    with CaptureQueriesContext(connection) as five:
        received = receive_many(raws[3:], channel=FOLDER, today=TODAY)
    assert [incoming.status for incoming in received] == [ACCEPTED] * 5
    per_message = (len(five) - len(three)) / 2
    expected = MAX_QUERIES_305_IN_BATCH[connection.vendor]
    assert per_message == expected, per_message
    assert len(three) - 3 * per_message <= MAX_QUERIES_BATCH_FIXED, len(three)


def test_one_failing_message_does_not_roll_back_the_others_of_its_batch(assignments, monkeypatch):
    """A savepoint per message: the one that fails (here a bug after the care service wrote and
    audited the start) leaves no row, no care start, no retour and no audit event; the others of
    the batch are received, answered and audited."""
    from audit.models import AuditEvent
    from providers import services as provider_services

    original = provider_services.record_care_start
    broken = assignments[1]

    def failing(assignment, **kwargs):
        started = original(assignment, **kwargs)  # written and audited, then the bug
        if assignment.pk == broken.pk:
            raise RuntimeError("a bug")
        return started

    monkeypatch.setattr(provider_services, "record_care_start", failing)
    last_before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    received = receive_many(batch_of_starts(assignments), channel=FOLDER, today=TODAY, batch=3)
    assert [incoming is None for incoming in received] == [False, True, False]
    assert [received[0].status, received[2].status] == [ACCEPTED, ACCEPTED]
    assert IncomingMessage.objects.count() == 2
    retours = OutgoingMessage.objects.filter(message_type="WMO306")
    assert sorted(retours.values_list("in_reply_to_id", flat=True)) == sorted([received[0].pk, received[2].pk])
    broken.refresh_from_db()
    assert broken.care_started_on is None
    # Per accepted 305: the care start, the message, its retour; none of the failed one.
    clients = [assignment.indication.client_id for assignment in assignments[:2]]
    events = AuditEvent.objects.filter(pk__gt=last_before, client_id__in=clients)
    assert sorted(events.values_list("client_id", "summary")) == sorted(
        [(assignments[0].indication.client_id, "start zorg")]
        + [
            (assignments[0].indication.client_id, summary)
            for summary in (
                f"WMO305 {received[0].identification} ontvangen: geaccepteerd",
                f"WMO306 {retours.get(in_reply_to=received[0]).identification} op WMO305 {received[0].identification}",
            )
        ]
    )
    assert AuditEvent.objects.filter(pk__gt=last_before).count() == 6  # three for each of the two received


def test_the_same_identification_twice_in_one_batch_is_tr056(assignments):
    """TR056 inside a batch: the second message with the same identification (other bytes) is 9056,
    as it would be one by one."""
    first, second = assignments[:2]
    raws = [
        start_message(a, begindatum=a.start_date + timedelta(days=3), dagtekening=TODAY, identification="SAME00000001")
        for a in (first, second)
    ]
    received = receive_many(raws, channel=FOLDER, today=TODAY)
    assert received[0].status == ACCEPTED
    assert received[1].status == IncomingMessage.Status.REJECTED
    assert received[1].errors[0]["codes"] == ["9056"]


def test_a_301_takes_a_bounded_number_of_queries(assignments, django_assert_max_num_queries):
    """A change of a toewijzing: its version, the waiting 301, the toewijzingen with their client
    and provider, the outbox row (on PostgreSQL one INSERT: its id is reserved from the sequence)
    and its audit event."""
    from providers.hooks import assignment_changed

    assignment = Assignment.objects.select_related("indication").get(pk=assignments[0].pk)
    with django_assert_max_num_queries(MAX_QUERIES_301):
        assignment_changed(assignment, by=None, today=TODAY)
    message = OutgoingMessage.objects.filter(message_type="WMO301").latest("pk")
    assert message.identification == f"{message.pk:012d}" and assignment.number in message.assignment_numbers


# -- the stops of a batch, and many 301s at once (queue_toewijzingen) -------------------------------


def started(assignments) -> list[Assignment]:
    receive_many(batch_of_starts(assignments), channel=FOLDER, today=TODAY)
    return [Assignment.objects.get(pk=assignment.pk) for assignment in assignments]


def batch_of_stops(assignments) -> list[bytes]:
    return [
        stop_message(a, begindatum=a.care_started_on, einddatum=TODAY - timedelta(days=1), dagtekening=TODAY)
        for a in assignments
    ]


def test_a_stop_whose_301_the_xsd_refuses_is_refused_alone_in_its_batch(assignments, monkeypatch):
    """The stops of a batch write their WMO301s together at its end, without a savepoint each: when
    one 301 is refused by the XSD, the batch runs again with savepoints and only that stop is
    refused (0001 on its product, its toewijzing not stopped), as one by one."""
    stopping = started(assignments)
    refused_bsn = stopping[1].indication.client.bsn
    original = outbox.validate_bytes

    def refuse_one(message_type, xml):
        if message_type == "WMO301" and refused_bsn.encode() in xml:
            raise outbox.TechnicalError("kapot")
        return original(message_type, xml)

    monkeypatch.setattr(outbox, "validate_bytes", refuse_one)
    received = receive_many(batch_of_stops(stopping), channel=FOLDER, today=TODAY)
    assert [incoming.status for incoming in received] == [ACCEPTED, IncomingMessage.Status.REJECTED, ACCEPTED]
    assert received[1].errors[0]["codes"] == ["0001"] and "XSD" in received[1].errors[0]["melding"]
    stopped = [Assignment.objects.get(pk=a.pk).care_stopped_on for a in stopping]
    assert stopped == [TODAY - timedelta(days=1), None, TODAY - timedelta(days=1)]
    sent = OutgoingMessage.objects.filter(message_type="WMO301", status=OutgoingMessage.Status.QUEUED)
    assert sorted(n for message in sent for n in message.assignment_numbers) == sorted(
        [stopping[0].number, stopping[2].number]
    )


def test_a_batch_of_stops_takes_a_fixed_number_of_queries_per_stop(provider, consultant):
    """Per accepted WMO307 in a batch: no query of its own on PostgreSQL (no savepoint; its
    toewijzing read with the batch's, its UPDATE in the batch's one, its WMO301 written with the
    batch's 301s); on SQLite its row, retour and 301 (MAX_QUERIES_307_IN_BATCH)."""
    stopping = started([issued_assignment(provider, consultant, today=TODAY) for _ in range(6)])
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)  # no waiting 301 to rewrite
    raws = batch_of_stops(stopping)
    fill_the_id_reserves()
    with CaptureQueriesContext(connection) as two:
        receive_many(raws[:2], channel=FOLDER, today=TODAY)
    with CaptureQueriesContext(connection) as four:
        received = receive_many(raws[2:], channel=FOLDER, today=TODAY)
    assert [incoming.status for incoming in received] == [ACCEPTED] * 4
    assert (len(four) - len(two)) / 2 == MAX_QUERIES_307_IN_BATCH[connection.vendor]
    savepoints = [sum("SAVEPOINT" in query["sql"] for query in run.captured_queries) for run in (two, four)]
    assert savepoints[0] == savepoints[1]  # none per message (the test's and the recheck's only)
    # Each stop's 301 (the newest that names its toewijzing) is its client's.
    clients = {}
    for message in OutgoingMessage.objects.filter(message_type="WMO301").order_by("pk"):
        clients.update(dict.fromkeys(message.assignment_numbers, message.client_id))
    assert [clients[a.number] for a in stopping] == [a.indication.client_id for a in stopping]


def test_queue_toewijzingen_writes_many_301s_in_a_fixed_number_of_queries(provider, consultant):
    """Changes collected in one transaction: one 301 per client and provider (two changes of one
    client together), each audited once, in as many queries for five clients as for two."""
    from audit.models import AuditEvent
    from iwmo import toewijzing
    from providers.hooks import assignment_changed

    made = [issued_assignment(provider, consultant, today=TODAY).pk for _ in range(5)]
    made = list(Assignment.objects.filter(pk__in=made).select_related("indication").order_by("pk"))
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    fill_the_id_reserves()

    def changed(assignments) -> int:
        with CaptureQueriesContext(connection) as queries, toewijzing.collect_toewijzingen():
            for assignment in assignments:
                assignment_changed(assignment, by=None, today=TODAY)
        return len(queries)

    before = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    two = changed(made[:2])
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    five = changed([*made, made[0]])  # the first client's change twice: still one 301
    if connection.vendor == "postgresql":  # SQLite inserts each row for its id
        # The versions, the waiting 301s, the toewijzingen, the 301s' INSERT, their events' INSERT.
        assert two == five == 5
    new = OutgoingMessage.objects.filter(pk__gt=before, message_type="WMO301").order_by("pk")
    assert [message.assignment_numbers for message in new] == [[a.number] for a in [*made[:2], *made]]
    assert [message.client_id for message in new] == [a.indication.client_id for a in [*made[:2], *made]]
    events = AuditEvent.objects.filter(object_type="iwmo.outgoingmessage", object_id__in=[m.pk for m in new])
    assert events.count() == len(new)


def test_a_collected_change_whose_savepoint_rolled_back_sends_nothing(assignments):
    """Inside collect_toewijzingen a change rolled back with its savepoint writes no 301."""
    from django.db import transaction

    from iwmo import toewijzing
    from providers.hooks import assignment_changed

    kept, dropped = assignments[:2]
    before = OutgoingMessage.objects.count()
    with toewijzing.collect_toewijzingen():
        assignment_changed(kept, by=None, today=TODAY)
        with pytest.raises(RuntimeError), transaction.atomic():
            assignment_changed(dropped, by=None, today=TODAY)
            raise RuntimeError("rolled back")
    (message,) = OutgoingMessage.objects.order_by("pk")[before:]
    assert message.assignment_numbers == [kept.number]
