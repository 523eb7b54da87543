"""The API reads JSON only, strictly: UTF-8, no NaN or Infinity, no number out of a float's range,
at most API_MAX_BODY_BYTES bytes and API_MAX_JSON_DEPTH levels of nesting. Whatever else arrives is
a 400 (or 413) in the API's own error shape, never a parser's exception."""

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.API_LIMITS["MAX_BODY_BYTES"]
        super().__init__(_("Het verzoek is te groot: ten hoogste %(limit)s bytes.") % {"limit": limit})


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def nesting_depth(data, *, stop_above: int) -> int:
    """How deeply lists and objects nest in data (a scalar: 0), counted without recursion; stops
    counting once it passes stop_above."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > stop_above:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(raw: bytes):
    limit_depth = settings.API_LIMITS["MAX_JSON_DEPTH"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise exceptions.ParseError(
            _("De inhoud is geen geldige UTF-8 (ongeldige byte op positie %(position)s).") % {"position": error.start},
            code="invalid_encoding",
        ) from None
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        data, too_deep = None, True
    except ValueError as error:  # JSONDecodeError, a number too long or out of range, NaN
        where = ""
        if isinstance(error, json.JSONDecodeError):
            where = _(" (regel %(line)s, kolom %(column)s)") % {"line": error.lineno, "column": error.colno}
        raise exceptions.ParseError(
            _("De inhoud is geen geldige JSON%(where)s.") % {"where": where}, code="invalid_json"
        ) from None
    else:
        too_deep = nesting_depth(data, stop_above=limit_depth) > limit_depth
    if too_deep:
        raise exceptions.ParseError(
            _("De JSON is te diep genest: ten hoogste %(depth)s niveaus.") % {"depth": limit_depth},
            code="too_deep",
        )
    return data


class JSONParser(parsers.BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_LIMITS["MAX_BODY_BYTES"]
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge()
        return parse_json(raw)
