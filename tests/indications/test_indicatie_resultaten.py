"""The results of an indication: per result its own sub-results as checkboxes, as many results as
needed (a "resultaat toevoegen" button that works without JavaScript and keeps what was typed), and
each result chosen once (form, service and database)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from indications import services
from indications.models import IbResult, Indication, IndicationResult, Product
from tests.factories import AanvraagFactory, ZrmAssessmentFactory, result_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def aanvraag():
    client = ZrmAssessmentFactory(scores={"financien": 2, "sociaal-netwerk": 3}).client
    return AanvraagFactory(client=client, received_on=timezone.localdate() - timedelta(days=3))


@pytest.fixture
def page(client, consultant, aanvraag):
    client.force_login(consultant)
    return f"/aanvragen/{aanvraag.uuid}/indicatie/"


def posted(aanvraag, rows: list[dict], **extra) -> dict:
    today = timezone.localdate()
    data = {
        "aanvraag": aanvraag.pk,
        "kind": "eerste",
        "product": Product.objects.get(code="IB1").pk,
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=300)).isoformat(),
        "evaluation_date_1": (today + timedelta(days=90)).isoformat(),
        "resultaten-TOTAL_FORMS": str(len(rows)),
        "resultaten-INITIAL_FORMS": "0",
        "resultaten-MIN_NUM_FORMS": "1",
        "resultaten-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        data[f"resultaten-{index}-result"] = str(row["result"].pk) if row.get("result") else ""
        data[f"resultaten-{index}-goal"] = row.get("goal", "")
        data[f"resultaten-{index}-sub_results"] = [str(sub.pk) for sub in row.get("subs", [])]
    return {**data, **extra}


def test_a_new_indication_starts_with_one_row_without_sub_results(page, client):
    formset = client.get(page).context["formset"]
    assert len(formset.forms) == 1
    assert formset.forms[0].fields["sub_results"].choices == []


def test_showing_sub_results_offers_those_of_the_chosen_result_and_keeps_the_input(page, client, aanvraag):
    financien = result_in("financien")
    response = client.post(
        page, posted(aanvraag, [{"result": financien, "goal": "Zelf betalen"}], rijen="subresultaten_tonen")
    )
    assert response.status_code == 200
    assert not Indication.objects.exists()
    row = response.context["formset"].forms[0]
    assert {int(pk) for pk, _label in row.fields["sub_results"].choices} == set(
        financien.sub_results.values_list("pk", flat=True)
    )
    assert row.initial["goal"] == "Zelf betalen" and row.initial["result"] == str(financien.pk)
    assert response.context["form"].initial["product"] == str(Product.objects.get(code="IB1").pk)
    assert not response.context["form"].is_bound  # nothing refused before it is saved
    html = response.content.decode()
    assert 'type="checkbox"' in html and "Zelf betalen" in html


def test_adding_a_result_adds_an_empty_row_and_keeps_the_rows(page, client, aanvraag):
    rows = [
        {"result": result_in(code), "goal": f"Doel {code}"} for code in ("financien", "sociaal-netwerk", "huisvesting")
    ]
    response = client.post(page, posted(aanvraag, rows, rijen="resultaat_toevoegen"))
    forms = response.context["formset"].forms
    assert len(forms) == 4
    assert [form.initial.get("goal") for form in forms] == [
        "Doel financien",
        "Doel sociaal-netwerk",
        "Doel huisvesting",
        None,
    ]
    assert not Indication.objects.exists()


def test_more_than_three_results_with_their_sub_results_are_saved(page, client, aanvraag):
    codes = [domain for domain in IbResult.objects.values_list("domain__code", flat=True)][:5]
    rows = [
        {"result": result_in(code), "goal": f"Doel {code}", "subs": list(result_in(code).sub_results.all()[:2])}
        for code in codes
    ]
    response = client.post(page, posted(aanvraag, rows))
    assert response.status_code == 302, response.context["formset"].errors
    indication = Indication.objects.get()
    assert indication.results.count() == 5
    for item in indication.results.all():
        assert item.sub_results.count() == 2
        assert {sub.result_id for sub in item.sub_results.all()} == {item.result_id}


def test_a_sub_result_of_another_result_is_refused(page, client, aanvraag):
    wrong = result_in("sociaal-netwerk").sub_results.first()
    response = client.post(
        page, posted(aanvraag, [{"result": result_in("financien"), "goal": "Doel", "subs": [wrong]}])
    )
    assert response.status_code == 200
    assert "sub_results" in response.context["formset"].forms[0].errors
    assert not Indication.objects.exists()


def test_the_same_result_twice_is_refused_on_the_form(page, client, aanvraag):
    rows = [{"result": result_in("financien"), "goal": "Een"}, {"result": result_in("financien"), "goal": "Twee"}]
    response = client.post(page, posted(aanvraag, rows))
    assert "Kies elk resultaat maar één keer." in response.context["formset"].non_form_errors()
    assert not Indication.objects.exists()


def test_the_same_result_twice_is_refused_by_the_service_and_the_database(consultant, aanvraag):
    today = timezone.localdate()
    twice = [services.ResultInput(result=result_in("financien"), goal=goal) for goal in ("Een", "Twee")]
    with pytest.raises(ValidationError) as failure:
        services.save_indication_concept(
            None,
            client=aanvraag.client,
            by=consultant,
            results=twice,
            evaluation_dates=[today + timedelta(days=60)],
            aanvraag=aanvraag,
            kind="eerste",
            product=Product.objects.get(code="IB1"),
            start_date=today,
            end_date=today + timedelta(days=200),
        )
    assert failure.value.code == "result_twice"
    assert not Indication.objects.exists()
    indication = services.save_indication_concept(
        None,
        client=aanvraag.client,
        by=consultant,
        results=twice[:1],
        evaluation_dates=[today + timedelta(days=60)],
        aanvraag=aanvraag,
        kind="eerste",
        product=Product.objects.get(code="IB1"),
        start_date=today,
        end_date=today + timedelta(days=200),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicationResult.objects.create(indication=indication, result=result_in("financien"), goal="Twee")


def test_editing_a_concept_shows_its_rows_with_their_sub_results(client, consultant, aanvraag):
    today = timezone.localdate()
    sub = result_in("financien").sub_results.first()
    indication = services.save_indication_concept(
        None,
        client=aanvraag.client,
        by=consultant,
        evaluation_dates=[today + timedelta(days=60)],
        results=[services.ResultInput(result=result_in("financien"), goal="Doel", sub_results=[sub])],
        aanvraag=aanvraag,
        kind="eerste",
        product=Product.objects.get(code="IB1"),
        start_date=today,
        end_date=today + timedelta(days=200),
    )
    client.force_login(consultant)
    response = client.get(f"/indicaties/{indication.uuid}/wijzigen/")
    row = response.context["formset"].forms[0]
    assert len(response.context["formset"].forms) == 1
    assert str(sub.pk) in {pk for pk, _label in row.fields["sub_results"].choices}
    assert f'value="{sub.pk}"' in response.content.decode()
