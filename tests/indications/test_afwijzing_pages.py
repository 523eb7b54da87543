"""The afwijzing on the pages: chosen on the aanvraag or the concept, errors at the fields, the
beschikking page, the worklist and the client file in Dutch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from indications import four_eyes
from indications.models import Aanvraag, Indication
from tests.factories import build_case_file, get_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant)
    return client


def test_a_refusal_without_ground_or_motivation_shows_the_errors_at_the_fields(signed_in, consultant):
    case = build_case_file(consultant=consultant)
    response = signed_in.post(
        f"/indicaties/{case.indication.uuid}/afwijzen/",
        {"product": case.indication.product.pk, "refusal_motivation": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"refusal_ground", "refusal_motivation"}
    assert Indication.objects.get(pk=case.indication.pk).outcome == Indication.Outcome.TOEKENNING


def test_the_consultant_refuses_the_concept_and_the_pages_show_it(signed_in, consultant, team_lead):
    case = build_case_file(consultant=consultant)
    response = signed_in.post(
        f"/indicaties/{case.indication.uuid}/afwijzen/",
        {
            "product": case.indication.product.pk,
            "refusal_ground": "zvw",
            "refusal_motivation": "De GGZ-behandelaar biedt deze steun.",
        },
    )
    assert response.status_code == 302
    refusal = Indication.objects.get(pk=case.indication.pk)
    assert refusal.outcome == Indication.Outcome.AFWIJZING and not refusal.results.exists()
    page = signed_in.get(f"/indicaties/{refusal.uuid}/").content.decode()
    assert "Voorstel: de aanvraag van" in page and "Afwijzing van de aanvraag" in page
    # Editing a refusal opens the refusal form, not the indication form.
    assert signed_in.get(f"/indicaties/{refusal.uuid}/wijzigen/")["Location"].endswith(f"/{refusal.uuid}/afwijzen/")
    worklist = signed_in.get("/werkvoorraad/").content.decode()
    assert "afwijzing</span>" in worklist

    four_eyes.submit_for_review(refusal, by=consultant)
    four_eyes.approve_indication(refusal, by=team_lead)
    response = signed_in.post(f"/indicaties/{refusal.uuid}/vaststellen/", {"decision_date": timezone.localdate()})
    assert response.status_code == 302
    page = signed_in.get(f"/indicaties/{refusal.uuid}/").content.decode()
    assert "wordt afgewezen" in page
    assert "andere wet: Zorgverzekeringswet (Zvw)" in page and "De GGZ-behandelaar biedt deze steun." in page
    assert "Te bereiken resultaten" not in page and "bezwaar maken" in page
    client_file = signed_in.get(f"/clienten/{case.client.uuid}/").content.decode()
    assert "afwijzing: andere wet: Zorgverzekeringswet (Zvw)" in client_file


def test_an_aanvraag_without_a_concept_is_refused_from_its_own_page(signed_in, consultant):
    case = build_case_file(consultant=consultant)
    aanvraag = case.aanvraag
    Indication.objects.filter(pk=case.indication.pk).update(status="ingetrokken")  # room for a new decision
    response = signed_in.post(
        f"/aanvragen/{aanvraag.uuid}/afwijzen/",
        {"product": get_product("IB1").pk, "refusal_ground": "niet_ingezetene", "refusal_motivation": "Woont elders."},
    )
    assert response.status_code == 302
    refusal = Indication.objects.get(aanvraag=aanvraag, outcome=Indication.Outcome.AFWIJZING)
    assert refusal.start_date == aanvraag.received_on and refusal.end_date is None


def test_the_aanvraag_form_records_what_is_asked_and_the_partial_grant_shows(signed_in, consultant):
    case = build_case_file(consultant=consultant)
    day = timezone.localdate()
    response = signed_in.post(
        f"/onderzoeken/{case.intake.uuid}/aanvraag/",
        {
            "received_on": day,
            "requested_product": get_product("IB2").pk,
            "requested_end_date": day + timedelta(days=400),
        },
    )
    assert response.status_code == 302
    aanvraag = Aanvraag.objects.filter(intake=case.intake).latest("pk")
    assert aanvraag.requested_product.code == "IB2"
    Indication.objects.filter(pk=case.indication.pk).update(aanvraag=aanvraag)
    page = signed_in.get(f"/indicaties/{case.indication.uuid}/").content.decode()
    assert "Dit wordt een gedeeltelijke toekenning" in page and "Lichter product dan gevraagd" in page
    # The page lists the missing motivation among the rules that stand in the way.
    assert "Motiveer waarom het gevraagde deel niet wordt toegekend" in page
