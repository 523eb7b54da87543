"""The audit trail's request context (NEN 7513): every request is served inside audit.context, so
that the events recorded while it runs carry the user, their network access point and a purpose of
use by default; a page that refuses access (403) is recorded as a refused read, with the client
(and so the BSN) the page is about when an app above knows it (audit.hooks.page_client). The API
records its own calls, refused ones included (api.middleware), inside this context."""

from . import context, hooks
from .models import AuditEvent
from .services import record_request

API_PREFIX = "/api/"


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.serving(request, purpose=context.default_purpose(request.path_info)):
            response = self.get_response(request)
            if response.status_code == 403 and not request.path_info.startswith(API_PREFIX):
                self._record_refusal(request)
        return response

    @staticmethod
    def _record_refusal(request) -> None:
        match = getattr(request, "resolver_match", None)
        record_request(
            request,
            action=AuditEvent.Action.REJECTED,
            object_type="page",
            object_id="",
            client_id=hooks.page_client(match.kwargs) if match is not None and match.kwargs else None,
            summary=f"geweigerd: {request.method} {request.path}",
        )
