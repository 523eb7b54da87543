"""The Dutch texts say what they mean: headings that fit the form, rules stated as rules, no
duplicated or dangling punctuation, law names capitalised, no "---------", the decision's wording
following its status, every product with its code, and a confirmation step for irreversible actions."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError

from accounts.roles import CONSULENT
from indications import services
from indications.four_eyes import complexity_findings, submit_for_review
from indications.models import Client, Indication, IndicationStatus, Product
from tests.factories import TODAY, IndicationFactory, ZrmAssessmentFactory, get_product, staff_member

pytestmark = pytest.mark.django_db

FORM_MODULES = ["indications.forms", "providers.forms", "signals.forms", "monitor.forms"]


def test_a_failed_login_is_not_headed_as_a_save_error(client):
    staff_member(CONSULENT, username="iemand", password="Juist-wachtwoord-2026")
    page = client.post("/inloggen/", {"username": "iemand", "password": "fout"}).content.decode()
    assert "Inloggen is niet gelukt:" in page and "opgeslagen" not in page


def test_the_next_evaluation_message_states_the_rule(consultant):
    indication = IndicationFactory(actief=True, consultant=consultant)
    with pytest.raises(ValidationError) as refused:
        services.record_evaluation(
            indication,
            by=consultant,
            held_on=TODAY,
            outcome="voortzetten",
            zrm_scores={},
            progress={},
            next_evaluation_on=TODAY,
            today=TODAY,
        )
    assert "De volgende evaluatie moet na deze evaluatie liggen." in refused.value.message_dict["next_evaluation_on"]


def test_four_eyes_reasons_are_whole_sentences_without_repeating_the_rule(client, consultant):
    assessment = ZrmAssessmentFactory(scores={"financien": 2})
    indication = IndicationFactory(
        client=assessment.client, consultant=consultant, product=get_product("IB3"), opslag=True, opslag_motivation=""
    )
    reasons = [finding.reason for finding in complexity_findings(indication, today=TODAY)]
    assert "Product IB3 zwaar." in reasons and "Opslag, nog zonder motivering." in reasons
    assert not any(reason.endswith(": -") for reason in reasons)
    indication.opslag_motivation = "Ernstige gedragsproblematiek (NAH)."
    indication.save()
    submit_for_review(indication, by=consultant, today=TODAY)
    change = indication.status_changes.get()
    assert ".;" not in change.reason and ".." not in change.reason
    assert "Opslag: Ernstige gedragsproblematiek (NAH). Product IB3 zwaar." in change.reason
    client.force_login(consultant)
    page = client.get(f"/indicaties/{indication.uuid}/").content.decode()
    assert "Product IB3 zwaar: Product IB3 zwaar" not in page


def test_the_access_log_names_the_kind_of_record_in_dutch(client, consultant):
    from accounts.roles import FUNCTIONEEL_BEHEERDER

    indication = IndicationFactory(actief=True)
    client.force_login(consultant)
    client.get(f"/clienten/{indication.client.uuid}/")
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    page = client.get(f"/clienten/{indication.client.uuid}/inzagelog/").content.decode()
    assert "<td>cliënt</td>" in page and "indications.client" not in page


def _all_forms(**arguments):
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module_name:
                parameters = inspect.signature(form_class.__init__).parameters
                yield name, form_class(**{key: value for key, value in arguments.items() if key in parameters})


def test_no_select_in_any_form_offers_dashes():
    indication = IndicationFactory(actief=True)
    rendered = list(_all_forms(indication=indication, client=indication.client))
    assert len(rendered) > 20
    for name, form in rendered:
        html = str(form)
        assert "---------" not in html, name
        assert "Kies een vervangt" not in html, name
    client_form = dict(rendered)["ClientForm"]
    assert '<option value="" selected>Kies een gemeente</option>' in str(client_form["municipality"])


def test_every_product_in_a_dropdown_shows_its_code_or_that_it_has_none():
    assert str(Product.objects.get(code="IB1")) == "IB1 licht (02A06)"
    assert str(Product.objects.get(code="IB0")) == "IB0 waakvlam (zonder productcode)"


@pytest.mark.parametrize(
    "trait, expected, absent",
    [
        ({}, "Voorstel: aan", "wordt op grond van"),
        ({"ingetrokken": True}, "Deze concept-indicatie is ingetrokken", "toegekend in de vorm"),
        ({"vastgesteld": True}, "wordt op grond van de Wet maatschappelijke ondersteuning 2015", "Voorstel"),
        ({"beeindigd": True}, "deze beschikking is beëindigd", "wordt op grond van"),
    ],
)
def test_the_decision_reads_as_its_status(client, consultant, trait, expected, absent):
    indication = IndicationFactory(consultant=consultant, **trait)
    client.force_login(consultant)
    besluit = re.search(
        r'<section aria-labelledby="h-besluit">(.*?)</section>',
        client.get(f"/indicaties/{indication.uuid}/").content.decode(),
        re.S,
    ).group(1)
    assert expected in besluit and absent not in besluit


def test_a_withdrawn_beschikking_reads_as_withdrawn(client, consultant):
    indication = IndicationFactory(consultant=consultant, vastgesteld=True)
    services.withdraw_beschikking(indication, by=consultant, reason="Bezwaar gegrond")
    client.force_login(consultant)
    page = client.get(f"/indicaties/{indication.uuid}/").content.decode()
    assert "is ingetrokken." in page and "wordt op grond van" not in page


@pytest.mark.parametrize(
    "action, data, status",
    [
        ("intrekken", {"reason": "Cliënt ziet af van de ondersteuning."}, IndicationStatus.INGETROKKEN),
        ("beeindigen", {"ended_on": TODAY.isoformat(), "reason": "Doelen behaald."}, IndicationStatus.BEEINDIGD),
    ],
)
def test_irreversible_actions_ask_for_confirmation_without_javascript(client, consultant, action, data, status):
    indication = IndicationFactory(actief=True, consultant=consultant)
    client.force_login(consultant)
    url = f"/indicaties/{indication.uuid}/{action}/"
    asked = client.post(url, data)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'name="bevestigd" value="ja"' in page and "<script" not in page.split("<main", 1)[-1]
    assert "Annuleren" in page and data["reason"] in page
    indication.refresh_from_db()
    assert indication.status == IndicationStatus.ACTIEF  # nothing happened yet
    confirmed = client.post(url, {**data, "bevestigd": "ja"})
    assert confirmed.status_code == 302
    indication.refresh_from_db()
    assert indication.status == status
    assert Client.objects.filter(pk=indication.client_id).exists() and Indication.objects.filter(pk=indication.pk)
