"""The onderzoek page is one form with a save button per section: saving (or failing to save) one
section keeps what was typed in the others, so no typed text is lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from indications.models import Conversation, OtherProvision, ZrmAssessment, ZrmDomain
from tests.factories import MeldingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def onderzoek(client, consultant):
    client.force_login(consultant)
    melding = MeldingFactory(consultant=consultant, received_on=timezone.localdate() - timedelta(days=5))
    return f"/onderzoeken/{melding.intake.uuid}/"


def whole_page(step: str, **typed) -> dict:
    """What the browser posts: every section shown, and the button pressed."""
    today = timezone.localdate().isoformat()
    data = {
        "step": step,
        "gesprek-held_on": today,
        "gesprek-place": "thuis",
        "gesprek-participants": ["client"],
        "gesprek-need_notes": "",
        "zrm-assessed_on": today,
        "voorziening-kind": "",
        "voorziening-start_date": "",
        "voorziening-notes": "",
        "conclusie-concluded_on": today,
        "conclusie-report": "",
    }
    data.update({f"zrm-zrm_{domain.code}": "" for domain in ZrmDomain.objects.all()})
    data.update(typed)
    return data


def test_saving_the_zrm_keeps_the_conversation_notes_typed_meanwhile(client, onderzoek):
    notes = "Post blijft ongeopend; dochter helpt soms."
    response = client.post(
        onderzoek,
        whole_page(
            "zrm",
            **{"gesprek-need_notes": notes, "zrm-zrm_financien": "2", "conclusie-report": "Concept van het verslag"},
        ),
    )
    assert response.status_code == 302
    assert ZrmAssessment.objects.count() == 1 and not Conversation.objects.exists()
    page = client.get(onderzoek)
    assert page.context["conversation_form"].initial["need_notes"] == notes
    assert page.context["conclusion_form"].initial["report"] == "Concept van het verslag"
    assert page.context["zrm_form"].initial.get("zrm_financien") in (None, "")  # the saved section starts afresh
    assert page.context["kept"] == {"gesprek", "conclusie"}  # untouched sections are not kept (nor opened)
    html = page.content.decode()
    assert notes in html and "Concept van het verslag" in html
    # The kept input is shown once, not forever.
    assert client.get(onderzoek).context["conversation_form"].initial.get("need_notes") is None


def test_a_refused_section_keeps_the_other_sections_input(client, onderzoek):
    data = whole_page(
        "gesprek",
        **{"gesprek-participants": [], "zrm-zrm_financien": "3", "voorziening-notes": "Dagbesteding bij De Hoven"},
    )
    response = client.post(onderzoek, data)
    assert response.status_code == 200
    assert "participants" in response.context["conversation_form"].errors
    assert response.context["zrm_form"].initial["zrm_financien"] == "3"
    assert not response.context["zrm_form"].is_bound  # no errors shown in a section not saved
    assert response.context["provision_form"].initial["notes"] == "Dagbesteding bij De Hoven"
    assert not Conversation.objects.exists() and not OtherProvision.objects.exists()


def test_enter_in_a_field_saves_nothing_and_keeps_everything(client, onderzoek):
    response = client.post(onderzoek, whole_page("bewaren", **{"gesprek-need_notes": "Half af"}))
    assert response.status_code == 200
    assert response.context["conversation_form"].initial["need_notes"] == "Half af"
    assert not Conversation.objects.exists() and not ZrmAssessment.objects.exists()


def test_the_page_is_one_form_with_a_button_per_section(client, onderzoek):
    html = client.get(onderzoek).content.decode()
    main = html[html.index("<main") :]
    assert main.count("<form") == 1
    for step in ("gesprek", "zrm", "voorziening", "conclusie"):
        assert f'name="step" value="{step}"' in main
