from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.services import client_ip

from .authentication import ProviderClient


class PerTokenThrottle(SimpleRateThrottle):
    """A request budget per API key (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES['provider']);
    over budget the answer is 429 with Retry-After."""

    scope = "provider"

    def get_cache_key(self, request, view):
        if isinstance(request.user, ProviderClient):
            return self.cache_format % {"scope": self.scope, "ident": request.user.token.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _IwmoThrottle(SimpleRateThrottle):
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
    flooding without one is slowed down per address. The address is REMOTE_ADDR, as the audit trail
    records it: X-Forwarded-For is the client's to write, so it cannot be what the budget counts."""

    scope = "iwmo_anonymous"
    setting = "RATE_PER_IP_ANONYMOUS"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "onbekend"}
