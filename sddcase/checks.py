"""System checks of a production installation (`manage.py check --deploy` runs them, and so does every
start): a secret key of its own, a cache that all processes share, valid trusted proxies."""

from django.conf import settings
from django.core import checks

from audit.network import trusted_proxy_networks

# As Django's own deployment check (security.W009) counts a strong key.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
# Caches whose counts live in one process only: the throttle budgets would be per process.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def _production() -> bool:
    return bool(getattr(settings, "PRODUCTION", False))


@checks.register(checks.Tags.security)
def check_secret_key(app_configs=None, **kwargs):
    if not _production():
        return []
    key = str(getattr(settings, "SECRET_KEY", ""))
    if key == getattr(settings, "DEFAULT_SECRET_KEY", None):
        return [
            checks.Error(
                "A production installation runs with the default SECRET_KEY.",
                hint="Set SECRET_KEY to at least 50 random characters.",
                id="sddcase.E001",
            )
        ]
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return [
            checks.Error(
                f"SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters and "
                f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones.",
                hint="For example: python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="sddcase.E002",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    """The API throttles count in the default cache; with more than one process it must be shared."""
    processes = int(getattr(settings, "SDDCASE_PROCESSES", 1))
    if not (_production() or processes > 1):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Error(
                f"The default cache ({backend.rsplit('.', 1)[-1]}) is per process, but this installation runs "
                "more than one: each process would count its own rate limits.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/2.",
                id="sddcase.E003",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs):
    try:
        trusted_proxy_networks()
    except ValueError as error:
        return [
            checks.Error(
                f"TRUSTED_PROXIES holds something that is not an address or network: {error}",
                hint="A comma-separated list such as 10.0.0.5,192.168.10.0/24.",
                id="sddcase.E004",
            )
        ]
    return []
