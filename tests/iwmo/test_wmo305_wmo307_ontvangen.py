"""Incoming WMO305 (start) and WMO307 (stop): judged in three layers (structure, the in-message
conditions CS/CD, the technical rules TR against the database), applied through the same provider
services as the REST API, and answered with a WMO306/WMO308 that carries the WJ001 codes per element.
Each test names the rule it tests."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from iwmo import codes, regie
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.models import Assignment
from tests.factories import TODAY, contracted_provider, issued_assignment
from tests.iwmo.messages import start_message, stop_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
ACCEPTED, REJECTED = IncomingMessage.Status.ACCEPTED, IncomingMessage.Status.REJECTED


@pytest.fixture
def assignment(provider, consultant):
    """A toewijzing from TODAY - 20, its 301 already delivered."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


def retour_of(incoming: IncomingMessage) -> tuple[regie.Header, regie.Retour]:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    return regie.read_retour(outgoing.xml.encode())


def received(raw: bytes, **fields) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="bericht.xml", today=TODAY, **fields)


def test_an_accepted_305_starts_the_care_and_gets_a_306_with_0200(assignment, xsd_dir):
    begin = assignment.start_date + timedelta(days=3)
    raw = start_message(assignment, begindatum=begin, dagtekening=TODAY)
    incoming = received(raw)
    assignment.refresh_from_db()
    assert assignment.care_started_on == begin
    assert incoming.status == ACCEPTED and incoming.errors == []
    assert (incoming.message_type, incoming.provider, incoming.client) == (
        "WMO305",
        assignment.provider,
        assignment.indication.client,
    )
    header, retour = retour_of(incoming)
    assert header.message_type == "WMO306" and header.identification == incoming.identification
    assert (header.sender, header.receiver) == (assignment.provider.agb_code, "0505")
    assert (retour.header_codes, retour.client_codes, retour.product_codes) == (("0200",), ("0200",), (("0200",),))
    outgoing = incoming.retour
    assert (outgoing.sender, outgoing.receiver, outgoing.status) == ("0505", assignment.provider.agb_code, "wachtrij")
    assert AuditEvent.objects.filter(object_type="iwmo.incomingmessage", object_id=incoming.pk).exists()
    start_event = AuditEvent.objects.filter(object_type="providers.assignment", summary="start zorg").get()
    assert start_event.actor_label.startswith(f"aanbieder {assignment.provider.agb_code} (iWmo WMO305")


def test_the_same_bytes_again_change_nothing_and_send_no_second_retour(assignment):
    raw = start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY)
    first = received(raw)
    events = AuditEvent.objects.count()
    assert received(raw) == first
    assert IncomingMessage.objects.count() == 1 and OutgoingMessage.objects.filter(in_reply_to=first).count() == 1
    assert AuditEvent.objects.count() == events


def test_tr056_an_identification_used_before_is_9056(assignment):
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, identification="ID1"))
    Assignment.objects.filter(pk=assignment.pk).update(care_started_on=None)
    again = received(start_message(assignment, begindatum=TODAY, dagtekening=TODAY, identification="ID1"))
    assert again.status == REJECTED
    _header, retour = retour_of(again)
    assert retour.header_codes == ("9056",) and retour.client_codes == ()
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


def test_tr135_a_dagtekening_after_today_is_8848(assignment):
    incoming = received(
        start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY + timedelta(days=1))
    )
    assert retour_of(incoming)[1].header_codes == ("8848",) and incoming.status == REJECTED


def test_tr378_an_unknown_municipality_is_s300(assignment):
    incoming = received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, receiver="9999"))
    assert retour_of(incoming)[1].header_codes == ("S300",)
    assert incoming.retour.municipality is None and incoming.retour.sender == "9999"


@pytest.mark.parametrize(
    "change",
    ["unknown number", "other provider", "other ingangsdatum", "other municipality"],
)
def test_tr019_a_start_that_links_to_no_toewijzing_of_this_provider_is_9019(assignment, consultant, change):
    fields = {}
    target = assignment
    if change == "unknown number":
        fields["nummer"] = "999999"
    elif change == "other provider":
        target = issued_assignment(contracted_provider(name="Ander"), consultant, today=TODAY)
        fields["sender"] = assignment.provider.agb_code
    elif change == "other ingangsdatum":
        fields["ingangsdatum"] = assignment.start_date + timedelta(days=1)
    else:
        fields["receiver"] = "0642"
    incoming = received(start_message(target, begindatum=target.start_date, dagtekening=TODAY, **fields))
    assert retour_of(incoming)[1].product_codes == (("9019",),)
    target.refresh_from_db()
    assert target.care_started_on is None and incoming.status == REJECTED


def test_tr074_and_tr326_a_second_start(assignment):
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    same = received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    other = received(start_message(assignment, begindatum=TODAY, dagtekening=TODAY))
    assert retour_of(same)[1].product_codes == (("9074",),)
    assert retour_of(other)[1].product_codes == (("9326",),)
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date


def test_a_start_before_the_ingangsdatum_is_refused_by_the_provider_service_0001(assignment):
    incoming = received(
        start_message(assignment, begindatum=assignment.start_date - timedelta(days=1), dagtekening=TODAY)
    )
    assert retour_of(incoming)[1].product_codes == (("0001",),)
    assert "vóór de ingangsdatum" in incoming.errors[0]["melding"]
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


def test_a_start_in_the_future_is_refused_0001(assignment):
    incoming = received(start_message(assignment, begindatum=TODAY + timedelta(days=1), dagtekening=TODAY))
    assert retour_of(incoming)[1].product_codes == (("0001",),)


def test_cs058_status_aanlevering_2_is_0001_and_tr063_a_withdrawal_without_a_start_is_9063(assignment):
    changed = received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, status="2"))
    withdrawal = received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, status="3"))
    assert retour_of(changed)[1].product_codes == (("0001",),)
    assert retour_of(withdrawal)[1].product_codes == (("9063",),)


def test_cs002_a_bsn_failing_the_elfproef_is_0001_on_the_client_and_0233_on_its_products(assignment):
    incoming = received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, bsn="123456789"))
    _header, retour = retour_of(incoming)
    assert (retour.header_codes, retour.client_codes, retour.product_codes) == (("0200",), ("0001",), (("0233",),))
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


def test_one_product_accepted_and_one_not_is_deels_geaccepteerd(assignment):
    unknown = regie.RegieProduct(
        nummer="999999", categorie="02", code="02A06", begindatum=assignment.start_date, status_aanlevering="1"
    )
    incoming = received(
        start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, extra_products=[unknown])
    )
    assert incoming.status == IncomingMessage.Status.PARTLY_ACCEPTED
    assert retour_of(incoming)[1].product_codes == (("0200",), ("9019",))


def test_an_accepted_307_stops_the_care_answers_0200_and_sends_the_ended_toewijzing(assignment, xsd_dir):
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    stop = TODAY - timedelta(days=2)
    incoming = received(
        stop_message(assignment, begindatum=assignment.start_date, einddatum=stop, dagtekening=TODAY, reden="23")
    )
    assignment.refresh_from_db()
    assert (assignment.care_stopped_on, assignment.stop_reason, assignment.end_date) == (stop, "23", stop)
    header, retour = retour_of(incoming)
    assert header.message_type == "WMO308" and retour.product_codes == (("0200",),)
    (toewijzing,) = OutgoingMessage.objects.filter(message_type="WMO301", status="wachtrij")
    assert toewijzing.assignment_numbers == [assignment.number]


def test_tr069_a_stop_without_that_start_is_9069_and_tr415_a_second_stop_is_9415(assignment):
    no_start = received(stop_message(assignment, begindatum=assignment.start_date, einddatum=TODAY, dagtekening=TODAY))
    assert retour_of(no_start)[1].product_codes == (("9069",),)
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    received(stop_message(assignment, begindatum=assignment.start_date, einddatum=TODAY, dagtekening=TODAY))
    second = received(
        stop_message(assignment, begindatum=assignment.start_date, einddatum=TODAY, dagtekening=TODAY, reden="21")
    )
    assert retour_of(second)[1].product_codes == (("9415",),)


def test_cs003_an_einddatum_before_the_begindatum_and_an_unknown_reden_are_0001(assignment):
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    backwards = received(
        stop_message(
            assignment,
            begindatum=assignment.start_date,
            einddatum=assignment.start_date - timedelta(days=1),
            dagtekening=TODAY,
        )
    )
    unknown_reason = received(
        stop_message(assignment, begindatum=assignment.start_date, einddatum=TODAY, dagtekening=TODAY, reden="99")
    )
    assert retour_of(backwards)[1].product_codes == (("0001",),)
    if settings.IWMO["XSD_DIR"]:  # the official XSD knows WMO588: an unknown reden fails the structure
        assert retour_of(unknown_reason)[1].header_codes == ("0001",)
    else:  # without it, the provider service refuses the reden
        assert retour_of(unknown_reason)[1].product_codes == (("0001",),)
    assignment.refresh_from_db()
    assert assignment.care_stopped_on is None


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<wmo305:Bericht xmlns:wmo305="http://www.istandaarden.nl/iwmo/3_2/wmo305/schema">&lol3;</wmo305:Bericht>"""


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"<wmo305:Bericht xmlns:wmo305='x'><niet-af>", id="malformed"),
        pytest.param(b"<Bericht xmlns='http://example.org/ander'/>", id="wrong namespace"),
        pytest.param(BOMB, id="entity bomb with a DOCTYPE"),
        pytest.param(b"<?xml version='1.0'?>" + b" " * (5 * 1024 * 1024), id="larger than the limit"),
        pytest.param(b"\xff\xfe\x00<", id="not text"),
    ],
)
def test_a_technically_broken_message_is_a_technical_rejection_0001_and_audited(db, raw):
    incoming = received(raw)
    assert incoming.status == REJECTED
    assert incoming.errors[0]["codes"] == ["0001"] and incoming.errors[0]["element"] == "Header"
    assert AuditEvent.objects.filter(object_type="iwmo.incomingmessage", object_id=incoming.pk).exists()
    assert not OutgoingMessage.objects.exists()  # no header to answer to


def test_a_readable_header_with_a_broken_body_gets_a_retour_with_0001(assignment):
    raw = start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY)
    broken = raw.replace(b"<wmo305:StartProducten>", b"<wmo305:Iets>").replace(
        b"</wmo305:StartProducten>", b"</wmo305:Iets>"
    )
    incoming = received(broken)
    _header, retour = retour_of(incoming)
    assert retour.header_codes == ("0001",) and retour.client_codes == ()


def test_an_unknown_sender_gets_no_retour(assignment):
    incoming = received(
        start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY, sender="11112222")
    )
    assert incoming.status == REJECTED and incoming.provider is None
    assert not OutgoingMessage.objects.filter(in_reply_to=incoming).exists()


def test_iwmo_import_reads_a_folder_and_a_replayed_folder_changes_nothing(assignment, tmp_path, capsys):
    (tmp_path / "start.xml").write_bytes(
        start_message(assignment, begindatum=assignment.start_date, dagtekening=timezone.localdate())
    )
    (tmp_path / "kapot.xml").write_bytes(b"<niet-af")
    call_command("iwmo_import", str(tmp_path))
    call_command("iwmo_import", str(tmp_path))
    out = capsys.readouterr().out
    assert "start.xml: WMO305" in out and "kapot.xml: ? ? afgekeurd" in out
    assert IncomingMessage.objects.count() == 2
    assignment.refresh_from_db()
    assert assignment.care_started_on == assignment.start_date
    assert OutgoingMessage.objects.filter(message_type=codes.MessageType.WMO306).count() == 1
