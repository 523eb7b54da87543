"""Form errors as a person meets them: each error at its field (a clean() error too), a summary
that links to the fields, and a page with an error never says all is well."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import CONSULENT, TEAMLEIDER
from indications import four_eyes
from indications.forms import IndicationForm, OtherProvisionForm
from indications.models import Indication
from tests.factories import (
    AanvraagFactory,
    IndicationFactory,
    ZrmAssessmentFactory,
    build_case_file,
    get_product,
    staff_member,
)
from tests.html_checks import markup_problems, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return staff_member(CONSULENT, username="consulent-fouten")


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant)
    return client


def test_end_before_start_is_an_error_of_the_einddatum_field():
    case = build_case_file()
    start = timezone.localdate()
    form = IndicationForm(
        {
            "aanvraag": case.aanvraag.pk,
            "kind": "eerste",
            "product": get_product("IB1").pk,
            "start_date": start.isoformat(),
            "end_date": (start - timedelta(days=1)).isoformat(),
            "evaluation_date_1": (start + timedelta(days=30)).isoformat(),
        },
        client=case.client,
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == ["De einddatum moet na de ingangsdatum liggen."]
    assert not form.non_field_errors()


def test_an_other_provision_ending_before_it_starts_is_an_error_of_its_end_date():
    form = OtherProvisionForm({"kind": "dagbesteding", "start_date": "2026-05-01", "end_date": "2026-04-30"})
    assert not form.is_valid()
    assert "end_date" in form.errors and not form.non_field_errors()
    same_day = OtherProvisionForm({"kind": "dagbesteding", "start_date": "2026-05-01", "end_date": "2026-05-01"})
    assert same_day.is_valid(), same_day.errors


def test_the_einddatum_error_is_shown_at_the_field_and_linked_from_the_summary(signed_in, consultant):
    case = build_case_file(consultant=consultant)
    aanvraag = AanvraagFactory(client=case.client, consultant=consultant, intake=case.intake)  # no indication yet
    start = timezone.localdate()
    response = signed_in.post(
        f"/aanvragen/{aanvraag.uuid}/indicatie/",
        {
            "aanvraag": aanvraag.pk,
            "kind": "eerste",
            "product": get_product("IB1").pk,
            "start_date": start.isoformat(),
            "end_date": (start - timedelta(days=1)).isoformat(),
            "evaluation_date_1": (start + timedelta(days=30)).isoformat(),
            "resultaten-TOTAL_FORMS": "1",
            "resultaten-INITIAL_FORMS": "0",
            "resultaten-MIN_NUM_FORMS": "1",
            "resultaten-MAX_NUM_FORMS": "12",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_end_date_error"' in html
    assert 'href="#id_end_date"' in html
    assert markup_problems(html) == []


def test_issuing_without_a_decision_date_shows_the_error_at_the_field_not_a_pass(signed_in, consultant):
    indication = build_case_file(consultant=consultant).indication
    response = signed_in.post(f"/indicaties/{indication.uuid}/vaststellen/", {"decision_date": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["messages"]) == []  # no bare message at the top of the page
    assert response.context["issue_form"].errors["decision_date"]
    assert (
        '<div class="field__errors" id="vaststellen_decision_date_error"><p class="field__error">'
        "Dit veld is verplicht.</p></div>" in html
    )
    assert "voldoet aan de IB-regels" not in html
    assert markup_problems(html) == []
    indication.refresh_from_db()
    assert indication.status == Indication.Status.CONCEPT


def test_a_valid_concept_says_it_passes_the_rules(signed_in, consultant):
    indication = build_case_file(consultant=consultant).indication
    assert "voldoet aan de IB-regels" in signed_in.get(f"/indicaties/{indication.uuid}/").content.decode()


def test_a_refused_review_decision_is_shown_at_its_field_on_the_review_page(client, consultant):
    team_lead = staff_member(TEAMLEIDER, username="teamleider-fouten")
    scored = ZrmAssessmentFactory(scores={"financien": 2}).client
    indication = IndicationFactory(client=scored, consultant=consultant, product=get_product("IB3"))
    four_eyes.submit_for_review(indication, by=consultant)
    client.force_login(team_lead)
    response = client.post(f"/indicaties/{indication.uuid}/beoordelen/", {"motivation": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["review_decision_form"].errors["decision"]
    assert 'id="besluit_decision_error"' in html and 'href="#besluit_decision"' in html
    assert markup_problems(html) == []


def test_the_beschikking_page_gives_every_form_its_own_ids(signed_in, consultant):
    """Intrekken, beëindigen and the team lead's questions all have a 'reason' or 'answer' field."""
    team_lead = staff_member(TEAMLEIDER, username="teamleider-vragen")
    scored = ZrmAssessmentFactory(scores={"financien": 2}).client
    indication = IndicationFactory(client=scored, consultant=consultant, product=get_product("IB3"))
    four_eyes.submit_for_review(indication, by=consultant)
    first = four_eyes.ask_review_question(indication, by=team_lead, question="Waarom IB3?")
    four_eyes.ask_review_question(indication, by=team_lead, question="En de duur?")
    response = signed_in.post(f"/indicaties/{indication.uuid}/vraag/{first.pk}/antwoord/", {"answer": ""})
    html = response.content.decode()
    ids = parse(html).ids
    assert ids[f"antwoord-{first.pk}_answer"] == 1 and f"antwoord-{first.pk}_answer_error" in ids
    assert markup_problems(html) == []
    active = IndicationFactory(actief=True, consultant=consultant, client=scored)
    html = signed_in.get(f"/indicaties/{active.uuid}/").content.decode()
    assert parse(html).ids["beeindigen_reason"] == 1 and parse(html).ids["intrekken_reason"] == 1
    assert markup_problems(html) == []
