"""With IWMO_XSD_DIR set, every message in and out is validated against the XSD in that folder: an
incoming one that fails is a technical rejection (0001) answered in its retour, an outgoing one that
fails never leaves and rolls back the change that caused it. (The official XSD set is not shipped:
these tests use a deliberately strict schema of their own.)"""

import pytest
from django.core.exceptions import ValidationError

from iwmo import codes, regie, xml
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.models import Assignment
from tests.factories import TODAY, issued_assignment
from tests.iwmo.messages import start_message

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
