"""POST/GET /api/v1/declaraties/: the same content as a WMO323 in JSON, judged by the same service,
answered with the same decisions; the provider's own declaraties only; a bad body is a 400 with
Dutch field messages, never a 500; a retry with the same berichtId gets the first answer."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from billing.models import Declaratie, Prestatie
from providers import services as provider_services
from tests.api.hostile import assert_refused
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider, declaratie, ib1_assignment, line

pytestmark = pytest.mark.django_db

URL = "/api/v1/declaraties/"


def api_for(provider) -> APIClient:
    _token, key = provider_services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def last_month():
    first_of_this = timezone.localdate().replace(day=1)
    end = first_of_this - date.resolution
    return end.replace(day=1), end


def as_json(declaratie_in, message_id="bericht-1", gemeente="0505") -> dict:
    return {
        "berichtId": message_id,
        "gemeente": gemeente,
        "declaratienummer": declaratie_in.number,
        "declaratieperiode": {
            "begindatum": declaratie_in.period_start.isoformat(),
            "einddatum": declaratie_in.period_end.isoformat(),
        },
        "dagtekening": declaratie_in.dagtekening.isoformat(),
        "totaalBedrag": declaratie_in.total_cents,
        "debetCredit": declaratie_in.total_debit_credit,
        "prestaties": [
            {
                "bsn": p.bsn,
                "referentienummer": p.reference,
                "vorigReferentienummer": p.previous_reference,
                "toewijzingnummer": p.assignment_number,
                "productcategorie": p.product_category,
                "productcode": p.product_code,
                "productperiode": {"begindatum": p.period_start.isoformat(), "einddatum": p.period_end.isoformat()},
                "geleverdVolume": p.volume,
                "eenheid": p.unit,
                "productTarief": p.tariff_cents,
                "bedrag": p.amount_cents,
                "debetCredit": p.debit_credit,
            }
            for p in declaratie_in.prestaties
        ],
    }


@pytest.fixture
def provider():
    return billable_provider()


@pytest.fixture
def month_lines(provider):
    """A good and a bad line for last month (the API judges on the real date)."""
    first, last = last_month()
    assignment = ib1_assignment(provider, start=first - timedelta(days=400), end=last + timedelta(days=400))
    other = ib1_assignment(provider, start=first - timedelta(days=400), end=last + timedelta(days=400))
    good = line(assignment, period_start=first, period_end=last)
    bad = line(other, period_start=first, period_end=last, amount_cents=IB1_MONTH_CENTS + 1, reference="R-BAD")
    return declaratie(good, bad, period=(first, last), dagtekening=timezone.localdate())


def test_a_declaratie_is_judged_and_answered_like_a_wmo325(provider, month_lines):
    response = api_for(provider).post(URL, as_json(month_lines), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "deels"
    assert body["totaalIngediend"] == 2 * IB1_MONTH_CENTS + 1
    assert body["totaalToegekend"] == IB1_MONTH_CENTS
    assert [(p["toegekend"], [c["code"] for c in p["retourcodes"]]) for p in body["prestaties"]] == [
        (True, ["0200"]),
        (False, ["9346"]),
    ]
    assert body["prestaties"][1]["retourcodes"][0]["melding"].startswith("Eenheid is ongelijk aan waarde 83")
    assert Declaratie.objects.get().channel == Declaratie.Channel.API


def test_the_same_berichtid_again_gets_the_first_answer(provider, month_lines):
    api = api_for(provider)
    first = api.post(URL, as_json(month_lines), format="json")
    again = api.post(URL, as_json(month_lines), format="json")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Prestatie.objects.count() == 2


def test_other_content_under_a_used_berichtid_is_a_conflict(provider, month_lines):
    api = api_for(provider)
    api.post(URL, as_json(month_lines), format="json")
    other = replace(month_lines, number="OTHER1")
    response = api.post(URL, as_json(other), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "bericht_id_conflict"
    assert Declaratie.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda body: body.pop("prestaties"), "prestaties", "required"),
        (lambda body: body.update(prestaties=[]), "prestaties", "empty"),
        (lambda body: body.update(gemeente="9999"), "gemeente", "unknown_municipality"),
        (lambda body: body.update(debetCredit="X"), "debetCredit", "invalid_choice"),
        (lambda body: body["prestaties"][0].update(bsn="12"), "prestaties.0.bsn", "invalid"),
        (lambda body: body["prestaties"][0].update(bedrag=-1), "prestaties.0.bedrag", "min_value"),
        (lambda body: body["prestaties"][0].update(eenheid="99"), "prestaties.0.eenheid", "invalid_choice"),
        (
            lambda body: body["prestaties"][0]["productperiode"].update(einddatum="2000-01-01"),
            "prestaties.0.productperiode.einddatum",
            "period_order",
        ),
        (lambda body: body.update(dagtekening="morgen"), "dagtekening", "invalid"),
        (lambda body: body.update(totaalBedrag="veel"), "totaalBedrag", "invalid"),
        (lambda body: body["prestaties"][0].update(extra=1), "prestaties.0.extra", "unknown_field"),
    ],
)
def test_a_bad_body_is_a_400_with_dutch_field_messages(provider, month_lines, change, field, code):
    body = as_json(month_lines)
    change(body)
    response = api_for(provider).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["fouten"]
    assert {"veld": field, "code": code} in [{"veld": e["veld"], "code": e["code"]} for e in errors], errors
    assert not Declaratie.objects.exists()


@pytest.mark.parametrize("body", [[1, 2], None, "declaratie"])
def test_a_body_that_is_no_object_is_a_400_in_dutch(provider, body):
    response = api_for(provider).post(URL, body, format="json")
    assert_refused(response, 400)


def test_list_and_detail_show_only_the_providers_own_declaraties(provider, month_lines, django_assert_max_num_queries):
    api = api_for(provider)
    created = api.post(URL, as_json(month_lines), format="json").json()
    other = billable_provider()
    other_api = api_for(other)
    assert other_api.get(f"{URL}{created['id']}/").status_code == 404
    assert other_api.get(URL).json()["count"] == 0

    with django_assert_max_num_queries(12):
        listing = api.get(URL)
    assert listing.status_code == 200
    [item] = listing.json()["results"]
    assert (item["declaratienummer"], item["aantalPrestaties"], item["aantalToegekend"]) == (
        month_lines.number,
        2,
        1,
    )
    detail = api.get(f"{URL}{created['id']}/").json()
    assert detail == created


def test_without_a_key_it_is_a_401(month_lines):
    assert APIClient().post(URL, as_json(month_lines), format="json").status_code == 401
