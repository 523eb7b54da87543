"""One error shape for the whole API: a machine code and a Dutch message, per field where it applies.

    {"code": "invalid", "melding": "Ongeldige invoer.",
     "fouten": [{"veld": "startdatum", "code": "date_in_future", "melding": "De datum ligt in de toekomst."}]}
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NON_FIELD = "non_field_errors"


def _flatten(details, field=None) -> list[dict]:
    if isinstance(details, dict):
        errors = []
        for key, value in details.items():
            name = None if key == NON_FIELD else key if field is None else f"{field}.{key}"
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
            field: [exceptions.ErrorDetail(message, code=item.code or "invalid") for item in items
                    for message in item.messages]
            for field, items in error.error_dict.items()
        }
        detail = {NON_FIELD if field == "__all__" else field: value for field, value in detail.items()}
    else:
        detail = {NON_FIELD: [exceptions.ErrorDetail(message, code=item.code or "invalid")
                              for item in error.error_list for message in item.messages]}
    return exceptions.ValidationError(detail)


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body(exc)
    return response


def not_found() -> tuple[int, dict]:
    return status.HTTP_404_NOT_FOUND, {"code": "not_found", "melding": _("Toewijzing niet gevonden.")}


def response_from(status_code: int, body: dict, *, replayed: bool = False) -> Response:
    response = Response(body, status=status_code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
