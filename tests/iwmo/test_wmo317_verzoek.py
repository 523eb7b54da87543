"""WMO317 verzoek om wijziging in, judged in the inbox's three layers, applied through
providers.services.submit_change_request and answered with a WMO318; the consultant's answer:
granted = a new toewijzing (WMO301), refused (WJ760 1 with WJ759) or in onderzoek (WJ760 2) = a
WMO319. Each test names the rule it tests."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from iwmo import codes, verzoeken, wmo319
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.xml import Header, parse_message
from providers import services as provider_services
from providers.models import Assignment, ChangeRequest
from providers.services import issue_api_token
from tests.factories import TODAY, get_product, issued_assignment
from tests.iwmo.messages import verzoek_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
ACCEPTED, REJECTED = IncomingMessage.Status.ACCEPTED, IncomingMessage.Status.REJECTED


@pytest.fixture
def assignment(provider, consultant):
    """A toewijzing from TODAY - 20, its 301 already delivered."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


def received(raw: bytes, **fields) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="verzoek.xml", today=TODAY, **fields)


def retour_of(incoming: IncomingMessage) -> verzoeken.Retour318:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    assert outgoing.message_type == "WMO318"
    return verzoeken.read_retour(outgoing.xml.encode())


def later(assignment, days=120):
    return assignment.start_date + timedelta(days=days)


# -- round trips ---------------------------------------------------------------------------------


def test_a_317_round_trips_through_xml(assignment, xsd_dir):
    raw = verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), referentie="R1")
    message_type, root = parse_message(raw, expected=("WMO317",))
    message = verzoeken.read(message_type, root)
    assert verzoeken.build(message) == raw
    assert (message.referentie_aanbieder, message.reden_verzoek, message.bsn) == (
        "R1",
        "1",
        assignment.indication.client.bsn,
    )
    (product,) = message.producten
    assert (product.soort, product.nummer, product.einddatum) == (
        verzoeken.TE_WIJZIGEN,
        str(int(assignment.number)),
        later(assignment),
    )


@pytest.mark.parametrize("antwoord, reden", [("1", "7"), ("2", "")])
def test_a_319_round_trips_and_is_generic(antwoord, reden, xsd_dir):
    """WJ760 1 with a WJ759 reason, WJ760 2 without (the builder knows no ChangeRequest)."""
    header = Header("WMO319", sender="0505", receiver="12345678", identification="000000000042", dagtekening=TODAY)
    answer = wmo319.Antwoord(header=header, referentie_aanbieder="REF-9", antwoord=antwoord, reden=reden)
    assert wmo319.read(wmo319.build(answer)) == answer


def test_a_319_refusal_needs_a_wj759_reason():
    header = Header("WMO319", sender="0505", receiver="12345678", identification="1", dagtekening=TODAY)
    with pytest.raises(ValueError):
        wmo319.Antwoord(header=header, referentie_aanbieder="R", antwoord="1")
    with pytest.raises(ValueError):
        wmo319.Antwoord(header=header, referentie_aanbieder="R", antwoord="2", reden="7")


# -- accepted ------------------------------------------------------------------------------------


def test_an_accepted_317_opens_a_change_request_and_gets_a_318_with_0200(assignment, xsd_dir):
    raw = verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), referentie="R-1", reden="2")
    incoming = received(raw)
    assert incoming.status == ACCEPTED and incoming.errors == []
    request = ChangeRequest.objects.get()
    assert (request.assignment, request.requested_end_date, request.requested_product) == (
        assignment,
        later(assignment),
        None,
    )
    assert (request.request_reason, request.reference, request.message_identification) == (
        "2",
        "R-1",
        incoming.identification,
    )
    assert request.incoming_message_id == incoming.pk and request.status == "open"
    retour = retour_of(incoming)
    assert retour.header.message_type == "WMO318" and retour.header.identification == incoming.identification
    assert (retour.header_codes, retour.client_codes, retour.verzoek_codes, retour.product_codes) == (
        ("0200",),
        ("0200",),
        ("0200",),
        (("0200",),),
    )
    event = AuditEvent.objects.filter(object_type="providers.changerequest").get()
    assert event.actor_label.startswith(f"aanbieder {assignment.provider.agb_code} (iWmo WMO317")


def test_a_317_for_another_product_asks_for_that_product(assignment):
    """A TeWijzigenProduct with a NieuwProduct in its place: the requested product."""
    ib3 = get_product("IB3")
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, nieuw_product=ib3))
    assert incoming.status == ACCEPTED
    assert ChangeRequest.objects.get().requested_product == ib3


def test_the_same_bytes_again_change_nothing(assignment):
    raw = verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment))
    first = received(raw)
    assert received(raw) == first
    assert ChangeRequest.objects.count() == 1
    assert OutgoingMessage.objects.filter(message_type="WMO318").count() == 1


# -- rejected, per rule --------------------------------------------------------------------------


def test_tr056_the_same_identification_again_is_9056(assignment):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), identification="V1"))
    again = received(
        verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment, 90), identification="V1")
    )
    assert again.status == REJECTED and retour_of(again).header_codes == ("9056",)
    assert ChangeRequest.objects.count() == 1


def test_tr135_a_dagtekening_in_the_future_is_8848(assignment):
    incoming = received(verzoek_message(assignment, dagtekening=TODAY + timedelta(days=1), einddatum=later(assignment)))
    assert incoming.status == REJECTED and retour_of(incoming).header_codes == ("8848",)
    assert not ChangeRequest.objects.exists()


def test_cs002_a_bsn_failing_the_elfproef_is_0001_on_the_client(assignment):
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), bsn="123456780"))
    retour = retour_of(incoming)
    assert (retour.client_codes, retour.verzoek_codes, retour.product_codes) == (("0001",), ("0233",), (("0233",),))
    assert incoming.status == REJECTED and not ChangeRequest.objects.exists()


def test_tr304_an_unknown_client_is_8187(assignment):
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), bsn="999999990"))
    assert retour_of(incoming).client_codes == ("8187",)
    assert incoming.status == REJECTED


def test_tr351_a_toewijzing_that_is_not_current_is_9351(assignment):
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), nummer="424242"))
    retour = retour_of(incoming)
    # the toewijzing that is current was not named either (TR349)
    assert retour.product_codes == (("9351",),) and retour.verzoek_codes == ("9349",)
    assert incoming.status == REJECTED and not ChangeRequest.objects.exists()


def test_tr350_an_unchanged_product_that_is_not_current_is_9350(assignment):
    raw = verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), ongewijzigd=("424242",))
    retour = retour_of(received(raw))
    assert retour.product_codes == (("9350",), ("0200",))


def test_tr349_every_current_toewijzing_must_be_named(assignment, provider, consultant):
    """A second current toewijzing of the same client at this provider, left out: 9349."""
    client = assignment.indication.client
    other = Assignment.objects.filter(provider=provider).exclude(pk=assignment.pk)
    assert not other.exists()
    second = issued_assignment(provider, consultant, today=TODAY)
    Assignment.objects.filter(pk=second.pk).update(indication=assignment.indication)
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment)))
    assert retour_of(incoming).verzoek_codes == ("9349",)
    named = verzoek_message(
        assignment, dagtekening=TODAY, einddatum=later(assignment), ongewijzigd=(str(int(second.number)),)
    )
    assert received(named).status == ACCEPTED and client.pk == assignment.indication.client_id


def test_tr347_the_referentie_aanbieder_must_be_unique_9347(assignment):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), referentie="DUBBEL"))
    ChangeRequest.objects.update(status=ChangeRequest.Status.REFUSED)
    again = received(
        verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment, 90), referentie="DUBBEL")
    )
    assert retour_of(again).verzoek_codes == ("9347",)


def test_tr357_a_past_gewenste_ingangsdatum_must_be_the_ingangsdatum_9357(assignment):
    raw = verzoek_message(
        assignment,
        dagtekening=TODAY,
        einddatum=later(assignment),
        gewenste_ingangsdatum=assignment.start_date + timedelta(days=1),
    )
    assert retour_of(received(raw)).product_codes == (("9357",),)


def test_wj758_an_unknown_reden_verzoek_is_0001(assignment, xsd_dir):
    """Our own check gives 0001 on the Verzoek; with the official XSD (its LDT_RedenVerzoek
    enumeration) the whole message fails first, 0001 in the header."""
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), reden="9"))
    retour = retour_of(incoming)
    assert (retour.header_codes if xsd_dir else retour.verzoek_codes) == ("0001",) and incoming.status == REJECTED


def test_tr353_a_verzoek_that_asks_nothing_is_0001(assignment):
    """Only an OngewijzigdProduct: no TeWijzigenProduct and no NieuwProduct (TR353)."""
    client = assignment.indication.client
    message = verzoeken.VerzoekOmWijziging(
        header=Header("WMO317", assignment.provider.agb_code, client.municipality.code, "V-353", TODAY),
        bsn=client.bsn,
        referentie_aanbieder="R353",
        reden_verzoek="1",
        producten=[verzoeken.VerzoekProduct(soort=verzoeken.ONGEWIJZIGD, nummer=str(int(assignment.number)))],
    )
    incoming = received(verzoeken.build(message))
    assert retour_of(incoming).verzoek_codes == ("0001",)
    assert "TR353" in incoming.errors[0]["melding"]


def test_s329_an_unknown_product_code_is_s329(assignment):
    ib3 = get_product("IB3")
    ib3.iwmo_code = "99Z99"
    raw = verzoek_message(assignment, dagtekening=TODAY, nieuw_product=ib3)
    assert retour_of(received(raw)).product_codes == (("0200",), ("S329",))


def test_the_service_rules_answer_0001_on_the_verzoek(assignment):
    """submit_change_request's own rule (one open verzoek per toewijzing) answers 0001."""
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment)))
    second = received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment, 90)))
    assert retour_of(second).verzoek_codes == ("0001",)
    assert "Er loopt al een verzoek" in second.errors[0]["melding"]


# -- the consultant's answer ---------------------------------------------------------------------


def wmo319s():
    return [wmo319.read(message.xml.encode()) for message in OutgoingMessage.objects.filter(message_type="WMO319")]


def test_a_refused_verzoek_is_answered_with_a_319_wj760_1_and_its_wj759(assignment, consultant, xsd_dir):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), referentie="R-AF"))
    request = provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=False, reason="Past niet.", refusal_reason="4", today=TODAY
    )
    assert (request.status, request.answer_kind, request.refusal_reason) == ("afgewezen", "1", "4")
    (answer,) = wmo319s()
    assert (answer.referentie_aanbieder, answer.antwoord, answer.reden) == ("R-AF", "1", "4")
    assert (answer.header.sender, answer.header.receiver) == ("0505", assignment.provider.agb_code)


def test_in_onderzoek_keeps_the_verzoek_open_and_sends_a_319_wj760_2(assignment, consultant):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment), referentie="R-OZ"))
    request = provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=False, in_review=True, reason="We kijken.", today=TODAY
    )
    assert (request.status, request.answer_kind) == ("open", "2") and request.can_be_answered
    (answer,) = wmo319s()
    assert (answer.antwoord, answer.reden) == ("2", "")


def test_a_refusal_without_a_wj759_reason_is_refused(assignment, consultant):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment)))
    with pytest.raises(Exception) as error:
        provider_services.answer_change_request(
            ChangeRequest.objects.get(), by=consultant, accept=False, reason="Nee.", today=TODAY
        )
    assert "WJ759" in str(error.value)
    assert not wmo319s() and ChangeRequest.objects.get().status == "open"


def test_a_granted_verzoek_is_answered_with_a_new_toewijzing_and_its_301_not_a_319(assignment, consultant):
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=later(assignment, 200)))
    before = OutgoingMessage.objects.filter(message_type="WMO301").count()
    request = provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=True, reason="Akkoord.", today=TODAY
    )
    assert request.status == "toegekend" and request.answer_kind == ""
    new = Assignment.objects.get(indication=request.follow_up)
    assert new.end_date == later(assignment, 200) and new.provider == assignment.provider
    assert OutgoingMessage.objects.filter(message_type="WMO301").count() > before
    assert not wmo319s()


def test_a_rest_verzoek_gets_no_319(assignment, consultant):
    request = provider_services.submit_change_request(
        assignment, motivation="Meer tijd.", by=None, end_date=later(assignment), today=TODAY
    )
    provider_services.answer_change_request(
        request, by=consultant, accept=False, reason="Nee.", refusal_reason="7", today=TODAY
    )
    assert not wmo319s()


def test_wj_codes_have_dutch_meanings():
    assert codes.RedenVerzoek("1").label == "verandering cliëntsituatie"
    assert codes.RedenAfwijzingVerzoek("7").label == "zorginhoudelijke afkeur"
    assert codes.VerzoekAntwoord("2").label == "aanvraag in onderzoek"


def test_a_317_over_https_and_from_a_folder_is_received(client, provider, consultant, tmp_path):
    """POST /iwmo/berichten/ and iwmo_import take the 317 through the same inbox dispatch."""
    today = timezone.localdate()  # the endpoint and the command read the clock
    assignment = issued_assignment(provider, consultant, today=today)
    _token, key = issue_api_token(assignment.provider, name="iWmo-koppeling", by=consultant)
    raw = verzoek_message(assignment, dagtekening=today, einddatum=later(assignment))
    response = client.post(
        "/iwmo/berichten/", data=raw, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200 and response.json()["status"] == "geaccepteerd"
    assert response.json()["retour"]["berichtsoort"] == "WMO318"
    ChangeRequest.objects.update(status=ChangeRequest.Status.REFUSED)
    (tmp_path / "verzoek.xml").write_bytes(
        verzoek_message(assignment, dagtekening=today, einddatum=later(assignment, 90))
    )
    call_command("iwmo_import", str(tmp_path))
    assert ChangeRequest.objects.filter(status="open").count() == 1
