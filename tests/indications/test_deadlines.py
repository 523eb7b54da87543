"""Legal deadlines: onderzoek within 6 weeks of the melding (art. 2.3.2), beschikking within 2 weeks
of the aanvraag (art. 2.3.5 lid 2), nazorg about 6 weeks after a referral."""

from datetime import date, timedelta

import pytest

from indications import services
from indications.models import Intake
from indications.selectors import worklist
from tests.factories import AanvraagFactory, IntakeFactory, MeldingFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db


def test_onderzoek_deadline_is_six_weeks_after_the_melding():
    melding = MeldingFactory(received_on=date(2026, 1, 31))
    assert melding.onderzoek_deadline == date(2026, 3, 14)


def test_beschikking_deadline_is_two_weeks_after_the_aanvraag():
    aanvraag = AanvraagFactory(received_on=date(2026, 2, 20))
    assert aanvraag.beschikking_deadline == date(2026, 3, 6)


def test_deadlines_follow_the_settings(settings):
    settings.SDD = {**settings.SDD, "ONDERZOEK_DEADLINE_DAYS": 56, "BESCHIKKING_DEADLINE_DAYS": 10}
    assert MeldingFactory(received_on=date(2026, 1, 1)).onderzoek_deadline == date(2026, 2, 26)
    assert AanvraagFactory(received_on=date(2026, 1, 1)).beschikking_deadline == date(2026, 1, 11)


@pytest.mark.parametrize(
    "conclusion, extra",
    [
        (Intake.Conclusion.ALGEMENE_VOORZIENING, {"referral_provision": "Sociaal wijkteam"}),
        (Intake.Conclusion.OTHER_LAW, {"other_law": "zvw"}),
    ],
)
def test_a_referral_plans_nazorg_six_weeks_after_the_conclusion(consultant, today, conclusion, extra):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=30))
    services.add_conversation(intake, by=consultant, today=today, held_on=today - timedelta(days=25),
                              place="thuis", participants=["client"])
    concluded_on = today - timedelta(days=20)
    intake = services.conclude_intake(intake, by=consultant, conclusion=conclusion, concluded_on=concluded_on,
                                      report="Verslag", today=today, **extra)
    assert intake.nazorg_due_on == concluded_on + timedelta(weeks=6)


@pytest.mark.parametrize("conclusion", [Intake.Conclusion.OWN_STRENGTH, Intake.Conclusion.MAATWERK])
def test_no_nazorg_without_a_referral(consultant, today, conclusion):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=30))
    ZrmAssessmentFactory(client=intake.melding.client, intake=intake, scores={"financien": 2})
    services.add_conversation(intake, by=consultant, today=today, held_on=today - timedelta(days=25),
                              place="thuis", participants=["client"])
    intake = services.conclude_intake(intake, by=consultant, conclusion=conclusion, concluded_on=today,
                                      report="Verslag", today=today)
    assert intake.nazorg_due_on is None


def test_worklist_shows_nazorg_from_two_weeks_before_it_is_due(consultant, today):
    due_in_14 = IntakeFactory(melding__consultant=consultant, nazorg_due_on=today + timedelta(days=14),
                              conclusion="algemene_voorziening", concluded_on=today - timedelta(days=28),
                              report="v", referral_provision="Buurtkamer")
    IntakeFactory(melding__consultant=consultant, nazorg_due_on=today + timedelta(days=15),
                  conclusion="algemene_voorziening", concluded_on=today - timedelta(days=27), report="v",
                  referral_provision="Buurtkamer")
    IntakeFactory(melding__consultant=consultant, nazorg_due_on=today - timedelta(days=3),
                  nazorg_done_on=today - timedelta(days=1), conclusion="andere_wet", other_law="wlz",
                  concluded_on=today - timedelta(days=45), report="v")
    assert list(worklist(consultant, today=today)["nazorg_due"]) == [due_in_14]


def test_recording_nazorg_takes_it_off_the_worklist(consultant, today):
    intake = IntakeFactory(melding__consultant=consultant, nazorg_due_on=today, conclusion="algemene_voorziening",
                           concluded_on=today - timedelta(days=42), report="v", referral_provision="Buurtkamer")
    services.record_nazorg(intake, by=consultant, done_on=today, notes="Werkt goed.", today=today)
    assert not worklist(consultant, today=today)["nazorg_due"].exists()


def test_worklist_lists_open_onderzoeken_and_undecided_aanvragen_oldest_first(consultant, today):
    old = IntakeFactory(melding__consultant=consultant, melding__received_on=today - timedelta(days=50))
    new = IntakeFactory(melding__consultant=consultant, melding__received_on=today - timedelta(days=2))
    IntakeFactory(melding__received_on=today - timedelta(days=10))  # someone else's
    aanvraag = AanvraagFactory(consultant=consultant)
    sections = worklist(consultant, today=today)
    assert list(sections["open_onderzoeken"]) == [old, new]
    assert list(sections["open_aanvragen"]) == [aanvraag]
    assert old.melding.onderzoek_deadline < today  # overdue: the page highlights it
