"""The billing tests share the iWmo tests' fixtures (the optional official XSD check, IWMO_XSD_DIR,
and deliveries in process) and a billable provider with one IB1 toewijzing (tests/billing/declaraties.py)."""

import pytest

from tests.billing.declaraties import billable_provider, ib1_assignment
from tests.iwmo.conftest import tasks_in_process, xsd_dir  # noqa: F401


@pytest.fixture
def provider():
    return billable_provider()


@pytest.fixture
def assignment(provider):
    return ib1_assignment(provider)
