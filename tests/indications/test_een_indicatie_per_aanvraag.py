"""One aanvraag leads to one indication, one beschikking to one successor (service and database), and
the pages offer only the next allowed step with a default the service accepts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from indications import services, workflow
from indications.models import Indication, IndicationStatus
from indications.workflow import ALLOWED_STATUS_CHANGES
from tests.factories import IndicationFactory, build_case_file, result_in

pytestmark = pytest.mark.django_db
S = IndicationStatus


def second_concept(case, consultant, **fields):
    start = case.indication.start_date
    return services.save_indication_concept(
        None,
        client=case.client,
        by=consultant,
        results=[services.ResultInput(result=result_in("financien"), goal="Doel")],
        evaluation_dates=[start + timedelta(days=60)],
        kind="eerste",
        product=case.indication.product,
        start_date=start,
        end_date=start + timedelta(days=180),
        aanvraag=case.aanvraag,
        **fields,
    )


@pytest.mark.parametrize("status", [S.CONCEPT, S.TER_BEOORDELING, S.VASTGESTELD, S.ACTIEF, S.BEEINDIGD])
def test_a_second_indication_on_the_same_aanvraag_is_refused(consultant, status):
    case = build_case_file(consultant=consultant)
    Indication.objects.filter(pk=case.indication.pk).update(status=status, decision_date=case.aanvraag.received_on)
    with pytest.raises(ValidationError) as failure:
        second_concept(case, consultant)
    assert "aanvraag" in failure.value.error_dict
    assert Indication.objects.filter(aanvraag=case.aanvraag).count() == 1


def test_after_withdrawal_the_aanvraag_may_get_a_new_indication(consultant):
    case = build_case_file(consultant=consultant)
    services.withdraw_beschikking(case.indication, by=consultant, reason="Bezwaar gegrond")
    assert second_concept(case, consultant).aanvraag == case.aanvraag


def test_the_database_refuses_a_second_indication_on_an_aanvraag(consultant):
    case = build_case_file(consultant=consultant)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicationFactory(client=case.client, aanvraag=case.aanvraag, consultant=consultant)


def test_a_beschikking_has_one_successor(consultant, today, ib_client):
    old = IndicationFactory(client=ib_client, actief=True, end_date=None)
    follow_up = dict(
        client=ib_client,
        by=consultant,
        kind="herindicatie",
        replaces=old,
        product=old.product,
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=200),
        results=[services.ResultInput(result=result_in("financien"), goal="Doel")],
        evaluation_dates=[today + timedelta(days=60)],
        aanvraag=old.aanvraag,
    )
    first = services.save_indication_concept(None, **follow_up)
    assert first.aanvraag == old.aanvraag  # a follow-up shares the aanvraag
    with pytest.raises(ValidationError) as failure:
        services.save_indication_concept(None, **follow_up)
    assert "replaces" in failure.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicationFactory(client=ib_client, replaces=old, kind="herindicatie")


def test_the_create_page_of_an_aanvraag_with_an_indication_leads_to_it(client, consultant):
    case = build_case_file(consultant=consultant)
    client.force_login(consultant)
    response = client.get(f"/aanvragen/{case.aanvraag.uuid}/indicatie/")
    assert response.status_code == 302
    assert response.url == f"/indicaties/{case.indication.uuid}/"


def test_the_onderzoek_and_the_file_no_longer_offer_indicatie_opstellen(client, consultant, today):
    case = build_case_file(consultant=consultant)
    client.force_login(consultant)
    create = f"/aanvragen/{case.aanvraag.uuid}/indicatie/"
    for page in (f"/onderzoeken/{case.intake.uuid}/", f"/clienten/{case.client.uuid}/"):
        html = client.get(page).content.decode()
        assert create not in html and f"/indicaties/{case.indication.uuid}/" in html
    services.withdraw_beschikking(case.indication, by=consultant, reason="Ingetrokken")
    assert create in client.get(f"/onderzoeken/{case.intake.uuid}/").content.decode()


# -- the indication page: the offered actions come from the status table -----------------------


@pytest.mark.parametrize("status", list(S))
def test_every_offered_move_is_in_the_status_table(status, today):
    indication = Indication(status=status, start_date=today)
    targets = ALLOWED_STATUS_CHANGES[status]
    for needs_review in (False, True):
        actions = workflow.offered_actions(indication, today=today, needs_review=needs_review)
        assert ("issue" in actions) <= (S.VASTGESTELD in targets)
        assert ("end" in actions) == (S.BEEINDIGD in targets)
        assert ("withdraw" in actions) == (S.INGETROKKEN in targets)
        assert ("submit_for_review" in actions) <= (S.TER_BEOORDELING in targets)
        assert ("edit" in actions) == (status == S.CONCEPT)
    concept_actions = workflow.offered_actions(
        Indication(status=S.CONCEPT, start_date=today), today=today, needs_review=True
    )
    assert "issue" not in concept_actions and "submit_for_review" in concept_actions


def buttons(client, indication) -> str:
    return client.get(f"/indicaties/{indication.uuid}/").content.decode()


def test_an_issued_beschikking_offers_no_concept_actions(client, consultant, today):
    case = build_case_file(consultant=consultant)
    services.issue_beschikking(case.indication, by=consultant, today=today)
    client.force_login(consultant)
    html = buttons(client, case.indication)
    assert "Beschikking vaststellen" not in html and "Concept wijzigen" not in html
    assert "Beschikking beëindigen" in html and "Intrekken" in html


def test_ending_before_the_start_defaults_to_the_start_date(client, consultant):
    today = timezone.localdate()  # the page's day
    case = build_case_file(
        consultant=consultant, start_date=today + timedelta(days=7), melding_on=today - timedelta(days=30)
    )
    services.issue_beschikking(case.indication, by=consultant, today=today)
    client.force_login(consultant)
    response = client.get(f"/indicaties/{case.indication.uuid}/")
    default = response.context["end_form"].initial["ended_on"]
    assert default >= case.indication.start_date
    assert "evaluate" not in response.context["actions"]
    assert "Evaluatie vastleggen" not in response.content.decode()


def test_the_end_default_is_accepted_by_the_service(consultant, today):
    indication = IndicationFactory(vastgesteld=True, consultant=consultant)
    default = max(today, indication.start_date)
    services.end_beschikking(indication, by=consultant, ended_on=default, reason="Verhuisd", today=today)
    indication.refresh_from_db()
    assert indication.ended_on == default
    # The end date is the last day of care: per today or later the end is planned, the night after ends it.
    assert indication.end_is_planned


def test_the_evaluation_page_of_a_beschikking_that_has_not_started_leads_back(client, consultant):
    indication = IndicationFactory(
        vastgesteld=True, consultant=consultant, start_date=timezone.localdate() + timedelta(days=7)
    )
    client.force_login(consultant)
    response = client.get(f"/indicaties/{indication.uuid}/evaluatie/")
    assert response.status_code == 302 and response.url == f"/indicaties/{indication.uuid}/"


def test_a_started_beschikking_offers_the_evaluation_with_an_accepted_date(client, consultant):
    today = timezone.localdate()
    indication = IndicationFactory(actief=True, consultant=consultant, start_date=today - timedelta(days=30))
    client.force_login(consultant)
    assert "Evaluatie vastleggen" in buttons(client, indication)
    response = client.get(f"/indicaties/{indication.uuid}/evaluatie/")
    assert response.status_code == 200
    assert response.context["form"].initial["held_on"] >= indication.start_date


def test_a_concept_that_breaks_an_ib_rule_offers_changing_it_not_issuing(client, consultant):
    today = timezone.localdate()
    case = build_case_file(
        consultant=consultant,
        start_date=today + timedelta(days=7),
        melding_on=today - timedelta(days=30),
        evaluations=[],
    )  # no planned evaluation
    client.force_login(consultant)
    response = client.get(f"/indicaties/{case.indication.uuid}/")
    assert response.context["rule_errors"]
    html = response.content.decode()
    assert "Beschikking vaststellen" not in html and "Ter beoordeling aanbieden" not in html
    assert "Concept wijzigen" in html
    case.indication.planned_evaluations.create(planned_on=today + timedelta(days=60))
    assert "Beschikking vaststellen" in buttons(client, case.indication)
