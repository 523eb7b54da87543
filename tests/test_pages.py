"""The consultant's pages through the test client: bad input gives a form error (never a 500, never
a partial write), and the worklist and client file run a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from indications import services
from indications.models import (
    Aanvraag,
    Client,
    Conversation,
    IbResult,
    Indication,
    Intake,
    Melding,
    Municipality,
    Product,
    ZrmAssessment,
    ZrmDomain,
)

pytestmark = pytest.mark.django_db

BSN_VALID = "111222333"
BSN_ELFPROEF_FAILS = "111222334"


@pytest.fixture
def browser(client, consultant):
    client.force_login(consultant)
    return client


def open_case(consultant, *, bsn: str, today: date, conclude: bool = True, with_aanvraag: bool = True):
    """A client with a melding, a conversation, a ZRM (financiën 2, rest 4) and optionally the
    maatwerk conclusion and an aanvraag, built through the services."""
    client = services.register_client(
        by=consultant,
        bsn=bsn,
        last_name=f"Test{bsn[-3:]}",
        first_name="Sam",
        date_of_birth=date(1970, 1, 1),
        gender="X",
        municipality=Municipality.objects.get(name="Dordrecht"),
    )
    received = today - timedelta(days=20)
    melding = services.register_melding(
        client=client,
        received_on=received,
        channel="telefoon",
        question="Hulp",
        consultant=consultant,
        by=consultant,
        today=today,
    )
    services.add_conversation(
        melding.intake,
        by=consultant,
        today=today,
        held_on=received + timedelta(days=3),
        place="thuis",
        participants=["client"],
    )
    scores = {domain: (2 if domain.code == "financien" else 4) for domain in ZrmDomain.objects.all()}
    services.record_zrm_assessment(
        client=client,
        assessed_on=received + timedelta(days=3),
        scores=scores,
        by=consultant,
        intake=melding.intake,
        today=today,
    )
    intake = melding.intake
    if conclude:
        intake = services.conclude_intake(
            intake,
            by=consultant,
            conclusion="maatwerkvoorziening",
            concluded_on=received + timedelta(days=5),
            report="Verslag",
            today=today,
        )
    aanvraag = None
    if conclude and with_aanvraag:
        aanvraag = services.register_aanvraag(
            client=client,
            received_on=received + timedelta(days=6),
            consultant=consultant,
            by=consultant,
            intake=intake,
            today=today,
        )
    return client, intake, aanvraag


def bsn_from(number: int) -> str:
    """A valid BSN for a small counter: "1", seven digits, then the elfproef check digit."""
    while True:
        digits = f"1{number:07d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            return digits + str(check)
        number += 100_000


def results_formset(result_pk: int | str = "", goal: str = "") -> dict:
    data = {
        "resultaten-TOTAL_FORMS": "3",
        "resultaten-INITIAL_FORMS": "0",
        "resultaten-MIN_NUM_FORMS": "3",
        "resultaten-MAX_NUM_FORMS": "12",
    }
    for index in range(3):
        data[f"resultaten-{index}-result"] = str(result_pk) if index == 0 else ""
        data[f"resultaten-{index}-goal"] = goal if index == 0 else ""
    return data


# ----------------------------------------------------------------------------------------------
# Bad input: a form error, no write
# ----------------------------------------------------------------------------------------------


def test_client_with_invalid_bsn_is_refused_on_the_form(browser):
    municipality = Municipality.objects.get(name="Dordrecht")
    data = {
        "bsn": BSN_ELFPROEF_FAILS,
        "last_name": "Jansen",
        "date_of_birth": "1980-01-01",
        "gender": "M",
        "municipality": municipality.pk,
    }
    response = browser.post("/clienten/nieuw/", data)
    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors
    assert not Client.objects.exists()
    assert not AuditEvent.objects.exists()


def test_client_with_a_bsn_that_already_exists_is_refused(browser, consultant):
    open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    municipality = Municipality.objects.get(name="Dordrecht")
    data = {
        "bsn": BSN_VALID,
        "last_name": "Ander",
        "date_of_birth": "1990-01-01",
        "gender": "V",
        "municipality": municipality.pk,
    }
    response = browser.post("/clienten/nieuw/", data)
    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors
    assert Client.objects.count() == 1


def test_melding_in_the_future_is_refused(browser, consultant):
    client, _, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = browser.post(
        f"/clienten/{client.uuid}/melding/",
        {"received_on": tomorrow.isoformat(), "channel": "telefoon", "question": "Vraag", "consultant": consultant.pk},
    )
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert Melding.objects.count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"gesprek-held_on": "2001-01-01", "gesprek-place": "thuis", "gesprek-participants": ["client"]}, "held_on"),
        ({"gesprek-held_on": "gisteren", "gesprek-place": "thuis", "gesprek-participants": ["client"]}, "held_on"),
        ({"gesprek-held_on": "", "gesprek-place": "thuis"}, "participants"),
        ({"gesprek-place": "maan", "gesprek-participants": ["client"]}, "place"),
    ],
)
def test_bad_conversation_gives_a_form_error_and_writes_nothing(browser, consultant, data, field):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    response = browser.post(f"/onderzoeken/{intake.uuid}/", {"step": "gesprek", **data})
    assert response.status_code == 200
    assert field in response.context["conversation_form"].errors
    assert Conversation.objects.count() == 1


def test_zrm_score_out_of_range_gives_a_form_error(browser, consultant):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    response = browser.post(
        f"/onderzoeken/{intake.uuid}/",
        {"step": "zrm", "zrm-assessed_on": timezone.localdate().isoformat(), "zrm-zrm_financien": "9"},
    )
    assert response.status_code == 200
    assert "zrm_financien" in response.context["zrm_form"].errors
    assert ZrmAssessment.objects.count() == 1


def test_zrm_without_any_score_gives_a_form_error(browser, consultant):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    response = browser.post(
        f"/onderzoeken/{intake.uuid}/", {"step": "zrm", "zrm-assessed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert response.context["zrm_form"].non_field_errors()
    assert ZrmAssessment.objects.count() == 1


def test_referral_without_a_named_provision_is_refused(browser, consultant):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    response = browser.post(
        f"/onderzoeken/{intake.uuid}/",
        {
            "step": "conclusie",
            "conclusie-conclusion": "algemene_voorziening",
            "conclusie-report": "Verslag",
            "conclusie-concluded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "referral_provision" in response.context["conclusion_form"].errors
    intake.refresh_from_db()
    assert intake.concluded_on is None and intake.nazorg_due_on is None


def test_unknown_intake_step_does_not_crash(browser, consultant):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), conclude=False)
    response = browser.post(f"/onderzoeken/{intake.uuid}/", {"step": "onbekend"})
    assert response.status_code in (200, 302)


def test_aanvraag_before_the_melding_is_refused(browser, consultant):
    _, intake, _ = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate(), with_aanvraag=False)
    response = browser.post(f"/onderzoeken/{intake.uuid}/aanvraag/", {"received_on": "2001-01-01"})
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert not Aanvraag.objects.exists()


def test_indication_without_results_is_refused_and_nothing_is_saved(browser, consultant):
    today = timezone.localdate()
    _, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=today)
    data = {
        "aanvraag": aanvraag.pk,
        "kind": "eerste",
        "product": Product.objects.get(code="IB1").pk,
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=200)).isoformat(),
        "evaluation_date_1": (today + timedelta(days=90)).isoformat(),
        **results_formset(),
    }
    response = browser.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not Indication.objects.exists()


def test_indication_with_end_before_start_is_refused(browser, consultant):
    today = timezone.localdate()
    _, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=today)
    result = IbResult.objects.filter(domain__code="financien").first()
    data = {
        "aanvraag": aanvraag.pk,
        "kind": "eerste",
        "product": Product.objects.get(code="IB1").pk,
        "start_date": today.isoformat(),
        "end_date": (today - timedelta(days=1)).isoformat(),
        "evaluation_date_1": (today + timedelta(days=90)).isoformat(),
        **results_formset(result.pk, "Doel"),
    }
    response = browser.post(f"/aanvragen/{aanvraag.uuid}/indicatie/", data)
    assert response.status_code == 200
    assert "De einddatum moet na de ingangsdatum liggen." in str(response.context["form"].errors)
    assert not Indication.objects.exists()


def concept_for(consultant, aanvraag, *, domain_code: str, product_code: str = "IB1") -> Indication:
    today = timezone.localdate()
    result = IbResult.objects.filter(domain__code=domain_code).first()
    return services.save_indication_concept(
        None,
        client=aanvraag.client,
        by=consultant,
        results=[services.ResultInput(result=result, goal="Doel")],
        evaluation_dates=[today + timedelta(days=60)],
        aanvraag=aanvraag,
        kind="eerste",
        product=Product.objects.get(code=product_code),
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=180),
    )


def test_issuing_a_concept_that_breaks_an_ib_rule_shows_the_rule_and_changes_nothing(browser, consultant):
    _, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate())
    # Huisvesting was scored 4 (self-reliant): no IB result may be set there.
    indication = concept_for(consultant, aanvraag, domain_code="huisvesting")
    events_before = AuditEvent.objects.count()
    response = browser.post(
        f"/indicaties/{indication.uuid}/vaststellen/",
        {"decision_date": timezone.localdate().isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert "IB-resultaten alleen op domeinen met ZRM-score 2 of 3" in response.content.decode()
    indication.refresh_from_db()
    assert indication.status == Indication.Status.CONCEPT
    assert not indication.number
    assert not indication.status_changes.exists()
    assert AuditEvent.objects.exclude(action=AuditEvent.Action.READ).count() == events_before


def test_issuing_with_a_malformed_decision_date_gives_a_form_error(browser, consultant):
    _, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate())
    indication = concept_for(consultant, aanvraag, domain_code="financien")
    response = browser.post(f"/indicaties/{indication.uuid}/vaststellen/", {"decision_date": "31-31-2026"})
    assert response.status_code in (200, 302)
    indication.refresh_from_db()
    assert indication.status == Indication.Status.CONCEPT


def test_a_valid_concept_is_issued_from_the_page(browser, consultant):
    _, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=timezone.localdate())
    indication = concept_for(consultant, aanvraag, domain_code="financien")
    response = browser.post(
        f"/indicaties/{indication.uuid}/vaststellen/", {"decision_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    indication.refresh_from_db()
    assert indication.status == Indication.Status.VASTGESTELD
    assert indication.number.startswith(f"IB-{timezone.localdate().year}-")


def test_unknown_objects_are_404_not_500(browser):
    for url in (
        "/clienten/00000000-0000-0000-0000-000000000000/",
        "/onderzoeken/00000000-0000-0000-0000-000000000000/",
        "/indicaties/00000000-0000-0000-0000-000000000000/",
        "/aanvragen/00000000-0000-0000-0000-000000000000/indicatie/",
    ):
        assert browser.get(url).status_code == 404


def test_search_with_a_malformed_bsn_gives_a_form_error(browser):
    response = browser.get("/clienten/", {"bsn": "12ab"})
    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors


# ----------------------------------------------------------------------------------------------
# Constant query counts
# ----------------------------------------------------------------------------------------------


def fill_worklist(consultant, count: int, *, offset: int) -> None:
    today = timezone.localdate()
    for number in range(offset, offset + count):
        _, _, aanvraag = open_case(consultant, bsn=bsn_from(1000 + number), today=today)
        indication = concept_for(consultant, aanvraag, domain_code="financien")
        services.issue_beschikking(indication, by=consultant, today=today)
        # one more open onderzoek and one concept per client
        open_case(consultant, bsn=bsn_from(5000 + number), today=today, conclude=False)


def count_queries(django_assert_max_num_queries, browser, url: str, limit: int) -> int:
    with django_assert_max_num_queries(limit) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_worklist_runs_a_constant_number_of_queries(browser, consultant, django_assert_max_num_queries):
    fill_worklist(consultant, 1, offset=0)
    # Per list a count and a page (8 lists), the signal counts and the most urgent signals.
    small = count_queries(django_assert_max_num_queries, browser, "/werkvoorraad/", 26)
    fill_worklist(consultant, 4, offset=1)
    response = browser.get("/werkvoorraad/")
    assert len(response.context["open_onderzoeken"]) == 5
    large = count_queries(django_assert_max_num_queries, browser, "/werkvoorraad/", 26)
    assert large == small


def test_client_file_runs_a_constant_number_of_queries(browser, consultant, django_assert_max_num_queries):
    today = timezone.localdate()
    client, _, aanvraag = open_case(consultant, bsn=BSN_VALID, today=today)
    concept_for(consultant, aanvraag, domain_code="financien")
    # 25: the iWmo panel lists the client's verzoeken (WMO315/317) in a query of their own; 27: the
    # letters panel (its letters, the onderzoeken whose verslag can be sent, their content type): 28.
    # A first view fills Django's process-wide ContentType cache, so both counts below see it warm,
    # whichever tests ran before in this process.
    browser.get(f"/clienten/{client.uuid}/")
    small = count_queries(django_assert_max_num_queries, browser, f"/clienten/{client.uuid}/", 28)
    for _ in range(3):
        melding = services.register_melding(
            client=client,
            received_on=today,
            channel="balie",
            question="Nog een vraag",
            consultant=consultant,
            by=consultant,
            today=today,
        )
        services.add_conversation(
            melding.intake, by=consultant, today=today, held_on=today, place="kantoor", participants=["client"]
        )
        scores = {domain: 3 for domain in ZrmDomain.objects.all()}
        services.record_zrm_assessment(
            client=client, assessed_on=today, scores=scores, by=consultant, intake=melding.intake, today=today
        )
        aanvraag = services.register_aanvraag(  # one aanvraag leads to one indication
            client=client, received_on=today, consultant=consultant, by=consultant, today=today
        )
        concept_for(consultant, aanvraag, domain_code="financien")
    response = browser.get(f"/clienten/{client.uuid}/")
    assert len(response.context["zrm_assessments"]) == 4
    large = count_queries(django_assert_max_num_queries, browser, f"/clienten/{client.uuid}/", 28)
    assert large == small
    assert Intake.objects.filter(melding__client=client).count() == 4
