"""Provider API clients authenticate with an API key per organisation (only its hash is stored).
A key works until it is revoked or expires (401 `key_expired`)."""

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from providers.models import ApiToken, Provider
from providers.services import hash_key

KEYWORD = "Bearer"
# What issue_api_token hands out: "sdd_" and URL-safe base64. Anything else cannot be a key, so it is
# refused without a query (and odd bytes in the header never reach the database).
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,100}")


@dataclass(eq=False)
class ProviderClient:
    """The authenticated caller: a provider organisation, through one of its API keys."""

    provider: Provider
    token: ApiToken
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    @property
    def pk(self):
        return None

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self):
        return f"aanbieder {self.provider.agb_code} (sleutel {self.token.prefix})"


def bearer_key(request) -> str | None:
    """The key in `Authorization: Bearer <key>`; None without a Bearer header; raises
    AuthenticationFailed for a Bearer header that does not hold exactly one well-formed key."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if not parts or parts[0] != KEYWORD:
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(_("Geef precies één API-sleutel na 'Bearer'."))
    if not _KEY_SHAPE.fullmatch(parts[1]):
        raise exceptions.AuthenticationFailed(_("Onbekende of ingetrokken API-sleutel."))
    return parts[1]


def token_for(key: str) -> ApiToken | None:
    """The token of a key, whatever its state (revoked, expired), with its provider."""
    return ApiToken.objects.select_related("provider").filter(key_hash=hash_key(key)).first()


def caller_label(request) -> str:
    """Who sent a request that never reached authentication (refused before the view), for the audit
    trail: the key's provider and prefix when the key is known, else what was presented."""
    if "HTTP_AUTHORIZATION" not in request.META:
        return "zonder API-sleutel"
    try:
        key = bearer_key(request)
    except exceptions.AuthenticationFailed:
        key = None
    token = token_for(key) if key else None
    if token is None:
        return "onbekende API-sleutel"
    label = str(ProviderClient(provider=token.provider, token=token))
    if token.revoked_at is not None:
        return f"{label}, ingetrokken"
    return f"{label}, verlopen" if token.is_expired else label


class ProviderTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`."""

    keyword = KEYWORD

    def authenticate(self, request):
        key = bearer_key(request)
        if key is None:
            return None
        token = token_for(key)
        if token is None or token.revoked_at is not None or not token.provider.is_active:
            raise exceptions.AuthenticationFailed(_("Onbekende of ingetrokken API-sleutel."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is verlopen op %(date)s; vraag de functioneel beheerder om een nieuwe.")
                % {"date": date_format(timezone.localtime(token.expires_at), "j F Y")},
                code="key_expired",
            )
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute
        return ProviderClient(provider=token.provider, token=token), token

    def authenticate_header(self, request):
        return self.keyword
