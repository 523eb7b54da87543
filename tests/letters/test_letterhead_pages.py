"""The functioneel beheerder edits a municipality's letterhead and signature on a page (issue 18):
validated by letters.services.update_letterhead, audited field by field; new letters show it, a
sent letter keeps what it showed."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from indications import services as case_services
from indications.models import Indication, Municipality
from letters import services as letter_services
from letters.models import Letter, MunicipalityLetterhead
from tests.factories import TODAY, build_case_file, staff_member
from tests.html_checks import markup_problems, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(db):
    return staff_member(FUNCTIONEEL_BEHEERDER, username="beheer-briefhoofd")


@pytest.fixture
def dordrecht(db):
    return Municipality.objects.get(name="Dordrecht")


def url(municipality):
    return f"/brieven/sjablonen/gemeenten/{municipality.code}/briefhoofd/"


def form_data(municipality, **changes):
    letterhead = letter_services.ensure_letterhead(municipality)
    return {name: getattr(letterhead, name) for name in letter_services.LETTERHEAD_FIELDS} | changes


def test_a_consultant_may_not_edit_a_letterhead(client, consultant, dordrecht):
    client.force_login(consultant)
    assert client.get(url(dordrecht)).status_code == 403
    assert client.post(url(dordrecht), form_data(dordrecht, signatory_name="Iemand Anders")).status_code == 403
    assert letter_services.ensure_letterhead(dordrecht).signatory_name == "M. de Groot"


def test_the_page_shows_the_letterhead_with_its_defaults(client, beheerder, dordrecht):
    client.force_login(beheerder)
    html = client.get(url(dordrecht)).content.decode()
    assert markup_problems(html) == []
    for text in (
        "Briefhoofd van Dordrecht",
        "Gemeente Dordrecht",
        "M. de Groot",
        "teamleider Wmo",
        "Naam ondertekenaar",
    ):
        assert text in html
    assert client.get("/brieven/sjablonen/gemeenten/9999/briefhoofd/").status_code == 404


def test_an_edit_is_saved_and_audited_with_its_changes(client, beheerder, dordrecht):
    client.force_login(beheerder)
    page = client.post(
        url(dordrecht),
        form_data(dordrecht, signatory_name="A. Jansen", signatory_function="manager Wmo", phone="078 123 45 67"),
        follow=True,
    )
    assert "Het briefhoofd van Dordrecht is opgeslagen." in page.content.decode()
    letterhead = MunicipalityLetterhead.objects.get(municipality=dordrecht)
    assert (letterhead.signatory_name, letterhead.signatory_function) == ("A. Jansen", "manager Wmo")
    event = AuditEvent.objects.get(object_type="letters.municipalityletterhead", object_id=str(letterhead.pk))
    assert event.actor == beheerder and event.action == AuditEvent.Action.UPDATE
    assert event.changes == {
        "signatory_name": ["M. de Groot", "A. Jansen"],
        "signatory_function": ["teamleider Wmo", "manager Wmo"],
        "phone": ["078 770 80 00", "078 123 45 67"],
    }


def test_saving_without_a_change_records_no_event(dordrecht, beheerder):
    letter_services.update_letterhead(dordrecht, by=beheerder, **form_data(dordrecht))
    assert not AuditEvent.objects.filter(object_type="letters.municipalityletterhead").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sender", "", "Dit veld is verplicht."),
        ("email", "geen-adres", "Voer een geldig e-mailadres in."),
        ("signatory_name", "", "Dit veld is verplicht."),
        ("bezwaar_address", "  ", "Dit veld is verplicht."),
    ],
)
def test_a_wrong_value_is_an_error_at_its_field_and_changes_nothing(
    client, beheerder, dordrecht, field, value, message
):
    client.force_login(beheerder)
    page = client.post(url(dordrecht), form_data(dordrecht, **{field: value}))
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert markup_problems(html) == [] and parse(html).summaries == 1
    letterhead = MunicipalityLetterhead.objects.get(municipality=dordrecht)
    assert getattr(letterhead, field) == form_data(dordrecht)[field] != value
    assert not AuditEvent.objects.filter(object_type="letters.municipalityletterhead").exists()


def test_the_service_validates_what_the_form_does_not_see(dordrecht, beheerder):
    with pytest.raises(ValidationError) as refused:
        letter_services.update_letterhead(dordrecht, by=beheerder, phone="", email="niet goed")
    assert set(refused.value.message_dict) == {"phone", "email"}
    assert letter_services.ensure_letterhead(dordrecht).phone == "078 770 80 00"
    with pytest.raises(TypeError):
        letter_services.update_letterhead(dordrecht, by=beheerder, municipality=None)


def test_new_letters_show_the_new_signature_and_a_sent_letter_keeps_the_old(
    client, beheerder, consultant, provider, django_capture_on_commit_callbacks
):
    first, second = build_case_file(consultant=consultant), build_case_file(consultant=consultant)
    Indication.objects.filter(pk__in=[first.indication.pk, second.indication.pk]).update(provider=provider)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.issue_beschikking(first.indication, by=consultant, today=TODAY)
    municipality = first.client.municipality
    client.force_login(beheerder)
    client.post(url(municipality), form_data(municipality, signatory_name="A. Jansen"))
    with django_capture_on_commit_callbacks(execute=True):
        case_services.issue_beschikking(second.indication, by=consultant, today=TODAY)
    sent, later = Letter.objects.get(client=first.client), Letter.objects.get(client=second.client)
    assert sent.content["letterhead"]["signatory_name"] == "M. de Groot"
    assert later.content["letterhead"]["signatory_name"] == "A. Jansen"
