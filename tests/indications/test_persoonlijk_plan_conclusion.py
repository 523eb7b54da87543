"""The onderzoek closes with the answer on the persoonlijk plan (art. 2.3.2 lid 2 Wmo 2015): after
the 7 days, "ontvangen" or "niet ontvangen", and a received plan says how it was taken into account
("meegenomen in het onderzoek"). conclude_intake refuses otherwise, at the field, and leaves the
onderzoek open."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from indications import selectors, services
from tests.factories import TODAY, MeldingFactory

pytestmark = pytest.mark.django_db


def conclude(intake, consultant, **extra):
    return services.conclude_intake(
        intake,
        by=consultant,
        conclusion="eigen_kracht",
        concluded_on=TODAY,
        report="Netwerk helpt met de post.",
        no_conversation_reason="Telefonisch afgehandeld.",
        today=TODAY,
        **extra,
    )


def refused(intake, consultant, **extra) -> dict:
    with pytest.raises(ValidationError) as failure:
        conclude(intake, consultant, **extra)
    intake.refresh_from_db()
    assert not intake.is_concluded
    return failure.value.message_dict


def intake_days_ago(days, consultant):
    return MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=days)).intake


def test_after_the_term_an_onderzoek_without_an_answer_is_refused(consultant):
    intake = intake_days_ago(8, consultant)
    errors = refused(intake, consultant)
    assert list(errors) == ["persoonlijk_plan_not_received"]
    assert f"{TODAY - timedelta(days=1):%d-%m-%Y}" in errors["persoonlijk_plan_not_received"][0]


def test_within_the_term_no_answer_is_needed_yet(consultant):
    intake = conclude(intake_days_ago(7, consultant), consultant)
    assert intake.is_concluded and not intake.persoonlijk_plan_not_received


def test_not_received_can_be_recorded_with_the_conclusion(consultant):
    intake = conclude(intake_days_ago(20, consultant), consultant, persoonlijk_plan_not_received=True)
    intake.refresh_from_db()
    assert intake.is_concluded and intake.persoonlijk_plan_not_received and intake.persoonlijk_plan_answered


def test_not_received_recorded_before_is_an_answer(consultant):
    intake = intake_days_ago(20, consultant)
    services.record_persoonlijk_plan(intake, received=False, by=consultant, today=TODAY)
    assert conclude(intake, consultant).is_concluded


def test_a_received_plan_needs_how_it_was_taken_into_account(consultant):
    intake = intake_days_ago(20, consultant)
    services.record_persoonlijk_plan(intake, received_on=TODAY - timedelta(days=15), by=consultant, today=TODAY)
    assert list(refused(intake, consultant)) == ["persoonlijk_plan_note"]
    services.record_persoonlijk_plan(
        intake, received_on=TODAY - timedelta(days=15), note="Hulp bij de post; meegenomen.", by=consultant, today=TODAY
    )
    done = conclude(intake, consultant)
    assert done.is_concluded and done.persoonlijk_plan_answered


def test_a_received_plan_needs_its_note_within_the_term_too(consultant):
    intake = intake_days_ago(3, consultant)
    services.record_persoonlijk_plan(intake, received_on=TODAY, by=consultant, today=TODAY)
    assert list(refused(intake, consultant)) == ["persoonlijk_plan_note"]


def test_not_received_while_a_plan_is_recorded_is_refused(consultant):
    intake = intake_days_ago(20, consultant)
    services.record_persoonlijk_plan(intake, received_on=TODAY, note="Meegenomen.", by=consultant, today=TODAY)
    errors = refused(intake, consultant, persoonlijk_plan_not_received=True)
    assert list(errors) == ["persoonlijk_plan_not_received"]
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on == TODAY and not intake.persoonlijk_plan_not_received


def test_not_received_clears_a_recorded_plan_and_is_audited(consultant):
    intake = intake_days_ago(5, consultant)
    services.record_persoonlijk_plan(intake, received_on=TODAY, note="Meegenomen.", by=consultant, today=TODAY)
    services.record_persoonlijk_plan(intake, received=False, by=consultant, today=TODAY)
    intake.refresh_from_db()
    assert (intake.persoonlijk_plan_received_on, intake.persoonlijk_plan_note) == (None, "")
    assert intake.persoonlijk_plan_not_received
    event = AuditEvent.objects.get(object_id=str(intake.pk), summary="geen persoonlijk plan ontvangen")
    assert event.changes["persoonlijk_plan_not_received"] == [False, True]
    # A plan that arrives after all replaces the answer.
    services.record_persoonlijk_plan(intake, received_on=TODAY, by=consultant, today=TODAY)
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_received_on == TODAY and not intake.persoonlijk_plan_not_received


def test_received_without_a_date_is_refused(consultant):
    intake = intake_days_ago(5, consultant)
    with pytest.raises(ValidationError) as failure:
        services.record_persoonlijk_plan(intake, received_on=None, by=consultant, today=TODAY)
    assert "received_on" in failure.value.message_dict


def test_the_page_shows_the_error_at_the_checkbox_and_concludes_when_ticked(client, consultant):
    today = timezone.localdate()
    intake = MeldingFactory(consultant=consultant, received_on=today - timedelta(days=10)).intake
    client.force_login(consultant)
    url = reverse("indications:intake", args=[intake.uuid])
    data = {
        "step": "conclusie",
        "conclusie-conclusion": "eigen_kracht",
        "conclusie-report": "Netwerk helpt.",
        "conclusie-no_conversation_reason": "Telefonisch afgehandeld.",
        "conclusie-concluded_on": today.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["conclusion_form"].errors["persoonlijk_plan_not_received"]
    intake.refresh_from_db()
    assert not intake.is_concluded
    response = client.post(url, {**data, "conclusie-persoonlijk_plan_not_received": "on"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.is_concluded and intake.persoonlijk_plan_not_received
    assert "niet ontvangen" in client.get(url).content.decode()


def test_the_page_records_not_received(client, consultant):
    today = timezone.localdate()
    intake = MeldingFactory(consultant=consultant, received_on=today - timedelta(days=2)).intake
    client.force_login(consultant)
    url = reverse("indications:intake", args=[intake.uuid])
    response = client.post(url, {"step": "persoonlijkplan", "persoonlijkplan-received": "niet_ontvangen"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.persoonlijk_plan_not_received and intake.persoonlijk_plan_received_on is None
    page = client.get(url).content.decode()
    assert "Vastgelegd: geen persoonlijk plan ontvangen." in page and "alert--warning" not in page


def test_the_verslag_text_on_the_persoonlijk_plan(consultant):
    intake = intake_days_ago(5, consultant)
    assert selectors.persoonlijk_plan_text(intake) == ""
    services.record_persoonlijk_plan(intake, received_on=TODAY, note="Hulp bij de post.", by=consultant, today=TODAY)
    intake.refresh_from_db()
    assert selectors.persoonlijk_plan_text(intake) == (
        f"U heeft op {TODAY:%d-%m-%Y} een persoonlijk plan ingeleverd. "
        "Zo hebben wij het in het onderzoek meegenomen: Hulp bij de post."
    )
    services.record_persoonlijk_plan(intake, received=False, by=consultant, today=TODAY)
    intake.refresh_from_db()
    assert selectors.persoonlijk_plan_text(intake) == "U heeft geen persoonlijk plan ingeleverd."
