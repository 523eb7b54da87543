"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from playwright.sync_api import sync_playwright

from tests.reference_data import seed_reference_data

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As root on a closed network chromium needs these, or its background connections hang.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """The reference data of the data migrations, for browser tests on a flushed database
    (tests/reference_data.py says why they are re-seeded)."""
    seed_reference_data()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the current page; fail on any serious or critical violation."""

    def check(page):
        results = axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"{page.title()}: " + "; ".join(blocking)

    return check


def one_time_code(username: str) -> str:
    """A fresh herstelcode (a confirmed second factor) for the user, for log_in's second step; the
    login journey itself (test_login_second_factor.py) enrols with an authenticator app."""
    user = get_user_model().objects.get(username=username)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="browser-tests", defaults={"confirmed": True})
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token


@pytest.fixture
def log_in(page):
    """Log in through the login page, with both factors (and out first, when someone is logged in)."""

    def as_user(username: str, password: str):
        logout = page.get_by_role("button", name="Uitloggen")
        if logout.count():
            logout.click()
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        code = one_time_code(username)
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        if "/inloggen/tweede-factor/" in page.url:
            page.get_by_label("Code").fill(code)
            page.get_by_role("button", name="Controleren").click()

    return as_user
