"""Every page of the application, and every form on it in its error state, parsed: each id is
unique, each aria-describedby and label points to an element that exists, and every error in the
error summary links to its field. New pages must join the list (the last test says which are
missing), so the forms of the whole application stay checked."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, PRIVACY_FUNCTIONARIS, TEAMLEIDER
from indications import emergency_services, four_eyes, quality, services
from indications.models import DestructionProposal
from providers import services as provider_services
from providers import support_plans
from tests.factories import (
    AanvraagFactory,
    ClientFactory,
    IndicationFactory,
    IntakeFactory,
    MantelzorgerFactory,
    MeldingFactory,
    OtherProvisionFactory,
    ZrmAssessmentFactory,
    build_case_file,
    contracted_provider,
    get_municipality,
    get_product,
    issued_assignment,
    staff_member,
)
from tests.html_checks import markup_problems, parse
from tests.worklist_data import many_signals

pytestmark = pytest.mark.django_db

# Addresses that give no HTML page of their own.
NOT_PAGES = {"indications:home", "indications:client_inzage_export", "providers:support_plan_pdf", "logout"}
NOT_PAGES |= {"indications:emergency_access_end", "indications:destruction_execute"}  # POSTs that redirect
CHECKED_NAMESPACES = ("indications", "signals", "providers", "monitor", "audit")


def page_names() -> set[str]:
    """Every named address of the application's pages (not the admin, not the API)."""
    names = {"login"}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in CHECKED_NAMESPACES:
                    walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names - NOT_PAGES


@pytest.fixture
def world(db):
    """One of everything a page shows, for each role."""
    today = timezone.localdate()
    consultant = staff_member(CONSULENT, username="consulent-markup")
    team_lead = staff_member(TEAMLEIDER, username="teamleider-markup")
    case = build_case_file(consultant=consultant)
    open_intake = MeldingFactory(
        consultant=consultant, client=case.client, received_on=today - timedelta(days=5)
    ).intake
    referred = IntakeFactory(referred=True, melding__consultant=consultant, melding__client=case.client)
    mantelzorger = MantelzorgerFactory(intake=open_intake, overbelast=True)
    scored = ZrmAssessmentFactory(scores={"financien": 2}).client
    in_review = IndicationFactory(client=scored, consultant=consultant, product=get_product("IB3"))
    four_eyes.submit_for_review(in_review, by=consultant)
    question = four_eyes.ask_review_question(in_review, by=team_lead, question="Waarom IB3?")
    four_eyes.ask_review_question(in_review, by=team_lead, question="Hoe lang?")
    approved = IndicationFactory(client=scored, consultant=consultant, product=get_product("IB3"))
    four_eyes.submit_for_review(approved, by=consultant)
    four_eyes.approve_indication(approved, by=team_lead, motivation="Akkoord")
    provider = contracted_provider()
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    change = provider_services.submit_change_request(
        assignment, motivation="Meer tijd", by=None, end_date=assignment.end_date + timedelta(days=30)
    )
    plan = support_plans.submit_support_plan(
        assignment,
        pdf=b"%PDF-1.4\n%%EOF\n",
        parts=[
            support_plans.PlanPartInput(domain=item.result.domain.name, result=item.result.name, approach="Huisbezoek")
            for item in assignment.indication.results.all()
        ],
        by=None,
    )
    OtherProvisionFactory(
        client=assignment.indication.client, kind="dagbesteding", start_date=today - timedelta(days=60)
    )
    signals = many_signals(consultant, 30, client=case.client)
    # An aanvraag without an indication yet: its create page shows the indication form.
    free_aanvraag = AanvraagFactory(client=case.client, consultant=consultant, intake=case.intake)
    # An afwijzing, vastgesteld after four eyes (the beschikking page of a refusal).
    refused_case = build_case_file(consultant=consultant)
    refused = services.save_refusal_concept(
        refused_case.indication,
        aanvraag=refused_case.aanvraag,
        by=consultant,
        product=refused_case.indication.product,
        refusal_ground="algemene_voorziening",
        refusal_motivation="Het sociaal wijkteam biedt de steun.",
    )
    four_eyes.submit_for_review(refused, by=consultant)
    four_eyes.approve_indication(refused, by=team_lead)
    services.issue_beschikking(refused, by=consultant)
    sample = quality.draw_sample(
        by=team_lead, period_start=today - timedelta(days=400), period_end=today, per_consultant=1, seed="markup"
    )
    return {
        "quality_check": sample.checks.first(),
        "free_aanvraag": free_aanvraag,
        "refused": refused,
        "consultant": consultant,
        "team_lead": team_lead,
        "case": case,
        "open_intake": open_intake,
        "mantelzorger": mantelzorger,
        "referred": referred,
        "in_review": in_review,
        "question": question,
        "approved": approved,
        "provider": provider,
        "assignment": assignment,
        "change": change,
        "assignment_request": provider_services.submit_assignment_request(
            provider,
            bsn=assignment.indication.client.bsn,
            requested=provider_services.RequestedAssignment(
                reference="VOT-1", product_category="02", product_code="02A07", start_date=timezone.localdate()
            ),
            by=None,
        ),
        "plan": plan,
        "signal": signals[0],
        "contract_manager": staff_member(CONTRACTMANAGER, username="contract-markup"),
        "beheerder": staff_member(FUNCTIONEEL_BEHEERDER, username="beheer-markup"),
        "proposal": DestructionProposal.objects.create(
            client=referred.melding.client,
            closed_on=today - timedelta(days=365 * 16),
            retention_years=15,
            proposed_at=timezone.now(),
        ),
        "privacy": staff_member(PRIVACY_FUNCTIONARIS, username="privacy-markup"),
        # A break-the-glass access to a client of another team (its page for its reviewers).
        "emergency": emergency_services.grant_emergency_access(
            by=consultant,
            bsn=ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht").bsn,
            reason="Crisismelding van de politie, cliënt in nood",
        ),
    }


def requests_for(w) -> list[tuple[str, str, str, dict, bool]]:
    """(user, method, url, data, shows an error) for every page and every form's error state."""
    case, active = w["case"], w["assignment"].indication
    client, concept = case.client, case.indication
    intake = f"/onderzoeken/{w['open_intake'].uuid}/"
    mantelzorger = f"{intake}mantelzorgers/{w['mantelzorger'].uuid}/"
    return [
        (None, "post", "/inloggen/", {"username": "", "password": ""}, True),
        ("consultant", "get", "/werkvoorraad/", {}, False),
        ("consultant", "get", "/clienten/", {"bsn": "12ab"}, True),
        ("consultant", "post", "/clienten/nieuw/", {"bsn": "111222334"}, True),
        ("consultant", "post", "/clienten/noodtoegang/", {"bsn": "", "reason": ""}, True),
        ("team_lead", "get", f"/noodtoegang/{w['emergency'].uuid}/", {}, False),
        ("privacy", "get", "/audittrail/beoordeling/", {}, False),
        ("privacy", "get", "/audittrail/beoordeling/", {"since": "2026-11-10", "until": "2026-11-01"}, True),
        (
            "privacy",
            "post",
            "/audittrail/beoordeling/",
            {"kind": "noodtoegang", "key": str(w["emergency"].uuid), "note": ""},
            True,
        ),
        ("beheerder", "get", "/audittrail/export/", {}, False),
        ("beheerder", "get", "/audittrail/export/", {"since": "2026-11-10", "until": "2026-11-01"}, True),
        ("consultant", "get", f"/clienten/{client.uuid}/", {}, False),
        ("consultant", "post", f"/clienten/{client.uuid}/wijzigen/", {"bsn": ""}, True),
        ("consultant", "post", f"/clienten/{client.uuid}/melding/", {"question": ""}, True),
        ("consultant", "get", intake, {}, False),
        ("consultant", "post", intake, {"step": "gesprek"}, True),
        ("consultant", "post", intake, {"step": "zrm", "zrm-assessed_on": "gisteren"}, True),
        ("consultant", "post", intake, {"step": "conclusie"}, True),
        ("consultant", "post", intake, {"step": "mantelzorger", "mantelzorger-hours_per_week": "200"}, True),
        ("consultant", "get", mantelzorger, {}, False),
        ("consultant", "post", mantelzorger, {"step": "wijzigen", "mantelzorger-hours_per_week": "-1"}, True),
        ("consultant", "post", mantelzorger, {"step": "verwijderen"}, True),
        (
            "consultant",
            "post",
            intake,
            {"step": "voorziening", "voorziening-start_date": "2026-05-02", "voorziening-end_date": "2026-05-01"},
            True,
        ),
        ("consultant", "post", f"/onderzoeken/{w['referred'].uuid}/", {"step": "nazorg"}, True),
        ("consultant", "post", f"/onderzoeken/{case.intake.uuid}/aanvraag/", {"received_on": "2001-01-01"}, True),
        (
            "consultant",
            "post",
            f"/aanvragen/{w['free_aanvraag'].uuid}/indicatie/",
            {
                "start_date": "2026-05-02",
                "end_date": "2026-05-01",
                "resultaten-TOTAL_FORMS": "2",
                "resultaten-INITIAL_FORMS": "0",
                "resultaten-MIN_NUM_FORMS": "1",
                "resultaten-MAX_NUM_FORMS": "12",
                "resultaten-0-goal": "Doel zonder resultaat",
            },
            True,
        ),
        (
            "consultant",
            "post",
            f"/aanvragen/{w['free_aanvraag'].uuid}/indicatie/",
            {
                "delivery_form": "pgb",
                "pgb_holder": "wettelijk",
                "pgb_budget_plan_received_on": "gisteren",
                "resultaten-TOTAL_FORMS": "1",
                "resultaten-INITIAL_FORMS": "0",
                "resultaten-MIN_NUM_FORMS": "1",
                "resultaten-MAX_NUM_FORMS": "12",
            },
            True,
        ),
        ("consultant", "get", f"/indicaties/{concept.uuid}/", {}, False),
        ("consultant", "post", f"/aanvragen/{w['free_aanvraag'].uuid}/afwijzen/", {"refusal_ground": ""}, True),
        ("consultant", "post", f"/indicaties/{concept.uuid}/afwijzen/", {"refusal_motivation": " "}, True),
        ("consultant", "get", f"/indicaties/{w['refused'].uuid}/", {}, False),
        ("consultant", "post", f"/indicaties/{concept.uuid}/wijzigen/", {"end_date": "morgen"}, True),
        ("consultant", "post", f"/indicaties/{concept.uuid}/vaststellen/", {}, True),
        ("consultant", "post", f"/indicaties/{concept.uuid}/ter-beoordeling/", {}, True),
        ("consultant", "post", f"/indicaties/{concept.uuid}/intrekken/", {}, True),
        ("consultant", "post", f"/indicaties/{active.uuid}/beeindigen/", {}, True),
        ("consultant", "post", f"/indicaties/{active.uuid}/evaluatie/", {"held_on": ""}, True),
        ("consultant", "post", f"/aanbieders/beschikkingen/{active.uuid}/aanbieder/", {}, True),
        ("consultant", "post", f"/aanbieders/wijzigingsverzoeken/{w['change'].uuid}/antwoord/", {}, True),
        ("consultant", "get", f"/aanbieders/toewijzingsverzoeken/{w['assignment_request'].uuid}/", {}, False),
        ("consultant", "post", f"/aanbieders/toewijzingsverzoeken/{w['assignment_request'].uuid}/afwijzen/", {}, True),
        (
            "consultant",
            "post",
            f"/aanbieders/ondersteuningsplannen/{w['plan'].uuid}/beoordeling/",
            {"decision": "wijziging_vragen"},
            True,
        ),
        ("consultant", "post", f"/indicaties/{w['in_review'].uuid}/vraag/{w['question'].pk}/antwoord/", {}, True),
        ("consultant", "post", f"/indicaties/{w['approved'].uuid}/heropenen/", {}, True),
        ("consultant", "get", "/signalen/", {}, False),
        ("consultant", "post", "/signalen/", {"signaal": w["signal"].pk, "to_status": "opgelost"}, True),
        ("consultant", "post", f"/signalen/{w['signal'].pk}/", {"to_status": "opgelost"}, True),
        ("consultant", "get", f"/signalen/zorgstapeling/{active.client.uuid}/", {}, False),
        ("team_lead", "get", "/beoordelingen/", {"min_age_days": "abc"}, True),
        ("team_lead", "get", "/beoordelingen/cijfers/", {"period_days": "7"}, True),
        ("team_lead", "post", f"/indicaties/{w['in_review'].uuid}/beoordelen/", {}, True),
        ("team_lead", "post", f"/indicaties/{w['in_review'].uuid}/vraag/", {}, True),
        ("team_lead", "get", "/signalen/", {"alle": "1"}, False),
        ("team_lead", "get", "/signalen/zorgstapeling/", {}, False),
        ("team_lead", "get", "/kwaliteit/", {}, False),
        ("team_lead", "post", "/kwaliteit/", {"per_consultant": "0"}, True),
        ("team_lead", "get", f"/kwaliteit/controles/{w['quality_check'].uuid}/", {}, False),
        ("team_lead", "post", f"/kwaliteit/controles/{w['quality_check'].uuid}/", {"afronden": "1"}, True),
        ("team_lead", "get", "/kwaliteit/overzicht/", {}, False),
        ("contract_manager", "get", "/aanbieders/", {}, False),
        ("contract_manager", "get", "/aanbieders/sla/", {"year": "abc"}, True),
        ("contract_manager", "get", f"/aanbieders/{w['provider'].uuid}/dashboard/", {"year": "abc"}, True),
        ("contract_manager", "post", f"/aanbieders/{w['provider'].uuid}/jaargesprek/", {"year": "2026"}, True),
        ("contract_manager", "get", "/aanbieders/clienttevredenheid/import/", {}, False),
        ("contract_manager", "post", "/aanbieders/clienttevredenheid/import/", {}, True),
        ("contract_manager", "get", "/monitor/", {"year": "abc"}, True),
        ("contract_manager", "get", "/monitor/clientervaringsonderzoek/", {"year": "abc"}, True),
        ("beheerder", "get", "/clienten/", {"name": "Test"}, False),
        ("beheerder", "get", f"/clienten/{client.uuid}/inzagelog/", {}, False),
        ("beheerder", "get", "/eigen-bijdrage/cak/", {}, False),
        (
            "beheerder",
            "get",
            "/eigen-bijdrage/cak/",
            {"period_from": "2026-10-31", "period_to": "2026-10-01", "kind": "mutaties"},
            True,
        ),
        (
            "beheerder",
            "get",
            "/eigen-bijdrage/cak/",
            {"period_from": "2020-12-01", "period_to": "2026-12-31", "kind": "lopend"},
            False,
        ),
        ("beheerder", "get", "/pgb/svb/", {"year": "abc"}, True),
        ("beheerder", "get", "/pgb/svb/", {"year": "2026", "month": "11"}, False),
        ("beheerder", "get", "/bewaartermijn/", {}, False),
        ("beheerder", "get", f"/bewaartermijn/{w['proposal'].uuid}/", {}, False),
        ("beheerder", "post", f"/bewaartermijn/{w['proposal'].uuid}/", {"decision": "uitstellen"}, True),
    ]


def test_every_page_and_form_error_state_has_sound_markup(client, world):
    seen, failures = set(), []
    for who, method, url, data, shows_error in requests_for(world):
        client.logout()
        if who:
            client.force_login(world[who])
        response = getattr(client, method)(url, data)
        seen.add(response.resolver_match.view_name)
        label = f"{who} {method.upper()} {url} {data}"
        if response.status_code not in (200, 400):
            failures.append(f"{label}: status {response.status_code}")
            continue
        html = response.content.decode()
        failures += [f"{label}: {problem}" for problem in markup_problems(html)]
        if shows_error and not parse(html).summaries:
            failures.append(f"{label}: no error summary")
    assert not failures, "\n".join(failures)
    assert page_names() - seen == set(), "pages without a markup check"


def test_no_template_comment_spans_lines():
    """Django's {# ... #} ends at the line's end: a comment that goes on to the next line is shown
    on the page as text. Longer comments use {% comment %} ... {% endcomment %}."""
    spanning = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in sorted(Path(folder).rglob("*.html"))
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if text.count("{#") > text.count("#}")
    ]
    assert spanning == []
