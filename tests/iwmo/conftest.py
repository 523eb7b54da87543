"""The iWmo tests: XSD validation only when IWMO_XSD_DIR names the official XSD set (the project
does not ship third-party schemas); without it the project's own parser and checks still run."""

import os

import pytest


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
