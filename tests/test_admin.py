"""The admin (/beheer/) is part of the application: the application's login and 403, Dutch texts
throughout (its own, Django's new ones and django-axes'), a Dutch empty choice in every select."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from tests.factories import UserFactory, staff_member

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"Django|Access attempt|Access log|Access failure|Axes|Model name|Add link|Change or view|Can (add|change|"
    r"delete|view) |\b(Name|Number|Provider|Domain|Result|Order|Action|Object type|Username|IP Address)\b"
)


def _text(response) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("role", [CONSULENT, CONTRACTMANAGER])
def test_a_user_without_admin_rights_gets_the_applications_403(client, role):
    client.force_login(staff_member(role))
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert client.get("/beheer/indications/product/", follow=True).status_code == 403


def test_anonymous_visitors_go_to_the_applications_login(client):
    response = client.get("/beheer/indications/product/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/inloggen/?next=/beheer/indications/product/")
    assert client.get("/beheer/login/")["Location"].startswith("/inloggen/")


def test_a_beheerder_logged_in_on_the_admins_login_url_goes_on(client):
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER, is_staff=True))
    assert client.get("/beheer/login/", {"next": "/beheer/auth/user/"})["Location"] == "/beheer/auth/user/"
    assert client.get("/beheer/login/", {"next": "https://elders.example/"})["Location"] == "/beheer/"


def test_the_admin_speaks_dutch_on_every_page_a_superuser_sees(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    index = client.get("/beheer/")
    assert "sddcase – beheer" in _text(index) and "Inlogbeveiliging" in _text(index)
    pages = ["/beheer/"]
    for model in admin.site._registry:
        base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base, f"{base}add/"]
    group_permissions = staff_member(FUNCTIONEEL_BEHEERDER).groups.get()
    pages.append(f"/beheer/auth/group/{group_permissions.pk}/change/")
    for page in pages:
        response = client.get(page)
        if response.status_code == 403:  # add forms of read-only models
            continue
        assert response.status_code == 200, page
        text = _text(response)
        assert not ENGLISH.search(text), (page, ENGLISH.search(text).group(0))
        assert "---------" not in text, page


def test_selects_in_admin_forms_start_with_a_dutch_empty_choice(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert (
        '<option value="" selected>Kies een aanbieder</option>'
        in client.get("/beheer/providers/apitoken/add/").content.decode()
    )


def test_default_permissions_have_dutch_names():
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="add_client").name == "Kan cliënt toevoegen"


def test_the_beheerder_unlocks_accounts_but_cannot_change_a_superuser(client):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER, is_staff=True)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    assert client.get("/beheer/axes/accessattempt/").status_code == 200
    assert beheerder.has_perm("axes.delete_accessattempt")
    page = client.get(f"/beheer/auth/user/{superuser.pk}/change/")
    assert page.status_code == 200 and "adminform" in page.context  # to look at ...
    assert not page.context["has_change_permission"]
    assert (
        client.post(
            f"/beheer/auth/user/{superuser.pk}/password/",
            {"password1": "Overgenomen-2026!", "password2": "Overgenomen-2026!"},
        ).status_code
        == 403
    )
    superuser.refresh_from_db()
    assert not superuser.check_password("Overgenomen-2026!")
