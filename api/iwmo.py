"""POST /iwmo/berichten/: a provider's system delivers a raw iWmo XML message (WMO305, WMO307) over
HTTPS, authenticated with the provider's API key (`Authorization: Bearer <key>`, the keys of the
REST API). The message goes to iwmo.inbox.receive, which judges it, applies it through the provider
services and queues the retour; the answer names that retour (its BerichtIdentificatie) and the
codes per element. The same bytes sent again get the same answer and change nothing. Every call is
audited, a refused one too."""

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


def _refused(request, status: int, code: str, message: str) -> JsonResponse:
    record_request(
        request,
        action=AuditEvent.Action.REJECTED,
        object_type="iwmo.incomingmessage",
        summary=f"POST /iwmo/berichten/ geweigerd ({code})",
        actor=None,
        actor_label=caller_label(request),
    )
    response = JsonResponse({"code": code, "melding": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@login_not_required  # a provider system, authenticated by its API key below, not a user
@csrf_exempt
def receive_message(request):
    if request.method != "POST":
        return _refused(request, 405, "method_not_allowed", _("Stuur een iWmo-bericht met POST."))
    try:
        authenticated = ProviderTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed as error:
        return _refused(request, 401, "not_authenticated", str(error.detail))
    if authenticated is None:
        return _refused(request, 401, "not_authenticated", _("Geef een API-sleutel: Authorization: Bearer <sleutel>."))
    caller, _token = authenticated
    # Read at most one byte more than the limit: a larger message is a technical rejection, unread.
    raw = request.read(settings.IWMO["MAX_MESSAGE_BYTES"] + 1)
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
