"""The persoonlijk plan (art. 2.3.2 lid 2 Wmo 2015): "gedurende zeven dagen na ontvangst van de
melding" the client may hand in a plan. The onderzoek shows the last day (the melding's date + 7
calendar days), warns the consultant while that runs, and records the plan's receipt and how it was
taken into account, through one service with audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from indications import services
from tests.factories import MeldingFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("melding_on", "last_day"),
    [
        (MONDAY, date(2026, 6, 8)),  # Monday the 1st: up to and including Monday the 8th
        (date(2026, 2, 25), date(2026, 3, 4)),  # over the end of February
        (date(2026, 12, 28), date(2027, 1, 4)),  # over the end of the year
    ],
)
def test_the_last_day_is_seven_calendar_days_after_the_melding(melding_on, last_day):
    assert MeldingFactory(received_on=melding_on).persoonlijk_plan_deadline == last_day


@pytest.mark.parametrize(("days_after", "runs"), [(0, True), (7, True), (8, False)])
def test_the_term_runs_up_to_and_including_the_seventh_day(days_after, runs):
    intake = MeldingFactory(received_on=MONDAY).intake
    assert intake.persoonlijk_plan_term_runs(MONDAY + timedelta(days=days_after)) is runs


def test_a_received_plan_ends_the_warning_and_is_audited(consultant):
    intake = MeldingFactory(received_on=MONDAY).intake
    today = MONDAY + timedelta(days=3)
    services.record_persoonlijk_plan(intake, received_on=today, by=consultant, today=today)
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on == today and not intake.persoonlijk_plan_term_runs(today)
    services.record_persoonlijk_plan(
        intake, received_on=today, note="Het plan vraagt om hulp bij de post; meegenomen.", by=consultant, today=today
    )
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_note.startswith("Het plan vraagt")
    events = AuditEvent.objects.filter(
        object_type="indications.intake", object_id=str(intake.pk), summary="persoonlijk plan"
    )
    assert events.count() == 2 and all(event.actor == consultant for event in events)


@pytest.mark.parametrize(("days_after", "field"), [(-1, "received_on"), (10, "received_on")])
def test_a_wrong_date_is_refused(consultant, days_after, field):
    intake = MeldingFactory(received_on=MONDAY).intake
    with pytest.raises(ValidationError) as refused:
        services.record_persoonlijk_plan(
            intake, received_on=MONDAY + timedelta(days=days_after), by=consultant, today=MONDAY + timedelta(days=5)
        )
    assert field in refused.value.error_dict
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on is None


def test_a_late_plan_is_recorded_too(consultant):
    intake = MeldingFactory(received_on=MONDAY).intake
    late = MONDAY + timedelta(days=12)
    services.record_persoonlijk_plan(intake, received_on=late, by=consultant, today=late)
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on == late


def test_the_onderzoek_page_warns_while_the_term_runs_and_records_the_plan(client, consultant):
    today = timezone.localdate()
    intake = MeldingFactory(received_on=today - timedelta(days=2), consultant=consultant).intake
    client.force_login(consultant)
    url = reverse("indications:intake", args=[intake.uuid])
    page = client.get(url).content.decode()
    last_day = f"{today + timedelta(days=5):%d-%m-%Y}"
    assert "alert--warning" in page and last_day in page
    response = client.post(
        url,
        {
            "step": "persoonlijkplan",
            "persoonlijkplan-received_on": today.isoformat(),
            "persoonlijkplan-note": "Meegenomen.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "alert--warning" not in page and "Meegenomen." in page


def test_a_future_date_on_the_page_stays_at_its_field(client, consultant):
    today = timezone.localdate()
    intake = MeldingFactory(received_on=today - timedelta(days=2), consultant=consultant).intake
    client.force_login(consultant)
    response = client.post(
        reverse("indications:intake", args=[intake.uuid]),
        {"step": "persoonlijkplan", "persoonlijkplan-received_on": (today + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["persoonlijk_plan_form"].errors["received_on"]
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on is None
