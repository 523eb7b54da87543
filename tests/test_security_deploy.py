"""A production installation: `manage.py check --deploy --fail-level WARNING` passes with a production
environment (CI runs the same), it refuses to start with the default SECRET_KEY, and the system checks
refuse a weak key, a per-process cache where more than one process runs and a malformed proxy list."""

import os
import secrets
import subprocess
import sys

import pytest

from sddcase import checks
from tests.test_settings_env import ROOT, loaded_settings, settings_variables

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "wmo.example.nl",
    "CACHE_URL": "redis://127.0.0.1:6379/8",
    "CSRF_TRUSTED_ORIGINS": "https://wmo.example.nl",
    "TRUSTED_PROXIES": "10.0.0.5",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
}


def manage(*args, **variables):
    names = settings_variables()
    env = {name: value for name, value in os.environ.items() if name not in names}
    env.update(variables)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests set it in this process for Playwright; check --deploy rightly refuses it (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_without_a_warning_in_production():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_check_deploy_fails_on_the_defaults():
    """The embedded default (a demo over plain http) is no deployment: the check says so."""
    done = manage("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert "security.W012" in done.stderr and "security.W004" in done.stderr  # insecure cookie, no HSTS


def test_production_refuses_to_start_with_the_default_secret_key():
    done = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": "", "SDDCASE_INSTALLATION": "production"})
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "SECRET_KEY" in done.stderr


def test_the_production_settings():
    loaded = loaded_settings(PRODUCTION_ENV)
    assert loaded["SDDCASE_INSTALLATION"] == "production" and loaded["PRODUCTION"] is True
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["CSRF_COOKIE_SECURE"] and loaded["SECURE_SSL_REDIRECT"]
    assert loaded["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["https://wmo.example.nl"]
    assert loaded["TRUSTED_PROXIES"] == ["10.0.0.5"]
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_the_defaults_are_a_demo_over_plain_http_without_a_proxy():
    loaded = loaded_settings({})
    assert loaded["SDDCASE_INSTALLATION"] == "demo" and loaded["PRODUCTION"] is False
    assert not loaded["SESSION_COOKIE_SECURE"] and not loaded["SECURE_SSL_REDIRECT"]
    assert loaded["SECURE_HSTS_SECONDS"] == 0 and loaded["TRUSTED_PROXIES"] == []
    assert loaded["SECURE_PROXY_SSL_HEADER"] is None  # Django's default: no header is believed
    # Headers that cost nothing over http are always on.
    assert loaded["X_FRAME_OPTIONS"] == "DENY" and loaded["SECURE_REFERRER_POLICY"] == "same-origin"


def test_an_installation_with_its_own_key_may_still_say_it_is_a_demo():
    loaded = loaded_settings({"SECRET_KEY": secrets.token_urlsafe(64), "SDDCASE_INSTALLATION": "demo"})
    assert loaded["SDDCASE_INSTALLATION"] == "demo" and loaded["PRODUCTION"] is False


def errors(check) -> list[str]:
    return [message.id for message in check()]


def production(settings):
    settings.PRODUCTION = True
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


def test_the_secret_key_check(settings):
    production(settings)
    assert errors(checks.check_secret_key) == []
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    assert errors(checks.check_secret_key) == ["sddcase.E001"]
    settings.SECRET_KEY = "kort-maar-geheim"
    assert errors(checks.check_secret_key) == ["sddcase.E002"]
    settings.SECRET_KEY = "a" * 80  # long, but one character
    assert errors(checks.check_secret_key) == ["sddcase.E002"]
    settings.PRODUCTION = False  # the demo may use the default key
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    assert errors(checks.check_secret_key) == []


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"]
)
def test_a_per_process_cache_is_an_error_where_more_than_one_process_runs(settings, backend):
    production(settings)
    assert errors(checks.check_shared_cache) == []
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert errors(checks.check_shared_cache) == ["sddcase.E003"]
    settings.PRODUCTION = False
    settings.SDDCASE_PROCESSES = 1
    assert errors(checks.check_shared_cache) == []  # one process (`make run`): its own cache is shared
    settings.SDDCASE_PROCESSES = 4
    assert errors(checks.check_shared_cache) == ["sddcase.E003"]


def test_a_malformed_trusted_proxy_is_an_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "192.168.10.0/24", "2001:db8::/32"]
    assert errors(checks.check_trusted_proxies) == []
    settings.TRUSTED_PROXIES = ["10.0.0.5", "nginx"]
    assert errors(checks.check_trusted_proxies) == ["sddcase.E004"]
