"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

import importlib
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

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
    """The reference data of the data migrations, for browser tests on a flushed database.

    Browser tests are transactional: each ends with a flush. Django's serialized rollback did not
    restore the data once a non-browser test had opened the connection first (the serialized
    contents live on a connection object that the browser tests did not see again), so the seeds
    are re-run instead; they are idempotent."""
    from django.apps import apps

    from accounts.roles import sync_roles
    from indications.models import Municipality

    if not Municipality.objects.exists():
        for module, function in (
            ("0002_reference_data", "load"),
            ("0005_complexity_rules", "seed"),
            ("0010_ib4_product_age_limit_melding_channels", "add_ib4"),
            ("0012_quality_checklist", "add_questions"),
            ("0015_eigen_bijdrage", "add_rules"),
            ("0016_mantelzorgers", "flag_overload_sub_result"),
            ("0017_municipality_membership", "set_membership"),
            ("0018_decision_outcome_afwijzing", "seed_rules"),
            ("0019_pgb_delivery_form_budget_tariffs", "add_default_pgb_tariffs"),
        ):
            getattr(importlib.import_module(f"indications.migrations.{module}"), function)(apps, None)
    sync_roles()


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
