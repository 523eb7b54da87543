"""Fuzz the API against its own OpenAPI schema (schemathesis, bounded examples): whatever a caller
sends, the answer is never a server error, an error is JSON with a code and a Dutch melding, and
every call is in the audit trail. (tests/api/test_hostile_requests.py sends what the schema does not
describe: broken JSON, other content types, control characters, odd headers.)"""

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from providers import services
from sddcase.wsgi import application
from tests.api.hostile import AuditCounter, assert_refused
from tests.factories import contracted_provider, issued_assignment

# The committed schema (tests/api/test_schema.py keeps it equal to the code's): fetching it through the
# application would be an audited API call, which needs the database, at import time.
schema = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "api" / "openapi.yaml")
schema.app = application


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app closes the database connection after each request; inside a test transaction
    that would end the test's connection (Django's test client disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def provider_key(consultant):
    provider = contracted_provider()
    issued_assignment(provider, consultant, today=timezone.localdate())
    _token, key = services.issue_api_token(provider, name="fuzz", by=None)
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, provider_key):
    counter = AuditCounter()
    response = case.call(headers={"Authorization": f"Bearer {provider_key}", "Host": "localhost"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert_refused(WsgiAnswer(response), response.status_code)
    counter.the_call()


class WsgiAnswer:
    """A schemathesis response as assert_refused reads a Django one."""

    def __init__(self, response):
        self.status_code, self.content, self.headers = response.status_code, response.content, response.headers

    def __getitem__(self, name):
        value = self.headers.get(name) or self.headers.get(name.lower())
        return value[0] if isinstance(value, list) else value
