"""The API's boundary. Every request under /api/ is

- refused early when it cannot be valid: a control character (NUL…) in the path (404) or in a
  query parameter (400), too many query parameters (400), a body over API_MAX_BODY_BYTES (413);
- answered in JSON with a `code` and a Dutch `melding`, whatever produced the answer (DRF, Django's
  URL resolver or error handlers, CommonMiddleware's redirect);
- recorded in the audit trail: who (the key, also an unknown, revoked or expired one), what (method,
  path, query, status and error code; never the body), from where. An answer of 400 or more is
  recorded as `rejected`.

It sits near the top of MIDDLEWARE, so that what the middlewares below it answer is covered too."""

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import printable, record_request

from .authentication import ProviderClient, caller_label
from .errors import status_error_body

API_PREFIX = "/api/"
# C0 and C1 control characters and DEL: never part of an address or a parameter we know.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_KEPT_HEADERS = ("Location", "Allow", "Retry-After", "WWW-Authenticate")


def _json(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response.data = body  # as on DRF's responses: the audit record reads the error code from it
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return _json({"code": code, "melding": message}, status)


def _refusal(request) -> JsonResponse | None:
    if _CONTROL.search(request.path_info):
        return _error(404, "not_found", _("Niet gevonden: het adres bevat een stuurteken."))
    try:
        parameters = list(request.GET.lists())
    except SuspiciousOperation:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
        return _error(400, "too_many_parameters", _("Het verzoek heeft te veel parameters."))
    for name, values in parameters:
        if _CONTROL.search(name) or any(_CONTROL.search(value) for value in values):
            return _error(400, "invalid_parameter", _("Een parameter bevat een stuurteken."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.API_LIMITS["MAX_BODY_BYTES"]
    if length > limit:
        return _error(
            413, "request_too_large", _("Het verzoek is te groot: ten hoogste %(limit)s bytes.") % {"limit": limit}
        )
    return None


def _as_json(request, response):
    """An error or redirect that is not JSON yet (Django's HTML pages) as the API's error shape."""
    if response.status_code < 300 or response.status_code == 304:
        return response
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code in (301, 302, 307, 308) and request.method not in _SAFE_METHODS:
        # CommonMiddleware's APPEND_SLASH: a client that follows it would resend the message as a GET.
        return _error(
            404,
            "not_found",
            _("Niet gevonden. Bedoelt u %(address)s (met een / aan het eind)?")
            % {"address": response.get("Location", "")},
        )
    answer = _json(status_error_body(response.status_code), response.status_code)
    for header in _KEPT_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer


def _error_code(response) -> str:
    data = getattr(response, "data", None)
    return str(data.get("code", "")) if isinstance(data, dict) else ""


def _summary(call: str, outcome: str, limit: int = 255) -> str:
    """call + outcome within the summary's length once escaped: a long path or query is shortened,
    the outcome (status and code) always kept."""
    budget = limit - len(outcome)
    if len(printable(call)) > budget:
        while (overflow := len(printable(call)) + 1 - budget) > 0:
            call = call[:-overflow]
        call += "…"
    return call + outcome


class ApiBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        refusal = _refusal(request)
        response = _as_json(request, refusal if refusal is not None else self.get_response(request))
        self._record(request, response)
        return response

    def _record(self, request, response) -> None:
        user = getattr(request, "user", None)  # DRF puts the authenticated caller here
        if isinstance(user, ProviderClient) or (user is not None and user.is_authenticated):
            actor, label = user, None
        else:
            actor, label = None, caller_label(request)
        view, object_id = self._view(request)
        status = response.status_code
        if status >= 400:
            action = AuditEvent.Action.REJECTED
        else:
            action = AuditEvent.Action.READ if request.method in _SAFE_METHODS else AuditEvent.Action.CREATE
        query = request.META.get("QUERY_STRING", "")
        code = _error_code(response) if status >= 400 else ""
        record_request(
            request,
            actor=actor,
            actor_label=label,
            action=action,
            object_type=getattr(view, "audit_object_type", "api"),
            object_id=object_id,
            summary=_summary(
                f"API {request.method} {request.path}{'?' + query if query else ''}",
                f" → {status}" + (f" {code}" if code else ""),
            ),
        )

    @staticmethod
    def _view(request):
        """The view class the path leads to (also for a request refused before it), and the object
        named in the path."""
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return None, ""
        view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None) or "pk"
        return view, str(match.kwargs.get(lookup, ""))
