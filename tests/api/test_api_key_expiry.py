"""API keys expire: a lifetime (API_KEY_LIFETIME_DAYS, one year by default), a last-used time, a warning
on the admin page API_KEY_EXPIRY_WARNING_DAYS (30) before, and 401 `key_expired` after."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from providers import services
from providers.models import ApiToken
from tests.api.hostile import AuditCounter, assert_refused
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder Sleutel")


def client_with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_new_key_lasts_the_configured_lifetime(provider, settings):
    token, _key = services.issue_api_token(provider, name="standaard", by=None)
    assert timedelta(days=364) < token.expires_at - timezone.now() <= timedelta(days=365)
    settings.API_KEYS = {**settings.API_KEYS, "LIFETIME_DAYS": 30}
    token, _key = services.issue_api_token(provider, name="kort", by=None)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_key_cannot_be_issued_already_expired(provider):
    with pytest.raises(ValidationError) as refused:
        services.issue_api_token(provider, name="oud", by=None, expires_at=timezone.now() - timedelta(days=1))
    assert "expiry_in_past" in str(refused.value.error_dict["expires_at"][0].code)
    assert not ApiToken.objects.exists()


def test_an_expired_key_is_refused_with_key_expired(provider, consultant):
    issued_assignment(provider, consultant, today=timezone.localdate())
    token, key = services.issue_api_token(provider, name="verloopt", by=None)
    api = client_with(key)
    assert api.get("/api/v1/toewijzingen/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    counter = AuditCounter()
    body = assert_refused(api.get("/api/v1/toewijzingen/"), 401, "key_expired")
    assert "verlopen op" in body["melding"]
    call = counter.the_call()
    assert call.action == AuditEvent.Action.REJECTED
    assert call.actor_label == f"aanbieder {provider.agb_code} (sleutel {token.prefix}), verlopen"


def test_a_revoked_key_is_recorded_as_such(provider):
    token, key = services.issue_api_token(provider, name="weg", by=None)
    services.revoke_api_token(token, by=None)
    counter = AuditCounter()
    assert_refused(client_with(key).get("/api/v1/toewijzingen/"), 401, "authentication_failed")
    assert counter.the_call().actor_label.endswith(", ingetrokken")


def test_use_is_recorded_as_the_last_used_time(provider):
    token, key = services.issue_api_token(provider, name="gebruikt", by=None)
    assert token.last_used_at is None
    client_with(key).get("/api/v1/toewijzingen/")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_the_admin_warns_about_keys_that_expire_within_30_days(admin_client, provider):
    soon, _ = services.issue_api_token(
        provider, name="bijna op", by=None, expires_at=timezone.now() + timedelta(days=12)
    )
    later, _ = services.issue_api_token(
        provider, name="nog lang", by=None, expires_at=timezone.now() + timedelta(days=60)
    )
    expired, _ = services.issue_api_token(provider, name="al op", by=None)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = admin_client.get("/beheer/providers/apitoken/")
    warnings = [str(message) for message in page.context["messages"]]
    assert len(warnings) == 1 and soon.prefix in warnings[0] and "bijna op" in warnings[0]
    html = page.content.decode()
    assert "verloopt over 11 dagen" in html or "verloopt over 12 dagen" in html
    assert "verlopen" in html and "geldig" in html


def test_the_admin_issues_a_key_with_the_chosen_expiry(admin_client, provider):
    expiry = timezone.localtime() + timedelta(days=90)
    response = admin_client.post(
        "/beheer/providers/apitoken/add/",
        {
            "provider": provider.pk,
            "name": "via beheer",
            "expires_at_0": expiry.strftime("%d-%m-%Y"),
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = ApiToken.objects.get(name="via beheer")
    assert timezone.localtime(token.expires_at).date() == expiry.date()


def test_the_admin_refuses_an_expiry_in_the_past(admin_client, provider):
    response = admin_client.post(
        "/beheer/providers/apitoken/add/",
        {
            "provider": provider.pk,
            "name": "te laat",
            "expires_at_0": "01-01-2020",
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200 and "moet na vandaag verlopen" in response.content.decode()
    assert not ApiToken.objects.exists()
