"""Provider API clients authenticate with an API key per organisation (only its hash is stored)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from providers.models import ApiToken, Provider
from providers.services import hash_key


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


class ProviderTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Geef precies één API-sleutel na 'Bearer'."))
        token = (
            ApiToken.objects.select_related("provider")
            .filter(key_hash=hash_key(header[1]), revoked_at__isnull=True, provider__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Onbekende of ingetrokken API-sleutel."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute
        return ProviderClient(provider=token.provider, token=token), token

    def authenticate_header(self, request):
        return self.keyword
