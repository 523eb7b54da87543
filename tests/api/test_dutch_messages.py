"""Every text the API can return is Dutch: DRF's own texts through locale/nl (in effect, so the .mo
matches the .po), and for every field and exception the API uses."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from rest_framework import exceptions, fields, pagination, serializers, validators

from api import serializers as api_serializers
from tests.api.hostile import english_in

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def po_entries() -> dict[str, str]:
    text = PO_FILE.read_text()
    pairs = re.findall(r'^msgid "((?:[^"\\]|\\.)+)"\nmsgstr "((?:[^"\\]|\\.)*)"$', text, flags=re.MULTILINE)
    return {msgid.replace('\\"', '"'): msgstr.replace('\\"', '"') for msgid, msgstr in pairs}


def test_every_entry_of_the_catalogue_is_in_effect():
    entries = po_entries()
    assert len(entries) > 30
    with translation.override("nl"):
        not_compiled = {msgid: msgstr for msgid, msgstr in entries.items() if translation.gettext(msgid) != msgstr}
    assert not not_compiled, "compile locale/nl/LC_MESSAGES/django.po (msgfmt) and commit the .mo"


def input_fields():
    """Every field (and nested child) of the API's input serializers."""
    found, pending = [], [api_serializers.InputSerializer]
    while pending:
        serializer_class = pending.pop()
        pending += serializer_class.__subclasses__()
        for field in serializer_class().fields.values():
            found.append(field)
            if getattr(field, "child", None) is not None:
                found.append(field.child)
    assert len(found) > 10
    return found


def test_every_message_of_an_input_field_is_dutch():
    with translation.override("nl"):
        leaks = {
            f"{type(field).__name__}.{key}": str(message)
            for field in input_fields() + [serializers.Serializer()]
            for key, message in field.error_messages.items()
            if english_in(str(message))
        }
    assert not leaks


@pytest.mark.parametrize(
    "message",
    [
        *(
            cls.default_detail
            for cls in vars(exceptions).values()
            if isinstance(cls, type) and issubclass(cls, exceptions.APIException)
        ),
        pagination.PageNumberPagination.invalid_page_message,
        validators.ProhibitSurrogateCharactersValidator.message,
        fields.CharField().validators[-2].message,  # Django's ProhibitNullCharactersValidator
    ],
    ids=str,
)
def test_every_exception_and_validator_message_is_dutch(message):
    with translation.override("nl"):
        assert not english_in(str(message)), str(message)
