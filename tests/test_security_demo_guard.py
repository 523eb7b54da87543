"""The demo cannot reach production: load_demo and demo_logins refuse, in Dutch, on an installation that
is not marked as a demo or test installation; and the admin says that the roles' permissions are owned
by code instead of silently undoing an administrator's edit at the next migrate."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from accounts.roles import CONSULENT, ROLE_PERMISSIONS, sync_roles
from indications.models import Client
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("command", "options"),
    [("load_demo", {"clients": 5}), ("load_demo", {"clients": 5, "reset": True}), ("demo_logins", {})],
)
def test_the_demo_refuses_on_a_production_installation(settings, command, options):
    settings.SDDCASE_INSTALLATION = "production"
    kept = ClientFactory()
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="Geweigerd: dit is een production-installatie"):
        call_command(command, verbosity=0, **options)
    assert list(Client.objects.all()) == [kept]  # --reset deleted nothing
    assert get_user_model().objects.count() == users  # no known logins were created


@pytest.mark.parametrize("installation", ["demo", "test"])
def test_the_demo_logins_are_shown_on_a_demo_or_test_installation(settings, installation, capsys):
    settings.SDDCASE_INSTALLATION = installation
    call_command("demo_logins")
    assert "Demo-inloggegevens" in capsys.readouterr().out


def test_the_installation_of_the_tests_may_load_the_demo(settings):
    assert settings.SDDCASE_INSTALLATION in ("demo", "test")


def test_a_roles_change_page_says_its_permissions_are_owned_by_code(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    role = Group.objects.get(name=CONSULENT)
    page = client.get(f"/beheer/auth/group/{role.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "staan in de code (accounts/roles.py)" in html and "ongedaan" in html
    assert 'name="permissions"' not in html and 'name="name"' not in html  # read-only
    before = set(role.permissions.values_list("pk", flat=True))
    other = Permission.objects.exclude(pk__in=before).first()
    client.post(f"/beheer/auth/group/{role.pk}/change/", {"name": "gewijzigd", "permissions": [other.pk]})
    role.refresh_from_db()
    assert role.name == CONSULENT and set(role.permissions.values_list("pk", flat=True)) == before


def test_a_group_that_is_no_role_stays_editable(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    group = Group.objects.create(name="werkgroep privacy")
    html = client.get(f"/beheer/auth/group/{group.pk}/change/").content.decode()
    assert 'name="permissions"' in html and "staan in de code" not in html
    assert group.name not in ROLE_PERMISSIONS


def test_the_code_owns_the_roles_permissions():
    """What the notice says: sync_roles (run after every migrate) sets a role's permissions again."""
    role = Group.objects.get(name=CONSULENT)
    before = set(role.permissions.all())
    role.permissions.clear()
    sync_roles()
    assert set(role.permissions.all()) == before
