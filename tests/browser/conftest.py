"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
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


@pytest.fixture
def log_in(page):
    """Log in through the login page (and out first, when someone is logged in)."""

    def as_user(username: str, password: str):
        logout = page.get_by_role("button", name="Uitloggen")
        if logout.count():
            logout.click()
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()

    return as_user
