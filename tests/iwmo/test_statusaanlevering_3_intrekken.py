"""StatusAanlevering 3 (CS058) on a WMO305/307: the earlier start or stop with the same logical key
is withdrawn (TR063: else 9063) through providers.services.withdraw_care_start / withdraw_care_stop,
the same services the REST API's `start/intrekken` and `stop/intrekken` call. A withdrawn stop gives
the toewijzing back the end it had before and sends a new WMO301."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from iwmo import regie, wmo301
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers import services
from providers.models import Assignment
from providers.services import issue_api_token
from tests.factories import TODAY, issued_assignment
from tests.iwmo.messages import start_message, stop_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
WITHDRAW = "3"


@pytest.fixture
def assignment(provider, consultant):
    """A toewijzing from TODAY - 20 to TODAY + 200, its 301 delivered."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


def received(raw: bytes) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="bericht.xml", today=TODAY)


def product_codes(incoming: IncomingMessage) -> tuple:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    return regie.read_retour(outgoing.xml.encode())[1].product_codes


def started(assignment, begin):
    return services.record_care_start(assignment, on=begin, by=None, today=TODAY)


def stopped(assignment, end, reason="23"):
    return services.record_care_stop(assignment, on=end, reason=reason, by=None, today=TODAY)


# -- the services ---------------------------------------------------------------------------------


def test_cs058_withdraw_care_start_makes_the_toewijzing_not_started_again_and_is_audited(assignment):
    started(assignment, assignment.start_date + timedelta(days=2))
    withdrawn = services.withdraw_care_start(assignment, by=None, today=TODAY)
    assert (withdrawn.care_started_on, withdrawn.care_start_reported_on) == (None, None)
    assert withdrawn.state_on(TODAY) == Assignment.State.TOEGEWEZEN
    event = AuditEvent.objects.filter(object_type="providers.assignment", summary="start zorg ingetrokken").get()
    assert event.changes == {"startdatum": [str(assignment.start_date + timedelta(days=2)), None]}


def test_tr063_nothing_to_withdraw_is_refused_and_changes_nothing(assignment):
    with pytest.raises(ValidationError) as refused:
        services.withdraw_care_start(assignment, by=None, today=TODAY)
    assert refused.value.code == "not_started"
    with pytest.raises(ValidationError) as refused:
        services.withdraw_care_stop(assignment, by=None, today=TODAY)
    assert refused.value.code == "not_stopped"


def test_tr069_a_start_with_a_stop_after_it_is_not_withdrawn_before_the_stop(assignment):
    begin = assignment.start_date + timedelta(days=2)
    stopped(started(assignment, begin), TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.withdraw_care_start(assignment, by=None, today=TODAY)
    assert refused.value.code == "stop_reported"
    assignment.refresh_from_db()
    assert assignment.care_started_on == begin


def test_cs058_a_withdrawn_stop_takes_back_the_end_it_set_and_sends_a_new_301(assignment):
    planned_end = assignment.end_date
    stopped(started(assignment, assignment.start_date + timedelta(days=2)), TODAY - timedelta(days=1))
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.status) == (TODAY - timedelta(days=1), Assignment.Status.ENDED)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)

    services.withdraw_care_stop(assignment, by=None, today=TODAY)
    assignment.refresh_from_db()
    assert (assignment.care_stopped_on, assignment.stop_reason, assignment.care_stop_reported_on) == (None, "", None)
    assert (assignment.end_date, assignment.status) == (planned_end, Assignment.Status.ACTIVE)
    assert assignment.state_on(TODAY) == Assignment.State.GESTART
    (new_301,) = OutgoingMessage.objects.filter(message_type="WMO301", status=OutgoingMessage.Status.QUEUED)
    (product,) = wmo301.parse(new_301.xml.encode()).producten
    assert product.einddatum == planned_end
    assert AuditEvent.objects.filter(object_type="providers.assignment", summary="stop zorg ingetrokken").exists()


def test_a_withdrawn_stop_on_the_planned_end_sends_no_301_the_end_did_not_change(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(end_date=TODAY - timedelta(days=1))
    stopped(started(assignment, assignment.start_date + timedelta(days=2)), TODAY - timedelta(days=1))
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    services.withdraw_care_stop(assignment, by=None, today=TODAY)
    assignment.refresh_from_db()
    # The end was the toewijzing's own and has passed: beëindigd, no longer gestopt.
    assert (assignment.end_date, assignment.status) == (TODAY - timedelta(days=1), Assignment.Status.ENDED)
    assert not OutgoingMessage.objects.filter(message_type="WMO301", status=OutgoingMessage.Status.QUEUED).exists()


def test_a_withdrawn_stop_never_reopens_past_the_end_of_the_beschikking(assignment):
    stopped(started(assignment, assignment.start_date + timedelta(days=2)), TODAY - timedelta(days=5))
    indication = assignment.indication
    type(indication).objects.filter(pk=indication.pk).update(end_date=TODAY + timedelta(days=10))
    services.withdraw_care_stop(assignment, by=None, today=TODAY)
    assignment.refresh_from_db()
    assert assignment.end_date == TODAY + timedelta(days=10)


# -- through WMO305/307 ---------------------------------------------------------------------------


def test_cs058_a_305_with_statusaanlevering_3_withdraws_the_start_0200(assignment):
    begin = assignment.start_date + timedelta(days=2)
    received(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    incoming = received(start_message(assignment, begindatum=begin, dagtekening=TODAY, status=WITHDRAW))
    assert incoming.status == IncomingMessage.Status.ACCEPTED
    assert product_codes(incoming) == (("0200",),)
    assignment.refresh_from_db()
    assert assignment.care_started_on is None
    event = AuditEvent.objects.filter(summary="start zorg ingetrokken").get()
    assert event.actor_label.startswith(f"aanbieder {assignment.provider.agb_code} (iWmo WMO305")


def test_tr063_a_305_withdrawing_another_begindatum_is_9063(assignment):
    begin = assignment.start_date + timedelta(days=2)
    received(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    other = begin + timedelta(days=1)
    incoming = received(start_message(assignment, begindatum=other, dagtekening=TODAY, status=WITHDRAW))
    assert product_codes(incoming) == (("9063",),)
    assignment.refresh_from_db()
    assert assignment.care_started_on == begin


def test_tr069_a_305_withdrawing_a_start_that_has_a_stop_is_0001_with_the_reason(assignment):
    begin, end = assignment.start_date + timedelta(days=2), TODAY - timedelta(days=1)
    received(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    received(stop_message(assignment, begindatum=begin, einddatum=end, dagtekening=TODAY))
    incoming = received(start_message(assignment, begindatum=begin, dagtekening=TODAY, status=WITHDRAW))
    assert product_codes(incoming) == (("0001",),)
    assert "trek eerst de stop in" in incoming.errors[0]["melding"]


def test_cs058_a_307_with_statusaanlevering_3_withdraws_the_stop_and_a_new_301_goes_out(assignment):
    begin, end = assignment.start_date + timedelta(days=2), TODAY - timedelta(days=1)
    received(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    received(stop_message(assignment, begindatum=begin, einddatum=end, dagtekening=TODAY))
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    incoming = received(stop_message(assignment, begindatum=begin, einddatum=end, dagtekening=TODAY, status=WITHDRAW))
    assert product_codes(incoming) == (("0200",),)
    assignment.refresh_from_db()
    assert (assignment.care_stopped_on, assignment.status) == (None, Assignment.Status.ACTIVE)
    assert assignment.end_date == TODAY + timedelta(days=200)
    assert OutgoingMessage.objects.filter(message_type="WMO301", status=OutgoingMessage.Status.QUEUED).count() == 1


def test_tr063_a_307_withdrawing_another_einddatum_is_9063(assignment):
    begin, end = assignment.start_date + timedelta(days=2), TODAY - timedelta(days=1)
    received(start_message(assignment, begindatum=begin, dagtekening=TODAY))
    received(stop_message(assignment, begindatum=begin, einddatum=end, dagtekening=TODAY))
    other = end - timedelta(days=1)
    incoming = received(stop_message(assignment, begindatum=begin, einddatum=other, dagtekening=TODAY, status=WITHDRAW))
    assert product_codes(incoming) == (("9063",),)


# -- REST and XML agree ---------------------------------------------------------------------------

FIELDS = ("care_started_on", "care_stopped_on", "stop_reason", "status", "end_date", "care_stop_reported_on")


def state(assignment) -> tuple:
    assignment.refresh_from_db()
    return tuple(getattr(assignment, name) for name in FIELDS)


def test_a_withdrawal_through_json_and_through_xml_leaves_the_same_state(provider, consultant):
    today = timezone.localdate()  # the REST API reads the clock
    by_json = issued_assignment(provider, consultant, today=today)
    by_xml = issued_assignment(provider, consultant, today=today)
    begin, end = by_json.start_date + timedelta(days=2), today - timedelta(days=1)
    for assignment in (by_json, by_xml):
        services.record_care_start(assignment, on=begin, by=None, today=today)
        services.record_care_stop(assignment, on=end, reason="23", by=None, today=today)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)

    _token, key = issue_api_token(provider, name="test", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    base = f"/api/v1/toewijzingen/{by_json.number}"
    answer = api.post(f"{base}/stop/intrekken/", {"berichtId": "w1"}, format="json")
    assert answer.status_code == 200, answer.content
    assert api.post(f"{base}/stop/intrekken/", {"berichtId": "w1"}, format="json").json() == answer.json()  # a retry
    refused = api.post(f"{base}/stop/intrekken/", {"berichtId": "w2"}, format="json")
    assert refused.status_code == 400 and "not_stopped" in refused.content.decode()

    raw = stop_message(by_xml, begindatum=begin, einddatum=end, dagtekening=today, status=WITHDRAW)
    assert receive(raw, channel=FOLDER, today=today).status == IncomingMessage.Status.ACCEPTED

    assert state(by_json) == state(by_xml) == (begin, None, "", "actief", today + timedelta(days=200), None)
    for assignment in (by_json, by_xml):
        summaries = AuditEvent.objects.filter(object_type="providers.assignment", object_id=assignment.pk)
        assert summaries.order_by("id").values_list("summary", flat=True).last() == "stop zorg ingetrokken"
        queued = OutgoingMessage.objects.filter(
            message_type="WMO301", status="wachtrij", client=assignment.indication.client
        ).get()
        (product,) = wmo301.parse(queued.xml.encode()).producten
        assert product.einddatum == today + timedelta(days=200)

    # And the start, now that the stop is gone.
    assert api.post(f"{base}/start/intrekken/", {"berichtId": "w3"}, format="json").status_code == 200
    raw = start_message(by_xml, begindatum=begin, dagtekening=today, status=WITHDRAW)
    assert receive(raw, channel=FOLDER, today=today).status == IncomingMessage.Status.ACCEPTED
    assert state(by_json)[0] is None and state(by_xml)[0] is None
