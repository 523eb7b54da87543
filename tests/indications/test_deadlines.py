"""Legal deadlines: the onderzoek within 6 weeks of the melding (art. 2.3.2 Wmo 2015), the
beschikking within 2 weeks of the aanvraag (art. 2.3.5 lid 2), nazorg about 6 weeks after a referral.

A deadline is the last day that is still on time ("uiterlijk"): the period starts the day after the
event, so 6 weeks after a melding on a Monday ends on the Monday 6 weeks later."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from indications import services
from indications.models import ComplexityRule, Intake
from indications.selectors import worklist
from indications.templatetags.casefile import timeuntil_days
from tests.factories import (
    AanvraagFactory,
    ClientFactory,
    ConversationFactory,
    IntakeFactory,
    MeldingFactory,
    ZrmAssessmentFactory,
    build_case_file,
)

pytestmark = pytest.mark.django_db


# -- onderzoek: melding + 6 weeks ----------------------------------------------------------------


@pytest.mark.parametrize(
    "melding_on, deadline",
    [
        (date(2026, 11, 23), date(2027, 1, 4)),  # a Monday: the Monday 6 weeks later
        (date(2026, 1, 31), date(2026, 3, 14)),  # across a short February
        (date(2028, 1, 20), date(2028, 3, 2)),  # across 29 February in a leap year
        (date(2026, 12, 1), date(2027, 1, 12)),  # across the year end
    ],
)
def test_onderzoek_deadline_is_exactly_42_days_after_the_melding(melding_on, deadline):
    melding = MeldingFactory(received_on=melding_on)
    assert melding.onderzoek_deadline == deadline
    assert (melding.onderzoek_deadline - melding_on).days == 42
    assert melding.onderzoek_deadline.weekday() == melding_on.weekday()


def test_register_melding_starts_the_clock_on_the_day_of_the_melding(consultant, today):
    melding = services.register_melding(
        client=ClientFactory(),
        received_on=today - timedelta(days=3),
        channel="wijkteam",
        question="Vastgelopen administratie",
        consultant=consultant,
        by=consultant,
        today=today,
    )
    assert melding.onderzoek_deadline == today - timedelta(days=3) + timedelta(weeks=6)


# -- beschikking: aanvraag + 2 weeks -------------------------------------------------------------


@pytest.mark.parametrize(
    "aanvraag_on, deadline",
    [
        (date(2026, 2, 20), date(2026, 3, 6)),
        (date(2028, 2, 20), date(2028, 3, 5)),  # leap year: 29 February counts
        (date(2026, 12, 25), date(2027, 1, 8)),
    ],
)
def test_beschikking_deadline_is_exactly_14_days_after_the_aanvraag(aanvraag_on, deadline):
    aanvraag = AanvraagFactory(received_on=aanvraag_on)
    assert aanvraag.beschikking_deadline == deadline
    assert (aanvraag.beschikking_deadline - aanvraag_on).days == 14


def test_register_aanvraag_sets_the_beschikking_deadline(consultant, today):
    intake = IntakeFactory(maatwerk=True, melding__received_on=today - timedelta(days=20))
    aanvraag = services.register_aanvraag(
        client=intake.melding.client,
        received_on=today,
        consultant=consultant,
        by=consultant,
        intake=intake,
        today=today,
    )
    assert aanvraag.beschikking_deadline == today + timedelta(days=14)


def test_deadlines_follow_the_settings(settings):
    settings.SDD = {**settings.SDD, "ONDERZOEK_DEADLINE_DAYS": 56, "BESCHIKKING_DEADLINE_DAYS": 10}
    assert MeldingFactory(received_on=date(2026, 1, 1)).onderzoek_deadline == date(2026, 2, 26)
    assert AanvraagFactory(received_on=date(2026, 1, 1)).beschikking_deadline == date(2026, 1, 11)


# -- on time / overdue at the boundary -----------------------------------------------------------


def test_the_deadline_day_itself_is_on_time_and_the_next_day_is_late():
    deadline = date(2027, 1, 4)
    assert timeuntil_days(deadline, deadline - timedelta(days=1)) == 1
    assert timeuntil_days(deadline, deadline) == 0
    assert timeuntil_days(deadline, deadline + timedelta(days=1)) == -1


@pytest.mark.parametrize(
    "days_before, text",
    [
        (4, "nog 4 dagen"),
        (3, "nog 3 dagen"),
        (1, "nog 1 dag"),
        (0, "nog 0 dagen"),
        (-1, "1 dag te laat"),
        (-2, "2 dagen te laat"),
    ],
)
def test_the_deadline_badge_at_the_boundary(days_before, text):
    deadline = date(2027, 1, 4)
    html = render_to_string(
        "includes/deadline.html", {"deadline": deadline, "today": deadline - timedelta(days=days_before)}
    )
    assert text in html
    assert ("badge--overdue" in html) is (days_before < 0)
    assert ("badge--soon" in html) is (0 <= days_before <= 3)


def test_worklist_lists_open_onderzoeken_oldest_deadline_first(consultant, today):
    overdue = IntakeFactory(melding__consultant=consultant, melding__received_on=today - timedelta(days=43))
    due_today = IntakeFactory(melding__consultant=consultant, melding__received_on=today - timedelta(days=42))
    new = IntakeFactory(melding__consultant=consultant, melding__received_on=today - timedelta(days=2))
    IntakeFactory(melding__received_on=today - timedelta(days=10))  # someone else's
    IntakeFactory(maatwerk=True, melding__consultant=consultant)  # concluded
    assert list(worklist(consultant, today=today)["open_onderzoeken"]) == [overdue, due_today, new]
    assert overdue.melding.onderzoek_deadline == today - timedelta(days=1)
    assert due_today.melding.onderzoek_deadline == today


def test_an_aanvraag_leaves_the_worklist_when_its_beschikking_is_decided(consultant, today):
    ComplexityRule.objects.update(is_active=False)
    case = build_case_file(consultant=consultant)
    assert list(worklist(consultant, today=today)["open_aanvragen"]) == [case.aanvraag]
    services.issue_beschikking(case.indication, by=consultant, today=today)
    assert not worklist(consultant, today=today)["open_aanvragen"].exists()


# -- nazorg: ~6 weeks after a referral -----------------------------------------------------------


def concluded(intake, consultant, today, conclusion, concluded_on, **extra):
    ConversationFactory(intake=intake, held_on=intake.melding.received_on)
    return services.conclude_intake(
        intake,
        by=consultant,
        conclusion=conclusion,
        concluded_on=concluded_on,
        report="Verslag",
        today=today,
        persoonlijk_plan_not_received=True,
        **extra,
    )


@pytest.mark.parametrize(
    "conclusion, extra",
    [
        (Intake.Conclusion.ALGEMENE_VOORZIENING, {"referral_provision": "Sociaal wijkteam"}),
        (Intake.Conclusion.OTHER_LAW, {"other_law": "zvw"}),
    ],
)
def test_a_referral_plans_nazorg_exactly_42_days_after_the_conclusion(consultant, today, conclusion, extra):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=30))
    concluded_on = today - timedelta(days=20)
    intake = concluded(intake, consultant, today, conclusion, concluded_on, **extra)
    assert intake.nazorg_due_on == concluded_on + timedelta(days=42)
    assert intake.nazorg_due_on == date(2026, 12, 15)


def test_nazorg_follows_the_settings(consultant, today, settings):
    settings.SDD = {**settings.SDD, "NAZORG_AFTER_DAYS": 28}
    intake = concluded(
        IntakeFactory(melding__received_on=today - timedelta(days=5)),
        consultant,
        today,
        Intake.Conclusion.ALGEMENE_VOORZIENING,
        today,
        referral_provision="Buurtkamer",
    )
    assert intake.nazorg_due_on == today + timedelta(days=28)


@pytest.mark.parametrize("conclusion", [Intake.Conclusion.OWN_STRENGTH, Intake.Conclusion.MAATWERK])
def test_no_nazorg_without_a_referral(consultant, today, conclusion):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=30))
    ZrmAssessmentFactory(client=intake.melding.client, intake=intake, scores={"financien": 2})
    intake = concluded(intake, consultant, today, conclusion, today)
    assert intake.nazorg_due_on is None


def test_worklist_shows_nazorg_from_14_days_before_it_is_due(consultant, today):
    due_in_14 = IntakeFactory(referred=True, melding__consultant=consultant, nazorg_due_on=today + timedelta(days=14))
    IntakeFactory(referred=True, melding__consultant=consultant, nazorg_due_on=today + timedelta(days=15))
    overdue = IntakeFactory(referred=True, melding__consultant=consultant, nazorg_due_on=today - timedelta(days=3))
    IntakeFactory(
        referred=True,
        melding__consultant=consultant,
        nazorg_due_on=today - timedelta(days=3),
        nazorg_done_on=today - timedelta(days=1),
    )  # done
    assert list(worklist(consultant, today=today)["nazorg_due"]) == [overdue, due_in_14]


def test_nazorg_can_be_recorded_from_the_day_of_the_conclusion_until_today(consultant, today):
    intake = IntakeFactory(
        referred=True, melding__consultant=consultant, melding__received_on=today - timedelta(days=60)
    )
    with pytest.raises(ValidationError) as early:
        services.record_nazorg(
            intake, by=consultant, done_on=intake.concluded_on - timedelta(days=1), notes="Gebeld", today=today
        )
    assert "done_on" in early.value.error_dict
    with pytest.raises(ValidationError) as future:
        services.record_nazorg(intake, by=consultant, done_on=today + timedelta(days=1), notes="Gebeld", today=today)
    assert "done_on" in future.value.error_dict
    done = services.record_nazorg(intake, by=consultant, done_on=intake.concluded_on, notes="Werkt goed.", today=today)
    assert done.nazorg_done_on == intake.concluded_on
    assert not worklist(consultant, today=today)["nazorg_due"].exists()
