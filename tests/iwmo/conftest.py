"""The iWmo tests: XSD validation only when IWMO_XSD_DIR names the official XSD set (the project
does not ship third-party schemas); without it the project's own parser and checks still run."""

import os

import pytest


@pytest.fixture
def xsd_dir(settings):
    """The official XSD folder from the environment, or skip what needs it... never: the tests that
    take this fixture validate only when it is set, and assert the round trip either way."""
    directory = os.environ.get("IWMO_XSD_DIR", "").strip()
    settings.IWMO = {**settings.IWMO, "XSD_DIR": directory}
    return directory
