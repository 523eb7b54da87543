"""The incident tests: a provider with an issued toewijzing of the consultant's client."""

import pytest
from django.utils import timezone

from tests.factories import contracted_provider, issued_assignment


@pytest.fixture
def reporting_provider(db):
    return contracted_provider(name="Stichting Calamiteit Test")


@pytest.fixture
def assignment(reporting_provider, consultant):
    """A toewijzing issued today (the real date: the API and the pages read the clock)."""
    return issued_assignment(reporting_provider, consultant, today=timezone.localdate())
