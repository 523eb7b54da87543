"""The functioneel beheerder edits the letter templates on pages (issue 18): per kind and
municipality, with the Dutch error of a broken text at its field, the kind's placeholders, a
preview that stores nothing, versions with their author and a restore; a sent letter keeps the
version it was made with. Every save is audited; a consultant may not reach the pages."""

import io

import pytest
from pypdf import PdfReader

from accounts.roles import CONSULENT, FUNCTIONEEL_BEHEERDER, ROLE_PERMISSIONS
from audit.models import AuditEvent
from indications import services as case_services
from indications.models import Indication, Municipality
from letters import kinds
from letters import services as letter_services
from letters.models import Letter, LetterTemplate
from tests.factories import TODAY, build_case_file, staff_member
from tests.html_checks import markup_problems, parse

pytestmark = pytest.mark.django_db

TOEKENNING = kinds.TOEKENNING


@pytest.fixture
def beheerder(db):
    return staff_member(FUNCTIONEEL_BEHEERDER, username="beheer-brieven", first_name="Bram", last_name="Beheer")


@pytest.fixture
def as_beheerder(client, beheerder):
    client.force_login(beheerder)
    return client


def edit_url(kind=TOEKENNING, code="0505"):
    return f"/brieven/sjablonen/{kind}/{code}/"


def texts(**changes):
    spec = kinds.get(TOEKENNING)
    return {"subject": spec.subject, "body": spec.body, "actie": "opslaan", **changes}


def own_versions(municipality):
    return LetterTemplate.objects.filter(kind=TOEKENNING, municipality=municipality)


def test_a_consultant_may_not_reach_the_template_pages(client, consultant):
    client.force_login(consultant)
    dordrecht = Municipality.objects.get(name="Dordrecht")
    version = letter_services.save_template_version(
        TOEKENNING, municipality=dordrecht, subject="Besluit", body="<p>Tekst</p>", by=None
    )
    assert client.get("/brieven/sjablonen/").status_code == 403
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), texts()).status_code == 403
    assert client.post(f"{edit_url()}voorbeeld.pdf", texts()).status_code == 403
    assert client.post(f"{edit_url()}versies/{version.version}/terugzetten/").status_code == 403
    assert own_versions(dordrecht).count() == 1
    assert "Briefsjablonen" not in client.get("/werkvoorraad/").content.decode()


def test_the_list_shows_every_kind_for_the_seven_municipalities_in_constant_queries(
    as_beheerder, beheerder, django_assert_max_num_queries
):
    page = as_beheerder.get("/brieven/sjablonen/")
    html = page.content.decode()
    assert page.status_code == 200 and 'aria-current="page">Briefsjablonen' in html
    assert markup_problems(html) == []
    # Every registered kind (the case file's and the bezwaar's, at least 12) for each of the seven.
    assert Municipality.objects.count() == 7 and len(kinds.all_kinds()) >= 12
    assert html.count("standaardtekst</span>") == len(kinds.all_kinds()) * 7
    sliedrecht = Municipality.objects.get(name="Sliedrecht")
    letter_services.edit_template(
        TOEKENNING, municipality=sliedrecht, subject="Ons besluit over {{ product }}", body="<p>Ja.</p>", by=beheerder
    )
    with django_assert_max_num_queries(11):  # +1: the second factor's device (django-otp) on every request
        as_beheerder.get("/brieven/sjablonen/")  # 84 rows
    with django_assert_max_num_queries(11):  # +1: the second factor's device (django-otp) on every request
        html = as_beheerder.get("/brieven/sjablonen/", {"gemeente": sliedrecht.code}).content.decode()
    assert html.count("standaardtekst</span>") == len(kinds.all_kinds()) - 1
    assert html.count("eigen tekst</span>") == 1 and "Bram Beheer" in html
    assert "Dordrecht" not in html.split('id="h-sjablonen"')[1].split("</table>")[0]


def test_the_edit_page_shows_the_current_text_and_the_kinds_placeholders(as_beheerder):
    html = as_beheerder.get(edit_url()).content.decode()
    assert markup_problems(html) == []
    assert "Besluit over uw aanvraag voor {{ product }}" in html  # the default text, escaped into the field
    assert "{{ partial_motivation }}" in html and "naam van de aanbieder" in html
    assert "Dordrecht heeft nog geen eigen tekst" in html
    verslag = as_beheerder.get(edit_url(kinds.VERSLAG)).content.decode()
    assert "{{ report }}" in verslag and "{{ refusal_ground }}" not in verslag


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p>{% load static %}</p>", "Regel 1: {% load %} bestaat niet of mag niet in een brieftekst."),
        ("<p>{% if pgb %}pgb</p>", "Regel 1: {% if %} is niet afgesloten; zet er {% endif %} achter."),
        ("<p>U krijgt {{ product }</p>", "Een plaatshouder of opdracht is niet goed afgesloten."),
        ("<p>{{ product|onbekend }}</p>", "Het filter &#x27;onbekend&#x27; bestaat niet."),
        ("<p>Beste {{ voornaam }}</p>", "Deze soort brief kent de plaatshouder {{ voornaam }} niet."),
        ("<p>{% for x in pgb %}{{ x }}{% endfor %}</p>", "De tekst kan niet worden opgemaakt met de voorbeeldwaarden"),
        (" ", "Vul dit veld in."),
    ],
)
def test_a_broken_text_is_a_dutch_error_at_its_field_and_saves_nothing(as_beheerder, body, message):
    page = as_beheerder.post(edit_url(), texts(body=body))
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html.split('id="id_body_error"')[1].split("</div>")[0]
    assert 'id="id_subject_error"' not in html
    assert markup_problems(html) == [] and parse(html).summaries == 1
    assert not own_versions(Municipality.objects.get(name="Dordrecht")).exists()
    assert not AuditEvent.objects.filter(object_type="letters.lettertemplate").exists()


def test_a_placeholder_of_another_kind_in_the_subject_is_an_error_at_the_subject(as_beheerder):
    html = as_beheerder.post(edit_url(kinds.VERSLAG), texts(subject="Verslag over {{ product }}")).content.decode()
    assert "Deze soort brief kent de plaatshouder {{ product }} niet." in html.split('id="id_subject_error"')[1]


def test_saving_creates_a_new_audited_version_for_the_municipality(as_beheerder, beheerder):
    dordrecht = Municipality.objects.get(name="Dordrecht")
    default = letter_services.current_template(TOEKENNING, dordrecht)
    page = as_beheerder.post(edit_url(), texts(body="<p>U krijgt {{ product }} van {{ provider }}.</p>"), follow=True)
    html = page.content.decode()
    assert "Versie 1 is opgeslagen. Nieuwe brieven krijgen deze tekst." in html
    saved = own_versions(dordrecht).get()
    assert (saved.version, saved.created_by, saved.body) == (
        1,
        beheerder,
        "<p>U krijgt {{ product }} van {{ provider }}.</p>",
    )
    assert letter_services.current_template(TOEKENNING, dordrecht) == saved
    # The other municipalities keep the default text.
    assert letter_services.current_template(TOEKENNING, Municipality.objects.get(name="Zwijndrecht")) == default
    event = AuditEvent.objects.get(object_type="letters.lettertemplate", object_id=str(saved.pk))
    assert event.actor == beheerder and event.action == AuditEvent.Action.CREATE
    as_beheerder.post(edit_url(), texts(body="<p>Tweede versie voor {{ client_name }}.</p>"))
    assert list(own_versions(dordrecht).values_list("version", flat=True)) == [2, 1]
    html = as_beheerder.get(edit_url()).content.decode()
    assert "Versie 2 van" in html and "huidige versie" in html and "Tweede versie voor {{ client_name }}" in html
    assert "Versie 1 terugzetten" in html and "Versie 2 terugzetten" not in html


def test_the_preview_shows_the_letter_on_sample_values_and_stores_nothing(as_beheerder):
    before = (LetterTemplate.objects.count(), Letter.objects.count(), AuditEvent.objects.count())
    body = "<p>Voorbeeldzin voor {{ client_name }}: {{ product }}.</p>"
    page = as_beheerder.post(edit_url(), texts(body=body, actie="voorbeeld"))
    html = page.content.decode()
    assert page.status_code == 200 and markup_problems(html) == []
    # The letter is in the iframe's srcdoc, escaped once (the attribute holds the whole document).
    srcdoc = html.split('srcdoc="')[1].split('"')[0]
    assert "&lt;p&gt;Voorbeeldzin voor J. de Vries: individuele begeleiding licht (IB1).&lt;/p&gt;" in srcdoc
    assert "&lt;/html&gt;" in srcdoc
    assert "Gemeente Dordrecht" in html
    pdf = as_beheerder.post(f"{edit_url()}voorbeeld.pdf", texts(body=body))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Voorbeeldzin voor J. de Vries" in text and "VOORBEELD" in text
    assert (LetterTemplate.objects.count(), Letter.objects.count(), AuditEvent.objects.count()) == before


def test_a_preview_of_a_broken_text_is_the_error_not_a_pdf(as_beheerder):
    page = as_beheerder.post(f"{edit_url()}voorbeeld.pdf", texts(body="{% include 'base.html' %}"))
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "{% include %} bestaat niet of mag niet in een brieftekst." in page.content.decode()


def test_an_unknown_kind_or_municipality_is_a_404(as_beheerder):
    assert as_beheerder.get(edit_url(kind="geen_brief")).status_code == 404
    assert as_beheerder.get(edit_url(code="9999")).status_code == 404


def test_restoring_a_version_is_a_new_version_with_the_old_text(as_beheerder, beheerder):
    dordrecht = Municipality.objects.get(name="Dordrecht")
    first = letter_services.edit_template(
        TOEKENNING, municipality=dordrecht, subject="Eerste {{ product }}", body="<p>Eerste</p>", by=beheerder
    )
    letter_services.edit_template(
        TOEKENNING, municipality=dordrecht, subject="Tweede", body="<p>Tweede</p>", by=beheerder
    )
    page = as_beheerder.post(f"{edit_url()}versies/1/terugzetten/", follow=True)
    assert "De tekst van versie 1 is teruggezet als versie 3." in page.content.decode()
    restored = letter_services.current_template(TOEKENNING, dordrecht)
    assert (restored.version, restored.subject, restored.body) == (3, first.subject, first.body)
    assert AuditEvent.objects.filter(
        object_type="letters.lettertemplate", object_id=str(restored.pk), action=AuditEvent.Action.UPDATE
    ).exists()
    assert as_beheerder.get(f"{edit_url()}versies/1/terugzetten/").status_code == 405


def test_a_sent_letter_keeps_its_version_after_an_edit(
    as_beheerder, consultant, provider, django_capture_on_commit_callbacks
):
    first_case, second_case = build_case_file(consultant=consultant), build_case_file(consultant=consultant)
    Indication.objects.filter(pk__in=[first_case.indication.pk, second_case.indication.pk]).update(provider=provider)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.issue_beschikking(first_case.indication, by=consultant, today=TODAY)
    sent = Letter.objects.get(client=first_case.client)
    assert sent.is_frozen
    municipality = sent.municipality
    as_beheerder.post(edit_url(code=municipality.code), texts(body="<p>Nieuwe tekst: u krijgt {{ product }}.</p>"))
    with django_capture_on_commit_callbacks(execute=True):
        case_services.issue_beschikking(second_case.indication, by=consultant, today=TODAY)
    sent.refresh_from_db()
    later = Letter.objects.get(client=second_case.client)
    assert sent.template.municipality is None and "Nieuwe tekst" not in sent.content["body_html"]
    assert later.template.municipality == municipality and later.template.version == 1
    assert "Nieuwe tekst: u krijgt" in later.content["body_html"]
    html = as_beheerder.get(edit_url(code=municipality.code)).content.decode()
    assert "1 brief met deze versie gemaakt." in html


def test_the_admin_form_refuses_what_the_page_refuses(client, beheerder):
    beheerder.is_staff = True
    beheerder.save()
    client.force_login(beheerder)
    page = client.post(
        "/beheer/letters/lettertemplate/add/",
        {"kind": TOEKENNING, "municipality": "", "subject": "Besluit", "body": "<p>{{ voornaam }}</p>"},
    )
    assert "Deze soort brief kent de plaatshouder {{ voornaam }} niet." in page.content.decode()
    assert not LetterTemplate.objects.filter(subject="Besluit").exists()


def test_a_consultant_role_never_holds_the_template_permission():
    assert "letters.change_lettertemplate" in ROLE_PERMISSIONS[FUNCTIONEEL_BEHEERDER]
    assert "letters.change_lettertemplate" not in ROLE_PERMISSIONS[CONSULENT]
