from rest_framework.throttling import SimpleRateThrottle

from .authentication import ProviderClient


class PerTokenThrottle(SimpleRateThrottle):
    """A request budget per API key (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES['provider']);
    over budget the answer is 429 with Retry-After."""

    scope = "provider"

    def get_cache_key(self, request, view):
        if isinstance(request.user, ProviderClient):
            return self.cache_format % {"scope": self.scope, "ident": request.user.token.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
