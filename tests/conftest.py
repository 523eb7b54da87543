import pytest

from accounts.roles import CONSULENT, TEAMLEIDER
from tests.factories import TODAY, staff_member


@pytest.fixture
def today():
    """The fixed 'today' of the tests; services get it injected."""
    return TODAY


@pytest.fixture
def consultant(db):
    """A consulent in the Dordrecht team (the factories' clients live in Dordrecht)."""
    return staff_member(CONSULENT, username="consulent-test", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def team_lead(db):
    return staff_member(TEAMLEIDER, username="teamleider-test", first_name="Marieke", last_name="Verbeek")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s per user; tests create many users and do not test hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_login_lockout(settings):
    """django-axes needs a request on every authenticate(); the lockout has its own tests."""
    settings.AXES_ENABLED = False
