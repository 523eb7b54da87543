"""WMO302 (the provider's retour on our 301) in: written and read back, judged (the referenced
heenbericht exists in our outbox, the sender is the provider we sent it to, not twice, TR056, TR135)
and recorded on the outbox row with a status derived from the WJ001 codes. A retour gets no retour
(OP090 asks one of a heenbericht only). The reader is generic: a WMO320 on a 319 is read the same way."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from iwmo import codes, retour_in
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage, RetourStatus
from iwmo.xml import parse_message
from providers.services import issue_api_token
from tests.factories import TODAY, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER


@pytest.fixture
def toewijzing(provider, consultant):
    """A toewijzing and its WMO301 in the outbox."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.filter(message_type="WMO301")
    return assignment, message


def retour(message: OutgoingMessage, *, identification="R00000000001", dagtekening=TODAY, **fields) -> bytes:
    return retour_in.build(message.xml, identification=identification, dagtekening=dagtekening, **fields)


def received(raw: bytes, **fields) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="retour.xml", today=TODAY, **fields)


def test_wmo302_round_trip_writer_and_reader(toewijzing, xsd_dir):
    assignment, message = toewijzing
    number = int(assignment.number)
    raw = retour(message, rejections={f"ToegewezenProduct {number}": ("9332",)})
    message_type, root = parse_message(raw, expected=retour_in.RETOUR_TYPES)
    data = retour_in.read(message_type, root)
    assert message_type == "WMO302" and data.identification == "R00000000001" and data.dagtekening == TODAY
    assert data.heenbericht.message_type == "WMO301"
    assert (data.heenbericht.identification, data.heenbericht.dagtekening) == (
        message.identification,
        message.dagtekening,
    )
    assert (data.heenbericht.sender, data.sender) == ("0505", assignment.provider.agb_code)
    assert data.elements == (
        retour_in.ElementCodes("Header", ("0200",)),
        retour_in.ElementCodes("Client", ("0200",)),
        retour_in.ElementCodes("Contact 1", ("0200",)),
        retour_in.ElementCodes(f"ToegewezenProduct {number}", ("9332",)),
    )


def test_a_302_with_0200_everywhere_marks_the_301_geaccepteerd(toewijzing, xsd_dir):
    assignment, message = toewijzing
    incoming = received(retour(message))
    message.refresh_from_db()
    assert incoming.status == IncomingMessage.Status.ACCEPTED and incoming.errors == []
    assert (incoming.message_type, incoming.sender, incoming.receiver) == (
        "WMO302",
        assignment.provider.agb_code,
        "0505",
    )
    assert incoming.provider == assignment.provider and incoming.client == assignment.indication.client
    assert message.retour_message == incoming and incoming.heenbericht == message
    assert message.retour_status == RetourStatus.ACCEPTED and message.retour_dagtekening == TODAY
    assert message.retour_codes[0] == {
        "element": "Header",
        "codes": [{"code": "0200", "betekenis": "Geen opmerking over deze berichtklasse."}],
    }
    # OP090: a retour is not answered; nothing new in the outbox.
    assert OutgoingMessage.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="iwmo.outgoingmessage", summary__contains="geaccepteerd").exists()


@pytest.mark.parametrize(
    ("rejections", "status"),
    [
        ({"Header": ("0001",)}, RetourStatus.REJECTED),
        ({"PRODUCT": ("9332",)}, RetourStatus.REJECTED),
        ({"Contact 1": ("0001",)}, RetourStatus.PARTLY_ACCEPTED),
        ({"PRODUCT": ("0200", "8848")}, RetourStatus.REJECTED),
    ],
)
def test_the_302_status_follows_the_wj001_codes(toewijzing, rejections, status):
    assignment, message = toewijzing
    product = f"ToegewezenProduct {int(assignment.number)}"
    rejections = {product if key == "PRODUCT" else key: value for key, value in rejections.items()}
    received(retour(message, rejections=rejections))
    message.refresh_from_db()
    assert message.retour_status == status


def test_deels_geaccepteerd_when_one_product_of_two_is_rejected():
    elements = (
        retour_in.ElementCodes("Header", ("0200",)),
        retour_in.ElementCodes("Client", ("0200",)),
        retour_in.ElementCodes("ToegewezenProduct 1", ("0200",)),
        retour_in.ElementCodes("ToegewezenProduct 2", ("9332",)),
    )
    assert retour_in.status_of("WMO302", elements) == RetourStatus.PARTLY_ACCEPTED
    assert retour_in.status_of("WMO302", elements[:3]) == RetourStatus.ACCEPTED
    assert retour_in.status_of("WMO320", (retour_in.ElementCodes("Header", ("0200",)),)) == RetourStatus.ACCEPTED


def test_the_codes_carry_their_dutch_meaning_and_a_code_outside_our_list_says_so(toewijzing):
    assignment, message = toewijzing
    product = f"ToegewezenProduct {int(assignment.number)}"
    received(retour(message, rejections={product: ("9332", "9385")}))
    message.refresh_from_db()
    (row,) = [row for row in message.retour_codes if row["element"] == product]
    assert row["codes"] == [
        {"code": "9332", "betekenis": "Toewijzing heeft geen uniek nummer binnen wettelijk domein."},
        {"code": "9385", "betekenis": "Onbekende retourcode 9385."},
    ]


def test_a_302_on_a_301_we_never_sent_is_refused(toewijzing):
    _assignment, message = toewijzing
    raw = retour(message).replace(message.identification.encode(), b"999999999999")
    incoming = received(raw)
    message.refresh_from_db()
    assert incoming.status == IncomingMessage.Status.REJECTED
    assert "niet hebben verstuurd" in incoming.errors[0]["melding"]
    assert message.retour_status == RetourStatus.NONE and message.retour_message is None
    assert OutgoingMessage.objects.count() == 1  # no retour on a retour


def test_a_302_from_another_provider_is_refused(toewijzing, db):
    assignment, message = toewijzing
    other = contracted_provider(agb_code="87654321", name="Andere aanbieder")
    raw = retour(message).replace(assignment.provider.agb_code.encode(), other.agb_code.encode())
    incoming = received(raw)
    message.refresh_from_db()
    assert incoming.status == IncomingMessage.Status.REJECTED
    assert "niet de aanbieder" in incoming.errors[0]["melding"]
    assert message.retour_message is None
    # Over HTTPS: the key's provider must be the provider the 301 went to.
    incoming = received(retour(message, identification="R00000000002"), provider=other)
    assert incoming.status == IncomingMessage.Status.REJECTED and message.retour_message is None


def test_a_second_302_on_the_same_301_is_refused_and_the_same_bytes_change_nothing(toewijzing):
    _assignment, message = toewijzing
    first = received(retour(message))
    assert received(retour(message)) == first  # the same bytes: the message already received
    second = received(retour(message, identification="R00000000002", rejections={"Header": ("0001",)}))
    message.refresh_from_db()
    assert second.status == IncomingMessage.Status.REJECTED
    assert "al een retourbericht" in second.errors[0]["melding"]
    assert message.retour_message == first and message.retour_status == RetourStatus.ACCEPTED


def test_tr056_the_same_identificatie_retour_twice_is_9056(toewijzing, provider, consultant):
    _assignment, message = toewijzing
    received(retour(message))
    issued_assignment(provider, consultant, today=TODAY)
    later = OutgoingMessage.objects.filter(message_type="WMO301").exclude(pk=message.pk).first()
    incoming = received(retour(later))  # another 301, the same IdentificatieRetour
    assert incoming.status == IncomingMessage.Status.REJECTED and incoming.errors[0]["codes"] == ["9056"]


def test_tr135_a_dagtekening_retour_in_the_future_is_8848(toewijzing):
    _assignment, message = toewijzing
    incoming = received(retour(message, dagtekening=TODAY + timedelta(days=1)))
    assert incoming.errors[0]["codes"] == ["8848"] and incoming.status == IncomingMessage.Status.REJECTED


def test_a_malformed_302_is_a_technical_rejection_and_gets_no_answer(toewijzing):
    _assignment, message = toewijzing
    raw = retour(message).replace(b"<wmo302:RetourCodes>", b"<wmo302:Iets/><wmo302:RetourCodes>", 1)
    raw = raw.replace(b"<wmo302:IdentificatieRetour>R00000000001</wmo302:IdentificatieRetour>", b"")
    incoming = received(raw)
    assert incoming.message_type == "WMO302" and incoming.status == IncomingMessage.Status.REJECTED
    assert incoming.errors[0]["codes"] == ["0001"]
    assert OutgoingMessage.objects.count() == 1


def test_a_wmo320_is_read_by_the_same_generic_reader():
    """A 320 on a 319 (written by another part): the same shape, the Antwoord carrying its codes."""
    ns = codes.namespace("WMO319")
    basis = codes.BASIS_NAMESPACE
    heen = f"""<?xml version="1.0" encoding="UTF-8"?>
<wmo319:Bericht xmlns:wmo319="{ns}" xmlns:iwmo="{basis}"><wmo319:Header>
<wmo319:BerichtCode>482</wmo319:BerichtCode><wmo319:BerichtVersie>3</wmo319:BerichtVersie>
<wmo319:BerichtSubversie>2</wmo319:BerichtSubversie><wmo319:Afzender>0505</wmo319:Afzender>
<wmo319:Ontvanger>12345678</wmo319:Ontvanger><wmo319:BerichtIdentificatie>
<iwmo:Identificatie>000000000007</iwmo:Identificatie><iwmo:Dagtekening>2026-03-02</iwmo:Dagtekening>
</wmo319:BerichtIdentificatie><wmo319:XsdVersie><iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie>
<iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie></wmo319:XsdVersie></wmo319:Header>
<wmo319:Antwoord><wmo319:ReferentieAanbieder>REF1</wmo319:ReferentieAanbieder>
<wmo319:VerzoekAntwoord>1</wmo319:VerzoekAntwoord><wmo319:RedenAfwijzingVerzoek>01</wmo319:RedenAfwijzingVerzoek>
</wmo319:Antwoord></wmo319:Bericht>"""
    raw = retour_in.build(heen, identification="R1", dagtekening=date(2026, 3, 3), rejections={"Antwoord": ("9355",)})
    message_type, root = parse_message(raw, expected=retour_in.RETOUR_TYPES)
    data = retour_in.read(message_type, root)
    assert message_type == "WMO320" and data.heenbericht.message_type == "WMO319"
    assert data.heenbericht.identification == "000000000007" and data.sender == "12345678"
    assert data.elements[1] == retour_in.ElementCodes("Antwoord", ("9355",))
    assert retour_in.status_of(message_type, data.elements) == RetourStatus.REJECTED


def test_a_302_over_https_is_recorded_and_answered_200_without_a_retour(client, provider, consultant):
    """OP090: the retour itself gets no retour; the endpoint says it was recorded (200, retour null)."""
    today = timezone.localdate()  # the endpoint reads the clock
    issued_assignment(provider, consultant, today=today)
    (message,) = OutgoingMessage.objects.filter(message_type="WMO301")
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    raw = retour_in.build(message.xml, identification="R1", dagtekening=today)
    response = client.post(
        "/iwmo/berichten/", data=raw, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "geaccepteerd" and response.json()["retour"] is None
    message.refresh_from_db()
    assert message.retour_status == RetourStatus.ACCEPTED
    response = client.post(
        "/iwmo/berichten/",
        data=raw.replace(b">R1<", b">R2<"),
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400  # a second retour on the same 301 is refused
