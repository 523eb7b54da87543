"""POST /iwmo/berichten/: a provider's system delivers a raw iWmo XML message (WMO305, WMO307) over
HTTPS, authenticated with the provider's API key (`Authorization: Bearer <key>`, the keys of the
REST API). The message goes to iwmo.inbox.receive, which judges it, applies it through the provider
services and queues the retour; the answer names that retour (its BerichtIdentificatie) and the
codes per element. The same bytes sent again get the same answer and change nothing. Every call is
audited, a refused one too.

Before a byte of the body is read: the method (405), the key (401; calls without a valid key have a
budget per client address, IWMO_RATE_PER_IP_ANONYMOUS), the key's budget (IWMO_RATE_PER_KEY; over it
429 with Retry-After), the Content-Type (415), the length (411 without one, 413 over
IWMO_MAX_MESSAGE_BYTES)."""

import math
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from audit.models import AuditEvent
from audit.services import record_request
from iwmo.inbox import receive
from iwmo.models import IncomingMessage
from iwmo.retour_in import RETOUR_TYPES

from .authentication import ProviderTokenAuthentication, caller_label
from .throttling import IwmoAnonymousThrottle, IwmoKeyThrottle

# The media types of an XML document (RFC 7303); anything else is refused before it is read (415).
XML_MEDIA_TYPES = {"application/xml", "text/xml"}


def _refused(request, status: int, code: str, message: str, *, caller=None, retry_after: int | None = None):
    record_request(
        request,
        action=AuditEvent.Action.REJECTED,
        object_type="iwmo.incomingmessage",
        summary=f"POST /iwmo/berichten/ geweigerd ({code})",
        actor=caller,
        actor_label=None if caller is not None else caller_label(request),
    )
    response = JsonResponse({"code": code, "melding": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    if status == 405:
        response["Allow"] = "POST"
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _throttled(request, throttle, message: str, *, caller=None, view=None):
    """None when the call is within its budget (and counted), else the 429 answer."""
    if throttle.allow_request(request, view):
        return None
    seconds = max(math.ceil(throttle.wait() or 1), 1)
    return _refused(request, 429, "throttled", message % {"seconds": seconds}, caller=caller, retry_after=seconds)


def _anonymous_refusal(request, detail: str):
    """A call without a valid key: 401, or 429 once its address has used up its budget."""
    too_many = _throttled(
        request,
        IwmoAnonymousThrottle(),
        _("Te veel verzoeken zonder geldige API-sleutel van dit adres; probeer het over %(seconds)s seconden opnieuw."),
    )
    return too_many or _refused(request, 401, "not_authenticated", detail)


def _body_refusal(request, caller):
    """415 for a body that is not XML, 411 without a length (a chunked body), 413 over the limit,
    400 for a length that is no number; None when the body may be read."""
    media_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if media_type not in XML_MEDIA_TYPES:
        return _refused(
            request,
            415,
            "unsupported_media_type",
            _("Stuur het iWmo-bericht als XML: Content-Type application/xml of text/xml."),
            caller=caller,
        )
    length = request.META.get("CONTENT_LENGTH", "").strip()
    if not length or "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return _refused(
            request,
            411,
            "length_required",
            _("Geef de lengte van het bericht mee (Content-Length); een bericht in delen wordt niet gelezen."),
            caller=caller,
        )
    if not length.isdigit():
        return _refused(request, 400, "invalid_length", _("De Content-Length is geen getal."), caller=caller)
    limit = settings.IWMO["MAX_MESSAGE_BYTES"]
    if int(length) > limit:
        return _too_large(request, caller, limit)
    return None


def _too_large(request, caller, limit: int):
    return _refused(
        request,
        413,
        "request_too_large",
        _("Het bericht is te groot: ten hoogste %(limit)s bytes.") % {"limit": limit},
        caller=caller,
    )


@login_not_required  # a provider system, authenticated by its API key below, not a user
@csrf_exempt
def receive_message(request):
    if request.method != "POST":
        return _refused(request, 405, "method_not_allowed", _("Stuur een iWmo-bericht met POST."))
    try:
        authenticated = ProviderTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed as error:
        return _anonymous_refusal(request, str(error.detail))
    if authenticated is None:
        return _anonymous_refusal(request, _("Geef een API-sleutel: Authorization: Bearer <sleutel>."))
    caller, token = authenticated
    too_many = _throttled(
        request,
        IwmoKeyThrottle(),
        _("Te veel berichten met deze API-sleutel; probeer het over %(seconds)s seconden opnieuw."),
        caller=caller,
        view=SimpleNamespace(token=token),
    )
    if too_many is not None:
        return too_many
    refusal = _body_refusal(request, caller)
    if refusal is not None:
        return refusal
    # Read at most one byte more than the limit (the stream stops at Content-Length anyway): a body
    # longer than it said is refused too, unread beyond the limit.
    limit = settings.IWMO["MAX_MESSAGE_BYTES"]
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return _too_large(request, caller, limit)
    if len(raw) < int(request.META["CONTENT_LENGTH"]):
        # The client stopped sending before the length it gave: half a message is no message.
        return _refused(
            request,
            400,
            "incomplete_body",
            _("Het bericht is niet volledig ontvangen: korter dan de opgegeven Content-Length."),
            caller=caller,
        )
    message = receive(raw, channel=IncomingMessage.Channel.HTTPS, provider=caller.provider)
    retour = message.retour
    record_request(
        request,
        action=AuditEvent.Action.CREATE,
        object_type="iwmo.incomingmessage",
        object_id=str(message.pk),
        client_id=message.client_id,
        summary=f"POST /iwmo/berichten/: {message.message_type or 'bericht'} {message.identification} "
        f"{message.get_status_display()}",
        actor=caller,
    )
    body = {
        "status": message.status,
        "berichtsoort": message.message_type,
        "identificatie": message.identification,
        "fouten": message.errors,
        "retour": None
        if retour is None
        else {
            "berichtsoort": retour.message_type,
            "identificatie": retour.identification,
            "dagtekening": retour.dagtekening.isoformat(),
        },
    }
    # A retour (WMO302/320) gets no retour of its own (OP090): recorded is answered.
    recorded = message.message_type in RETOUR_TYPES and message.status == IncomingMessage.Status.ACCEPTED
    return JsonResponse(body, status=200 if retour is not None or recorded else 400)
