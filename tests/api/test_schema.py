"""The committed OpenAPI schema (api/openapi.yaml) must match what the code generates."""

from pathlib import Path

import pytest
from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


@pytest.mark.django_db
def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == SCHEMA_FILE.read_text(), (
        "api/openapi.yaml is out of date: run `manage.py spectacular --file api/openapi.yaml`"
    )


@pytest.mark.django_db
def test_products_endpoint_lists_products_with_tariffs(django_user_model, client):
    user = django_user_model.objects.create_user("lezer", password="Lezer-2026-test")
    client.force_login(user)
    response = client.get("/api/v1/producten/")
    assert response.status_code == 200
    by_code = {item["code"]: item for item in response.json()}
    assert list(by_code) == ["IB0", "IB1", "IB2", "IB3", "IB4"]
    assert by_code["IB2"]["iwmo_code"] == "02A07"
    assert by_code["IB2"]["requires_end_date"] is True
    assert by_code["IB1"]["tariffs"][0]["amount_per_period"] == "337.66"
    assert by_code["IB0"]["allows_opslag"] is False


@pytest.mark.django_db
def test_api_refuses_anonymous_callers_without_redirecting_to_the_login_page(client):
    assert client.get("/api/v1/producten/").status_code == 401
    assert client.get("/api/v1/producten/IB1/").status_code == 401


@pytest.mark.django_db
def test_pages_redirect_anonymous_visitors_to_the_login_page(client):
    response = client.get("/werkvoorraad/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
