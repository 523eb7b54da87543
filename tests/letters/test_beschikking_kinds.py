"""Every letter kind of the beschikking and the verslag (issue 18), each issued by the service that
takes the decision, read back from its PDF as the client reads it: the parts every letter has
(letterhead, window address, place and date, kenmerk, subject, salutation, what to do next, contact,
signature), the parts of its kind (decision details, CAK notice, the bezwaar clause or none), and
nothing internal (no cost, tariff, internal deadline or status, no full BSN)."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from indications import four_eyes, services
from indications.models import Indication
from letters import kinds
from letters import services as letter_services
from letters.decision_letters import issue_verslag
from letters.models import Letter
from tests.factories import TODAY, IndicationFactory, build_case_file

pytestmark = pytest.mark.django_db

PROVIDER = "Stichting Thuisbegeleiding Drechtsteden"
BEZWAAR_CLAUSE = ("Dan kunt u bezwaar maken", "zes weken", "Team Bezwaar", "voorlopige voorziening")
FORBIDDEN = ("€", "tarief", "kosten", "actief", "vastgesteld", "termijn beschikking", "in behandeling", "beroep")


def text_of(letter: Letter) -> str:
    pdf = letter_services.open_letter(letter, by=letter.created_by)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _issued(case_file, consultant, provider, today=TODAY) -> Indication:
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    return services.issue_beschikking(case_file.indication, by=consultant, today=today)


def _toekenning(consultant, team_lead, provider):
    indication = _issued(build_case_file(consultant=consultant), consultant, provider)
    result = indication.results.first()
    expected = (
        "Wat u krijgt",
        indication.product.name,
        str(result.result.domain),
        result.goal,
        letter_services.dutch_date(indication.start_date),
        PROVIDER,
        "neemt binnen twee weken contact met u op",
    )
    return indication, expected


def _wijziging(consultant, team_lead, provider):
    granted = _issued(build_case_file(consultant=consultant), consultant, provider)
    successor = IndicationFactory(
        client=granted.client,
        aanvraag=granted.aanvraag,
        consultant=consultant,
        replaces=granted,
        kind="herindicatie",
        product=granted.product,
        start_date=granted.start_date + timedelta(days=30),
    )
    indication = _issued(SimpleNamespace(indication=successor), consultant, provider)
    expected = (
        "Wat u krijgt",
        f"vervangt ons besluit met kenmerk {granted.number}",
        letter_services.dutch_date(indication.start_date),
        PROVIDER,
    )
    return indication, expected


def _afwijzing(consultant, team_lead, provider):
    case_file = build_case_file(consultant=consultant)
    refusal = services.save_refusal_concept(
        case_file.indication,
        aanvraag=case_file.aanvraag,
        by=consultant,
        product=case_file.indication.product,
        refusal_ground=Indication.RefusalGround.ALGEMENE_VOORZIENING,
        refusal_motivation="Het buurtcentrum helpt u met uw post.",
    )
    four_eyes.submit_for_review(refusal, by=consultant, today=TODAY)
    four_eyes.approve_indication(refusal, by=team_lead, today=TODAY)
    indication = services.issue_beschikking(refusal, by=consultant, today=TODAY)
    return indication, (f"U krijgt geen {indication.product.name}", "Het buurtcentrum helpt u met uw post.")


def _beeindiging(consultant, team_lead, provider):
    indication = _issued(build_case_file(consultant=consultant), consultant, provider, today=TODAY - timedelta(days=10))
    ended_on = indication.start_date + timedelta(days=5)
    reason = "De doelen zijn bereikt."
    services.end_beschikking(indication, by=consultant, ended_on=ended_on, reason=reason, today=TODAY)
    return indication, (
        f"De laatste dag van uw hulp is {letter_services.dutch_date(ended_on)}",
        "De doelen zijn bereikt.",
        indication.number,
    )


def _intrekking(consultant, team_lead, provider):
    indication = _issued(build_case_file(consultant=consultant), consultant, provider)
    services.withdraw_beschikking(indication, by=consultant, reason="U woont niet meer in de gemeente.", today=TODAY)
    return indication, ("trekken wij dat besluit in", "U woont niet meer in de gemeente.", indication.number)


def _verslag(consultant, team_lead, provider):
    case_file = build_case_file(consultant=consultant)
    case_file.intake.report = "Wij spraken met u over uw administratie.\n\nU wilt die weer zelf doen."
    case_file.intake.persoonlijk_plan_received_on = TODAY - timedelta(days=20)
    case_file.intake.persoonlijk_plan_note = "Uw wens om zelf te koken staat in de doelen."
    case_file.intake.save()
    issue_verslag(case_file.intake, by=consultant, today=TODAY)
    received = (TODAY - timedelta(days=20)).strftime("%d-%m-%Y")
    return case_file.intake, (
        "Wij spraken met u over uw administratie.",
        "artikel 2.3.2, lid 8",
        "Uw persoonlijk plan",  # what the onderzoek did with it (art. 2.3.2 lid 2)
        f"U heeft op {received} een persoonlijk plan ingeleverd.",
        "Uw wens om zelf te koken staat in de doelen.",
    )


# kind: (how the service issues it, has decision details, has the CAK notice, has the bezwaar clause)
KINDS = {
    kinds.TOEKENNING: (_toekenning, True, True, True),
    kinds.WIJZIGING: (_wijziging, True, True, True),
    kinds.AFWIJZING: (_afwijzing, False, False, True),
    kinds.BEEINDIGING: (_beeindiging, False, False, True),
    kinds.INTREKKING: (_intrekking, False, False, True),
    kinds.VERSLAG: (_verslag, False, False, False),
}


def test_every_kind_of_the_case_file_is_tested_here():
    case_file_kinds = {kind.code for kind in kinds.all_kinds() if not kind.code.startswith("bezwaar_")}
    assert case_file_kinds == set(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_issued_by_its_service_with_every_required_part(kind, consultant, team_lead, provider):
    issue, has_details, has_cak, has_bezwaar = KINDS[kind]
    about, expected = issue(consultant, team_lead, provider)
    letter = Letter.objects.get(kind=kind, about_id=about.pk)
    spec = kinds.get(kind)
    assert (spec.decision_details, spec.eigen_bijdrage, spec.remedy == kinds.BEZWAAR) == (
        has_details,
        has_cak,
        has_bezwaar,
    )
    client = letter.client
    text = text_of(letter)
    common = (
        "Gemeente Dordrecht",  # letterhead
        client.last_name,
        client.postcode,  # the window address
        f"Dordrecht, {letter_services.dutch_date(TODAY)}",  # place and date
        letter.kenmerk,
        f"Onderwerp: {letter.subject}",
        "Geachte",
        "Wat moet u nu doen?",
        "Vragen?",
        "078 770 80 00",  # contact
        "Met vriendelijke groet",
        "M. de Groot",  # the signature under mandate
        "teamleider Wmo",
        client.masked_bsn,
    )
    for part in (*common, *expected):
        assert part in text, part
    assert ("Wat u krijgt" in text) == has_details
    assert ("CAK" in text) == has_cak
    for part in BEZWAAR_CLAUSE:
        assert (part in text) == has_bezwaar, part
    if has_bezwaar:
        assert letter_services.dutch_date(TODAY + timedelta(weeks=6)) in text  # the last day for bezwaar
    for forbidden in (*FORBIDDEN, client.bsn):
        assert forbidden not in text, forbidden
