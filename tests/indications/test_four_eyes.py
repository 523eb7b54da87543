"""Four-eyes review: the complexity rules, the review flow, and reviewer ≠ author on every route."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import CONSULENT, TEAMLEIDER
from indications import four_eyes, services
from indications.models import ComplexityRule, Indication, OtherProvision, Product, Review
from indications.models import IndicationStatus as S
from indications.selectors import review_figures, review_queue, worklist
from tests.factories import IndicationFactory, ZrmAssessmentFactory, staff_member

pytestmark = pytest.mark.django_db


def codes(indication, today):
    return {finding.code for finding in four_eyes.complexity_findings(indication, today=today)}


@pytest.fixture
def client_scored(today):
    return ZrmAssessmentFactory(
        scores={"financien": 2, "sociaal-netwerk": 3, "huisvesting": 3, "huiselijke-relaties": 2, "adl": 3}
    ).client


# -- the complexity rules -------------------------------------------------------------------------


def test_a_plain_indication_is_not_complex(client_scored, today):
    assert codes(IndicationFactory(client=client_scored), today) == set()


def test_ib3_is_complex(client_scored, today):
    assert "product" in codes(IndicationFactory(client=client_scored, product=Product.objects.get(code="IB3")), today)


def test_opslag_is_complex(client_scored, today):
    assert "opslag" in codes(IndicationFactory(client=client_scored, opslag=True, opslag_motivation="NAH"), today)


def test_a_zrm_score_1_is_complex(today):
    client = ZrmAssessmentFactory(scores={"dagbesteding": 1}).client
    indication = IndicationFactory(client=client, results=["dagbesteding-participatie"])
    assert "zrm_acuut" in codes(indication, today)


def test_more_results_than_the_threshold_is_complex(client_scored, today):
    five = ["financien", "sociaal-netwerk", "huisvesting", "huiselijke-relaties", "zelfzorg"]
    assert "aantal_resultaten" in codes(IndicationFactory(client=client_scored, results=five), today)
    assert "aantal_resultaten" not in codes(IndicationFactory(client=client_scored, results=five[:4]), today)


def test_the_threshold_is_data(client_scored, today):
    ComplexityRule.objects.filter(kind="aantal_resultaten").update(threshold=1)
    indication = IndicationFactory(client=client_scored, results=["financien", "sociaal-netwerk"])
    assert "aantal_resultaten" in codes(indication, today)


def test_a_long_or_open_ended_duration_is_complex(client_scored, today):
    start = today + timedelta(days=7)
    assert "looptijd" not in codes(
        IndicationFactory(client=client_scored, start_date=start, end_date=start + timedelta(weeks=52)), today
    )
    assert "looptijd" in codes(
        IndicationFactory(client=client_scored, start_date=start, end_date=start + timedelta(weeks=52, days=1)), today
    )
    assert "looptijd" in codes(IndicationFactory(client=client_scored, end_date=None), today)


@pytest.mark.parametrize("kind, complex_", [("beschermd_wonen", True), ("dagbesteding", True), ("vervoer", False)])
def test_stacking_with_beschermd_wonen_or_dagbesteding_is_complex(client_scored, today, consultant, kind, complex_):
    indication = IndicationFactory(client=client_scored)
    services.record_other_provision(
        client=client_scored, kind=kind, start_date=today - timedelta(days=30), by=consultant
    )
    assert ("stapeling" in codes(indication, today)) is complex_


def test_stacking_needs_overlapping_periods(client_scored, today, consultant):
    indication = IndicationFactory(client=client_scored)
    services.record_other_provision(
        client=client_scored,
        kind="beschermd_wonen",
        start_date=date(2020, 1, 1),
        end_date=indication.start_date - timedelta(days=1),
        by=consultant,
    )
    assert "stapeling" not in codes(indication, today)


def test_a_herindicatie_that_scales_up_is_complex(client_scored, today):
    old = IndicationFactory(client=client_scored, actief=True, end_date=None)
    up = IndicationFactory(
        client=client_scored,
        replaces=old,
        kind=Indication.Kind.HERINDICATIE,
        product=Product.objects.get(code="IB2"),
        start_date=today,
        end_date=today + timedelta(weeks=20),
    )
    assert "opschaling" in codes(up, today)
    Indication.objects.filter(pk=up.pk).update(status=Indication.Status.INGETROKKEN)  # one successor at a time
    down = IndicationFactory(
        client=client_scored,
        replaces=old,
        kind=Indication.Kind.SCALE_DOWN,
        product=Product.objects.get(code="IB0"),
        start_date=today,
    )
    assert "opschaling" not in codes(down, today)


def test_the_manual_tick_asks_for_four_eyes(client_scored, today):
    assert "handmatig" in codes(IndicationFactory(client=client_scored, four_eyes_requested=True), today)


def test_an_inactive_rule_does_not_count(client_scored, today):
    ComplexityRule.objects.filter(kind="product").update(is_active=False)
    assert "product" not in codes(
        IndicationFactory(client=client_scored, product=Product.objects.get(code="IB3")), today
    )


# -- the flow ------------------------------------------------------------------------------------


@pytest.fixture
def complex_concept(client_scored, consultant):
    return IndicationFactory(client=client_scored, consultant=consultant, product=Product.objects.get(code="IB3"))


def test_a_complex_concept_cannot_be_vastgesteld_directly(complex_concept, consultant, today):
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(complex_concept, by=consultant, today=today)
    assert "four_eyes_required" in {error.code for error in failure.value.error_list}
    complex_concept.refresh_from_db()
    assert complex_concept.status == S.CONCEPT


def test_a_simple_concept_cannot_be_submitted_for_review(client_scored, consultant, today):
    with pytest.raises(ValidationError):
        four_eyes.submit_for_review(IndicationFactory(client=client_scored), by=consultant, today=today)


def test_an_invalid_concept_cannot_be_submitted(consultant, today):
    indication = IndicationFactory(product=Product.objects.get(code="IB3"))  # no ZRM
    with pytest.raises(ValidationError):
        four_eyes.submit_for_review(indication, by=consultant, today=today)
    indication.refresh_from_db()
    assert indication.status == S.CONCEPT and not indication.reviews.exists()


def test_reject_correct_approve_issue(complex_concept, consultant, team_lead, today):
    review = four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    assert review.findings[0]["code"] == "product"
    complex_concept.refresh_from_db()
    assert complex_concept.status == S.TER_BEOORDELING and complex_concept.four_eyes_required

    with pytest.raises(ValidationError):
        services.issue_beschikking(complex_concept, by=consultant, today=today)  # not while in review
    with pytest.raises(ValidationError) as failure:
        four_eyes.reject_indication(complex_concept, by=team_lead, motivation="  ")
    assert "motivation" in failure.value.error_dict

    four_eyes.reject_indication(complex_concept, by=team_lead, motivation="Doel financiën concreter maken.")
    complex_concept.refresh_from_db()
    assert complex_concept.status == S.CONCEPT
    assert list(worklist(consultant, today=today)["concept_indications"])[0].last_review_outcome == "afgekeurd"

    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    four_eyes.approve_indication(complex_concept, by=team_lead)
    complex_concept.refresh_from_db()
    assert complex_concept.status == S.GOEDGEKEURD and complex_concept.approved_by == team_lead

    issued = services.issue_beschikking(complex_concept, by=consultant, today=today)
    assert issued.status == S.VASTGESTELD
    steps = list(issued.status_changes.values_list("to_status", flat=True))
    assert steps == [S.TER_BEOORDELING, S.CONCEPT, S.TER_BEOORDELING, S.GOEDGEKEURD, S.VASTGESTELD]
    assert all(change.at for change in issued.status_changes.all())
    assert [r.outcome for r in issued.reviews.order_by("submitted_at")] == ["afgekeurd", "goedgekeurd"]


def test_the_author_cannot_review_even_as_team_lead(client_scored, team_lead, today):
    own = IndicationFactory(client=client_scored, consultant=team_lead, product=Product.objects.get(code="IB3"))
    four_eyes.submit_for_review(own, by=team_lead, today=today)
    for decide in (
        lambda: four_eyes.approve_indication(own, by=team_lead),
        lambda: four_eyes.reject_indication(own, by=team_lead, motivation="x"),
        lambda: four_eyes.ask_review_question(own, by=team_lead, question="?"),
    ):
        with pytest.raises(ValidationError) as failure:
            decide()
        assert failure.value.code == "reviewer_is_author"
    own.refresh_from_db()
    assert own.status == S.TER_BEOORDELING and own.approved_by is None


def test_a_consultant_cannot_review(complex_concept, consultant, today):
    colleague = staff_member(CONSULENT)
    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    with pytest.raises(ValidationError) as failure:
        four_eyes.approve_indication(complex_concept, by=colleague)
    assert failure.value.code == "not_a_reviewer"


def test_the_database_refuses_a_complex_beschikking_without_approval(complex_concept, team_lead):
    Indication.objects.filter(pk=complex_concept.pk).update(four_eyes_required=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indication.objects.filter(pk=complex_concept.pk).update(status=S.VASTGESTELD, decision_date=date(2026, 11, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Indication.objects.filter(pk=complex_concept.pk).update(approved_by=complex_concept.consultant)


def test_questions_are_answered_by_the_author_before_approval(complex_concept, consultant, team_lead, today):
    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    question = four_eyes.ask_review_question(complex_concept, by=team_lead, question="Waarom IB3?")
    with pytest.raises(ValidationError):
        four_eyes.approve_indication(complex_concept, by=team_lead)
    with pytest.raises(ValidationError):
        four_eyes.answer_review_question(question, by=staff_member(CONSULENT), answer="Ik weet het niet")
    assert worklist(consultant, today=today)["in_review"].get().open_questions == 1
    four_eyes.answer_review_question(question, by=consultant, answer="Multiproblematiek, zie verslag.")
    assert four_eyes.approve_indication(complex_concept, by=team_lead).status == S.GOEDGEKEURD


def test_reopening_an_approved_concept_drops_the_approval(complex_concept, consultant, team_lead, today):
    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    four_eyes.approve_indication(complex_concept, by=team_lead)
    reopened = four_eyes.reopen_concept(complex_concept, by=consultant, reason="Einddatum aanpassen")
    assert reopened.status == S.CONCEPT and reopened.approved_by is None
    with pytest.raises(ValidationError):
        services.issue_beschikking(reopened, by=consultant, today=today)


def test_review_queue_shows_waiting_reviews_of_others_oldest_first(
    client_scored, consultant, team_lead, today, django_assert_max_num_queries
):
    first = IndicationFactory(client=client_scored, consultant=consultant, product=Product.objects.get(code="IB3"))
    four_eyes.submit_for_review(first, by=consultant, today=today)
    own = IndicationFactory(
        client=client_scored,
        consultant=team_lead,
        product=Product.objects.get(code="IB3"),
        start_date=today + timedelta(days=400),
    )
    four_eyes.submit_for_review(own, by=team_lead, today=today)
    queue = review_queue(team_lead)
    assert [review.indication for review in queue] == [first]
    with django_assert_max_num_queries(8):
        for review in review_queue(team_lead):
            list(review.indication.results.all())
            list(review.indication.client.zrm_assessments.all())


def test_review_figures_per_consultant(complex_concept, consultant, team_lead, today):
    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    four_eyes.reject_indication(complex_concept, by=team_lead, motivation="Concreter")
    four_eyes.submit_for_review(complex_concept, by=consultant, today=today)
    four_eyes.approve_indication(complex_concept, by=team_lead)
    Review.objects.filter(outcome="afgekeurd").update(
        decided_at=Review.objects.get(outcome="afgekeurd").submitted_at + timedelta(hours=4)
    )
    (row,) = review_figures()
    assert (row.consultant, row.reviewed, row.approved, row.approval_rate) == (consultant, 2, 1, 0.5)
    assert row.median_wait_hours == pytest.approx(2.0, abs=0.1)


def test_other_provision_period_is_validated(client_scored, consultant, today):
    with pytest.raises(ValidationError):
        services.record_other_provision(
            client=client_scored, kind="wlz", start_date=today, end_date=today - timedelta(days=1), by=consultant
        )
    assert not OtherProvision.objects.exists()


def test_roles_exist_as_groups():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {CONSULENT, TEAMLEIDER}
