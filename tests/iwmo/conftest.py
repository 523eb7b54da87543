"""The iWmo tests: XSD validation only when IWMO_XSD_DIR names the official XSD set (the project
does not ship third-party schemas); without it the project's own parser and checks still run. The
killed-worker test only on PostgreSQL with a broker."""

import os

import pytest
from django.conf import settings

# These start real Celery workers on the test database: PostgreSQL and a broker (Redis) only.
NEEDS_POSTGRES_AND_BROKER = {"test_killed_worker.py"}


def pytest_ignore_collect(collection_path, config):
    if collection_path.name not in NEEDS_POSTGRES_AND_BROKER:
        return None
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    return True if not (on_postgres and settings.CELERY_BROKER_URL) else None


@pytest.fixture
def xsd_dir(settings):
    """The official XSD folder from the environment (IWMO_XSD_DIR), or "": the tests that take this
    fixture also validate against the XSD when it is set, and assert the same data either way."""
    directory = os.environ.get("IWMO_XSD_DIR", "").strip()
    settings.IWMO = {**settings.IWMO, "XSD_DIR": directory}
    return directory


@pytest.fixture(autouse=True)
def tasks_in_process(eager):
    """Delivery runs in-process in these tests, also when the test run has a broker (CI on Redis)."""
    yield
