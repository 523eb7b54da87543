"""Two-factor login: nobody opens a client file with a password alone. Enrolment at the first login
(authenticator app and herstelcodes), the second step at every login, django-axes' lockout for wrong
codes, and the functioneel beheerder's audited reset."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.test import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.checks import second_factor_exempt_only_on_the_embedded_default
from accounts.roles import CONSULENT, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from tests.factories import UserFactory, ZrmAssessmentFactory, staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "Juist-wachtwoord-2026"


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods of 30 s later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def enrolled(user) -> TOTPDevice:
    device = services.start_enrolment(user)
    services.confirm_enrolment(device, token=current_code(device))
    device.refresh_from_db()
    return device


def password_login(client, username: str, **extra):
    return client.post("/inloggen/", {"username": username, "password": PASSWORD}, **extra)


@pytest.fixture
def consultant_file(password_only):
    consultant = staff_member(CONSULENT, username="tweestaps", password=PASSWORD)
    return consultant, ZrmAssessmentFactory().client


# -- a password alone opens nothing -------------------------------------------------------------


def test_a_password_alone_does_not_open_a_client_file(client, consultant_file):
    consultant, ib_client = consultant_file
    enrolled(consultant)
    assert password_login(client, "tweestaps").status_code == 302
    response = client.get(f"/clienten/{ib_client.uuid}/")
    assert response.status_code == 302
    assert response.url == f"/inloggen/tweede-factor/?next=/clienten/{ib_client.uuid}/"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ, client_id=ib_client.pk).exists()


def test_the_first_login_goes_to_the_enrolment(client, consultant_file):
    password_login(client, "tweestaps")
    response = client.get("/werkvoorraad/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/inloggen/tweede-factor/instellen/?next=")
    page = response.content.decode()
    assert "Tweede factor instellen" in page and "<svg" in page
    device = TOTPDevice.objects.get(user__username="tweestaps", confirmed=False)
    secret = response.context["secret"]
    assert len(secret.split(" ")[0]) == 4 and secret.replace(" ", "") in device.config_url
    assert "Werkvoorraad" not in page  # no menu before the second factor


def test_the_admin_needs_the_second_factor_too(client, password_only):
    UserFactory(username="beheer", password=PASSWORD, is_staff=True, is_superuser=True)
    password_login(client, "beheer")
    response = client.get("/beheer/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/tweede-factor/")
    assert client.get("/beheer/auth/user/").url.startswith("/inloggen/tweede-factor/")


def test_a_session_api_call_needs_the_second_factor(client, consultant_file):
    password_login(client, "tweestaps")
    response = client.get("/api/v1/producten/")
    assert response.status_code == 403
    assert response.json()["code"] == "tweede_factor_vereist"


def test_a_verified_session_reaches_the_pages_and_the_api(client, consultant):
    client.force_login(consultant)  # tests/conftest.py passes the second factor as well
    assert client.get("/werkvoorraad/").status_code == 200
    assert client.get("/api/v1/producten/").status_code == 200


def test_logout_needs_no_second_factor(client, consultant_file):
    password_login(client, "tweestaps")
    assert client.post("/uitloggen/").status_code == 302
    assert SESSION_KEY not in client.session


@override_settings(SDDCASE_OTP_REQUIRED=False)
def test_the_demo_exemption_lets_a_password_in(client, consultant_file):
    password_login(client, "tweestaps")
    assert client.get("/werkvoorraad/").status_code == 200


# -- enrolment ---------------------------------------------------------------------------------


def test_enrolment_confirms_the_app_and_shows_ten_backup_codes_once(client, consultant_file):
    consultant, ib_client = consultant_file
    password_login(client, "tweestaps")
    client.get("/inloggen/tweede-factor/instellen/")
    device = TOTPDevice.objects.get(user=consultant)
    wrong = client.post("/inloggen/tweede-factor/instellen/", {"code": "000000"})
    assert "De code klopt niet" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    target = f"/clienten/{ib_client.uuid}/"
    response = client.post("/inloggen/tweede-factor/instellen/", {"code": current_code(device), "next": target})
    assert response.status_code == 302 and response.url.startswith("/inloggen/tweede-factor/herstelcodes/")
    shown = client.get(response.url)
    codes = shown.context["codes"]
    assert len(codes) == services.BACKUP_CODE_COUNT == 10 and len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert set(StaticToken.objects.filter(device__user=consultant).values_list("token", flat=True)) == set(codes)
    again = client.get(response.url)
    assert again.context["codes"] is None and codes[0] not in again.content.decode()
    assert client.get(target).status_code == 200  # the session passed the second factor
    event = AuditEvent.objects.get(object_type="auth.user", object_id=str(consultant.pk), action="create")
    assert event.actor == consultant and "Tweede factor ingesteld" in event.summary


def test_a_reload_of_the_enrolment_keeps_the_secret(client, consultant_file):
    password_login(client, "tweestaps")
    first = client.get("/inloggen/tweede-factor/instellen/").context["secret"]
    assert client.get("/inloggen/tweede-factor/instellen/").context["secret"] == first
    assert TOTPDevice.objects.filter(user__username="tweestaps").count() == 1


def test_an_enrolled_user_is_not_offered_a_new_enrolment(client, consultant_file):
    consultant, _ib_client = consultant_file
    enrolled(consultant)
    password_login(client, "tweestaps")
    response = client.get("/inloggen/tweede-factor/instellen/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/tweede-factor/?")


# -- the second step at every login ------------------------------------------------------------


def test_the_second_step_with_the_app_code(client, consultant_file):
    consultant, ib_client = consultant_file
    device = enrolled(consultant)
    password_login(client, "tweestaps")
    target = f"/clienten/{ib_client.uuid}/"
    response = client.post("/inloggen/tweede-factor/", {"code": current_code(device, steps_ahead=1), "next": target})
    assert response.status_code == 302 and response.url == target
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(target).status_code == 200
    event = AuditEvent.objects.filter(object_id=str(consultant.pk), action="transition").get()
    assert event.summary == "Ingelogd met de tweede factor (authenticator-app)"


def test_a_backup_code_works_once(client, consultant_file):
    consultant, _ib_client = consultant_file
    enrolled(consultant)
    code = StaticToken.objects.filter(device__user=consultant).first().token
    password_login(client, "tweestaps")
    assert client.post("/inloggen/tweede-factor/", {"code": f" {code.upper()} "}).status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()
    assert StaticToken.objects.filter(device__user=consultant).count() == 9

    client.post("/uitloggen/")
    StaticDevice.objects.filter(user=consultant).update(throttling_failure_count=0)
    password_login(client, "tweestaps")
    refused = client.post("/inloggen/tweede-factor/", {"code": code})
    assert refused.status_code == 200 and "De code klopt niet" in refused.content.decode()


def test_a_wrong_code_is_refused_in_dutch_and_recorded(client, consultant_file):
    consultant, _ib_client = consultant_file
    device = enrolled(consultant)
    password_login(client, "tweestaps")
    response = client.post("/inloggen/tweede-factor/", {"code": "12345x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Inloggen is niet gelukt:" in page and "De code klopt niet. Controleer de code en probeer het opnieuw." in page
    )
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(object_id=str(consultant.pk), action="rejected").count() == 1
    # django-otp's throttling: right after a wrong code even the right one waits.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    throttled = client.post("/inloggen/tweede-factor/", {"code": current_code(device, steps_ahead=1)})
    assert "Te veel onjuiste codes achter elkaar" in throttled.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_codes_count_for_the_lockout(client, consultant_file, settings):
    settings.AXES_ENABLED = True
    consultant, _ib_client = consultant_file
    device = enrolled(consultant)
    password_login(client, "tweestaps", REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post("/inloggen/tweede-factor/", {"code": "000000"}, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 200
    last_try = client.post("/inloggen/tweede-factor/", {"code": "000000"}, REMOTE_ADDR="10.9.9.9")
    assert last_try.status_code == 429
    assert "Te veel mislukte inlogpogingen" in last_try.content.decode()
    assert SESSION_KEY not in client.session  # logged out
    locked = password_login(client, "tweestaps", REMOTE_ADDR="10.9.9.9")
    assert locked.status_code == 429


# -- the reset by a functioneel beheerder ------------------------------------------------------


@pytest.fixture
def beheerder(db):
    return staff_member(FUNCTIONEEL_BEHEERDER, username="fb-test", password=PASSWORD)


@pytest.fixture
def colleague(db):
    """A consulent (whose test client logins pass the second factor, unlike consultant_file's)."""
    return staff_member(CONSULENT, username="tweestaps", password=PASSWORD)


def test_the_reset_deletes_the_devices_and_records_the_reason(client, beheerder, colleague):
    consultant = colleague
    enrolled(consultant)
    client.force_login(beheerder)
    overview = client.get("/medewerkers/tweede-factor/")
    assert overview.status_code == 200 and "tweestaps" in overview.content.decode()
    url = f"/medewerkers/{consultant.pk}/tweede-factor-herstellen/"
    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 200 and "Dit veld is verplicht." in missing.content.decode()
    assert TOTPDevice.objects.filter(user=consultant).exists()

    response = client.post(url, {"reason": "Telefoon kwijt, melding 2026-0142"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=consultant).exists()
    assert not StaticDevice.objects.filter(user=consultant).exists()
    event = AuditEvent.objects.get(action="delete", object_id=str(consultant.pk))
    assert event.actor == beheerder and event.changes["reason"] == "Telefoon kwijt, melding 2026-0142"
    assert event.summary == "Tweede factor hersteld: Telefoon kwijt, melding 2026-0142"


def test_after_a_reset_the_user_enrols_again(client, beheerder, consultant_file):
    consultant, _ib_client = consultant_file
    enrolled(consultant)
    services.reset_second_factor(consultant, by=beheerder, reason="Nieuwe telefoon")
    password_login(client, "tweestaps")
    assert client.get("/inloggen/tweede-factor/").url.startswith("/inloggen/tweede-factor/instellen/")


def test_a_reset_needs_a_reason_and_the_role(beheerder, colleague):
    consultant = colleague
    enrolled(consultant)
    with pytest.raises(services.ValidationError) as refused:
        services.reset_second_factor(consultant, by=beheerder, reason=" ")
    assert refused.value.message_dict["reason"] == ["Geef de reden van het herstel."]
    with pytest.raises(services.PermissionDenied):
        services.reset_second_factor(consultant, by=staff_member(CONSULENT, username="collega"), reason="Kwijt")
    superuser = UserFactory(username="super", is_staff=True, is_superuser=True)
    with pytest.raises(services.ValidationError):
        services.reset_second_factor(superuser, by=beheerder, reason="Kwijt")
    assert TOTPDevice.objects.filter(user=consultant, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_only_the_functioneel_beheerder_sees_the_reset_pages(client, colleague):
    consultant = colleague
    client.force_login(consultant)
    assert client.get("/medewerkers/tweede-factor/").status_code == 403
    assert client.post(f"/medewerkers/{consultant.pk}/tweede-factor-herstellen/", {"reason": "x"}).status_code == 403


# -- the switch and its system checks -----------------------------------------------------------


def check_ids() -> set[str]:
    return {message.id for message in run_checks(tags=["security"], include_deployment_checks=True)}


def test_the_second_factor_is_required_by_default(settings):
    assert settings.SDDCASE_OTP_REQUIRED is True
    assert not {"accounts.E001", "accounts.E002"} & check_ids()


def test_the_exemption_is_refused_in_production(settings, monkeypatch):
    settings.SDDCASE_OTP_REQUIRED = False
    assert "accounts.E002" in check_ids()  # check --deploy
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    assert not second_factor_exempt_only_on_the_embedded_default(None)  # the demo of `make run`
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    assert [error.id for error in second_factor_exempt_only_on_the_embedded_default(None)] == ["accounts.E001"]
