"""A batch of WMO305/307 keeps its toewijzingen' UPDATEs for one UPDATE per kind of report at the
batch's end (providers.services.deferring_reports, issue 16): the outcome is what one message at a
time gives, also when one batch starts, withdraws (CS058) and stops the same toewijzing, and every
reader of the rows (a withdrawal, the stop's WMO301, the signal recheck) sees the reports."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indications.hooks import collect_case_changes
from iwmo import regie, wmo301
from iwmo.inbox import receive, receive_many
from iwmo.models import IncomingMessage, OutgoingMessage
from providers import services
from providers.models import Assignment
from tests.factories import TODAY, issued_assignment
from tests.iwmo.messages import start_message, stop_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
WITHDRAW = "3"
STATE = ["care_started_on", "care_start_reported_on", "care_stopped_on", "stop_reason", "status", "end_date"]


def made(provider, consultant, count: int) -> list[Assignment]:
    assignments = [issued_assignment(provider, consultant, today=TODAY) for _ in range(count)]
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignments


def story(assignment) -> list[bytes]:
    """Start, withdraw the start (CS058), start again two days later, stop: four messages about one
    toewijzing, each resting on the one before."""
    begin = assignment.start_date + timedelta(days=2)
    again = begin + timedelta(days=2)
    return [
        start_message(assignment, begindatum=begin, dagtekening=TODAY),
        start_message(assignment, begindatum=begin, dagtekening=TODAY, status=WITHDRAW),
        start_message(assignment, begindatum=again, dagtekening=TODAY),
        stop_message(assignment, begindatum=again, einddatum=TODAY - timedelta(days=1), dagtekening=TODAY),
    ]


def codes_of(incoming: IncomingMessage) -> tuple:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    return regie.read_retour(outgoing.xml.encode())[1].product_codes


def state(assignment) -> tuple:
    return tuple(Assignment.objects.values_list(*STATE).get(pk=assignment.pk))


def test_one_batch_that_starts_withdraws_restarts_and_stops_a_toewijzing_ends_as_one_at_a_time_cs058_tr069(
    provider, consultant
):
    in_batch, one_by_one = made(provider, consultant, 2)
    batched = receive_many(story(in_batch), channel=FOLDER, today=TODAY)
    single = [receive(raw, channel=FOLDER, today=TODAY) for raw in story(one_by_one)]
    assert [codes_of(incoming) for incoming in batched] == [(("0200",),)] * 4
    assert [codes_of(incoming) for incoming in single] == [(("0200",),)] * 4
    assert state(in_batch) == state(one_by_one)
    started, _reported, stopped, reason, status, end = state(in_batch)
    assert (started, stopped, reason, status, end) == (
        in_batch.start_date + timedelta(days=4),
        TODAY - timedelta(days=1),
        "19",
        Assignment.Status.ENDED,
        TODAY - timedelta(days=1),
    )
    # The stop's WMO301 was written after the batch's UPDATEs: it names the toewijzing's new end.
    (toewijzing,) = OutgoingMessage.objects.filter(
        message_type="WMO301", status=OutgoingMessage.Status.QUEUED, client=in_batch.indication.client
    )
    (product,) = [p for p in wmo301.parse(toewijzing.xml.encode()).producten if p.nummer == int(in_batch.number)]
    assert product.einddatum == TODAY - timedelta(days=1)


def test_a_batch_writes_its_starts_in_one_update(provider, consultant):
    assignments = made(provider, consultant, 5)
    raws = [start_message(a, begindatum=a.start_date + timedelta(days=3), dagtekening=TODAY) for a in assignments]
    with CaptureQueriesContext(connection) as queries:
        received = receive_many(raws, channel=FOLDER, today=TODAY)
    assert {incoming.status for incoming in received} == {IncomingMessage.Status.ACCEPTED}
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "providers_assignment"')]
    assert len(updates) == 1 and "FROM (VALUES" in updates[0]
    for assignment in assignments:
        assert state(assignment)[:2] == (assignment.start_date + timedelta(days=3), TODAY)


# -- the service layer: providers.services.deferring_reports ---------------------------------------


def locked(assignment) -> Assignment:
    return services.lockable_assignments().get(pk=assignment.pk)


def test_a_kept_report_reaches_its_row_when_written_and_the_stop_writes_its_booleans_and_nulls(provider, consultant):
    first, second = made(provider, consultant, 2)
    # The case's hooks (the signal recheck reads the rows) wait for the block's end, as in a batch.
    with transaction.atomic(), collect_case_changes(), services.deferring_reports():
        one, two = locked(first), locked(second)
        services.record_care_start(one, on=one.start_date, by=None, today=TODAY, locked=True)
        services.record_care_start(two, on=two.start_date, by=None, today=TODAY, locked=True)
        assert state(first)[0] is None  # kept, not yet written
        services.record_care_stop(one, on=TODAY - timedelta(days=1), reason="02", by=None, today=TODAY, locked=True)
        services.write_deferred_reports()
        assert state(second)[0] == second.start_date
    row = Assignment.objects.get(pk=first.pk)
    assert (row.care_started_on, row.care_stopped_on, row.stop_reason, row.status) == (
        first.start_date,
        TODAY - timedelta(days=1),
        "02",
        Assignment.Status.ENDED,
    )
    ended = (row.stop_set_end, row.end_date, row.end_date_before_stop)
    assert ended == (True, TODAY - timedelta(days=1), first.end_date)


def test_a_kept_report_whose_savepoint_rolled_back_is_not_written(provider, consultant):
    (assignment,) = made(provider, consultant, 1)
    with transaction.atomic(), services.deferring_reports():
        held = locked(assignment)
        try:
            with transaction.atomic():
                services.record_care_start(held, on=held.start_date, by=None, today=TODAY, locked=True)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert state(assignment)[0] is None


def test_a_lookup_of_a_toewijzing_writes_the_kept_reports_first(provider, consultant):
    """A report without `locked` (and a withdrawal) reads the row: the kept start is in it."""
    (assignment,) = made(provider, consultant, 1)
    with transaction.atomic(), services.deferring_reports():
        held = locked(assignment)
        services.record_care_start(held, on=held.start_date, by=None, today=TODAY, locked=True)
        services.withdraw_care_start(assignment, by=None, today=TODAY)  # reads the row: started
    assert state(assignment)[0] is None


def test_without_the_block_a_report_writes_at_once(provider, consultant):
    (assignment,) = made(provider, consultant, 1)
    with transaction.atomic():
        held = locked(assignment)
        services.record_care_start(held, on=held.start_date, by=None, today=TODAY, locked=True)
        assert state(assignment)[0] == assignment.start_date


def test_a_kept_report_writes_the_values_it_reported_not_a_later_unsaved_change(provider, consultant):
    (assignment,) = made(provider, consultant, 1)
    with transaction.atomic(), collect_case_changes(), services.deferring_reports():
        held = locked(assignment)
        services.record_care_start(held, on=held.start_date, by=None, today=TODAY, locked=True)
        held.care_started_on = None  # e.g. a refused change that had already set its value
    assert state(assignment)[0] == assignment.start_date


def test_a_withdrawal_of_a_held_toewijzing_writes_the_kept_start_before_its_own_save(provider, consultant):
    """The API's batch withdraws with `locked=True` (the object it holds): the kept start is written
    first, so the withdrawal's own UPDATE is the last word."""
    (assignment,) = made(provider, consultant, 1)
    with transaction.atomic(), collect_case_changes(), services.deferring_reports():
        held = locked(assignment)
        services.record_care_start(held, on=held.start_date, by=None, today=TODAY, locked=True)
        services.withdraw_care_start(held, by=None, today=TODAY, locked=True)
    assert state(assignment)[:2] == (None, None)
