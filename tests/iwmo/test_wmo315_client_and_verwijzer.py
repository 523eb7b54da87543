"""WMO315 in-message rules checked in code (not only by the official XSD run): TR002 and CS139 on the
Client's Geboortedatum (0001 on the Client, its products 0233, as CS002), CD066-CD068 on the
Verwijzer (0001 on the product). Each test names its rule."""

from datetime import timedelta

import pytest
from django.urls import reverse

from iwmo import selectors
from iwmo.models import IncomingMessage
from providers.models import AssignmentRequest
from tests.factories import TODAY
from tests.iwmo.test_wmo315_verzoek_toewijzing import client_of_ours, codes_of, product, received, verzoek

pytestmark = pytest.mark.django_db

REJECTED, ACCEPTED = IncomingMessage.Status.REJECTED, IncomingMessage.Status.ACCEPTED


__all__ = ["client_of_ours"]  # the fixture


def years_before(day, years: int):
    return day.replace(year=day.year - years)


@pytest.mark.parametrize(
    ("geboortedatum", "datum_gebruik", "rule"),
    [
        (years_before(TODAY, 120) - timedelta(days=1), "", "TR002"),
        (TODAY.replace(day=15) - timedelta(days=365 * 40), "1", "CS139"),  # day unknown: on the 1st
        (TODAY.replace(month=3, day=1) - timedelta(days=365 * 40), "2", "CS139"),  # day+month: 1 January
        (years_before(TODAY, 50).replace(month=1, day=1), "3", "CS139"),  # unknown: 1900-01-01
    ],
)
def test_a_birth_date_rule_is_0001_on_the_client_and_0233_on_its_products(
    provider, client_of_ours, geboortedatum, datum_gebruik, rule
):
    raw = verzoek(provider, client_of_ours, geboortedatum=geboortedatum.isoformat(), datum_gebruik=datum_gebruik)
    incoming = received(raw)
    assert codes_of(incoming) == (("0200",), ("0001",), (("0233",),)), rule
    assert rule in incoming.errors[0]["melding"] and incoming.status == REJECTED
    assert not AssignmentRequest.objects.exists()


@pytest.mark.parametrize(
    ("geboortedatum", "datum_gebruik"),
    [
        (years_before(TODAY, 120), ""),  # exactly 120 years: allowed (TR002 "niet meer dan")
        ("1900-01-01", "3"),  # unknown altogether: TR002 does not apply
        (TODAY.replace(day=1) - timedelta(days=365 * 40), ""),
    ],
)
def test_a_birth_date_within_the_rules_is_accepted(provider, client_of_ours, geboortedatum, datum_gebruik):
    value = geboortedatum if isinstance(geboortedatum, str) else geboortedatum.isoformat()
    incoming = received(verzoek(provider, client_of_ours, geboortedatum=value, datum_gebruik=datum_gebruik))
    assert codes_of(incoming)[1] == ("0200",) and incoming.status == ACCEPTED, incoming.errors


def test_cs139_day_unknown_on_the_first_of_the_month_is_accepted(provider, client_of_ours):
    born = (TODAY - timedelta(days=365 * 40)).replace(day=1)
    incoming = received(verzoek(provider, client_of_ours, geboortedatum=born.isoformat(), datum_gebruik="1"))
    assert incoming.status == ACCEPTED, incoming.errors


@pytest.mark.parametrize(
    ("verwijzer", "rule"),
    [
        ({"verwijzer_type": "02", "verwijzer_zorgverlenercode": "01234567", "verwijzer_naam": "Dr. Jansen"}, "CD066"),
        ({"verwijzer_type": "02", "verwijzer_zorgverlenercode": "", "verwijzer_naam": ""}, "CD067"),
        ({"verwijzer_type": "01", "verwijzer_zorgverlenercode": "01234567"}, "CD068"),
        ({"verwijzer_type": "06", "verwijzer_zorgverlenercode": "01234567"}, "CD068"),
    ],
)
def test_a_verwijzer_condition_is_0001_on_its_product(provider, client_of_ours, verwijzer, rule):
    incoming = received(verzoek(provider, client_of_ours, products=[product(**verwijzer)]))
    assert codes_of(incoming) == (("0200",), ("0200",), (("0001",),)), rule
    assert rule in incoming.errors[0]["melding"] and incoming.status == REJECTED


@pytest.mark.parametrize(
    "verwijzer",
    [
        {"verwijzer_type": "02", "verwijzer_zorgverlenercode": "01234567", "verwijzer_naam": ""},
        {"verwijzer_type": "05", "verwijzer_zorgverlenercode": "", "verwijzer_naam": "Dr. Jansen"},
        {"verwijzer_type": "01"},
    ],
)
def test_a_verwijzer_by_the_rules_is_accepted(provider, client_of_ours, verwijzer):
    incoming = received(verzoek(provider, client_of_ours, products=[product(**verwijzer)]))
    assert incoming.status == ACCEPTED, incoming.errors


def test_the_client_file_shows_the_verzoek_om_toewijzing(client, provider, client_of_ours, consultant):
    assert received(verzoek(provider, client_of_ours)).status == ACCEPTED
    request = AssignmentRequest.objects.get()
    client.force_login(consultant)
    html = client.get(reverse("indications:client_file", args=[client_of_ours.uuid])).content.decode()
    assert "Verzoeken van aanbieders" in html
    assert reverse("providers:assignment_request", args=[request.uuid]) in html
    assert f"{provider.name} vraagt" in html and "in behandeling" in html


def test_the_client_file_panel_reads_the_verzoeken_in_two_queries(client_of_ours, provider, django_assert_num_queries):
    received(verzoek(provider, client_of_ours, products=[product("R-1"), product("R-2", code="02A07")]))
    with django_assert_num_queries(2):
        toewijzing, wijziging = selectors.verzoeken_of_client(client_of_ours)
        assert [row.reference for row in toewijzing] == ["R-2", "R-1"] and wijziging == []
