"""One error shape for the whole API: a machine code and a Dutch message, per field where it applies.

{"code": "invalid", "melding": "Ongeldige invoer.",
 "fouten": [{"veld": "startdatum", "code": "date_in_future", "melding": "De datum ligt in de toekomst."}]}
"""

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NON_FIELD = "non_field_errors"


def _flatten(details, field=None) -> list[dict]:
    if isinstance(details, dict):
        errors = []
        for key, value in details.items():
            # A nested serializer's own error (an empty list) belongs to the field that holds it.
            name = field if key == NON_FIELD else key if field is None else f"{field}.{key}"
            errors += _flatten(value, name)
        return errors
    if isinstance(details, list):
        return [item for value in details for item in _flatten(value, field)]
    return [{"veld": field, "code": getattr(details, "code", None) or "invalid", "melding": str(details)}]


def error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return {"code": "invalid", "melding": _("Ongeldige invoer."), "fouten": _flatten(exc.detail)}
    detail = exc.detail
    return {"code": getattr(detail, "code", None) or exc.default_code, "melding": str(detail)}


def as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError (Dutch message, stable code) as the API's 400."""
    if hasattr(error, "error_dict"):
        detail = {
            field: [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in items
                for message in item.messages
            ]
            for field, items in error.error_dict.items()
        }
        detail = {NON_FIELD if field == "__all__" else field: value for field, value in detail.items()}
    else:
        detail = {
            NON_FIELD: [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in error.error_list
                for message in item.messages
            ]
        }
    return exceptions.ValidationError(detail)


def _throttled(exc: exceptions.Throttled) -> exceptions.Throttled:
    # DRF builds this text with ngettext over already formatted strings, which no catalogue can translate.
    wait = exc.wait
    detail = (
        _("Te veel verzoeken met deze API-sleutel; probeer het over %(seconds)s seconden opnieuw.")
        % {"seconds": math.ceil(wait)}
        if wait is not None
        else _("Te veel verzoeken met deze API-sleutel; probeer het later opnieuw.")
    )
    throttled = exceptions.Throttled(wait=wait, detail=detail)
    throttled.detail = exceptions.ErrorDetail(detail, code="throttled")
    return throttled


def api_exception_handler(exc, context):
    """DRF's handler with the API's error shape; DRF's own texts are Dutch through locale/nl."""
    if isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    if isinstance(exc, exceptions.Throttled):
        exc = _throttled(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body(exc)
    return response


# Answers that Django gives before or around DRF (an unknown URL, a server error): the same shape.
STATUS_ERRORS = {
    400: ("bad_request", _lazy("Het verzoek is niet goed samengesteld.")),
    401: ("not_authenticated", _lazy("Geef uw API-sleutel mee: Authorization: Bearer <sleutel>.")),
    403: ("permission_denied", _lazy("U heeft hier geen toegang.")),
    404: ("not_found", _lazy("Niet gevonden. Controleer het adres: de API staat onder /api/v1/.")),
    405: ("method_not_allowed", _lazy("Deze methode is hier niet toegestaan.")),
    413: ("request_too_large", _lazy("Het verzoek is te groot.")),
    500: ("server_error", _lazy("Er ging aan onze kant iets mis. Probeer het later opnieuw.")),
}


def status_error_body(status_code: int) -> dict:
    if status_code in STATUS_ERRORS:
        code, message = STATUS_ERRORS[status_code]
    elif status_code >= 500:
        code, message = STATUS_ERRORS[500]
    elif 300 <= status_code < 400:
        code, message = "redirect", _lazy("Dit adres bestaat niet zo; zie Location (let op de / aan het eind).")
    else:
        code, message = "error", _lazy("Het verzoek kon niet worden verwerkt.")
    return {"code": code, "melding": str(message)}


def not_found() -> tuple[int, dict]:
    return status.HTTP_404_NOT_FOUND, {"code": "not_found", "melding": _("Toewijzing niet gevonden.")}


def message_id_conflict(message_id: str) -> tuple[int, dict]:
    return status.HTTP_409_CONFLICT, {
        "code": "bericht_id_conflict",
        "melding": _(
            "berichtId '%(id)s' is al gebruikt voor een ander bericht; geef elk nieuw bericht een "
            "eigen berichtId. Hetzelfde bericht opnieuw sturen mag wel."
        )
        % {"id": message_id},
    }


def response_from(status_code: int, body: dict, *, replayed: bool = False) -> Response:
    response = Response(body, status=status_code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
