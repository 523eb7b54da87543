"""A provider phones in a calamiteit: the consultant registers it, the team lead finds it at once
among the signals and records the report to the GGD; the onderzoek warns while the client may still
hand in a persoonlijk plan. The pages pass axe."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import CONSULENT, TEAMLEIDER
from incidents.models import Incident, IncidentStatus
from signals.models import Signal, SignalStatus, SignalType
from tests.browser.screens import shoot
from tests.factories import MeldingFactory, contracted_provider, issued_assignment, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Calamiteit-test-2026!"
# Set SCREENSHOTS=<folder> to keep the pages as PNGs (docs/incidents.md).
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def _shoot(page, name: str) -> None:
    shoot(page, SCREENSHOTS, name)


def test_a_phoned_in_calamiteit_reaches_the_team_lead_and_is_followed_to_the_ggd(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="consulent-cal", password=PASSWORD, first_name="Fatima")
    staff_member(TEAMLEIDER, username="teamleider-cal", password=PASSWORD, first_name="Marieke")
    assignment = issued_assignment(contracted_provider(name="Stichting Zorg"), consultant, today=timezone.localdate())

    log_in("consulent-cal", PASSWORD)
    page.get_by_role("link", name="Calamiteiten", exact=True).click()
    page.get_by_role("link", name="Telefonische melding registreren").click()
    page.get_by_role("button", name="Melding registreren").click()  # empty: refused, errors at the fields
    expect(page.locator("#id_assignment_error")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "calamiteit-melden-fout")
    page.get_by_label("Toewijzingnummer").fill(assignment.number)
    page.get_by_label("geweldsincident").check()
    moment = timezone.localtime() - timedelta(hours=2)
    page.get_by_label("Moment van het incident").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Wat is er gebeurd").fill("De cliënt heeft de begeleider bedreigd met een mes.")
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_text("De calamiteit is geregistreerd; de teamleider is gesignaleerd.")).to_be_visible()
    incident = Incident.objects.get()

    log_in("teamleider-cal", PASSWORD)
    page.goto("/signalen/")
    expect(page.get_by_text("Calamiteit of geweld gemeld (art. 3.4 Wmo)").first).to_be_visible()
    page.goto("/calamiteiten/")
    assert_accessible(page)
    _shoot(page, "calamiteiten-lijst")
    page.get_by_role(
        "link", name=incident.reported_at.astimezone(timezone.get_current_timezone()).strftime("%d-%m-%Y %H:%M")
    ).click()
    assert_accessible(page)
    _shoot(page, "calamiteit-detail")
    page.get_by_label("Kenmerk van de GGD").fill("GGD-2026-0042")
    page.get_by_role("button", name="Melding aan GGD vastleggen").click()
    expect(page.get_by_text("De melding aan de GGD is vastgelegd; het signaal is gesloten.")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "calamiteit-ggd-gemeld")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.GGD_REPORTED
    assert Signal.objects.get(type=SignalType.INCIDENT).status == SignalStatus.LAPSED


def test_the_onderzoek_warns_while_the_persoonlijk_plan_term_runs(page, log_in, assert_accessible):
    consultant = staff_member(CONSULENT, username="consulent-pp", password=PASSWORD)
    today = timezone.localdate()
    intake = MeldingFactory(consultant=consultant, received_on=today - timedelta(days=2)).intake
    log_in("consulent-pp", PASSWORD)
    page.goto(reverse("indications:intake", args=[intake.uuid]))
    expect(page.get_by_text("een persoonlijk plan inleveren (art. 2.3.2 lid 2 Wmo 2015)")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "onderzoek-persoonlijk-plan")
    page.get_by_text("Persoonlijk plan vastleggen").click()
    page.get_by_label("Zo is het persoonlijk plan meegenomen").fill("Meegenomen in de resultaten.")
    page.get_by_role("button", name="Persoonlijk plan opslaan").click()
    expect(page.get_by_text("Het persoonlijk plan is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Meegenomen in de resultaten.")).to_be_visible()
    assert_accessible(page)
