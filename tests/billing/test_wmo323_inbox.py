"""A WMO323 through the iWmo inbox (a folder, `iwmo_import`, `POST /iwmo/berichten/`): parsed, its
in-message conditions checked, the other lines judged by billing.services.submit_declaratie (here a
stand-in with a known answer: the real service is built on another branch) and answered by exactly
one WMO325 in the outbox; a resent 323 changes nothing; an unreadable one gets a 325 with only its
Header."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from billing import services, wmo325
from billing.types import DeclaratieOutcome, PrestatieDecision
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers.services import issue_api_token
from tests.billing.messages import BSN_B, SENT_ON, declaratie, line, message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
TODAY = SENT_ON


class StandIn:
    """submit_declaratie with a known answer: every line accepted except those of assignment 20073
    (9340: another ProductCode than the toewijzing's) and the prejudged ones (their codes);
    records what it was given."""

    def __init__(self):
        self.calls = []

    def __call__(self, declaratie, *, prejudged=None, **kwargs):
        self.calls.append((declaratie, {**kwargs, "prejudged": prejudged or {}}))
        decisions = tuple(
            PrestatieDecision(index, False, tuple(prejudged[index]))
            if prejudged and index in prejudged
            else PrestatieDecision(
                index,
                prestatie.assignment_number != "20073",
                ("0200",) if prestatie.assignment_number != "20073" else ("9340",),
            )
            for index, prestatie in enumerate(declaratie.prestaties)
        )
        granted = sum(p.signed_cents for d, p in zip(decisions, declaratie.prestaties, strict=True) if d.accepted)
        return DeclaratieOutcome((), decisions, submitted_cents=declaratie.signed_total_cents, granted_cents=granted)


@pytest.fixture
def service(monkeypatch):
    stand_in = StandIn()
    monkeypatch.setattr(services, "submit_declaratie", stand_in)
    return stand_in


def received(raw: bytes, **fields) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="declaratie.xml", today=TODAY, **fields)


def answer_to(incoming: IncomingMessage) -> wmo325.Declaratieantwoord:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    assert outgoing.message_type == "WMO325" and outgoing.receiver == incoming.provider.agb_code
    answer = wmo325.read(outgoing.xml.encode())
    assert (answer.header.sender, answer.header.receiver) == (outgoing.sender, outgoing.receiver)
    assert answer.header.identification == outgoing.identification
    return answer


def test_a_323_is_judged_by_the_service_and_answered_with_one_325(provider, service, xsd_dir):
    incoming = received(message(sender=provider.agb_code))
    assert incoming.message_type == "WMO323" and incoming.status == IncomingMessage.Status.PARTLY_ACCEPTED
    ((given, kwargs),) = service.calls
    assert given == declaratie()
    assert kwargs["provider"] == provider and kwargs["municipality"].code == "0505"
    assert kwargs["identification"] == "D00000000001" and kwargs["incoming_message"] == incoming
    assert kwargs["today"] == TODAY and kwargs["channel"] == "iwmo"
    answer = answer_to(incoming)
    assert answer.header_codes == ("0200",) and answer.declaratie_codes == ("0200",)
    assert (answer.submitted_cents, answer.granted_cents) == (34000, 10000)
    assert [(r.prestatie.reference, r.codes) for r in answer.rejected] == [("RN002", ("9340",))]
    assert [error["element"] for error in incoming.errors] == ["Prestatie RN002"]


def test_lines_rejected_by_a_condition_are_given_to_the_service_as_prejudged(provider, service, xsd_dir):
    decl = declaratie(
        line("RN001"),
        line("RN002", assignment_number="20075", tariff_cents=None),  # CD087
        line("RN003", assignment_number="20073"),
        line("RN004", bsn="123456789", assignment_number="20076"),  # CS002
        line("RN005", bsn=BSN_B, assignment_number="20074"),
    )
    incoming = received(message(decl, sender=provider.agb_code))
    ((given, kwargs),) = service.calls
    # The whole declaratie as sent, with the lines the conditions rejected and their codes.
    assert given == decl
    assert kwargs["prejudged"] == {1: ("0001",), 3: ("0233",)}
    answer = answer_to(incoming)
    assert [(r.prestatie.reference, r.codes) for r in answer.rejected] == [
        ("RN002", ("0001",)),
        ("RN003", ("9340",)),
        ("RN004", ("0233",)),
    ]
    assert answer.client_codes["123456789"] == ("0001",)
    assert (answer.submitted_cents, answer.granted_cents) == (25000, 10000)
    assert incoming.status == IncomingMessage.Status.PARTLY_ACCEPTED


def test_a_condition_on_the_declaratie_rejects_it_without_the_service_TR358(provider, service, xsd_dir):
    decl = replace(declaratie(), total_cents=1)
    incoming = received(message(decl, sender=provider.agb_code))
    assert service.calls == [] and incoming.status == IncomingMessage.Status.REJECTED
    answer = answer_to(incoming)
    assert answer.header_codes == ("0200",) and answer.declaratie_codes == ("0001",)
    assert answer.rejected == () and (answer.submitted_cents, answer.granted_cents) == (1, 0)
    assert "TR358" in incoming.errors[0]["melding"]


def test_the_same_bytes_again_are_answered_once(provider, service):
    raw = message(sender=provider.agb_code)
    first, second = received(raw), received(raw)
    assert first.pk == second.pk and len(service.calls) == 1
    assert OutgoingMessage.objects.filter(message_type="WMO325").count() == 1


def test_the_same_identification_again_changes_nothing_TR056(provider, service, xsd_dir):
    first = received(message(sender=provider.agb_code))
    again = received(message(declaratie(line("RN009")), sender=provider.agb_code))
    assert len(service.calls) == 1 and again.status == IncomingMessage.Status.REJECTED
    answer = answer_to(again)
    assert answer.header_codes == ("9056",) and answer.number == "" and answer.rejected == ()
    assert answer.declaratie_identification == first.identification


def test_a_malformed_323_is_rejected_technically_with_a_325(provider, service, xsd_dir):
    raw = message(sender=provider.agb_code).replace(b"<wmo323:Eenheid>82<", b"<wmo323:Eenheid>99<", 1)
    incoming = received(raw)
    assert service.calls == [] and incoming.status == IncomingMessage.Status.REJECTED
    answer = answer_to(incoming)
    assert answer.header_codes == ("0001",) and answer.rejected == () and answer.number == ""


def test_a_refusal_of_the_service_rejects_the_declaratie_as_a_whole(provider, monkeypatch, xsd_dir):
    def refuses(declaratie, **kwargs):
        raise ValidationError("Geen contract voor deze periode.")

    monkeypatch.setattr(services, "submit_declaratie", refuses)
    incoming = received(message(sender=provider.agb_code))
    answer = answer_to(incoming)
    assert answer.declaratie_codes == ("0001",) and answer.granted_cents == 0 and answer.rejected == ()
    assert incoming.errors[0]["melding"] == "Geen contract voor deze periode."


def test_over_https_a_323_is_answered_with_its_325(client, provider, consultant, service):
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    raw = message(sender=provider.agb_code, dagtekening=timezone.localdate())
    response = client.post(
        "/iwmo/berichten/", data=raw, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert response.json()["retour"]["berichtsoort"] == "WMO325"
    assert IncomingMessage.objects.get().channel == IncomingMessage.Channel.HTTPS and len(service.calls) == 1


def test_over_https_a_323_in_another_providers_name_is_a_technical_rejection(client, provider, consultant, service):
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    raw = message(sender="87654321", dagtekening=timezone.localdate())
    response = client.post(
        "/iwmo/berichten/", data=raw, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200 and service.calls == []
    answer = answer_to(IncomingMessage.objects.get())
    assert answer.header_codes == ("0001",) and answer.header.receiver == provider.agb_code


def test_iwmo_import_receives_a_323_from_a_folder(provider, service, tmp_path):
    (tmp_path / "declaratie.xml").write_bytes(message(sender=provider.agb_code))
    call_command("iwmo_import", str(tmp_path))
    incoming = IncomingMessage.objects.get()
    assert incoming.message_type == "WMO323" and answer_to(incoming).granted_cents == 10000
