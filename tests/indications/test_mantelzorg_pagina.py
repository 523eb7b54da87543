"""The onderzoek page's section "Mantelzorg": add a mantelzorger (errors next to the field, nothing
written), change or remove one on its own page, the note asked at the conclusion, the hint on the
concept form, and the mantelzorgers of another team's client staying out of reach."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import CONSULENT
from indications.models import Mantelzorger
from tests.factories import (
    ClientFactory,
    MantelzorgerFactory,
    MeldingFactory,
    build_case_file,
    get_municipality,
    staff_member,
)

pytestmark = pytest.mark.django_db

ADD = {
    "step": "mantelzorger",
    "mantelzorger-name": "Joke",
    "mantelzorger-relation": "partner",
    "mantelzorger-lives_with_client": "on",
    "mantelzorger-tasks": ["huishouden", "begeleiding"],
    "mantelzorger-tasks_notes": "",
    "mantelzorger-hours_per_week": "35",
    "mantelzorger-load": "overbelast",
    "mantelzorger-notes": "Kan het niet meer volhouden.",
}


@pytest.fixture
def intake(client, consultant):
    client.force_login(consultant)
    return MeldingFactory(consultant=consultant, received_on=timezone.localdate() - timedelta(days=5)).intake


def page_of(intake) -> str:
    return f"/onderzoeken/{intake.uuid}/"


def edit_page_of(mantelzorger) -> str:
    return f"/onderzoeken/{mantelzorger.intake.uuid}/mantelzorgers/{mantelzorger.uuid}/"


def test_a_mantelzorger_is_added_on_the_onderzoek_page_and_listed(client, intake):
    response = client.post(page_of(intake), ADD)
    assert response.status_code == 302
    mantelzorger = Mantelzorger.objects.get()
    assert mantelzorger.intake == intake and mantelzorger.tasks == ["huishouden", "begeleiding"]
    assert mantelzorger.lives_with_client and not mantelzorger.respite_offered
    html = client.get(page_of(intake)).content.decode()
    assert 'id="h-mantelzorg"' in html
    assert "Joke (partner)" in html and "huishouden, begeleiding en toezicht" in html
    assert "overbelasting dreigt" in html
    assert edit_page_of(mantelzorger) in html


def test_too_many_hours_is_an_error_next_to_the_field_and_nothing_is_written(client, intake):
    response = client.post(page_of(intake), {**ADD, "mantelzorger-hours_per_week": "200"})
    assert response.status_code == 200
    form = response.context["mantelzorger_form"]
    assert list(form.errors) == ["hours_per_week"]
    assert 'id="id_mantelzorger-hours_per_week_error"' in response.content.decode()
    assert not Mantelzorger.objects.exists()


def test_other_task_without_a_description_is_refused_at_its_field(client, intake):
    response = client.post(page_of(intake), {**ADD, "mantelzorger-tasks": ["anders"]})
    assert response.status_code == 200
    assert list(response.context["mantelzorger_form"].errors) == ["tasks_notes"]
    assert not Mantelzorger.objects.exists()


def test_a_mantelzorger_is_changed_and_removed_on_its_own_page(client, intake, consultant):
    mantelzorger = MantelzorgerFactory(intake=intake, overbelast=True)
    page = client.get(edit_page_of(mantelzorger))
    assert page.status_code == 200
    assert page.content.decode().count("<form") == 3  # the logout form, change, remove
    changed = client.post(
        edit_page_of(mantelzorger),
        {"step": "wijzigen", **{k: v for k, v in ADD.items() if k != "step"}, "mantelzorger-respite_offered": "on"},
    )
    assert changed.status_code == 302
    mantelzorger.refresh_from_db()
    assert mantelzorger.respite_offered and mantelzorger.hours_per_week == 35
    refused = client.post(edit_page_of(mantelzorger), {"step": "verwijderen"})
    assert refused.status_code == 200 and "confirm" in refused.context["remove_form"].errors
    assert Mantelzorger.objects.filter(pk=mantelzorger.pk).exists()
    removed = client.post(edit_page_of(mantelzorger), {"step": "verwijderen", "confirm": "on"})
    assert removed.status_code == 302
    assert not Mantelzorger.objects.filter(pk=mantelzorger.pk).exists()


def test_a_concluded_onderzoek_shows_its_mantelzorgers_without_changes(client, consultant):
    client.force_login(consultant)
    mantelzorger = MantelzorgerFactory(intake__maatwerk=True, intake__melding__consultant=consultant)
    html = client.get(page_of(mantelzorger.intake)).content.decode()
    assert "Joke (partner)" in html and edit_page_of(mantelzorger) not in html
    assert 'value="mantelzorger"' not in html
    response = client.post(
        edit_page_of(mantelzorger), {"step": "wijzigen", **{k: v for k, v in ADD.items() if k != "step"}}
    )
    assert response.status_code == 200
    assert "de mantelzorger kan niet meer worden gewijzigd" in response.content.decode()
    mantelzorger.refresh_from_db()
    assert mantelzorger.hours_per_week == 20


def test_concluding_asks_the_note_for_an_overloaded_mantelzorger_at_its_field(client, intake):
    MantelzorgerFactory(intake=intake, overbelast=True)
    response = client.post(
        page_of(intake),
        {
            "step": "conclusie",
            "conclusie-conclusion": "eigen_kracht",
            "conclusie-report": "Verslag.",
            "conclusie-no_conversation_reason": "Telefonisch.",
            "conclusie-concluded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert list(response.context["conclusion_form"].errors) == ["mantelzorg_notes"]
    intake.refresh_from_db()
    assert not intake.is_concluded


def test_another_teams_mantelzorger_is_a_404(client, intake):
    elsewhere = ClientFactory(municipality=get_municipality("Sliedrecht"))
    other = MantelzorgerFactory(intake__melding__client=elsewhere)
    assert client.get(edit_page_of(other)).status_code == 404
    # and one of this team under another onderzoek's address is not found either
    mine = MantelzorgerFactory(intake=intake)
    assert client.get(f"/onderzoeken/{other.intake.uuid}/mantelzorgers/{mine.uuid}/").status_code == 404


def test_the_concept_form_shows_the_overloaded_mantelzorger(client):
    consultant = staff_member(CONSULENT, username="consulent-mantelzorg")
    client.force_login(consultant)
    case = build_case_file(consultant=consultant, melding_on=timezone.localdate() - timedelta(days=30))
    edit = f"/indicaties/{case.indication.uuid}/wijzigen/"
    assert "Overbelaste mantelzorger" not in client.get(edit).content.decode()
    MantelzorgerFactory(intake=case.intake, overbelast=True)
    html = client.get(edit).content.decode()
    assert "Overbelaste mantelzorger" in html and "35 uur per week" in html
    assert 'name="mantelzorg_motivation"' in html
