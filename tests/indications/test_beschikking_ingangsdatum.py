"""Terugwerkende kracht: a beschikking's ingangsdatum lies before the melding only when it directly
continues an earlier beschikking of the client or the consultant motivates it, and never further back
than SDD["RETROACTIVE_START_MAX_DAYS"]."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from indications.models import Indication
from indications.services import check_ib_rules, issue_beschikking
from tests.factories import IndicationFactory, build_case_file

pytestmark = pytest.mark.django_db


def codes(indication, today):
    return {error.code for error in check_ib_rules(indication, today=today)}


def case_starting(days_before_melding: int, consultant, **fields):
    case = build_case_file(consultant=consultant)
    start = case.melding.received_on - timedelta(days=days_before_melding)
    Indication.objects.filter(pk=case.indication.pk).update(
        start_date=start, end_date=start + timedelta(days=300), **fields
    )
    case.indication.planned_evaluations.update(planned_on=start + timedelta(days=91))
    case.indication.refresh_from_db()
    return case


def test_a_start_on_the_melding_day_is_fine(consultant, today):
    assert codes(case_starting(0, consultant).indication, today) == set()


def test_a_start_before_the_melding_needs_a_motivation(consultant, today):
    indication = case_starting(1, consultant).indication
    assert codes(indication, today) == {"retroactive_start"}
    with pytest.raises(ValidationError) as failure:
        issue_beschikking(indication, by=consultant, today=today)
    assert "vóór de melding" in " ".join(failure.value.messages)
    indication.refresh_from_db()
    assert indication.status == Indication.Status.CONCEPT
    indication.retroactive_motivation = "Cliënt meldde zich eerder mondeling bij het wijkteam."
    assert codes(indication, today) == set()


def test_a_start_that_directly_continues_an_earlier_beschikking_needs_no_motivation(consultant, today):
    case = case_starting(10, consultant)
    earlier = IndicationFactory(
        client=case.client, beeindigd=True, end_date=case.indication.start_date - timedelta(days=1)
    )
    assert codes(case.indication, today) == set()
    earlier.end_date -= timedelta(days=1)  # a gap of one day is no continuation
    earlier.save(update_fields=["end_date"])
    assert codes(case.indication, today) == {"retroactive_start"}


def test_beyond_the_limit_even_a_motivation_does_not_help(consultant, today, settings):
    limit = settings.SDD["RETROACTIVE_START_MAX_DAYS"]
    assert codes(case_starting(limit, consultant, retroactive_motivation="Gemotiveerd").indication, today) == set()
    far = case_starting(limit + 1, consultant, retroactive_motivation="Gemotiveerd").indication
    assert codes(far, today) == {"retroactive_limit"}
    settings.SDD = {**settings.SDD, "RETROACTIVE_START_MAX_DAYS": limit + 1}
    assert codes(far, today) == set()


def test_the_reported_case_six_years_back_is_refused(consultant, today):
    case = build_case_file(consultant=consultant, melding_on=date(2026, 11, 1))
    case.aanvraag.received_on = date(2026, 11, 20)
    case.aanvraag.save()
    indication = case.indication
    Indication.objects.filter(pk=indication.pk).update(
        start_date=date(2020, 1, 6), end_date=date(2020, 12, 31), retroactive_motivation="Achteraf"
    )
    indication.planned_evaluations.update(planned_on=date(2020, 4, 6))
    indication.refresh_from_db()
    assert "retroactive_limit" in codes(indication, today)
    with pytest.raises(ValidationError):
        issue_beschikking(indication, by=consultant, today=today)


def test_without_an_aanvraag_the_decision_is_the_reference(consultant, today, ib_client):
    indication = IndicationFactory(
        client=ib_client, aanvraag=None, start_date=today - timedelta(days=3), end_date=today + timedelta(days=200)
    )
    assert codes(indication, today) == {"retroactive_start"}


def test_the_form_asks_for_the_motivation(client, consultant):
    case = build_case_file(consultant=consultant)
    client.force_login(consultant)
    response = client.get(f"/indicaties/{case.indication.uuid}/wijzigen/")
    assert "retroactive_motivation" in response.context["form"].fields
