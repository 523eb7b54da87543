"""The bezwaar pages through the client with real roles: who may see, register and decide, the form
errors next to their field, the deadlines and the dwangsom on the pages, and a bounded query count."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT
from objections.models import Bezwaar, BezwaarStatus
from tests.factories import IndicationFactory, TeamFactory, staff_member
from tests.objections.factories import BezwaarFactory


@pytest.fixture(autouse=True)
def pages_on_the_tests_today(monkeypatch, today):
    """The pages read the clock: the tests' fixed day."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)


def _login(client, user):
    client.force_login(user)
    return client


def test_a_user_without_a_role_may_not_see_the_bezwaren(client, user, bezwaar):
    _login(client, user)
    assert client.get(reverse("objections:list")).status_code == 403
    assert client.get(reverse("objections:detail", args=[bezwaar.uuid])).status_code == 403


def test_another_teams_bezwaar_is_a_404(client, bezwaar):
    other = staff_member(
        CONSULENT,
        username="consulent-elders",
        team=TeamFactory(name="Team Zwijndrecht", municipalities=["Zwijndrecht"]),
    )
    _login(client, other)
    assert client.get(reverse("objections:detail", args=[bezwaar.uuid])).status_code == 404


def test_the_list_shows_the_deadline_and_the_dwangsom_at_risk(client, consultant, bezwaar, today):
    Bezwaar.objects.filter(pk=bezwaar.pk).update(
        decision_due=today - timedelta(days=30), ingebrekestelling_on=today - timedelta(days=20)
    )
    page = _login(client, consultant).get(reverse("objections:list")).content.decode()
    assert bezwaar.beschikking.client.full_name in page
    # The dwangsom from 14 days after the ingebrekestelling: 7 days today (Awb 4:17), 7 x €23.
    assert "€ 161" in page
    assert "30 dagen te laat" in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("objections:list")).status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(client, consultant):
    # Measured: 9 (session, user, permissions, the count, the page with its joins, the menu's checks).
    BezwaarFactory(handled_by=consultant, beschikking__consultant=consultant)
    _login(client, consultant)
    client.get(reverse("objections:list"))
    one = _queries(client)
    for _ in range(5):
        BezwaarFactory(handled_by=consultant, beschikking__consultant=consultant)
    assert _queries(client) == one <= 10  # +1: the second factor's device (django-otp) on every request


def test_a_consultant_registers_from_the_beschikking_page(client, consultant, beschikking):
    _login(client, consultant)
    detail = client.get(reverse("indications:indication_detail", args=[beschikking.uuid])).content.decode()
    register_url = reverse("objections:register", args=[beschikking.uuid])
    assert register_url in detail
    assert "19-10-2026" in client.get(register_url).content.decode()  # the end of the bezwaartermijn
    response = client.post(register_url, {"received_on": "2026-10-01", "filed_by": "client", "grounds": "Te weinig."})
    bezwaar = Bezwaar.objects.get()
    assert response.status_code == 302 and response.url == reverse("objections:detail", args=[bezwaar.uuid])
    page = client.get(response.url).content.decode()
    assert "30-11-2026" in page and "art. 7:10 lid 1 Awb" in page


def test_registration_errors_stand_next_to_their_field(client, consultant, beschikking):
    _login(client, consultant)
    response = client.post(
        reverse("objections:register", args=[beschikking.uuid]),
        {"received_on": "2026-09-01", "filed_by": "vertegenwoordiger", "grounds": "Te weinig."},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["received_on"] == ["Het bezwaar kan niet vóór de datum van de beschikking zijn ontvangen."]
    assert form.errors["representative_name"] == ["Vul de naam van de vertegenwoordiger in."]
    assert 'id="id_received_on_error"' in response.content.decode()
    assert not Bezwaar.objects.exists()


def test_a_consultant_may_not_decide_a_team_lead_may(client, consultant, team_lead, bezwaar, today):
    url = reverse("objections:decide", args=[bezwaar.uuid])
    data = {"outcome": "ongegrond", "decided_on": today.isoformat(), "motivation": "Na heroverweging."}
    assert _login(client, consultant).post(url, data).status_code == 403
    assert (
        "Beslissen op het bezwaar" not in client.get(reverse("objections:detail", args=[bezwaar.uuid])).content.decode()
    )
    response = _login(client, team_lead).post(url, data)
    assert response.status_code == 302
    bezwaar.refresh_from_db()
    assert bezwaar.status == BezwaarStatus.ONGEGROND


def test_a_decision_error_stands_at_its_field(client, team_lead, bezwaar, today):
    response = _login(client, team_lead).post(
        reverse("objections:decide", args=[bezwaar.uuid]),
        {"outcome": "gegrond", "decided_on": today.isoformat(), "motivation": "Gegrond."},
    )
    assert response.status_code == 200
    assert response.context["decision_form"].errors["herziening"] == [
        "Kies de nieuwe beschikking die de bestreden beschikking herziet."
    ]


def test_gegrond_through_the_page_with_the_herziening(client, team_lead, bezwaar, beschikking, today):
    herziening = IndicationFactory(
        vastgesteld=True, client=beschikking.client, replaces=beschikking, decision_date=today
    )
    response = _login(client, team_lead).post(
        reverse("objections:decide", args=[bezwaar.uuid]),
        {"outcome": "gegrond", "decided_on": today.isoformat(), "motivation": "Gegrond.", "herziening": herziening.pk},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert herziening.number in page and "definitief" in page


def test_the_consultant_records_an_extension_and_an_ingebrekestelling(client, consultant, bezwaar, today):
    _login(client, consultant)
    response = client.post(reverse("objections:extend", args=[bezwaar.uuid]), {"reason": ""})
    assert response.context["extension_form"].errors["reason"] == ["Dit veld is verplicht."]
    assert client.post(reverse("objections:extend", args=[bezwaar.uuid]), {"reason": "Advies."}).status_code == 302
    bezwaar.refresh_from_db()
    assert bezwaar.decision_due == date(2027, 1, 11)
    response = client.post(
        reverse("objections:ingebrekestelling", args=[bezwaar.uuid]), {"received_on": today.isoformat()}
    )
    assert (
        "Een ingebrekestelling telt pas na de uiterste beslisdatum"
        in response.context["ingebrekestelling_form"].errors["received_on"][0]
    )


@pytest.mark.parametrize("name", ["objections:list"])
def test_the_menu_has_the_bezwaren_for_case_work(client, consultant, name):
    page = _login(client, consultant).get(reverse("indications:worklist")).content.decode()
    assert reverse(name) in page
