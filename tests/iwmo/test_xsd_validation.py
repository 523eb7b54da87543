"""With IWMO_XSD_DIR set, every message in and out is validated against the XSD in that folder: an
incoming one that fails is a technical rejection (0001) answered in its retour, an outgoing one that
fails never leaves and rolls back the change that caused it. (The official XSD set is not shipped:
these tests use a deliberately strict schema of their own.)"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from iwmo import codes, regie, xml
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.xml import validate_bytes
from providers import services as provider_services
from providers.models import Assignment, ChangeRequest
from tests.factories import TODAY, issued_assignment
from tests.iwmo.messages import start_message, stop_message, verzoek_message
from tests.iwmo.structure import structure_errors
from tests.iwmo.test_wmo315_verzoek_toewijzing import verzoek as verzoek_toewijzing_message

pytestmark = pytest.mark.django_db

ONLY_A_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}" elementFormDefault="qualified">
  <xs:element name="Bericht"><xs:complexType><xs:sequence>
    <xs:element name="Header"><xs:complexType><xs:sequence>
      <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""


@pytest.fixture
def strict_xsd(settings, tmp_path):
    """A folder whose WMO301 and WMO305 schemas allow a Header and nothing else."""
    for message_type in (codes.MessageType.WMO301, codes.MessageType.WMO305):
        (tmp_path / f"{message_type}.xsd").write_text(ONLY_A_HEADER.format(ns=codes.namespace(message_type)))
    settings.IWMO = {**settings.IWMO, "XSD_DIR": str(tmp_path)}
    xml._schema.cache_clear()
    yield tmp_path
    xml._schema.cache_clear()


def test_an_outgoing_301_that_fails_the_xsd_never_leaves_and_the_vaststelling_rolls_back(
    provider, consultant, strict_xsd
):
    with pytest.raises(ValidationError, match="voldoet niet aan de iWmo-XSD"):
        issued_assignment(provider, consultant, today=TODAY)
    assert not Assignment.objects.exists() and not OutgoingMessage.objects.exists()


def test_an_incoming_305_that_fails_the_xsd_is_0001_in_its_retour(provider, consultant, settings, tmp_path):
    assignment = issued_assignment(provider, consultant, today=TODAY)  # before the strict schema
    (tmp_path / "WMO305.xsd").write_text(ONLY_A_HEADER.format(ns=codes.namespace(codes.MessageType.WMO305)))
    settings.IWMO = {**settings.IWMO, "XSD_DIR": str(tmp_path)}
    xml._schema.cache_clear()
    try:
        incoming = receive(
            start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY),
            channel=IncomingMessage.Channel.FOLDER,
            today=TODAY,
        )
    finally:
        xml._schema.cache_clear()
    assert incoming.status == IncomingMessage.Status.REJECTED and incoming.message_type == "WMO305"
    assert "Client" in incoming.errors[0]["melding"]
    _header, retour = regie.read_retour(incoming.retour.xml.encode())
    assert retour.header_codes == ("0001",) and retour.client_codes == ()
    assignment.refresh_from_db()
    assert assignment.care_started_on is None


# -- every message we write follows the structure of the standard ------------------------------------


def one_of_each_outgoing_type(provider, consultant) -> dict[str, list[OutgoingMessage]]:
    """Real flows that write each type we send: a 301; a 306 and a 308 (accepted and rejected); a
    316 (accepted and rejected); a 318 and, on the consultant's refusal, a 319."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    client = assignment.indication.client

    def received(raw: bytes):
        return receive(raw, channel=IncomingMessage.Channel.FOLDER, today=TODAY)

    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY))
    received(start_message(assignment, begindatum=assignment.start_date, dagtekening=TODAY + timedelta(days=9)))
    received(
        stop_message(
            assignment,
            begindatum=assignment.start_date,
            einddatum=assignment.start_date + timedelta(days=30),
            dagtekening=TODAY,
        )
    )
    received(stop_message(assignment, begindatum=TODAY, einddatum=TODAY - timedelta(days=400), dagtekening=TODAY))
    received(verzoek_toewijzing_message(provider, client))
    received(verzoek_toewijzing_message(provider, client, bsn="123456780"))
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=assignment.start_date + timedelta(days=120)))
    provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=False, reason="Past niet.", refusal_reason="4", today=TODAY
    )
    written: dict[str, list[OutgoingMessage]] = {}
    for message in OutgoingMessage.objects.order_by("pk"):
        written.setdefault(message.message_type, []).append(message)
    return written


def test_every_message_we_write_follows_the_structure_of_the_standard(provider, consultant, xsd_dir):
    """Our own structure table (tests/iwmo/structure.py); with IWMO_XSD_DIR also the official XSDs
    (every write goes through iwmo.outbox.store, which validates before it saves)."""
    written = one_of_each_outgoing_type(provider, consultant)
    assert set(written) == {"WMO301", "WMO306", "WMO308", "WMO316", "WMO318", "WMO319"}
    assert len(written["WMO306"]) == len(written["WMO308"]) == len(written["WMO316"]) == 2
    for message_type, messages in written.items():
        for message in messages:
            assert structure_errors(message_type, message.xml.encode()) == [], message.xml
            validate_bytes(message_type, message.xml.encode())


def test_the_structure_check_finds_a_misplaced_and_a_missing_element():
    namespace = codes.namespace("WMO319")
    xml = (
        f'<Bericht xmlns="{namespace}"><Header><BerichtCode>482</BerichtCode></Header>'
        "<Antwoord><VerzoekAntwoord>1</VerzoekAntwoord><ReferentieAanbieder>R</ReferentieAanbieder></Antwoord>"
        "</Bericht>"
    ).encode()
    errors = structure_errors("WMO319", xml)
    assert [error.split(" (")[0] for error in errors] == [
        "Header: BerichtVersie ontbreekt",
        "Antwoord: ReferentieAanbieder ontbreekt",
    ]
    reversed_order = xml.replace(b"<VerzoekAntwoord>1</VerzoekAntwoord>", b"").replace(
        b"</ReferentieAanbieder>", b"</ReferentieAanbieder><VerzoekAntwoord>1</VerzoekAntwoord><Extra/>"
    )
    misplaced = [error.split(" (")[0] for error in structure_errors("WMO319", reversed_order)]
    assert "Antwoord: Extra staat niet op zijn plaats" in misplaced
