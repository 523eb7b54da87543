"""The case-file services from client to evaluation, the cost selectors and the nightly jobs: each
service validates, writes, and records its audit event; a refused call writes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indications import services
from indications.models import (
    ComplexityRule,
    Conversation,
    Evaluation,
    Indication,
    Intake,
    Melding,
    PlannedEvaluation,
    Tariff,
    ZrmAssessment,
)
from indications.models import IndicationStatus as S
from indications.selectors import PERIOD_DAYS, beschikking_cost, client_file, tariff_for, zrm_history
from indications.services import ResultInput
from providers.models import Assignment, Contract
from tests.factories import (
    ClientFactory,
    ConversationFactory,
    EvaluationFactory,
    IndicationFactory,
    IntakeFactory,
    ProviderFactory,
    ZrmAssessmentFactory,
    get_municipality,
    get_product,
    get_zrm_domain,
    result_in,
)

pytestmark = pytest.mark.django_db


def events_for(obj, action=None):
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return events.filter(action=action) if action else events


# -- client --------------------------------------------------------------------------------------


def test_register_client_validates_the_bsn_and_writes_nothing_when_refused(consultant):
    with pytest.raises(ValidationError) as failure:
        services.register_client(
            by=consultant,
            bsn="111222334",
            last_name="Jansen",
            date_of_birth=date(1990, 1, 1),
            gender="V",
            municipality=get_municipality(),
        )
    assert "bsn" in failure.value.error_dict
    assert not AuditEvent.objects.exists()


def test_register_client_records_the_event(consultant):
    client = services.register_client(
        by=consultant,
        bsn="111222333",
        last_name="Jansen",
        first_name="Anna",
        date_of_birth=date(1990, 1, 1),
        gender="V",
        municipality=get_municipality(),
        unknown_field="ignored",
    )
    assert client.full_name == "Anna Jansen"
    event = events_for(client).get()
    assert (event.action, event.actor, event.client_id) == (AuditEvent.Action.CREATE, consultant, client.pk)


def test_a_bsn_is_registered_once(consultant):
    ClientFactory(bsn="111222333")
    with pytest.raises(ValidationError) as failure:
        services.register_client(
            by=consultant,
            bsn="111222333",
            last_name="Dubbel",
            date_of_birth=date(1990, 1, 1),
            gender="M",
            municipality=get_municipality(),
        )
    assert "bsn" in failure.value.error_dict


def test_update_client_records_before_and_after_and_only_real_changes(consultant):
    client = ClientFactory(street="Voorstraat")
    services.update_client(client, by=consultant, street="Wijnstraat", city=client.city)
    assert events_for(client, AuditEvent.Action.UPDATE).get().changes == {"street": ["Voorstraat", "Wijnstraat"]}
    services.update_client(client, by=consultant, street="Wijnstraat")
    assert events_for(client, AuditEvent.Action.UPDATE).count() == 1


# -- melding and onderzoek -----------------------------------------------------------------------


def test_a_melding_opens_its_onderzoek_and_is_audited(consultant, today):
    client = ClientFactory()
    melding = services.register_melding(
        client=client,
        received_on=today,
        channel="telefoon",
        question="Hulp",
        consultant=consultant,
        by=consultant,
        today=today,
    )
    assert melding.intake.concluded_on is None
    assert events_for(melding).get().summary == "melding telefoon"


def test_a_melding_cannot_be_in_the_future(consultant, today):
    with pytest.raises(ValidationError) as failure:
        services.register_melding(
            client=ClientFactory(),
            received_on=today + timedelta(days=1),
            channel="telefoon",
            question="?",
            consultant=consultant,
            by=consultant,
            today=today,
        )
    assert "received_on" in failure.value.error_dict
    assert not Melding.objects.exists() and not Intake.objects.exists()


def test_a_conversation_is_recorded_between_the_melding_and_today(consultant, today):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=5))
    for held_on in (today - timedelta(days=6), today + timedelta(days=1)):
        with pytest.raises(ValidationError) as failure:
            services.add_conversation(
                intake, by=consultant, today=today, held_on=held_on, place="thuis", participants=["client"]
            )
        assert "held_on" in failure.value.error_dict
    for held_on in (today - timedelta(days=5), today):
        services.add_conversation(
            intake, by=consultant, today=today, held_on=held_on, place="thuis", participants=["client", "mantelzorger"]
        )
    assert intake.conversations.count() == 2
    assert AuditEvent.objects.filter(object_type="indications.conversation").count() == 2


@pytest.mark.parametrize("participants", [[], ["buurman"]])
def test_a_conversation_needs_known_participants(consultant, today, participants):
    intake = IntakeFactory()
    with pytest.raises(ValidationError) as failure:
        services.add_conversation(
            intake, by=consultant, today=today, held_on=today, place="thuis", participants=participants
        )
    assert "participants" in failure.value.error_dict
    assert not Conversation.objects.exists()


def conclude(intake, consultant, today, **overrides):
    data = {
        "conclusion": Intake.Conclusion.OWN_STRENGTH,
        "concluded_on": today,
        "report": "Verslag",
        "today": today,
        **overrides,
    }
    return services.conclude_intake(intake, by=consultant, **data)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"conclusion": "onbekend"}, "conclusion"),
        ({"concluded_on": date(2026, 11, 24)}, "concluded_on"),  # tomorrow
        ({"concluded_on": date(2026, 11, 2)}, "concluded_on"),  # the day before the melding
        ({"report": "  "}, "report"),
        ({"report_sent_on": date(2026, 11, 2)}, "report_sent_on"),
        ({"conclusion": Intake.Conclusion.ALGEMENE_VOORZIENING, "referral_provision": " "}, "referral_provision"),
        ({"conclusion": Intake.Conclusion.OTHER_LAW, "other_law": ""}, "other_law"),
        ({"conclusion": Intake.Conclusion.OTHER_LAW, "other_law": "awbz"}, "other_law"),
        ({"conclusion": Intake.Conclusion.MAATWERK}, "conclusion"),  # no ZRM yet
    ],
)
def test_concluding_an_onderzoek_is_validated(consultant, today, overrides, field):
    intake = IntakeFactory(melding__received_on=date(2026, 11, 3))
    ConversationFactory(intake=intake)
    with pytest.raises(ValidationError) as failure:
        conclude(intake, consultant, today, **overrides)
    assert field in failure.value.error_dict
    intake.refresh_from_db()
    assert not intake.is_concluded and intake.conclusion == ""
    assert not events_for(intake).exists()


def test_an_onderzoek_without_conversation_needs_a_reason(consultant, today):
    intake = IntakeFactory()
    with pytest.raises(ValidationError) as failure:
        conclude(intake, consultant, today)
    assert "no_conversation_reason" in failure.value.error_dict
    done = conclude(
        intake,
        consultant,
        today,
        no_conversation_reason="Herindicatie; situatie bekend.",
        persoonlijk_plan_not_received=True,
    )
    assert done.is_concluded and done.no_conversation_reason == "Herindicatie; situatie bekend."


def test_concluding_records_the_outcome_and_a_transition_event(consultant, today):
    intake = IntakeFactory(melding__received_on=today - timedelta(days=10))
    ConversationFactory(intake=intake)
    ZrmAssessmentFactory(client=intake.melding.client, intake=intake, scores={"financien": 2})
    # A received plan needs how it was taken into account before the onderzoek closes.
    services.record_persoonlijk_plan(intake, received_on=today, note="Meegenomen.", by=consultant, today=today)
    done = conclude(
        intake,
        consultant,
        today,
        conclusion=Intake.Conclusion.MAATWERK,
        report_sent_on=today,
        referral_provision="niet van toepassing",
        persoonlijk_plan_received_on=today,
    )
    done.refresh_from_db()
    assert (done.conclusion, done.concluded_on, done.report_sent_on) == (Intake.Conclusion.MAATWERK, today, today)
    assert done.referral_provision == ""  # only kept for a referral to an algemene voorziening
    assert done.persoonlijk_plan_received_on == today
    event = events_for(intake, AuditEvent.Action.TRANSITION).get()
    assert event.changes == {"conclusion": ["", "maatwerkvoorziening"], "concluded_on": [None, str(today)]}
    assert event.client_id == intake.melding.client_id


def test_a_concluded_onderzoek_is_closed(consultant, today):
    intake = IntakeFactory(maatwerk=True)
    with pytest.raises(ValidationError) as conversation:
        services.add_conversation(
            intake, by=consultant, today=today, held_on=today, place="thuis", participants=["client"]
        )
    assert conversation.value.code == "concluded"
    with pytest.raises(ValidationError):
        conclude(intake, consultant, today, no_conversation_reason="x")
    with pytest.raises(ValidationError):
        services.record_zrm_assessment(
            client=intake.melding.client,
            assessed_on=today,
            by=consultant,
            scores={get_zrm_domain("financien"): 2},
            intake=intake,
            today=today,
        )
    assert not ZrmAssessment.objects.exists()


def test_nazorg_only_where_planned_and_only_once(consultant, today):
    with pytest.raises(ValidationError) as not_planned:
        services.record_nazorg(IntakeFactory(maatwerk=True), by=consultant, done_on=today, notes="x", today=today)
    assert not_planned.value.code == "no_nazorg"
    intake = IntakeFactory(referred=True)
    with pytest.raises(ValidationError) as no_notes:
        services.record_nazorg(intake, by=consultant, done_on=today, notes=" ", today=today)
    assert "notes" in no_notes.value.error_dict
    services.record_nazorg(intake, by=consultant, done_on=today, notes="Gaat naar de buurtkamer.", today=today)
    assert events_for(intake, AuditEvent.Action.UPDATE).get().summary == "nazorg"
    with pytest.raises(ValidationError) as twice:
        services.record_nazorg(intake, by=consultant, done_on=today, notes="Nog eens", today=today)
    assert twice.value.code == "nazorg_done"
    intake.refresh_from_db()
    assert intake.nazorg_notes == "Gaat naar de buurtkamer."


# -- ZRM -----------------------------------------------------------------------------------------


def test_zrm_scores_range_from_1_to_5(consultant, today):
    intake = IntakeFactory()
    financien = get_zrm_domain("financien")
    for scores, code in (
        ({financien: 6}, "zrm_range"),
        ({financien: 0}, "zrm_range"),
        ({financien: None}, "zrm_empty"),
        ({}, "zrm_empty"),
    ):
        with pytest.raises(ValidationError) as failure:
            services.record_zrm_assessment(
                client=intake.melding.client,
                assessed_on=today,
                scores=scores,
                by=consultant,
                intake=intake,
                today=today,
            )
        assert failure.value.code == code
    assert not ZrmAssessment.objects.exists()
    assessment = services.record_zrm_assessment(
        client=intake.melding.client,
        assessed_on=today,
        by=consultant,
        scores={financien: 1, get_zrm_domain("adl"): 5},
        intake=intake,
        today=today,
    )
    assert {s.domain.code: s.score for s in assessment.scores.all()} == {"financien": 1, "adl": 5}
    assert events_for(assessment).get().changes == {"financien": 1, "adl": 5}


def test_a_zrm_is_not_dated_in_the_future_and_belongs_to_an_onderzoek_or_evaluation(consultant, today):
    intake = IntakeFactory()
    scores = {get_zrm_domain("financien"): 2}
    with pytest.raises(ValidationError) as future:
        services.record_zrm_assessment(
            client=intake.melding.client,
            assessed_on=today + timedelta(days=1),
            scores=scores,
            by=consultant,
            intake=intake,
            today=today,
        )
    assert "assessed_on" in future.value.error_dict
    with pytest.raises(ValidationError):
        services.record_zrm_assessment(
            client=intake.melding.client, assessed_on=today, scores=scores, by=consultant, today=today
        )
    assert not ZrmAssessment.objects.exists()


def test_zrm_history_shows_scores_over_time(today):
    first = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=today - timedelta(days=100))
    ZrmAssessmentFactory(
        client=first.client, scores={"financien": 3, "adl": None}, assessed_on=today - timedelta(days=10)
    )
    assessments, rows = zrm_history(client_file(first.client.pk))
    by_code = {row["domain"].code: row["scores"] for row in rows}
    assert [a.assessed_on for a in assessments] == [today - timedelta(days=100), today - timedelta(days=10)]
    assert by_code["financien"] == [2, 3]
    assert by_code["adl"] == [4, None]


# -- aanvraag ------------------------------------------------------------------------------------


def test_an_aanvraag_follows_a_maatwerk_conclusion(consultant, today):
    open_intake = IntakeFactory()
    with pytest.raises(ValidationError) as failure:
        services.register_aanvraag(
            client=open_intake.melding.client,
            received_on=today,
            consultant=consultant,
            by=consultant,
            intake=open_intake,
            today=today,
        )
    assert failure.value.code == "no_maatwerk"
    intake = IntakeFactory(maatwerk=True)
    aanvraag = services.register_aanvraag(
        client=intake.melding.client,
        received_on=today,
        consultant=consultant,
        by=consultant,
        intake=intake,
        today=today,
    )
    assert aanvraag.intake == intake
    assert events_for(aanvraag).get().client_id == intake.melding.client_id


def test_an_aanvraag_without_onderzoek_is_possible(consultant, today):
    aanvraag = services.register_aanvraag(
        client=ClientFactory(), received_on=today, consultant=consultant, by=consultant, today=today
    )
    assert aanvraag.intake is None


def test_an_aanvraag_is_validated(consultant, today):
    intake = IntakeFactory(maatwerk=True, melding__received_on=today - timedelta(days=20))
    client = intake.melding.client
    with pytest.raises(ValidationError) as other_client:
        services.register_aanvraag(
            client=ClientFactory(), received_on=today, consultant=consultant, by=consultant, intake=intake, today=today
        )
    assert other_client.value.code == "wrong_client"
    for received_on in (today + timedelta(days=1), today - timedelta(days=21)):
        with pytest.raises(ValidationError) as failure:
            services.register_aanvraag(
                client=client, received_on=received_on, consultant=consultant, by=consultant, intake=intake, today=today
            )
        assert "received_on" in failure.value.error_dict
    assert not client.aanvragen.exists()


# -- the concept indication ----------------------------------------------------------------------


def concept_input(**overrides):
    financien = result_in("financien")
    data = {
        "results": [
            ResultInput(
                result=financien,
                goal="Betaalt vaste lasten zelf op tijd",
                sub_results=list(financien.sub_results.all()[:2]),
            )
        ],
        "evaluation_dates": [date(2027, 3, 1), date(2026, 12, 20), date(2027, 3, 1)],
        "product": get_product("IB1"),
        "start_date": date(2026, 12, 1),
        "end_date": date(2027, 11, 30),
    }
    return {**data, **overrides}


def test_save_indication_concept_creates_results_and_planned_evaluations(ib_client, consultant):
    indication = services.save_indication_concept(None, client=ib_client, by=consultant, **concept_input())
    assert (indication.status, indication.consultant) == (S.CONCEPT, consultant)
    (result,) = indication.results.all()
    assert result.sub_results.count() == 2 and result.goal == "Betaalt vaste lasten zelf op tijd"
    assert list(indication.planned_evaluations.values_list("planned_on", flat=True)) == [
        date(2026, 12, 20),
        date(2027, 3, 1),
    ]
    assert events_for(indication, AuditEvent.Action.CREATE).get().summary == "concept-indicatie"


def test_saving_a_concept_again_replaces_its_results_and_records_the_changes(ib_client, consultant):
    indication = services.save_indication_concept(None, client=ib_client, by=consultant, **concept_input())
    netwerk = result_in("sociaal-netwerk")
    services.save_indication_concept(
        indication,
        client=ib_client,
        by=consultant,
        **concept_input(
            results=[ResultInput(result=netwerk, goal="Bouwt een netwerk op")],
            evaluation_dates=[date(2027, 2, 1)],
            product=get_product("IB2"),
            end_date=date(2027, 5, 1),
        ),
    )
    indication.refresh_from_db()
    assert [r.result for r in indication.results.all()] == [netwerk]
    assert list(indication.planned_evaluations.values_list("planned_on", flat=True)) == [date(2027, 2, 1)]
    changes = events_for(indication, AuditEvent.Action.UPDATE).get().changes
    assert changes["end_date"] == ["2027-11-30", "2027-05-01"]
    assert changes["product"] == [str(get_product("IB1").pk), str(get_product("IB2").pk)]


def test_only_a_concept_can_be_changed(ib_client, consultant):
    indication = IndicationFactory(client=ib_client, vastgesteld=True)
    with pytest.raises(ValidationError) as failure:
        services.save_indication_concept(indication, client=ib_client, by=consultant, **concept_input())
    assert failure.value.code == "not_concept"
    assert indication.results.get().result == result_in("financien")


def test_a_concept_is_validated_for_shape(ib_client, consultant):
    other = ClientFactory()
    with pytest.raises(ValidationError) as dates:
        services.save_indication_concept(
            None, client=ib_client, by=consultant, **concept_input(end_date=date(2026, 12, 1))
        )
    assert "end_date" in dates.value.error_dict
    with pytest.raises(ValidationError) as aanvraag:
        services.save_indication_concept(
            None, client=ib_client, by=consultant, aanvraag=IndicationFactory(client=other).aanvraag, **concept_input()
        )
    assert "aanvraag" in aanvraag.value.error_dict
    with pytest.raises(ValidationError) as replaces:
        services.save_indication_concept(
            None,
            client=ib_client,
            by=consultant,
            replaces=IndicationFactory(client=other, actief=True),
            **concept_input(),
        )
    assert "replaces" in replaces.value.error_dict
    wrong_sub = result_in("huisvesting").sub_results.first()
    with pytest.raises(ValidationError) as sub:
        services.save_indication_concept(
            None,
            client=ib_client,
            by=consultant,
            **concept_input(results=[ResultInput(result=result_in("financien"), goal="Doel", sub_results=[wrong_sub])]),
        )
    assert sub.value.code == "sub_result_mismatch"
    with pytest.raises(ValidationError) as goal:
        services.save_indication_concept(
            None,
            client=ib_client,
            by=consultant,
            **concept_input(results=[ResultInput(result=result_in("financien"), goal="  ")]),
        )
    assert goal.value.code == "goal_required"
    assert not Indication.objects.filter(client=ib_client).exists()


# -- vaststellen -----------------------------------------------------------------------------------


@pytest.fixture
def simple(db):
    """Four eyes off: these tests are about the vaststelling itself."""
    ComplexityRule.objects.update(is_active=False)


def test_vaststellen_assigns_the_provider_and_records_every_step(simple, case_file, provider, consultant, today):
    indication = case_file.indication
    indication.provider = provider
    indication.save()
    issued = services.issue_beschikking(indication, by=consultant, today=today, decision_date=today - timedelta(1))
    assert issued.decision_date == today - timedelta(days=1)
    assert issued.number == f"IB-2026-{issued.pk:07d}"
    assignment = Assignment.objects.get(indication=issued)
    assert (assignment.provider, assignment.product, assignment.assigned_on) == (provider, issued.product, today)
    assert (assignment.start_date, assignment.end_date) == (issued.start_date, issued.end_date)
    assert events_for(assignment, AuditEvent.Action.CREATE).exists()
    assert events_for(issued, AuditEvent.Action.TRANSITION).get().actor == consultant


def test_vaststellen_needs_a_contract_with_the_provider(simple, case_file, consultant, today):
    uncontracted = ProviderFactory()
    ib3_only = ProviderFactory()
    Contract.objects.create(provider=ib3_only, valid_from=date(2016, 1, 1)).products.set([get_product("IB3")])
    for provider in (uncontracted, ib3_only):
        Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
        with pytest.raises(ValidationError) as failure:
            services.issue_beschikking(case_file.indication, by=consultant, today=today)
        assert {e.code for e in failure.value.error_list} == {"no_contract"}
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("days, code", [(1, "decision_future"), (-30, "decision_before_aanvraag")])
def test_the_decision_date_lies_between_the_aanvraag_and_today(simple, case_file, consultant, today, days, code):
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(
            case_file.indication, by=consultant, today=today, decision_date=today + timedelta(days=days)
        )
    assert {e.code for e in failure.value.error_list} == {code}
    on_aanvraag_day = services.issue_beschikking(
        case_file.indication, by=consultant, today=today, decision_date=case_file.aanvraag.received_on
    )
    assert on_aanvraag_day.decision_date == case_file.aanvraag.received_on


def test_opschaling_ends_the_old_beschikking_the_day_before(simple, ib_client, consultant, today):
    old = IndicationFactory(client=ib_client, actief=True, end_date=None)
    new = IndicationFactory(
        client=ib_client, replaces=old, kind=Indication.Kind.SCALE_UP, product=get_product("IB3"), start_date=today
    )
    services.issue_beschikking(new, by=consultant, today=today)
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.status == S.ACTIEF
    assert (old.status, old.end_date, old.ended_on) == (
        S.BEEINDIGD,
        today - timedelta(days=1),
        today - timedelta(days=1),
    )
    assert old.status_changes.get().reason == f"Vervangen door {new.number}"


def test_a_future_scaling_shortens_the_old_beschikking_which_stays_live_until_then(
    simple, ib_client, consultant, today
):
    old = IndicationFactory(client=ib_client, actief=True, end_date=None)
    start = today + timedelta(days=14)
    new = IndicationFactory(
        client=ib_client, replaces=old, kind=Indication.Kind.SCALE_DOWN, product=get_product("IB0"), start_date=start
    )
    services.issue_beschikking(new, by=consultant, today=today)
    old.refresh_from_db()
    assert (old.status, old.end_date) == (S.ACTIEF, start - timedelta(days=1))
    # the nightly job ends it once that day has passed
    assert services.end_expired_beschikkingen(today=start).done == 1
    old.refresh_from_db()
    assert (old.status, old.ended_on) == (S.BEEINDIGD, start - timedelta(days=1))


def test_withdrawing_a_beschikking_withdraws_its_toewijzing(simple, case_file, provider, consultant, today):
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    issued = services.issue_beschikking(case_file.indication, by=consultant, today=today)
    services.withdraw_beschikking(issued, by=consultant, reason="Bezwaar gegrond")
    assignment = Assignment.objects.get(indication=issued)
    assert assignment.status == Assignment.Status.WITHDRAWN


# -- nightly jobs ----------------------------------------------------------------------------------


def test_nightly_jobs_activate_started_and_end_expired_beschikkingen(today):
    starting = IndicationFactory(vastgesteld=True, start_date=today)
    later = IndicationFactory(vastgesteld=True, start_date=today + timedelta(days=1))
    expired = IndicationFactory(actief=True, end_date=today - timedelta(days=1))
    running = IndicationFactory(actief=True, end_date=today)
    open_ended = IndicationFactory(actief=True, end_date=None)
    concept = IndicationFactory(start_date=today - timedelta(days=3), end_date=today - timedelta(days=1))
    assert services.activate_started_beschikkingen(today=today).done == 1
    assert services.end_expired_beschikkingen(today=today).done == 1
    items = (starting, later, expired, running, open_ended, concept)
    for item in items:
        item.refresh_from_db()
    assert [i.status for i in items] == [S.ACTIEF, S.VASTGESTELD, S.BEEINDIGD, S.ACTIEF, S.ACTIEF, S.CONCEPT]
    assert expired.ended_on == today - timedelta(days=1)
    assert expired.status_changes.get().reason == "Einddatum verstreken"
    assert starting.status_changes.get().by is None
    # idempotent: a second run changes nothing
    assert services.activate_started_beschikkingen(today=today).done == 0
    assert services.end_expired_beschikkingen(today=today).done == 0


def test_a_vastgestelde_beschikking_whose_whole_period_passed_is_ended(today):
    """Never activated (e.g. the job did not run): it still ends, straight from vastgesteld."""
    stale = IndicationFactory(
        vastgesteld=True, start_date=today - timedelta(days=20), end_date=today - timedelta(days=2)
    )
    assert services.end_expired_beschikkingen(today=today).done == 1
    stale.refresh_from_db()
    assert (stale.status, stale.ended_on) == (S.BEEINDIGD, today - timedelta(days=2))


def test_ended_beschikkingen_end_their_toewijzing_on_the_injected_day(simple, ib_client, provider, consultant, today):
    """The nightly job run for a given day ends the toewijzingen as of that day, not the wall clock."""
    start = today + timedelta(days=400)  # far after the real clock of any test run
    issue_day = start - timedelta(days=3)
    indication = IndicationFactory(
        client=ib_client,
        provider=provider,
        start_date=start,
        end_date=start + timedelta(days=60),
        evaluations=[start + timedelta(days=30)],
        aanvraag__received_on=issue_day,
    )
    services.issue_beschikking(indication, by=consultant, today=issue_day)
    assert services.end_expired_beschikkingen(today=start + timedelta(days=61)).done == 1
    assignment = Assignment.objects.get(indication=indication)
    assert (assignment.status, assignment.end_date) == (Assignment.Status.ENDED, start + timedelta(days=60))


def test_celery_tasks_run_the_nightly_services(today):
    from indications import tasks

    IndicationFactory(vastgesteld=True, start_date=today - timedelta(days=1))
    assert tasks.activate_started_beschikkingen.apply().get() == {"done": 1, "failed": []}
    assert tasks.end_expired_beschikkingen.apply().get() == {"done": 0, "failed": []}


# -- evaluation ----------------------------------------------------------------------------------


def evaluation_input(indication, outcome=Evaluation.Outcome.CONTINUE, **extra):
    progress = {result.pk: ("deels", "") for result in indication.results.all()}
    scores = {get_zrm_domain("financien"): 3, get_zrm_domain("sociaal-netwerk"): 4}
    return {"outcome": outcome, "progress": progress, "zrm_scores": scores, **extra}


def test_an_evaluation_records_progress_a_new_zrm_and_plans_the_next(consultant, today):
    indication = IndicationFactory(actief=True, results=["financien", "sociaal-netwerk"])
    planned = indication.planned_evaluations.get()
    evaluation = services.record_evaluation(
        indication,
        by=consultant,
        held_on=today,
        today=today,
        **evaluation_input(indication, next_evaluation_on=today + timedelta(days=90), notes="Gaat goed"),
    )
    planned.refresh_from_db()
    assert planned.evaluation == evaluation
    assert evaluation.progress.count() == 2
    assessment = evaluation.zrm_assessment
    assert (assessment.assessed_on, assessment.intake, assessment.assessed_by) == (today, None, consultant)
    assert {s.domain.code: s.score for s in assessment.scores.all()} == {"financien": 3, "sociaal-netwerk": 4}
    assert list(
        indication.planned_evaluations.filter(evaluation__isnull=True).values_list("planned_on", flat=True)
    ) == [today + timedelta(days=90)]
    assert events_for(evaluation).get().summary == "evaluatie: voortzetten"


def test_the_earliest_open_planned_evaluation_is_the_one_held(consultant, today):
    indication = IndicationFactory(actief=True, evaluations=[today + timedelta(days=30), today - timedelta(days=5)])
    evaluation = services.record_evaluation(
        indication,
        by=consultant,
        held_on=today,
        today=today,
        **evaluation_input(indication, outcome=Evaluation.Outcome.STOP),
    )
    assert PlannedEvaluation.objects.get(evaluation=evaluation).planned_on == today - timedelta(days=5)
    assert indication.planned_evaluations.filter(evaluation__isnull=True).count() == 1


@pytest.mark.parametrize(
    "held_offset, extra, field",
    [
        (0, {"next_evaluation_on": None}, "next_evaluation_on"),  # voortzetten needs a next evaluation
        (0, {"next_evaluation_on": date(2026, 11, 23)}, "next_evaluation_on"),  # not after this one
        (0, {"next_evaluation_on": date(2027, 12, 1)}, "next_evaluation_on"),  # after the end date
        (1, {"next_evaluation_on": date(2027, 1, 1)}, "held_on"),  # in the future
        (-31, {"next_evaluation_on": date(2027, 1, 1)}, "held_on"),  # before the start date
        (0, {"outcome": "doorgaan", "next_evaluation_on": date(2027, 1, 1)}, "outcome"),
    ],
)
def test_an_evaluation_is_validated(consultant, today, held_offset, extra, field):
    indication = IndicationFactory(actief=True)  # started 30 days ago, ends in 334 days
    held_on = today + timedelta(days=held_offset)
    with pytest.raises(ValidationError) as failure:
        services.record_evaluation(
            indication, by=consultant, held_on=held_on, today=today, **evaluation_input(indication, **extra)
        )
    assert field in failure.value.error_dict
    assert not Evaluation.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("progress_of", ["none", "invalid", "foreign"])
def test_an_evaluation_gives_valid_progress_on_every_result(consultant, today, progress_of):
    indication = IndicationFactory(actief=True, results=["financien", "sociaal-netwerk"])
    data = evaluation_input(indication, outcome=Evaluation.Outcome.STOP)
    first = indication.results.first()
    if progress_of == "none":
        del data["progress"][first.pk]
    elif progress_of == "invalid":
        data["progress"][first.pk] = ("super", "")
    else:  # progress on another indication's result
        data["progress"][IndicationFactory().results.get().pk] = ("behaald", "")
    with pytest.raises(ValidationError) as failure:
        services.record_evaluation(indication, by=consultant, held_on=today, today=today, **data)
    assert "__all__" in failure.value.error_dict
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("trait", [None, "beeindigd", "ingetrokken"])
def test_only_a_live_beschikking_is_evaluated(consultant, today, trait):
    indication = IndicationFactory(**({trait: True} if trait else {}))
    with pytest.raises(ValidationError) as failure:
        services.record_evaluation(
            indication,
            by=consultant,
            held_on=today,
            today=today,
            **evaluation_input(indication, outcome=Evaluation.Outcome.STOP),
        )
    assert failure.value.code == "not_live"


def test_the_evaluation_factory_makes_a_consistent_evaluation():
    evaluation = EvaluationFactory()
    assert evaluation.indication.status == S.ACTIEF
    assert evaluation.indication.start_date <= evaluation.held_on < evaluation.next_evaluation_on


# -- other provisions ----------------------------------------------------------------------------


def test_other_provisions_are_recorded_and_audited(consultant, today):
    client = ClientFactory()
    provision = services.record_other_provision(
        client=client, kind="dagbesteding", start_date=today, by=consultant, notes="2 dagdelen"
    )
    assert provision.law == "wmo"
    assert events_for(provision).get().summary == "voorziening dagbesteding"
    with pytest.raises(ValidationError):
        services.record_other_provision(
            client=client, kind="wlz", start_date=today, end_date=today - timedelta(days=1), by=consultant
        )


# -- tariffs and cost ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, amount, opslag",
    [("IB1", "337.66", "110.45"), ("IB2", "732.16", "239.50"), ("IB3", "1124.99", "368.00")],
)
def test_the_2016_tariffs_are_in_force_from_1_january_2016(code, amount, opslag):
    product = get_product(code)
    assert tariff_for(product, date(2015, 12, 31)) is None
    tariff = tariff_for(product, date(2016, 1, 1))
    assert (tariff.amount_per_period, tariff.opslag_per_period) == (Decimal(amount), Decimal(opslag))
    assert tariff_for(product, date(2026, 11, 23)) == tariff  # open-ended


def test_ib0_has_a_tariff_from_1_august_2018_without_opslag(settings):
    ib0 = get_product("IB0")
    assert tariff_for(ib0, date(2018, 7, 31)) is None
    tariff = tariff_for(ib0, date(2018, 8, 1))
    assert tariff.valid_from == date(2018, 8, 1)
    assert tariff.amount_per_period == Decimal(settings.SDD["IB0_TARIFF"])
    assert tariff.opslag_per_period is None


def test_the_tariff_is_chosen_by_date():
    ib1 = get_product("IB1")
    Tariff.objects.filter(product=ib1).update(valid_to=date(2016, 12, 31))
    Tariff.objects.create(
        product=ib1,
        valid_from=date(2017, 1, 1),
        valid_to=date(2017, 12, 31),
        amount_per_period=Decimal("345.00"),
        opslag_per_period=Decimal("112.00"),
    )
    Tariff.objects.create(product=ib1, valid_from=date(2018, 1, 1), amount_per_period=Decimal("350.00"))
    assert tariff_for(ib1, date(2016, 12, 31)).amount_per_period == Decimal("337.66")
    assert tariff_for(ib1, date(2017, 1, 1)).amount_per_period == Decimal("345.00")
    assert tariff_for(ib1, date(2017, 12, 31)).amount_per_period == Decimal("345.00")
    assert tariff_for(ib1, date(2018, 1, 1)).amount_per_period == Decimal("350.00")
    assert tariff_for(ib1, date(2030, 1, 1)).amount_per_period == Decimal("350.00")


def cost_of(code="IB1", days=364, start=date(2026, 1, 1), **fields):
    return beschikking_cost(
        IndicationFactory(
            product=get_product(code),
            start_date=start,
            end_date=start + timedelta(days=days) if days is not None else None,
            **fields,
        )
    )


def test_the_cost_is_per_period_of_4_weeks():
    assert PERIOD_DAYS == 28
    cost = cost_of("IB1", days=27)  # 28 days including the last: one period
    assert (cost.per_period, cost.periods, cost.total) == (Decimal("337.66"), 1, Decimal("337.66"))


@pytest.mark.parametrize("days, periods", [(1, 1), (27, 1), (28, 2), (55, 2), (56, 3), (363, 13), (364, 14)])
def test_every_started_period_counts(days, periods):
    """The end date is the last day of care: start + 27 days is exactly 4 weeks."""
    assert cost_of("IB1", days=days).periods == periods


def test_the_cost_of_ib3_with_opslag():
    cost = cost_of("IB3", days=55, opslag=True, opslag_motivation="NAH")
    assert cost.per_period == Decimal("1124.99") + Decimal("368.00")
    assert cost.total == 2 * Decimal("1492.99")
    assert cost.tariff.product.code == "IB3"


def test_opslag_without_an_opslag_tariff_costs_the_base_tariff(settings):
    cost = cost_of("IB0", days=83, opslag=True)
    base = Decimal(settings.SDD["IB0_TARIFF"])
    assert (cost.per_period, cost.periods, cost.total) == (base, 3, 3 * base)


def test_the_tariff_at_the_start_date_prices_the_whole_beschikking():
    ib1 = get_product("IB1")
    Tariff.objects.filter(product=ib1).update(valid_to=date(2026, 6, 30))
    Tariff.objects.create(product=ib1, valid_from=date(2026, 7, 1), amount_per_period=Decimal("400.00"))
    assert cost_of("IB1", start=date(2026, 6, 30)).per_period == Decimal("337.66")
    assert cost_of("IB1", start=date(2026, 7, 1)).per_period == Decimal("400.00")


def test_an_open_ended_beschikking_has_a_period_cost_but_no_total():
    cost = cost_of("IB1", days=None)
    assert (cost.per_period, cost.periods, cost.total) == (Decimal("337.66"), None, None)


def test_without_a_tariff_there_is_no_cost():
    cost = cost_of("IB0", start=date(2018, 7, 1), days=60)
    assert (cost.tariff, cost.per_period, cost.periods, cost.total) == (None, None, None, None)
