"""A WMO317's NieuwProduct (and TeWijzigenProduct) with its GewensteIngangsdatum and an Omvang or a
Budget: read, stored on the ChangeRequest, shown on the beschikking page where the consultant
answers it, and the GewensteIngangsdatum is the proposed start of the grant
(providers.services.proposed_start)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iwmo import verzoeken
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.verzoek_toewijzing import Omvang
from iwmo.xml import parse_message
from providers import services as provider_services
from providers.models import ChangeRequest
from tests.factories import TODAY, get_product, issued_assignment
from tests.iwmo.messages import verzoek_message

pytestmark = pytest.mark.django_db

FOLDER = IncomingMessage.Channel.FOLDER


@pytest.fixture
def assignment(provider, consultant):
    assignment = issued_assignment(provider, consultant, today=TODAY)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


def received(raw: bytes) -> IncomingMessage:
    return receive(raw, channel=FOLDER, file_name="verzoek.xml", today=TODAY)


def product_codes(incoming) -> tuple:
    (outgoing,) = OutgoingMessage.objects.filter(in_reply_to=incoming)
    return verzoeken.read_retour(outgoing.xml.encode()).product_codes


def test_a_new_product_with_its_omvang_and_start_is_stored(assignment, xsd_dir):
    wanted = TODAY + timedelta(days=14)
    raw = verzoek_message(
        assignment,
        dagtekening=TODAY,
        nieuw_product=get_product("IB3"),
        nieuw_ingangsdatum=wanted,
        omvang=Omvang(volume="6", eenheid="82", frequentie="4"),
    )
    message = verzoeken.read(*parse_message(raw, expected=("WMO317",)))
    (new,) = message.of(verzoeken.NIEUW)
    assert (new.omvang, new.budget, new.fouten) == (Omvang("6", "82", "4"), "", [])
    assert verzoeken.build(message) == raw  # written and read back alike
    incoming = received(raw)
    assert incoming.status == IncomingMessage.Status.ACCEPTED, incoming.errors
    request = ChangeRequest.objects.get()
    assert (request.requested_start_date, request.requested_volume, request.requested_unit) == (wanted, 6, "82")
    assert (request.requested_frequency, request.requested_budget) == ("4", None)


def test_a_budget_is_stored_in_eurocent(assignment):
    raw = verzoek_message(assignment, dagtekening=TODAY, nieuw_product=get_product("IB3"), budget="125050")
    assert received(raw).status == IncomingMessage.Status.ACCEPTED
    request = ChangeRequest.objects.get()
    assert (request.requested_budget, str(request.requested_budget_euros), request.requested_volume) == (
        125050,
        "1250.5",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"omvang": Omvang("6", "82", "4"), "budget": "1000"}, "CD077/CD078: Omvang en Budget samen"),
        ({"budget": "12,50"}, "LDT_Budget: eurocent"),
        ({"omvang": Omvang("zes", "82", "4")}, "Volume geen getal"),
    ],
)
def test_a_bad_omvang_or_budget_is_0001_on_the_new_product(assignment, fields, rule):
    """Our own checks (without the official XSD, which refuses the last two as a whole message)."""
    incoming = received(verzoek_message(assignment, dagtekening=TODAY, nieuw_product=get_product("IB3"), **fields))
    assert incoming.status == IncomingMessage.Status.REJECTED, rule
    assert product_codes(incoming) == (("0200",), ("0001",)), rule
    assert not ChangeRequest.objects.exists()


def test_the_service_refuses_omvang_and_budget_together_and_a_start_before_the_toewijzing(assignment):
    for fields, key in (
        ({"volume": 2, "unit": "82", "frequency": "4", "budget": 100}, "budget"),
        ({"start_date": assignment.start_date - timedelta(days=1)}, "ingangsdatum"),
    ):
        with pytest.raises(ValidationError) as error:
            provider_services.submit_change_request(
                assignment, motivation="Meer.", by=None, end_date=assignment.start_date + timedelta(days=90), **fields
            )
        assert key in error.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_the_gewenste_ingangsdatum_is_the_start_of_the_grant(assignment, consultant):
    wanted = TODAY + timedelta(days=10)
    received(
        verzoek_message(assignment, dagtekening=TODAY, nieuw_product=get_product("IB3"), nieuw_ingangsdatum=wanted)
    )
    request = provider_services.answer_change_request(
        ChangeRequest.objects.get(), by=consultant, accept=True, reason="Akkoord.", today=TODAY
    )
    assert request.follow_up.start_date == wanted  # (a scale-up to IB3 may wait for four eyes first)


def test_a_past_gewenste_ingangsdatum_is_not_a_start_back_in_time(assignment):
    """A TeWijzigenProduct's past GewensteIngangsdatum is its Ingangsdatum (TR357): the grant starts today."""
    received(verzoek_message(assignment, dagtekening=TODAY, einddatum=assignment.start_date + timedelta(days=200)))
    request = ChangeRequest.objects.get()
    assert request.requested_start_date == assignment.start_date
    assert provider_services.proposed_start(request, today=TODAY) == TODAY


def test_the_beschikking_page_shows_the_start_the_omvang_and_the_budget(client, assignment, consultant):
    wanted = TODAY + timedelta(days=14)
    received(
        verzoek_message(
            assignment,
            dagtekening=TODAY,
            nieuw_product=get_product("IB3"),
            nieuw_ingangsdatum=wanted,
            omvang=Omvang("6", "82", "4"),
        )
    )
    client.force_login(consultant)
    page = client.get(reverse("indications:indication_detail", args=[assignment.indication.uuid]))
    html = page.content.decode()
    assert f"gewenst vanaf {wanted:%d-%m-%Y}" in html and "omvang 6 (eenheid 82, frequentie 4)" in html
    ChangeRequest.objects.update(requested_volume=None, requested_unit="", requested_frequency="", requested_budget=99)
    html = client.get(reverse("indications:indication_detail", args=[assignment.indication.uuid])).content.decode()
    assert "budget € 0,99" in html and "omvang 6" not in html
