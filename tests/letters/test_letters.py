"""The client's letters (issue 18): issued with the decision, a real letter as a person reads it
(text extracted from the PDF, page 1 rendered), tagged, templates as safe versioned data, frozen
once sent, every download audited."""

import hashlib
import io
import subprocess
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from PIL import Image
from pypdf import PdfReader

from accounts.roles import CONSULENT
from audit.models import AuditEvent
from demo.letters import ensure_demo_letters
from indications import emergency_services, four_eyes, services
from indications.models import Indication
from letters import kinds, rendering
from letters import services as letter_services
from letters.decision_letters import issue_verslag
from letters.models import Letter, LetterTemplate
from tests.factories import TODAY, IndicationFactory, TeamFactory, build_case_file, staff_member

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


def issued(case_file, consultant, provider, today=TODAY):
    Indication.objects.filter(pk=case_file.indication.pk).update(provider=provider)
    return services.issue_beschikking(case_file.indication, by=consultant, today=today)


def pdf_of(letter) -> bytes:
    return letter_services.open_letter(letter, by=letter.created_by)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def granted(consultant, provider, django_capture_on_commit_callbacks):
    case_file = build_case_file(consultant=consultant)
    with django_capture_on_commit_callbacks(execute=True):
        indication = issued(case_file, consultant, provider)
    return indication


def test_the_vaststelling_writes_the_toekenning_letter_and_renders_it_after_commit(granted):
    letter = Letter.objects.get(client=granted.client)
    assert letter.kind == kinds.TOEKENNING and letter.about == granted
    assert letter.is_frozen and letter.template.version == 1
    assert AuditEvent.objects.filter(object_type="letters.letter", object_id=str(letter.pk)).exists()


def test_a_vaststelling_that_rolls_back_leaves_no_letter(consultant, provider):
    case_file = build_case_file(consultant=consultant)
    with pytest.raises(RuntimeError), transaction.atomic():
        issued(case_file, consultant, provider)
        raise RuntimeError
    assert not Letter.objects.exists()


def test_the_letter_holds_every_required_part_and_nothing_internal(granted):
    letter = Letter.objects.get(client=granted.client)
    text = text_of(pdf_of(letter))
    client = granted.client
    for part in (
        "Gemeente Dordrecht",  # letterhead
        client.last_name,
        client.postcode,  # the address in the window
        f"Dordrecht, {letter_services.dutch_date(TODAY)}",  # place and date
        letter.kenmerk,
        "Onderwerp",
        "Geachte",
        granted.product.name,
        "Wat u wilt bereiken",
        granted.results.first().goal.split()[0],
        letter_services.dutch_date(granted.start_date),
        "Stichting Thuisbegeleiding Drechtsteden",
        "Wat moet u nu doen?",
        "CAK",
        "bezwaar",
        "zes weken",
        letter_services.dutch_date(TODAY + timedelta(weeks=6)),
        "Team Bezwaar",
        "voorlopige voorziening",
        "078 770 80 00",
        "M. de Groot",
        "teamleider Wmo",
        client.masked_bsn,
    ):
        assert part in text, part
    for forbidden in ("€", "tarief", "kosten", client.bsn, "actief", "vastgesteld", "termijn beschikking"):
        assert forbidden not in text, forbidden


def test_the_pdf_is_a4_tagged_with_its_language_and_nothing_runs_off_the_page(granted, tmp_path):
    pdf = pdf_of(Letter.objects.get(client=granted.client))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl"
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (round(A4_POINTS[0]), round(A4_POINTS[1]))
        assert page.extract_text().strip()
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "letter.pdf", "page"], cwd=tmp_path, check=True)
    for png in sorted(tmp_path.glob("page*.png")):
        image = Image.open(png).convert("L")
        assert image.size == (414, 585)  # A4 at 50 dpi: 210 x 297 mm, rounded up
        # Nothing cut off: a band of 8 mm (16 px) along every edge is blank paper, text stays inside.
        width, height = image.size
        for box in (
            (0, 0, 16, height),
            (width - 16, 0, width, height),
            (0, 0, width, 16),
            (0, height - 16, width, height),
        ):
            assert image.crop(box).getextrema()[0] > 240, box
        assert image.crop((24, 24, width - 24, height - 24)).getextrema()[0] < 100  # and there is text


def test_a_sent_letter_downloads_unchanged_and_every_download_is_audited(granted):
    letter = Letter.objects.get(client=granted.client)
    first, second = pdf_of(letter), pdf_of(letter)
    assert first == second and hashlib.sha256(first).hexdigest() == letter.sha256
    assert (
        AuditEvent.objects.filter(action="read", object_type="letters.letter", summary__contains="gedownload").count()
        == 2
    )


def test_a_sent_letter_never_changes_neither_by_save_nor_by_a_queryset_update(granted):
    letter = Letter.objects.get(client=granted.client)
    letter.subject = "Iets anders"
    with pytest.raises(ValidationError):
        letter.save()
    # Below the model: the database trigger (an IntegrityError on SQLite, a RaiseException on PostgreSQL).
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(content={"subject": "ander"})


def test_a_correction_is_a_new_letter_that_refers_to_the_old_one(
    granted, consultant, django_capture_on_commit_callbacks
):
    old = Letter.objects.get(client=granted.client)
    with django_capture_on_commit_callbacks(execute=True):
        new = letter_services.issue_letter(
            kinds.TOEKENNING,
            client=granted.client,
            municipality=granted.client.municipality,
            values={"product": "individuele begeleiding", "provider": "Stichting Thuisbegeleiding Drechtsteden"},
            by=consultant,
            about=granted,
            corrects=old,
        )
    assert new.corrects == old and new.kenmerk != old.kenmerk
    assert f"vervangt onze brief van {old.content['date']} met kenmerk {old.kenmerk}" in text_of(pdf_of(new))
    old.refresh_from_db()
    assert old.is_frozen


def test_afwijzing_beeindiging_and_intrekking_each_get_their_letter(
    consultant, team_lead, provider, django_capture_on_commit_callbacks
):
    # afwijzing
    refused_file = build_case_file(consultant=consultant)
    refusal = services.save_refusal_concept(
        refused_file.indication,
        aanvraag=refused_file.aanvraag,
        by=consultant,
        product=refused_file.indication.product,
        refusal_ground=Indication.RefusalGround.ALGEMENE_VOORZIENING,
        refusal_motivation="Het buurtcentrum helpt u met uw post.",
    )
    four_eyes.submit_for_review(refusal, by=consultant, today=TODAY)
    four_eyes.approve_indication(refusal, by=team_lead, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_beschikking(refusal, by=consultant, today=TODAY)
    letter = Letter.objects.get(client=refused_file.client)
    text = text_of(pdf_of(letter))
    assert (
        letter.kind == kinds.AFWIJZING and "U krijgt geen" in text and "Het buurtcentrum helpt u met uw post." in text
    )
    assert "bezwaar" in text and "CAK" not in text

    # beëindiging, then intrekking of another beschikking
    ended_file = build_case_file(consultant=consultant)
    ended = issued(ended_file, consultant, provider, today=TODAY - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        services.end_beschikking(
            ended,
            by=consultant,
            ended_on=ended.start_date + timedelta(days=5),
            reason="De doelen zijn bereikt.",
            today=TODAY,
        )
    letter = Letter.objects.get(client=ended_file.client, kind=kinds.BEEINDIGING)
    text = text_of(pdf_of(letter))
    assert (
        "De doelen zijn bereikt." in text and letter_services.dutch_date(ended.start_date + timedelta(days=5)) in text
    )

    withdrawn_file = build_case_file(consultant=consultant)
    withdrawn = issued(withdrawn_file, consultant, provider)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_beschikking(withdrawn, by=consultant, reason="U woont niet meer in de gemeente.", today=TODAY)
    letter = Letter.objects.get(client=withdrawn_file.client, kind=kinds.INTREKKING)
    assert "U woont niet meer in de gemeente." in text_of(pdf_of(letter))


def test_a_beschikking_that_replaces_another_gets_the_wijziging_letter_and_the_old_one_no_end_letter(
    granted, consultant, provider, django_capture_on_commit_callbacks
):
    successor = IndicationFactory(
        client=granted.client,
        aanvraag=granted.aanvraag,
        consultant=consultant,
        replaces=granted,
        kind="herindicatie",
        product=granted.product,
        start_date=granted.start_date + timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued(SimpleNamespace(indication=successor), consultant, provider)
    letter = Letter.objects.get(about_id=successor.pk, kind=kinds.WIJZIGING)
    assert granted.number in text_of(pdf_of(letter))
    assert not Letter.objects.filter(kind=kinds.BEEINDIGING).exists()


def test_a_concept_withdrawn_before_any_decision_gets_no_letter(consultant):
    case_file = build_case_file(consultant=consultant)
    services.withdraw_beschikking(case_file.indication, by=consultant, reason="Aanvraag ingetrokken.", today=TODAY)
    assert not Letter.objects.exists()


def test_the_verslag_van_het_onderzoek_is_a_letter_without_bezwaar_clause(
    consultant, django_capture_on_commit_callbacks
):
    case_file = build_case_file(consultant=consultant)
    case_file.intake.report = "Wij spraken met u over uw administratie.\n\nU wilt die weer zelf doen."
    case_file.intake.save()
    with django_capture_on_commit_callbacks(execute=True):
        letter = issue_verslag(case_file.intake, by=consultant, today=TODAY)
    text = text_of(pdf_of(letter))
    assert "Wij spraken met u over uw administratie." in text and "artikel 2.3.2, lid 8" in text
    assert "voorlopige voorziening" not in text


def test_an_edit_of_a_template_is_a_new_version_and_letters_keep_theirs(
    granted, consultant, django_capture_on_commit_callbacks
):
    old = Letter.objects.get(client=granted.client)
    template = letter_services.save_template_version(
        kinds.TOEKENNING,
        municipality=granted.client.municipality,
        subject="Uw {{ product }}",
        body="<p>Nieuw.</p>",
        by=consultant,
    )
    assert template.version == 1 and LetterTemplate.objects.filter(kind=kinds.TOEKENNING).count() == 2
    second = letter_services.save_template_version(
        kinds.TOEKENNING,
        municipality=granted.client.municipality,
        subject="Uw {{ product }}!",
        body="<p>Nieuwer.</p>",
        by=consultant,
    )
    assert second.version == 2
    assert letter_services.current_template(kinds.TOEKENNING, granted.client.municipality) == second
    old.refresh_from_db()
    assert old.template.version == 1 and old.template.municipality is None


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        "{% debug %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% url 'home' %}",
        "{% now 'Y' %}",
    ],
)
def test_a_template_text_cannot_reach_beyond_its_values(source, consultant):
    with pytest.raises(ValidationError) as refused:
        letter_services.save_template_version(
            kinds.TOEKENNING, municipality=None, subject="Onderwerp", body=source, by=consultant
        )
    assert "geen geldig sjabloon" in refused.value.message_dict["body"][0]


def test_a_template_text_escapes_and_sees_only_plain_values():
    assert rendering.render_text("{{ x }}", {"x": "<script>"}) == "&lt;script&gt;"
    assert rendering.render_text("{{ settings.SECRET_KEY }}{{ request }}", {}) == ""
    with pytest.raises(TypeError):
        rendering.render_text("{{ client.bsn }}", {"client": object()})


def test_the_demo_writes_the_letters_of_the_newest_decisions_and_renders_a_few(consultant, provider):
    for _number in range(3):
        issued(build_case_file(consultant=consultant), consultant, provider)
    Letter.objects.all().delete()
    assert ensure_demo_letters(limit=2, render_now=1) == 2
    letters = list(Letter.objects.order_by("id"))
    assert [letter.kind for letter in letters] == [kinds.TOEKENNING, kinds.TOEKENNING]
    assert sum(letter.is_frozen for letter in letters) == 1
    lazy = next(letter for letter in letters if not letter.is_frozen)
    assert "Onderwerp" in text_of(pdf_of(lazy))  # rendered on its first download
    assert ensure_demo_letters(limit=2) == 1  # the third decision; the others have theirs


def test_beheer_edits_a_template_in_the_admin_as_a_new_version_and_previews_it(admin_client):
    first = letter_services.current_template(kinds.AFWIJZING, None)
    url = f"/beheer/letters/lettertemplate/{first.pk}/change/"
    refused = admin_client.post(url, {"subject": "Besluit", "body": "{% load static %}"})
    assert refused.status_code == 200 and "geen geldig sjabloon" in refused.content.decode()
    response = admin_client.post(url, {"subject": "Besluit over {{ product }}", "body": "<p>Nieuwe tekst.</p>"})
    assert response.status_code == 302
    newest = letter_services.current_template(kinds.AFWIJZING, None)
    assert newest.version == first.version + 1 and newest.body == "<p>Nieuwe tekst.</p>"
    first.refresh_from_db()
    assert first.body != newest.body  # the old version stays as it was
    preview = admin_client.get(f"/beheer/letters/lettertemplate/{newest.pk}/voorbeeld/")
    assert preview["Content-Type"] == "application/pdf" and "Nieuwe tekst." in text_of(preview.content)


def test_a_letter_downloads_through_a_break_the_glass_access_under_its_purpose(client, granted):
    letter = Letter.objects.get(client=granted.client)
    other = staff_member(CONSULENT, team=TeamFactory(name="Team Oost", municipalities=["Papendrecht"]))
    client.force_login(other)
    url = f"/brieven/{letter.uuid}/pdf/"
    assert client.get(url).status_code == 404
    emergency_services.grant_emergency_access(
        by=other, bsn=granted.client.bsn, reason="Crisismelding van de politie, cliënt in nood"
    )
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    download = AuditEvent.objects.filter(actor=other, object_type="letters.letter").get()
    assert download.purpose.startswith("toegang in noodsituatie: Crisismelding")
