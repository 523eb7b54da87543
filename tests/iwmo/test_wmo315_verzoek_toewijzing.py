"""Incoming WMO315 verzoek om toewijzing: judged in three layers (structure, the in-message conditions
CS/CD/TR-xslt, the technical rules against the database), registered as an open verzoek through
providers.services.submit_assignment_request, answered with a WMO316 that carries the WJ001 codes
per element, and granted by the toewijzing of the normal route (its WMO301 echoes the
ReferentieAanbieder). Each test names the rule it tests."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from indications.models import Product
from indications.services import issue_beschikking
from iwmo import verzoek_toewijzing as vot
from iwmo import wmo301, wmo319
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.xml import Header
from providers import hooks
from providers.models import AssignmentRequest
from providers.services import (
    RequestedAssignment,
    answer_assignment_request,
    issue_api_token,
    submit_assignment_request,
)
from tests.factories import (
    TODAY,
    IndicationFactory,
    ZrmAssessmentFactory,
    bsn_for,
    contracted_provider,
)

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER
ACCEPTED, REJECTED, PARTLY = (
    IncomingMessage.Status.ACCEPTED,
    IncomingMessage.Status.REJECTED,
    IncomingMessage.Status.PARTLY_ACCEPTED,
)
_counter = iter(range(1, 10**9))


def product(reference="REF-1", *, code="02A06", start=TODAY, end=TODAY + timedelta(days=180), **fields):
    values = {
        "referentie": reference,
        "toewijzing_ingangsdatum": start,
        "toewijzing_einddatum": end,
        "verwijzer_type": "01",  # gemeente
        "verwijzer_naam": "",
        "categorie": "02",
        "code": code,
        "omvang": vot.Omvang(volume="1", eenheid="82", frequentie="4") if code else None,
        "commentaar": "Cliënt meldde zich bij ons na ontslag uit de kliniek.",
    }
    values.update(fields)
    return vot.AangevraagdProduct(**values)


def verzoek(
    provider,
    client=None,
    *,
    products=None,
    bsn=None,
    identification=None,
    dagtekening=TODAY,
    receiver="0505",
    geboortedatum: str = "",
    datum_gebruik: str = "",
) -> bytes:
    message = vot.VerzoekOmToewijzing(
        header=Header(
            message_type="WMO315",
            sender=provider.agb_code,
            receiver=receiver,
            identification=identification or f"V{next(_counter):011d}",
            dagtekening=dagtekening,
        ),
        client=vot.regie.RegieClient(
            bsn=bsn or client.bsn,
            geboortedatum=geboortedatum or (client.date_of_birth.isoformat() if client else "1980-01-01"),
            datum_gebruik=datum_gebruik,
            geslacht="1",
            achternaam=client.last_name if client else "Onbekend",
            voornamen=client.first_name if client else "",
        ),
        producten=products or [product()],
    )
    return vot.build(message)


def received(raw: bytes, **fields) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="verzoek.xml", today=TODAY, **fields)


def retour_of(incoming: IncomingMessage):
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    assert outgoing.message_type == "WMO316"
    return vot.read_retour(outgoing.xml.encode())


def codes_of(incoming):
    _header, retour, _references = retour_of(incoming)
    return retour.header_codes, retour.client_codes, retour.product_codes


@pytest.fixture
def client_of_ours(db):
    return ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=TODAY - timedelta(days=30)).client


@pytest.fixture
def answered():
    """The answers the hook assignment_request_answered reports (the WMO319 builder connects here)."""
    seen = []
    hooks.assignment_request_answered.register(seen.append)
    yield seen
    hooks.assignment_request_answered.unregister(seen.append)


def vaststelling(client, provider, consultant, *, product="IB1", start=TODAY):
    indication = IndicationFactory(
        client=client,
        consultant=consultant,
        provider=provider,
        product=Product.objects.get(code=product),
        start_date=start,
        end_date=start + timedelta(days=200),
        aanvraag__received_on=start - timedelta(days=5),
    )
    issue_beschikking(indication, by=consultant, today=TODAY, decision_date=TODAY - timedelta(days=1))
    return indication.assignments.get()


# -- accepted and the round trip -------------------------------------------------------------


def test_an_accepted_315_registers_an_open_verzoek_and_gets_a_316_with_0200(provider, client_of_ours, xsd_dir):
    incoming = received(verzoek(provider, client_of_ours))
    assert incoming.status == ACCEPTED and incoming.errors == []
    assert (incoming.message_type, incoming.provider, incoming.client) == ("WMO315", provider, client_of_ours)
    request = AssignmentRequest.objects.get()
    assert (request.provider, request.client, request.reference, request.status) == (
        provider,
        client_of_ours,
        "REF-1",
        AssignmentRequest.Status.OPEN,
    )
    assert request.product.code == "IB1" and (request.start_date, request.end_date) == (TODAY, TODAY + timedelta(180))
    assert (request.volume, request.unit, request.frequency) == (1, "82", "4")
    assert request.message_uuid == incoming.uuid and request.message_identification == incoming.identification
    assert "kliniek" in request.comment
    header, retour, references = retour_of(incoming)
    assert (header.message_type, header.identification) == ("WMO316", incoming.identification)
    assert (retour.header_codes, retour.client_codes, retour.product_codes) == (("0200",), ("0200",), (("0200",),))
    assert references == ["REF-1"]
    outgoing = incoming.retour
    assert (outgoing.sender, outgoing.receiver) == ("0505", provider.agb_code)
    event = AuditEvent.objects.get(object_type="providers.assignmentrequest", action=AuditEvent.Action.CREATE)
    assert event.actor_label.startswith(f"aanbieder {provider.agb_code} (iWmo WMO315")


def test_the_315_written_and_read_back_is_the_same_data(provider, client_of_ours):
    raw = verzoek(provider, client_of_ours, products=[product(), product("REF-2", code="", budget="", categorie="02")])
    message = vot.read(vot.parse_message(raw, expected=("WMO315",))[1])
    assert [p.referentie for p in message.producten] == ["REF-1", "REF-2"]
    first = message.producten[0]
    assert (first.code, first.toewijzing_ingangsdatum, first.omvang) == ("02A06", TODAY, vot.Omvang("1", "82", "4"))
    assert message.producten[1].omvang is None and message.client.bsn == client_of_ours.bsn


def test_the_same_bytes_again_register_nothing_new(provider, client_of_ours):
    raw = verzoek(provider, client_of_ours)
    first = received(raw)
    assert received(raw) == first
    assert AssignmentRequest.objects.count() == 1 and OutgoingMessage.objects.filter(in_reply_to=first).count() == 1


def test_two_products_in_one_message_are_two_verzoeken_each_answered(provider, client_of_ours):
    """Processen_WMO: each AangevraagdProduct is judged and answered on its own (TR374 counts only
    earlier messages)."""
    incoming = received(verzoek(provider, client_of_ours, products=[product(), product("REF-2", code="02A07")]))
    assert incoming.status == ACCEPTED
    assert AssignmentRequest.objects.filter(status="open").count() == 2
    assert codes_of(incoming)[2] == (("0200",), ("0200",))


# -- layer 1 and the header rules ------------------------------------------------------------


def test_tr056_an_identification_used_before_is_9056(provider, client_of_ours):
    received(verzoek(provider, client_of_ours, identification="DUBBEL"))
    again = received(verzoek(provider, client_of_ours, identification="DUBBEL", products=[product("REF-9")]))
    assert again.status == REJECTED and codes_of(again)[0] == ("9056",)
    assert AssignmentRequest.objects.count() == 1


def test_tr135_a_dagtekening_after_today_is_8848(provider, client_of_ours):
    incoming = received(verzoek(provider, client_of_ours, dagtekening=TODAY + timedelta(days=1)))
    assert incoming.status == REJECTED and codes_of(incoming)[0] == ("8848",)
    assert not AssignmentRequest.objects.exists()


def test_tr378_an_unknown_municipality_is_s300(provider, client_of_ours):
    incoming = received(verzoek(provider, client_of_ours, receiver="9999"))
    assert incoming.status == REJECTED and codes_of(incoming)[0] == ("S300",)


def test_a_malformed_315_is_a_technical_rejection_0001(provider, client_of_ours):
    raw = verzoek(provider, client_of_ours).replace(b"<wmo315:AangevraagdeProducten>", b"<wmo315:Iets>", 1)
    incoming = received(raw)
    assert incoming.status == REJECTED and incoming.errors[0]["codes"] == ["0001"]


# -- layer 2: the in-message conditions ------------------------------------------------------


def test_cs002_a_bsn_failing_the_elfproef_is_0001_on_the_client_and_0233_on_its_products(provider):
    incoming = received(verzoek(provider, bsn="123456789"))
    assert codes_of(incoming) == (("0200",), ("0001",), (("0233",),))
    assert incoming.status == REJECTED and not AssignmentRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"toewijzing_einddatum": TODAY - timedelta(days=1)}, "CS003"),
        ({"omvang": None}, "CD041"),
        ({"categorie": "", "code": "", "omvang": None}, "CD079"),
        ({"beschikkingnummer": "1234"}, "CD043"),
        ({"omvang": vot.Omvang("1", "82", "2"), "toewijzing_einddatum": None}, "CD076"),
        ({"budget": "1000", "omvang": None, "toewijzing_einddatum": None}, "CD075"),
    ],
)
def test_an_in_message_condition_is_0001_on_its_product(provider, client_of_ours, fields, rule):
    incoming = received(verzoek(provider, client_of_ours, products=[product(**fields)]))
    assert codes_of(incoming)[2] == (("0001",),)
    assert rule in incoming.errors[0]["melding"] and incoming.status == REJECTED


def test_tr383_a_referentie_twice_in_the_message_is_0001_on_the_second(provider, client_of_ours):
    incoming = received(verzoek(provider, client_of_ours, products=[product(), product(code="02A07")]))
    assert codes_of(incoming)[2] == (("0200",), ("0001",)) and incoming.status == PARTLY
    assert "TR383" in incoming.errors[0]["melding"]


def test_tr386_the_same_product_twice_for_overlapping_periods_is_0001(provider, client_of_ours):
    later = product("REF-2", start=TODAY + timedelta(days=30))
    incoming = received(verzoek(provider, client_of_ours, products=[product(), later]))
    assert codes_of(incoming)[2] == (("0200",), ("0001",)) and "TR386" in incoming.errors[0]["melding"]
    apart = product("REF-3", start=TODAY + timedelta(days=181), end=None)
    other = received(verzoek(provider, bsn=bsn_for(777), products=[product("REF-4"), apart]))
    assert codes_of(other)[2] == (("0200",), ("0200",))


# -- layer 3: the rules against the database -------------------------------------------------


def test_tr347_a_referentie_used_before_by_this_provider_is_9347(provider, client_of_ours, consultant):
    first = received(verzoek(provider, client_of_ours))
    AssignmentRequest.objects.update(status="afgewezen", rejection_reason="7")  # answered: TR374 is not in the way
    again = received(verzoek(provider, client_of_ours))
    assert codes_of(again)[2] == (("9347",),) and again.status == REJECTED
    assert first.status == ACCEPTED and AssignmentRequest.objects.count() == 1
    other_provider = contracted_provider(name="Andere aanbieder")
    assert codes_of(received(verzoek(other_provider, client_of_ours)))[2] == (("0200",),)


def test_tr374_a_second_verzoek_while_one_is_onderhanden_is_9374(provider, client_of_ours):
    received(verzoek(provider, client_of_ours))
    again = received(verzoek(provider, client_of_ours, products=[product("REF-2")]))
    assert codes_of(again)[2] == (("9374",),) and AssignmentRequest.objects.count() == 1


def test_tr381_a_product_code_we_do_not_know_is_s329(provider, client_of_ours):
    incoming = received(verzoek(provider, client_of_ours, products=[product(code="99X99")]))
    assert codes_of(incoming)[2] == (("S329",),) and not AssignmentRequest.objects.exists()


def test_a_product_without_contract_is_accepted_and_rejected_at_once_with_wj759_3(client_of_ours, answered):
    """No WJ001 code says "geen contract": the 316 accepts it (0200) and the municipality rejects it
    with WJ759 3 (geen contract), for the WMO319 that the hook's callback sends."""
    uncontracted = contracted_provider(name="Zonder contract")
    uncontracted.contracts.all().delete()
    incoming = received(verzoek(uncontracted, client_of_ours))
    assert codes_of(incoming)[2] == (("0200",),)
    request = AssignmentRequest.objects.get()
    assert (request.status, request.rejection_reason) == ("afgewezen", "3") and "contract" in request.motivation
    assert answered == [
        hooks.AssignmentRequestAnswered(
            request_id=request.pk,
            provider_id=uncontracted.pk,
            client_id=client_of_ours.pk,
            accepted=False,
            wj759_reden="3",
            today=TODAY,
        )
    ]


def test_a_rejected_315_is_answered_by_a_wmo319_with_wj760_1_and_its_wj759_reason(client_of_ours):
    """The WMO319 answers a verzoek om toewijzing that is not granted: VerzoekAntwoord 1 (WJ760), the
    RedenAfwijzingVerzoek (WJ759) and the verzoek's own ReferentieAanbieder (TR355)."""
    uncontracted = contracted_provider(name="Zonder contract")
    uncontracted.contracts.all().delete()
    received(verzoek(uncontracted, client_of_ours))
    request = AssignmentRequest.objects.get()
    (outgoing,) = OutgoingMessage.objects.filter(message_type="WMO319")
    answer = wmo319.read(outgoing.xml.encode())
    assert (answer.referentie_aanbieder, answer.antwoord, answer.reden) == (request.reference, "1", "3")
    assert (answer.header.sender, answer.header.receiver) == (client_of_ours.municipality.code, uncontracted.agb_code)
    assert (outgoing.client, outgoing.provider) == (client_of_ours, uncontracted)


def test_a_consultant_rejecting_a_315_of_an_unknown_bsn_answers_from_the_municipality_addressed(provider, consultant):
    received(verzoek(provider, bsn=bsn_for(4343)))
    request = AssignmentRequest.objects.get()
    answer_assignment_request(request, by=consultant, accept=False, reason="5", motivation="Andere gemeente.")
    (outgoing,) = OutgoingMessage.objects.filter(message_type="WMO319")
    answer = wmo319.read(outgoing.xml.encode())
    assert (answer.header.sender, answer.antwoord, answer.reden) == ("0505", "1", "5")
    assert outgoing.client is None


def test_a_315_through_no_message_gets_no_wmo319(provider, client_of_ours, consultant):
    """Only a verzoek that came in as a WMO315 is answered in iWmo."""
    request = submit_assignment_request(
        provider, bsn=client_of_ours.bsn, requested=RequestedAssignment("R-9", "02", "02A06", TODAY), by=None
    )
    answer_assignment_request(request, by=consultant, accept=False, reason="7", motivation="Past niet.")
    assert not OutgoingMessage.objects.filter(message_type="WMO319").exists()


def test_a_bsn_we_do_not_know_is_registered_without_a_client(provider):
    """No technical rule of the 315 refuses an unknown client: 0200, and the consultant answers it."""
    incoming = received(verzoek(provider, bsn=bsn_for(4242)))
    assert codes_of(incoming) == (("0200",), ("0200",), (("0200",),))
    request = AssignmentRequest.objects.get()
    assert request.client is None and request.bsn == bsn_for(4242) and request.status == "open"


# -- the other faces: iwmo_import and POST /iwmo/berichten/ ----------------------------------


def test_iwmo_import_accepts_a_315(provider, client_of_ours, tmp_path):
    (tmp_path / "WMO315_1.xml").write_bytes(verzoek(provider, client_of_ours))
    call_command("iwmo_import", str(tmp_path))
    assert IncomingMessage.objects.get().message_type == "WMO315" and AssignmentRequest.objects.count() == 1


def test_post_iwmo_berichten_accepts_a_315(client, provider, client_of_ours, consultant):
    _token, key = issue_api_token(provider, name="iWmo-koppeling", by=consultant)
    raw = verzoek(provider, client_of_ours, dagtekening=timezone.localdate())
    response = client.post(
        "/iwmo/berichten/", data=raw, content_type="application/xml", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert response.json()["retour"]["berichtsoort"] == "WMO316" and AssignmentRequest.objects.count() == 1


# -- granted by the normal route: the 301 answers the 315 ----------------------------------------


def test_the_vaststelling_with_that_provider_grants_the_verzoek_and_its_301_carries_the_referentie(
    provider, client_of_ours, consultant, answered
):
    """TR374: a verzoek is onderhanden until a WMO301 with its ReferentieAanbieder is sent."""
    received(verzoek(provider, client_of_ours))
    request = AssignmentRequest.objects.get()
    assignment = vaststelling(client_of_ours, provider, consultant)
    request.refresh_from_db()
    assert (request.status, request.assignment) == ("toegekend", assignment)
    assert request.answered_by == consultant and request.answered_at is not None
    (message,) = OutgoingMessage.objects.filter(message_type="WMO301", provider=provider, client=client_of_ours)
    (toegewezen,) = wmo301.parse(message.xml.encode()).producten
    assert toegewezen.referentie_aanbieder == "REF-1" and toegewezen.nummer == int(assignment.number)
    assert answered[-1].accepted is True and answered[-1].request_id == request.pk
    # Answered: a new verzoek of this provider for this client is no longer TR374.
    again = received(verzoek(provider, client_of_ours, products=[product("REF-2", code="02A07")]))
    assert codes_of(again)[2] == (("0200",),)


def test_a_toewijzing_to_another_provider_leaves_the_verzoek_open(provider, client_of_ours, consultant):
    received(verzoek(provider, client_of_ours))
    vaststelling(client_of_ours, contracted_provider(name="Andere aanbieder"), consultant)
    assert AssignmentRequest.objects.get().status == "open"


def test_of_two_verzoeken_the_toewijzing_answers_the_one_for_its_product(provider, client_of_ours, consultant):
    received(verzoek(provider, client_of_ours, products=[product("REF-IB2", code="02A07"), product("REF-IB1")]))
    assignment = vaststelling(client_of_ours, provider, consultant, product="IB1")
    assert AssignmentRequest.objects.get(reference="REF-IB1").assignment == assignment
    assert AssignmentRequest.objects.get(reference="REF-IB2").status == "open"


def test_a_toewijzing_of_another_product_still_answers_the_verzoek(provider, client_of_ours, consultant):
    received(verzoek(provider, client_of_ours, products=[product(code="02A09")]))  # IB3 asked
    assignment = vaststelling(client_of_ours, provider, consultant, product="IB1")
    assert AssignmentRequest.objects.get().assignment == assignment
