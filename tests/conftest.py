"""Shared fixtures. Reference data (products, tariffs, ZRM domains, result areas, municipalities,
roles) comes from the data migrations, so it is in the test database; fixtures look it up.

Note: pytest-django's `client` is Django's test client; a domain client is `ib_client` here."""

import os
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test import TransactionTestCase
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.roles import CONSULENT, TEAMLEIDER
from indications.models import Product, ZrmDomain
from letters.models import letter_storage
from providers.models import SupportPlan
from sddcase.celery import app as celery_app
from tests.audit_trail import triggers_suspended
from tests.factories import (
    TODAY,
    UserFactory,
    ZrmAssessmentFactory,
    build_case_file,
    contracted_provider,
    get_municipality,
    staff_member,
)
from tests.reference_data import seed_reference_data

# -- settings for speed and isolation ------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def private_media_in_tmp(tmp_path_factory):
    """Files in the private storages (ondersteuningsplannen, letters) go to a directory of the test run."""
    storage = SupportPlan._meta.get_field("pdf").storage
    location = str(tmp_path_factory.mktemp("private_media"))
    storage.__dict__.update(base_location=location, location=location)
    letters = letter_storage()  # the letters' PDFs (letters app), in the same directory
    letters.__dict__.update(base_location=f"{location}/letters", location=f"{location}/letters")
    return location


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s per user; tests create many users and do not test hash strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_login_lockout(settings):
    """django-axes needs a request on every authenticate(); the lockout has its own tests."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def iwmo_outbox_in_a_temporary_folder(settings, tmp_path):
    """Delivered iWmo messages land in the test's own folder, never in the project's var/."""
    settings.IWMO = {**settings.IWMO, "EXPORT_DIR": str(tmp_path / "iwmo-uit"), "OUTBOX_URL": ""}


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_audit_trail():
    """A transactional test ends with Django's flush, which the audit trail's append-only triggers
    refuse (as they should anywhere else): lift them for that flush of the test database only."""
    original = TransactionTestCase._fixture_teardown

    def fixture_teardown(self):
        with triggers_suspended():
            original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
        yield


# -- login: password and second factor -----------------------------------------------------------


@pytest.fixture(autouse=True)
def logins_pass_the_second_factor(request, monkeypatch):
    """Every login of a test client (`client.login`, `client.force_login`) passes the second factor
    too, as a user who enrolled and typed a code would: the user gets a confirmed device and the
    session is marked verified by it (what django_otp.login stores). A test that needs a session with
    the password alone asks for the `password_only` fixture (tests/accounts prove that such a session
    is sent to the second factor)."""
    if "password_only" in request.fixturenames:
        return
    original = ClientMixin._login

    def login_with_second_factor(self, user, backend=None):
        original(self, user, backend)
        device, _created = StaticDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_factor)


@pytest.fixture
def password_only():
    """Test clients log in with the password alone (see logins_pass_the_second_factor)."""


# -- time ----------------------------------------------------------------------------------------


@pytest.fixture
def today():
    """The fixed 'today' of the tests; services get it injected (today=...)."""
    return TODAY


# -- people --------------------------------------------------------------------------------------


@pytest.fixture
def user(db):
    """A staff user without any role: logs in, but may do nothing (for permission tests)."""
    return UserFactory(username="medewerker-zonder-rol", first_name="Sam", last_name="de Vries")


@pytest.fixture
def consultant(db):
    """A consulent in the Dordrecht team (the factories' clients live in Dordrecht)."""
    return staff_member(CONSULENT, username="consulent-test", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def team_lead(db):
    """A teamleider in the Dordrecht team: may review (four eyes) indications of others."""
    return staff_member(TEAMLEIDER, username="teamleider-test", first_name="Marieke", last_name="Verbeek")


# -- reference data ------------------------------------------------------------------------------


@pytest.fixture
def products(db) -> dict[str, Product]:
    """The seeded IB products by code: IB0 .. IB3."""
    return {product.code: product for product in Product.objects.all()}


@pytest.fixture
def zrm_domains(db) -> dict[str, ZrmDomain]:
    """The seeded ZRM domains by code (financien, dagbesteding, ...)."""
    return {domain.code: domain for domain in ZrmDomain.objects.all()}


@pytest.fixture
def dordrecht(db):
    return get_municipality("Dordrecht")


@pytest.fixture
def provider(db):
    """A provider with a contract for every IB product since 2016."""
    return contracted_provider(name="Stichting Thuisbegeleiding Drechtsteden")


# -- the case ------------------------------------------------------------------------------------


@pytest.fixture
def ib_client(db):
    """A client whose latest ZRM scores financiën 2 and sociaal netwerk 3 (every other domain 4):
    IB results on financiën and sociaal netwerk pass the ZRM rules."""
    return ZrmAssessmentFactory(scores={"financien": 2, "sociaal-netwerk": 3}).client


@pytest.fixture
def case_file(consultant):
    """A client's file up to a valid concept indication of the consultant (see build_case_file)."""
    return build_case_file(consultant=consultant)


# -- data built once per module ------------------------------------------------------------------


def built_once_per_module(django_db_blocker, build):
    """For a module-scoped fixture (`yield from`): what `build()` makes, inside a transaction that is
    rolled back after the module's last test; each test runs in a savepoint within it, so a test may
    change the database but not the built objects in memory. Refuses any database but the test one
    (pytest-django only sets that up for a session with django_db tests): the module fixture that calls
    it asks for `django_db_setup`, so the test database exists even when the module runs alone."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        if not ("memory" in name or Path(name).name.startswith("test_")):
            pytest.fail(f"Built on the test database only, not on {name}: ask for django_db_setup.")
        block = transaction.atomic()
        block.__enter__()
    try:
        with django_db_blocker.unblock():
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


# -- Celery --------------------------------------------------------------------------------------


@pytest.fixture
def eager():
    """Tasks run in-process, as in the embedded default (no broker); also when a test run has one."""
    keys = ("task_always_eager", "task_eager_propagates")
    before = {key: celery_app.conf.get(key) for key in keys}
    celery_app.conf.update(dict.fromkeys(keys, True))
    yield
    celery_app.conf.update(before)


# -- the read replica (docs/operations.md) -------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line("markers", "standby: needs a real hot standby as DATABASE_REPLICA_URL (.ci/run)")


def pytest_collection_modifyitems(config, items):
    """The tests that need a real hot standby (a write there must fail) run only where .ci/run
    started one and says so with DATABASE_REPLICA_IS_STANDBY=1; elsewhere they are deselected."""
    if os.environ.get("DATABASE_REPLICA_IS_STANDBY") == "1":
        return
    kept = [item for item in items if "standby" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if "standby" in item.keywords])
        items[:] = kept


class Replica:
    """The `replica` alias of a test: a real standby (DATABASE_REPLICA_URL) or a second connection
    to the test database. `catch_up()` waits until the standby replayed what the primary committed."""

    def __init__(self, connection, *, standby: bool):
        self.connection, self.standby = connection, standby

    def catch_up(self, attempts: int = 200):
        if not self.standby:
            return
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (target,) = cursor.fetchone()
        with self.connection.cursor() as cursor:
            for _ in range(attempts):
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
                time.sleep(0.05)
        raise AssertionError(f"the standby did not replay up to {target}")


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """The `replica` database alias for a module's tests (`pytest.mark.usefixtures("replica_alias")`,
    and `databases=["default", "replica"]` on their django_db mark: module scope, so the alias exists
    before the test's database access is set up). With DATABASE_REPLICA_URL it is that one (in .ci/run
    a hot standby of the test database); without, the fixture adds one: a second connection to the
    test database (a test mirror), which sees what a transactional test commits."""
    added = "replica" not in connections.settings
    if added:
        connections.settings["replica"] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    yield
    if added:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def replica(replica_alias, transactional_db):
    """The replica of a transactional test, with the reference data seeded again (transactional
    tests end with a flush)."""
    seed_reference_data()
    return Replica(connections["replica"], standby=os.environ.get("DATABASE_REPLICA_IS_STANDBY") == "1")
