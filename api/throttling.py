from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.services import client_ip

from .authentication import ProviderClient


class ClientAddressMixin:
    """DRF's own get_ident believes X-Forwarded-For from anyone (NUM_PROXIES unset): the client's
    address instead, as the audit trail records it (audit/network.py: behind a trusted proxy only)."""

    def get_ident(self, request):
        return client_ip(request) or "onbekend"


class PerTokenThrottle(ClientAddressMixin, SimpleRateThrottle):
    """A request budget per API key (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES['provider']);
    over budget the answer is 429 with Retry-After. The counters are in the default cache, shared
    between processes in production (sddcase/checks.py refuses a per-process cache there)."""

    scope = "provider"

    def get_cache_key(self, request, view):
        if isinstance(request.user, ProviderClient):
            return self.cache_format % {"scope": self.scope, "ident": request.user.token.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _IwmoThrottle(ClientAddressMixin, SimpleRateThrottle):
    """A budget of POST /iwmo/berichten/ calls (settings.IWMO), apart from the REST API's."""

    setting = ""

    def __init__(self):
        self.rate = settings.IWMO[self.setting]
        super().__init__()


class IwmoKeyThrottle(_IwmoThrottle):
    """Messages per API key (IWMO_RATE_PER_KEY)."""

    scope = "iwmo_key"
    setting = "RATE_PER_KEY"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": view.token.pk}


class IwmoAnonymousThrottle(_IwmoThrottle):
    """Calls without a valid key per client address (IWMO_RATE_PER_IP_ANONYMOUS): guessing keys or
    flooding without one is slowed down per address. The address is the one the audit trail records:
    REMOTE_ADDR, or behind a trusted proxy the client's (X-Forwarded-For from anyone else is ignored)."""

    scope = "iwmo_anonymous"
    setting = "RATE_PER_IP_ANONYMOUS"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
