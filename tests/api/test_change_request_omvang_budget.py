"""The REST verzoek om wijziging carries the GewensteIngangsdatum and an Omvang or a Budget as the
WMO317 does (CD077/CD078: not both), through the same service (providers.services.submit_change_request),
read back on GET with the codes' Dutch meaning; bad input is a 400 with a Dutch message per field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.verzoek_toewijzing import Omvang
from providers.models import ChangeRequest
from tests.api.test_provider_api import api_for
from tests.factories import get_product, issued_assignment
from tests.iwmo.messages import verzoek_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(provider, consultant):
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


@pytest.fixture
def api(provider):
    return api_for(provider)


def ask(api, assignment, **fields):
    body = {"berichtId": "v1", "product": "IB3", "motivering": "Meer nodig", **fields}
    return api.post(f"/api/v1/toewijzingen/{assignment.number}/wijzigingsverzoeken/", body, format="json")


def test_an_omvang_and_a_start_are_stored_and_read_back_with_their_meaning(api, assignment):
    wanted = timezone.localdate() + timedelta(days=14)
    omvang = {"volume": 6, "eenheid": "82", "frequentie": "4"}
    created = ask(api, assignment, ingangsdatum=str(wanted), omvang=omvang)
    assert created.status_code == 201, created.content
    request = ChangeRequest.objects.get()
    assert (request.requested_start_date, request.requested_volume, request.requested_unit) == (wanted, 6, "82")
    assert (request.requested_frequency, request.requested_budget) == ("4", None)
    shown = api.get(f"/api/v1/wijzigingsverzoeken/{request.uuid}/").json()
    assert shown == created.json()
    assert shown["ingangsdatum"] == str(wanted) and shown["budget"] is None
    assert shown["omvang"] == {
        "volume": 6,
        "eenheid": {"code": "82", "omschrijving": "stuks (output)"},
        "frequentie": {"code": "4", "omschrijving": "per maand"},
    }


def test_a_budget_in_eurocent_is_stored(api, assignment):
    created = ask(api, assignment, budget=125000)
    assert created.status_code == 201, created.content
    assert ChangeRequest.objects.get().requested_budget == 125000
    assert (created.json()["budget"], created.json()["omvang"]) == (125000, None)


def test_cd077_cd078_an_omvang_and_a_budget_together_is_a_dutch_400(api, assignment):
    answer = ask(api, assignment, budget=100, omvang={"volume": 1, "eenheid": "82", "frequentie": "6"})
    assert answer.status_code == 400
    (error,) = answer.json()["fouten"]
    assert (error["veld"], error["code"]) == ("budget", "omvang_and_budget")
    assert error["melding"] == "Vraag een omvang of een budget, niet beide."
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "omvang, field, code, message",
    [
        (
            {"volume": 1, "eenheid": "04", "frequentie": "4"},
            "omvang.eenheid",
            "invalid_choice",
            "Onbekende of hier niet toegestane eenheid (WJ756): 04.",
        ),
        (
            {"volume": 1, "eenheid": "82", "frequentie": "9"},
            "omvang.frequentie",
            "invalid_choice",
            "Onbekende of hier niet toegestane frequentie (WMO757): 9.",
        ),
        ({"volume": 0, "eenheid": "82", "frequentie": "4"}, "omvang.volume", "min_value", None),
        ({"volume": 1, "eenheid": "82"}, "omvang.frequentie", "required", "Dit veld is verplicht."),
        ({"volume": 1, "eenheid": "82", "frequentie": "4", "x": 1}, "omvang.x", "unknown_field", "Onbekend veld."),
    ],
)
def test_a_wrong_omvang_is_a_400_with_a_dutch_message_on_its_field(api, assignment, omvang, field, code, message):
    answer = ask(api, assignment, omvang=omvang)
    assert answer.status_code == 400, answer.content
    errors = {error["veld"]: error for error in answer.json()["fouten"]}
    assert errors[field]["code"] == code
    if message:
        assert errors[field]["melding"] == message
    assert not ChangeRequest.objects.exists()


def test_a_start_before_the_toewijzing_is_refused_by_the_service_on_its_field(api, assignment):
    answer = ask(api, assignment, ingangsdatum=str(assignment.start_date - timedelta(days=1)))
    assert answer.status_code == 400
    (error,) = answer.json()["fouten"]
    assert (error["veld"], error["code"]) == ("ingangsdatum", "start_out_of_period")


def test_a_wmo317_with_an_omvang_is_shown_in_the_api_as_its_rest_twin(api, assignment):
    today = timezone.localdate()
    raw = verzoek_message(
        assignment,
        dagtekening=today,
        nieuw_product=get_product("IB3"),
        omvang=Omvang(volume="6", eenheid="82", frequentie="4"),
    )
    incoming = receive(raw, channel=IncomingMessage.Channel.FOLDER, file_name="v.xml", today=today)
    assert incoming.status == IncomingMessage.Status.ACCEPTED, incoming.errors
    (listed,) = api.get("/api/v1/wijzigingsverzoeken/").json()["results"]
    assert listed["omvang"]["volume"] == 6 and listed["omvang"]["eenheid"]["code"] == "82"
