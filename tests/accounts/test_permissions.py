"""Every role tried on every page and action it must not reach (and on those it must)."""

from datetime import timedelta

import pytest

from accounts.roles import (
    CONSULENT,
    CONTRACTMANAGER,
    FUNCTIONEEL_BEHEERDER,
    PRIVACY_FUNCTIONARIS,
    ROLE_PERMISSIONS,
    TEAMLEIDER,
)
from indications.models import IndicationStatus
from tests.factories import (
    AanvraagFactory,
    IndicationFactory,
    IntakeFactory,
    TeamFactory,
    ZrmAssessmentFactory,
    staff_member,
)

pytestmark = pytest.mark.django_db

ROLES = [CONSULENT, TEAMLEIDER, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, PRIVACY_FUNCTIONARIS]


@pytest.fixture
def case(today):
    """A Dordrecht client with an onderzoek, an aanvraag, an active beschikking and a concept."""
    assessment = ZrmAssessmentFactory(scores={"financien": 2})
    client = assessment.client
    intake = IntakeFactory(melding__client=client, maatwerk=True)
    return {
        "client": client,
        "intake": intake,
        "aanvraag": AanvraagFactory(client=client, intake=intake),
        "active": IndicationFactory(client=client, actief=True),
        "concept": IndicationFactory(client=client, start_date=today + timedelta(days=400)),
    }


def pages(case) -> dict[str, str]:
    client, active, concept = case["client"], case["active"], case["concept"]
    return {
        "worklist": "/werkvoorraad/",
        "client_create": "/clienten/nieuw/",
        "client_file": f"/clienten/{client.uuid}/",
        "client_update": f"/clienten/{client.uuid}/wijzigen/",
        "melding_create": f"/clienten/{client.uuid}/melding/",
        "intake": f"/onderzoeken/{case['intake'].uuid}/",
        "aanvraag_create": f"/onderzoeken/{case['intake'].uuid}/aanvraag/",
        "indication_create": f"/aanvragen/{case['aanvraag'].uuid}/indicatie/",
        "indication_detail": f"/indicaties/{active.uuid}/",
        "indication_update": f"/indicaties/{concept.uuid}/wijzigen/",
        "evaluation_create": f"/indicaties/{active.uuid}/evaluatie/",
        "review_queue": "/beoordelingen/",
        "review_figures": "/beoordelingen/cijfers/",
        "client_search": f"/clienten/?bsn={client.bsn}",
        "access_log": f"/clienten/{client.uuid}/inzagelog/",
        "avg_export": f"/clienten/{client.uuid}/avg-export/",
        "providers": "/aanbieders/",
        "log_review": "/audittrail/beoordeling/",
        "audit_export": "/audittrail/export/",
    }


CASE_PAGES = {
    "worklist",
    "client_create",
    "client_file",
    "client_update",
    "melding_create",
    "intake",
    "aanvraag_create",
    "indication_create",
    "indication_detail",
    "indication_update",
    "evaluation_create",
}
REACHABLE = {
    CONSULENT: CASE_PAGES | {"client_search", "providers"},
    TEAMLEIDER: CASE_PAGES | {"client_search", "providers", "review_queue", "review_figures", "log_review"},
    CONTRACTMANAGER: {"providers"},
    FUNCTIONEEL_BEHEERDER: {"client_search", "access_log", "avg_export", "providers", "audit_export"},
    PRIVACY_FUNCTIONARIS: {"client_search", "access_log", "avg_export", "log_review", "audit_export"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages(client, case, role):
    client.force_login(staff_member(role))
    for name, url in pages(case).items():
        status = client.get(url).status_code
        expected = 200 if name in REACHABLE[role] else 403
        assert status == expected, (role, name, status)


def test_anonymous_visitors_are_sent_to_the_login_page(client, case):
    for url in pages(case).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url


ACTIONS = {
    "issue": ("concept", "vaststellen/", {"decision_date": "2026-11-20"}, "indications.issue_beschikking"),
    "end": ("active", "beeindigen/", {"ended_on": "2026-11-23", "reason": "x"}, "indications.change_indication"),
    "withdraw": ("active", "intrekken/", {"reason": "x"}, "indications.change_indication"),
    "submit": ("concept", "ter-beoordeling/", {}, "indications.change_indication"),
    "review": ("concept", "beoordelen/", {"decision": "goedkeuren"}, "indications.review_indication"),
    "question": ("concept", "vraag/", {"question": "?"}, "indications.review_indication"),
    "reopen": ("concept", "heropenen/", {"reason": "x"}, "indications.change_indication"),
}


FORBIDDEN_ACTIONS = [
    (role, action)
    for role in ROLES
    for action, (*_, permission) in ACTIONS.items()
    if permission not in ROLE_PERMISSIONS[role]
]


def test_the_matrix_covers_every_role_without_case_work():
    assert {role for role, _action in FORBIDDEN_ACTIONS} == {
        CONSULENT,
        CONTRACTMANAGER,
        FUNCTIONEEL_BEHEERDER,
        PRIVACY_FUNCTIONARIS,
    }


@pytest.mark.parametrize("role, action", FORBIDDEN_ACTIONS)
def test_actions_without_the_permission_are_forbidden_and_change_nothing(client, case, role, action):
    target, suffix, data, _permission = ACTIONS[action]
    user = staff_member(role)
    indication = case[target]
    before = indication.status
    client.force_login(user)
    assert client.post(f"/indicaties/{indication.uuid}/{suffix}", data).status_code == 403
    indication.refresh_from_db()
    assert indication.status == before
    assert not indication.status_changes.exists()


def test_a_consultant_does_not_see_clients_of_other_teams(client, case):
    other = staff_member(CONSULENT, team=TeamFactory(name="Team Oost", municipalities=["Papendrecht"]))
    client.force_login(other)
    for name in ("client_file", "intake", "indication_detail", "indication_create", "evaluation_create"):
        assert client.get(pages(case)[name]).status_code == 404, name
    response = client.get("/clienten/", {"bsn": case["client"].bsn})
    assert response.context["page"].paginator.count == 0
    posted = client.post(f"/indicaties/{case['active'].uuid}/intrekken/", {"reason": "x"})
    assert posted.status_code == 404
    case["active"].refresh_from_db()
    assert case["active"].status == IndicationStatus.ACTIEF


def test_a_consultant_registers_clients_only_in_their_own_municipalities(client):
    consultant = staff_member(CONSULENT)
    client.force_login(consultant)
    form = client.get("/clienten/nieuw/").context["form"]
    assert [m.name for m in form.fields["municipality"].queryset] == ["Dordrecht"]


def test_the_contract_manager_sees_aggregates_but_no_client_data(client, case):
    client.force_login(staff_member(CONTRACTMANAGER))
    response = client.get("/aanbieders/")
    assert response.status_code == 200
    assert case["client"].last_name not in response.content.decode()
    assert client.get("/", follow=False)["Location"] == "/aanbieders/"


def test_home_sends_each_role_to_its_start_page(client):
    starts = {CONSULENT: "/werkvoorraad/", TEAMLEIDER: "/werkvoorraad/", FUNCTIONEEL_BEHEERDER: "/clienten/"}
    for role, url in starts.items():
        client.force_login(staff_member(role))
        assert client.get("/")["Location"] == url


def test_a_user_without_a_role_reaches_nothing(client, case, django_user_model):
    client.force_login(django_user_model.objects.create_user("zonder-rol", password="Geen-rol-2026!"))
    assert client.get("/").status_code == 403
    assert client.get(pages(case)["client_file"]).status_code == 403


def test_the_beheerder_cannot_make_anyone_superuser_in_the_admin(client, django_user_model):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER, is_staff=True)
    target = staff_member(CONSULENT)
    client.force_login(beheerder)
    response = client.get(f"/beheer/auth/user/{target.pk}/change/")
    assert response.status_code == 200
    assert "is_superuser" not in response.context["adminform"].form.fields


def test_indications_cannot_be_changed_in_the_admin(admin_client, case):
    assert admin_client.get(f"/beheer/indications/indication/{case['active'].pk}/change/").status_code == 404


@pytest.mark.parametrize("role", [CONSULENT, TEAMLEIDER, FUNCTIONEEL_BEHEERDER, CONTRACTMANAGER])
def test_after_the_login_every_role_lands_on_a_page_it_may_see(client, settings, role):
    settings.SDDCASE_OTP_REQUIRED = False  # the password step alone (the demo's exemption): where it leads
    user = staff_member(role)
    user.set_password("Start-pagina-2026!")
    user.save()
    response = client.post("/inloggen/", {"username": user.username, "password": "Start-pagina-2026!"}, follow=True)
    assert response.status_code == 200, response.redirect_chain
    assert response.redirect_chain[0][0] == "/" and len(response.redirect_chain) == 2
