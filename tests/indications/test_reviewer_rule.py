"""The reviewer rule in one place (four_eyes.reviewer_refusal): the page offers the review actions
exactly to those the services let decide."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import CONSULENT, TEAMLEIDER
from indications import four_eyes
from indications.models import Indication, Product
from indications.selectors import review_queue
from tests.factories import IndicationFactory, ZrmAssessmentFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(consultant, today):
    client = ZrmAssessmentFactory(
        scores={"financien": 2, "sociaal-netwerk": 3, "huisvesting": 3, "huiselijke-relaties": 2, "adl": 3}
    ).client
    indication = IndicationFactory(client=client, consultant=consultant, product=Product.objects.get(code="IB3"))
    review = four_eyes.submit_for_review(indication, by=consultant, today=today)
    return indication, review


def test_the_page_offers_review_exactly_when_the_service_accepts_it(in_review, consultant, team_lead, client):
    indication, review = in_review
    submitter_lead = staff_member(TEAMLEIDER)
    review.submitted_by = submitter_lead  # a team lead who offered a colleague's concept
    review.save(update_fields=["submitted_by"])
    cases = {
        consultant: "not_a_reviewer",
        submitter_lead: "reviewer_is_author",
        staff_member(CONSULENT): "not_a_reviewer",
        team_lead: None,
    }
    for user, code in cases.items():
        refusal = four_eyes.reviewer_refusal(user, indication, review)
        assert (refusal.code if refusal else None) == code
        assert four_eyes.may_review(user, indication, review) is (code is None)
        client.force_login(user)
        page = client.get(f"/indicaties/{indication.uuid}/")
        assert page.status_code == 200
        assert page.context["can_review"] is (code is None)
        if code is not None:
            with pytest.raises(ValidationError) as failure:
                four_eyes.ask_review_question(indication, by=user, question="Waarom?")
            assert failure.value.code == code
    four_eyes.ask_review_question(indication, by=team_lead, question="Waarom IB3?")


def test_the_review_queue_holds_a_review_exactly_for_the_team_leads_the_rule_lets_review(in_review, team_lead):
    """The queue's query and the service's check read the same author fields (REVIEW_AUTHOR_FIELDS)."""
    indication, review = in_review
    submitter_lead, author_lead = staff_member(TEAMLEIDER), staff_member(TEAMLEIDER)
    review.submitted_by = submitter_lead
    review.save(update_fields=["submitted_by"])
    Indication.objects.filter(pk=indication.pk).update(consultant=author_lead)
    indication.refresh_from_db()
    for lead, expected in ((team_lead, True), (submitter_lead, False), (author_lead, False)):
        in_queue = review_queue(lead).filter(pk=review.pk).exists()
        assert in_queue is expected, lead
        assert four_eyes.may_review(lead, indication, review) is expected, lead
