"""Clients, meldingen, onderzoek and evaluation services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indications import services
from indications.models import Client, Intake, Municipality, ZrmDomain
from indications.validators import is_valid_bsn
from tests.factories import ClientFactory, IndicationFactory, IntakeFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bsn, valid", [
    ("111222333", True), ("123456782", True), ("111222334", False), ("12345678", False), ("12345678a", False),
    ("000000000", False),
])
def test_bsn_elfproef(bsn, valid):
    assert is_valid_bsn(bsn) is valid


def test_register_client_validates_and_records_the_event(consultant):
    with pytest.raises(ValidationError) as failure:
        services.register_client(by=consultant, bsn="111222334", last_name="X", date_of_birth=date(1990, 1, 1),
                                 gender="V", municipality=Municipality.objects.first())
    assert "bsn" in failure.value.error_dict
    assert not Client.objects.exists()
    client = services.register_client(by=consultant, bsn="111222333", last_name="Jansen",
                                      date_of_birth=date(1990, 1, 1), gender="V",
                                      municipality=Municipality.objects.first())
    assert AuditEvent.objects.get(action=AuditEvent.Action.CREATE).client_id == client.pk


def test_update_client_records_before_and_after(consultant):
    client = ClientFactory(street="Voorstraat")
    services.update_client(client, by=consultant, street="Wijnstraat")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes == {"street": ["Voorstraat", "Wijnstraat"]}


def test_masked_bsn_shows_only_the_last_four_digits():
    assert ClientFactory(bsn="111222333").masked_bsn == "*****2333"


def test_a_melding_opens_an_onderzoek_and_cannot_be_in_the_future(consultant, today):
    client = ClientFactory()
    with pytest.raises(ValidationError):
        services.register_melding(client=client, received_on=today + timedelta(days=1), channel="telefoon",
                                  question="?", consultant=consultant, by=consultant, today=today)
    melding = services.register_melding(client=client, received_on=today, channel="telefoon", question="Hulp",
                                        consultant=consultant, by=consultant, today=today)
    assert melding.intake.concluded_on is None


def test_conversation_cannot_be_before_the_melding(consultant, today):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=5))
    with pytest.raises(ValidationError) as failure:
        services.add_conversation(intake, by=consultant, today=today, held_on=today - timedelta(days=6),
                                  place="thuis", participants=["client"])
    assert "held_on" in failure.value.error_dict
    assert not intake.conversations.exists()


def test_onderzoek_without_conversation_needs_a_reason(consultant, today):
    intake = IntakeFactory()
    with pytest.raises(ValidationError) as failure:
        services.conclude_intake(intake, by=consultant, conclusion="eigen_kracht", concluded_on=today,
                                 report="Verslag", today=today)
    assert "no_conversation_reason" in failure.value.error_dict
    done = services.conclude_intake(intake, by=consultant, conclusion="eigen_kracht", concluded_on=today,
                                    report="Verslag", no_conversation_reason="Herindicatie; situatie bekend.",
                                    today=today)
    assert done.is_concluded


def test_maatwerk_needs_a_zrm(consultant, today):
    intake = IntakeFactory(no_conversation_reason="bekend")
    with pytest.raises(ValidationError) as failure:
        services.conclude_intake(intake, by=consultant, conclusion="maatwerkvoorziening", concluded_on=today,
                                 report="Verslag", no_conversation_reason="bekend", today=today)
    assert "conclusion" in failure.value.error_dict


def test_a_concluded_onderzoek_is_closed(consultant, today):
    intake = IntakeFactory(maatwerk=True)
    with pytest.raises(ValidationError):
        services.add_conversation(intake, by=consultant, today=today, held_on=today, place="thuis",
                                  participants=["client"])


def test_aanvraag_only_after_a_maatwerk_conclusion(consultant, today):
    open_intake = IntakeFactory()
    with pytest.raises(ValidationError):
        services.register_aanvraag(client=open_intake.melding.client, received_on=today, consultant=consultant,
                                   by=consultant, intake=open_intake, today=today)
    intake = IntakeFactory(maatwerk=True)
    aanvraag = services.register_aanvraag(client=intake.melding.client, received_on=today, consultant=consultant,
                                          by=consultant, intake=intake, today=today)
    assert aanvraag.beschikking_deadline == today + timedelta(days=14)


def test_zrm_scores_range_from_1_to_5(consultant, today):
    intake = IntakeFactory()
    domain = ZrmDomain.objects.get(code="financien")
    with pytest.raises(ValidationError):
        services.record_zrm_assessment(client=intake.melding.client, assessed_on=today, scores={domain: 6},
                                       by=consultant, intake=intake, today=today)
    with pytest.raises(ValidationError):
        services.record_zrm_assessment(client=intake.melding.client, assessed_on=today, scores={domain: None},
                                       by=consultant, intake=intake, today=today)
    assessment = services.record_zrm_assessment(client=intake.melding.client, assessed_on=today,
                                                scores={domain: 1}, by=consultant, intake=intake, today=today)
    assert assessment.scores.get().score == 1


def evaluation_input(indication, outcome="voortzetten", **extra):
    progress = {result.pk: ("deels", "") for result in indication.results.all()}
    scores = {domain: 3 for domain in ZrmDomain.objects.all()}
    return {"outcome": outcome, "progress": progress, "zrm_scores": scores, **extra}


def test_evaluation_records_progress_new_zrm_and_plans_the_next(consultant, today):
    indication = IndicationFactory(actief=True)
    planned = indication.planned_evaluations.get()
    evaluation = services.record_evaluation(
        indication, by=consultant, held_on=today, today=today,
        **evaluation_input(indication, next_evaluation_on=today + timedelta(days=90)),
    )
    planned.refresh_from_db()
    assert planned.evaluation == evaluation
    assert evaluation.progress.count() == indication.results.count()
    assert evaluation.zrm_assessment.scores.count() == ZrmDomain.objects.count()
    assert indication.planned_evaluations.filter(evaluation__isnull=True).get().planned_on == today + timedelta(90)


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"next_evaluation_on": None}, "next_evaluation_on"),  # voortzetten needs a next evaluation
        ({"held_on_offset": 1}, "held_on"),
    ],
)
def test_evaluation_validation(consultant, today, extra, field):
    indication = IndicationFactory(actief=True)
    held_on = today + timedelta(days=extra.pop("held_on_offset", 0))
    with pytest.raises(ValidationError) as failure:
        services.record_evaluation(indication, by=consultant, held_on=held_on, today=today,
                                   **evaluation_input(indication, **extra))
    assert field in failure.value.error_dict
    assert not indication.evaluations.exists()


def test_a_concept_cannot_be_evaluated(consultant, today):
    indication = IndicationFactory()
    with pytest.raises(ValidationError):
        services.record_evaluation(indication, by=consultant, held_on=today, today=today,
                                   **evaluation_input(indication, outcome="beeindigen"))


def test_zrm_history_shows_scores_over_time(today):
    from indications.selectors import client_file, zrm_history

    first = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=100))
    ZrmAssessmentFactory(client=first.client, scores={"financien": 3}, assessed_on=today - timedelta(days=10))
    assessments, rows = zrm_history(client_file(first.client.pk))
    financien = next(row for row in rows if row["domain"].code == "financien")
    assert [a.assessed_on for a in assessments] == sorted(a.assessed_on for a in assessments)
    assert financien["scores"] == [2, 3]


def test_intake_conclusions_are_data_for_nazorg():
    assert set(Intake.REFERRAL_CONCLUSIONS) == {Intake.Conclusion.ALGEMENE_VOORZIENING, Intake.Conclusion.OTHER_LAW}
