"""Fuzz the API against its own OpenAPI schema (schemathesis, bounded examples): whatever a caller
sends, the answer is never a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from providers import services
from sddcase.wsgi import application
from tests.factories import contracted_provider, issued_assignment

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


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
    issued_assignment(provider, consultant)
    _token, key = services.issue_api_token(provider, name="fuzz", by=None)
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, provider_key):
    response = case.call(headers={"Authorization": f"Bearer {provider_key}", "Host": "localhost"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
