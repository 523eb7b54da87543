"""The letters of a bezwaar (issue 18), each sent by the service that makes the step, inside its
transaction, and read back from the PDF as the objector reads it: the ontvangstbevestiging, the
verdaging (Awb 7:10 lid 3), the beslissing op bezwaar per outcome with the beroep clause (not a
bezwaar clause), the confirmed withdrawal; to the representative who filed it when the bezwaar has
the representative's address. A gegrond bezwaar's herziening is a normal beschikking with its own
letter, which says it follows the bezwaar (Awb 6:19)."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from indications import services as indication_services
from indications.models import Indication
from letters import kinds
from letters import services as letter_services
from letters.models import Letter
from objections import letters as bezwaar_letters
from objections import services
from objections.models import BezwaarStatus, FiledBy
from tests.factories import TODAY, IndicationFactory, build_case_file

pytestmark = pytest.mark.django_db

S = BezwaarStatus
d = letter_services.dutch_date
BEZWAAR_CLAUSE = ("Dan kunt u bezwaar maken", "Team Bezwaar")
BEROEP_CLAUSE = (
    "beslissing op bezwaar?",
    "beroep instellen bij de Rechtbank Rotterdam",
    "Postbus 50951",
    "www.rechtspraak.nl",
    "griffierecht",
    "voorlopige voorziening",
)
# Never on a bezwaar letter: money, the dwangsom, internal notes and states, the full BSN.
FORBIDDEN = ("€", "kosten", "tarief", "dwangsom", "ingebrekestelling", "in behandeling", "behandelaar")


def text_of(letter: Letter) -> str:
    """The PDF's text as one line; a kenmerk broken at its hyphen at the end of a line is joined."""
    pdf = letter_services.open_letter(letter, by=letter.created_by)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("- ", "-")


def letters_of(bezwaar, kind=None) -> list[Letter]:
    found = Letter.objects.filter(about_type__model="bezwaar", about_id=bezwaar.pk).order_by("id")
    return list(found.filter(kind=kind) if kind else found)


def assert_a_letter_without_internals(text: str, client) -> None:
    for part in ("Gemeente Dordrecht", "Onderwerp", "Wat moet u nu doen?", "078 770 80 00", "M. de Groot"):
        assert part in text, part
    for forbidden in (*FORBIDDEN, client.bsn):
        assert forbidden not in text, forbidden


def test_registering_a_bezwaar_sends_the_ontvangstbevestiging_to_the_client(register, today):
    bezwaar = register(hearing=True, hearing_on=date(2026, 12, 3), advisory_committee=True)
    [letter] = letters_of(bezwaar)
    assert letter.kind == bezwaar_letters.ONTVANGST and letter.letter_date == today
    client = bezwaar.beschikking.client
    text = text_of(letter)
    for part in (
        "Wij hebben uw bezwaar ontvangen",
        f"U heeft op {d(bezwaar.received_on)} bezwaar gemaakt",
        bezwaar.beschikking.number,
        f"Wij beslissen uiterlijk op {d(bezwaar.decision_due)}",
        "hoorzitting, op 3 december 2026",
        "bezwaarcommissie",
        client.last_name,
        client.postcode,
        client.masked_bsn,
    ):
        assert part in text, part
    assert_a_letter_without_internals(text, client)
    for part in (*BEZWAAR_CLAUSE, "beroep", "voorlopige voorziening", "te laat"):
        assert part not in text, part  # a receipt is no besluit: no remedy


def test_the_receipt_is_rendered_after_commit_and_a_rolled_back_registration_leaves_no_letter(
    register, eager, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), transaction.atomic():
        register()
        raise RuntimeError
    assert not Letter.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        bezwaar = register()
    [letter] = letters_of(bezwaar)
    letter.refresh_from_db()
    assert letter.is_frozen


def test_extending_the_term_sends_the_verdaging_with_the_reason_and_the_new_date(bezwaar, consultant, today):
    old_due = bezwaar.decision_due
    extended = services.extend_decision_term(
        bezwaar, by=consultant, reason="Wij wachten op medisch advies.", today=today
    )
    [letter] = letters_of(bezwaar, bezwaar_letters.VERDAGING)
    text = text_of(letter)
    for part in (
        "Wij hebben meer tijd nodig voor uw bezwaar",
        f"uiterlijk op {d(old_due)}",
        "artikel 7:10, lid 3",
        "Wij wachten op medisch advies.",
        f"Wij beslissen uiterlijk op {d(extended.decision_due)}",
    ):
        assert part in text, part
    assert_a_letter_without_internals(text, bezwaar.beschikking.client)
    assert "beroep" not in text and "Team Bezwaar" not in text


def test_a_refused_extension_sends_nothing(bezwaar, consultant, today):
    with pytest.raises(ValidationError):
        services.extend_decision_term(bezwaar, by=consultant, reason=" ", today=today)
    assert not letters_of(bezwaar, bezwaar_letters.VERDAGING)


@pytest.fixture
def herziening(beschikking, consultant, today):
    return IndicationFactory(
        vastgesteld=True, client=beschikking.client, replaces=beschikking, consultant=consultant, decision_date=today
    )


@pytest.mark.parametrize(
    ("outcome", "kind", "says"),
    [
        (S.GEGROND, bezwaar_letters.GEGROND, "Uw bezwaar is gegrond."),
        (S.ONGEGROND, bezwaar_letters.ONGEGROND, "Uw bezwaar is ongegrond."),
        (S.NIET_ONTVANKELIJK, bezwaar_letters.NIET_ONTVANKELIJK, "Uw bezwaar is niet-ontvankelijk."),
    ],
)
def test_each_beslissing_op_bezwaar_has_its_letter_with_the_beroep_clause(
    outcome, kind, says, bezwaar, team_lead, today, herziening
):
    extra = {"herziening": herziening} if outcome == S.GEGROND else {}
    services.DECISIONS[outcome](
        bezwaar, by=team_lead, motivation="Wij hebben alles opnieuw gewogen.", today=today, **extra
    )
    [letter] = letters_of(bezwaar, kind)
    assert kinds.get(kind).remedy == kinds.BEROEP
    text = text_of(letter)
    for part in (
        "Beslissing op uw bezwaar",
        says,
        "Wat moet u nu doen?",
        "Wij hebben alles opnieuw gewogen.",
        bezwaar.beschikking.number,
        *BEROEP_CLAUSE,
        f"uiterlijk op {d(today + timedelta(weeks=6))}",  # six weeks from the letter's date (Awb 6:7)
    ):
        assert part in text, part
    if outcome == S.GEGROND:
        assert herziening.number in text and "herroepen" in text
    assert_a_letter_without_internals(text, bezwaar.beschikking.client)
    for part in BEZWAAR_CLAUSE:
        assert part not in text, part  # against a beslissing op bezwaar only beroep is open


def test_a_withdrawal_is_confirmed_without_a_remedy(bezwaar, team_lead, today):
    services.record_withdrawal(bezwaar, by=team_lead, motivation="Telefonisch ingetrokken op 20 november.", today=today)
    [letter] = letters_of(bezwaar, bezwaar_letters.INTREKKING)
    text = text_of(letter)
    assert "U heeft uw bezwaar ingetrokken" in text and "artikel 6:21" in text
    assert "Telefonisch ingetrokken" not in text  # the internal note stays internal
    for part in (*BEZWAAR_CLAUSE, "beroep", "voorlopige voorziening"):
        assert part not in text, part
    assert_a_letter_without_internals(text, bezwaar.beschikking.client)


def test_a_late_bezwaar_is_asked_for_its_reason_and_declared_niet_ontvankelijk_as_too_late(register, team_lead, today):
    bezwaar = register(received_on=date(2026, 11, 2))  # the bezwaartermijn ended on 19 October
    assert not bezwaar.filed_in_time
    receipt = text_of(letters_of(bezwaar, bezwaar_letters.ONTVANGST)[0])
    assert "na het einde van de termijn van zes weken (19 oktober 2026)" in receipt
    services.declare_niet_ontvankelijk(bezwaar, by=team_lead, motivation="Geen reden voor de vertraging.", today=today)
    text = text_of(letters_of(bezwaar, bezwaar_letters.NIET_ONTVANKELIJK)[0])
    assert "tot en met 19 oktober 2026" in text and "Dat is te laat" in text and "artikel 6:11" in text


def test_a_decision_the_service_refuses_sends_no_letter(bezwaar, team_lead, today):
    with pytest.raises(ValidationError):
        services.declare_gegrond(bezwaar, by=team_lead, motivation="Gegrond.", herziening=None, today=today)
    assert letters_of(bezwaar) == letters_of(bezwaar, bezwaar_letters.ONTVANGST)


def test_the_letters_go_to_the_representative_who_filed_the_bezwaar(register, team_lead, today):
    bezwaar = register(
        filed_by=FiledBy.REPRESENTATIVE,
        representative_name="mr. J. de Wit",
        representative_address="De Wit Advocaten\nKorte Kerkstraat 1\n3311 AB  DORDRECHT",
    )
    services.declare_ongegrond(bezwaar, by=team_lead, motivation="De uren passen bij de ZRM.", today=today)
    client = bezwaar.beschikking.client
    for letter in letters_of(bezwaar):
        assert letter.client == client  # the letter stays in the client's file
        text = text_of(letter)
        for part in (
            "mr. J. de Wit",
            "Korte Kerkstraat 1",
            "Geachte mr. J. de Wit,",
            f"Namens {client.full_name} heeft u",
            f"Betreft {client.full_name} (BSN {client.masked_bsn})",
        ):
            assert part in text, part
        assert client.street not in text and client.bsn not in text


def test_a_representative_without_an_address_leaves_the_letter_with_the_client(register):
    bezwaar = register(filed_by=FiledBy.REPRESENTATIVE, representative_name="mr. J. de Wit")
    text = text_of(letters_of(bezwaar)[0])
    client = bezwaar.beschikking.client
    assert client.postcode in text and "Geachte mr." not in text


def test_gegrond_the_herziening_is_a_normal_beschikking_with_its_own_letter_that_follows_the_bezwaar(
    consultant, team_lead, provider
):
    case_file = build_case_file(consultant=consultant)
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    contested = indication_services.issue_beschikking(
        case_file.indication, by=consultant, today=TODAY - timedelta(days=15)
    )
    bezwaar = services.register_bezwaar(
        contested,
        by=consultant,
        received_on=TODAY - timedelta(days=10),
        grounds="Ik heb meer uren nodig.",
        today=TODAY - timedelta(days=10),
    )
    successor = IndicationFactory(
        client=contested.client,
        aanvraag=contested.aanvraag,
        consultant=consultant,
        replaces=contested,
        kind="herindicatie",
        product=contested.product,
        start_date=contested.start_date + timedelta(days=30),
    )
    Indication.objects.filter(pk=successor.pk).update(provider=provider)
    herziening = indication_services.issue_beschikking(successor, by=consultant, today=TODAY - timedelta(days=5))
    [wijziging] = Letter.objects.filter(about_id=herziening.pk, kind=kinds.WIJZIGING)
    text = text_of(wijziging)
    received = d(bezwaar.received_on)
    assert f"Dit besluit volgt op uw bezwaar van {received}" in text
    assert "artikel 6:19" in text and "U hoeft dus niet opnieuw bezwaar te maken" in text
    assert not Letter.objects.filter(about_id=contested.pk, kind=kinds.BEEINDIGING).exists()

    services.declare_gegrond(bezwaar, by=team_lead, motivation="Meer uren nodig.", herziening=herziening, today=TODAY)
    text = text_of(letters_of(bezwaar, bezwaar_letters.GEGROND)[0])
    assert f"kenmerk {herziening.number} van {d(herziening.decision_date)}" in text
    # A later letter about the herziening (its end) no longer speaks of the decided bezwaar.
    assert bezwaar_letters.herziening_values(herziening) == {}


def test_the_bezwaar_page_and_the_client_file_list_the_bezwaar_letters(
    client, register, consultant, monkeypatch, today
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    bezwaar = register()
    services.extend_decision_term(bezwaar, by=consultant, reason="Medisch advies.", today=today)
    client.force_login(consultant)
    page = client.get(reverse("objections:detail", args=[bezwaar.uuid])).content.decode()
    assert "Brieven over dit bezwaar" in page
    client_file = client.get(
        reverse("indications:client_file", args=[bezwaar.beschikking.client.uuid])
    ).content.decode()
    for letter in letters_of(bezwaar):
        pdf_url = reverse("letters:letter_pdf", args=[letter.uuid])
        assert letter.kenmerk in page and pdf_url in page
        assert letter.kenmerk in client_file and pdf_url in client_file
    assert len(letters_of(bezwaar)) == 2
