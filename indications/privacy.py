"""AVG (GDPR): who looked at a client's file, and the export for an inzageverzoek (art. 15 AVG).

The export is derived from the models: every model with a chain of foreign keys to the client
(meldingen, onderzoeken with their conversations, ZRM, beschikkingen with results, evaluations,
reviews, other provisions, toewijzingen with the provider's messages, signals, ...) gets a sheet with
one row per record and a column per field, found through the app registry (no imports of the apps
above the case file). A new model that refers to the client is in the export without a change here.
"""

import json
import uuid
from datetime import date, datetime
from io import BytesIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from audit.models import AuditEvent

from .models import Client

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
# Identifiers for the system itself, not information about the person.
INTERNAL_FIELDS = {"id", "uuid"}
# Sheet names where the model's plural does not make a good one (Excel: at most 31 characters, no "/").
SHEET_TITLES = {"indications.indication": "Beschikkingen", "indications.client": "Persoonsgegevens"}
MAX_PATH_LENGTH = 4
# Column names for fields without a Dutch verbose name (the field's name is English or says too little).
FIELD_LABELS = {
    "created_at": "Aangemaakt op",
    "updated_at": "Gewijzigd op",
    "at": "Moment",
    "by": "Door",
    "indication": "Beschikking",
    "intake": "Onderzoek",
    "evaluation": "Evaluatie",
    "assessment": "ZRM-meting",
    "assessed_by": "Gemeten door",
    "domain": "Domein",
    "from_status": "Van status",
    "to_status": "Naar status",
    "reason": "Reden",
    "submitted_by": "Aangeboden door",
    "reviewer": "Beoordelaar",
    "review": "Beoordeling",
    "asked_by": "Gesteld door",
    "answered_by": "Beantwoord door",
    "recorded_by": "Vastgelegd door",
    "recorded_at": "Vastgelegd op",
    "provider": "Aanbieder",
    "assignment": "Toewijzing",
    "requested_product": "Gevraagd product",
    "follow_up": "Vervolgbeschikking",
    "response_status": "Antwoordcode (HTTP)",
    "response": "Antwoord",
    "received_at": "Ontvangen op",
    "signal": "Signaal",
    "note": "Notitie",
    "indication_result": "Resultaat in de beschikking",
    "consultant": "Consulent",
}
# Field names that are Dutch already.
DUTCH_AS_IS = {
    "status",
    "score",
    "opslag",
    "postcode",
    "product",
    "variant",
    "team",
    "aanvraag",
    "melding",
    "declaratie",
    "dagtekening",
    "bsn",
    "index",
}


def access_log(client: Client) -> QuerySet[AuditEvent]:
    """Every recorded read and change of this client's file, newest first."""
    return AuditEvent.objects.filter(client_id=client.pk).select_related("actor").order_by("-at", "-id")


def client_data_models() -> dict[type[models.Model], list[str]]:
    """Every model that holds data about a client, with the lookups from it to the client
    ("evaluation__indication__client"), the client first and the others by distance."""
    paths: dict[type[models.Model], list[str]] = {Client: [""]}
    for _length in range(MAX_PATH_LENGTH):
        found = {}
        for model in apps.get_models():
            if model is Client:
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model
                if not field.is_relation or target is model or target not in paths:
                    continue
                for path in paths[target]:
                    lookup = f"{field.name}__{path}" if path else field.name
                    if lookup not in paths.get(model, []):
                        found.setdefault(model, []).append(lookup)
        if not found:
            break
        for model, lookups in found.items():
            paths.setdefault(model, []).extend(lookups)
    return paths


def records_of(client: Client, model: type[models.Model], lookups: list[str]) -> QuerySet:
    """The model's rows about this client, along any of its chains to the client."""
    if model is Client:
        return Client.objects.filter(pk=client.pk)
    pks = set()
    for lookup in lookups:
        pks |= set(model._default_manager.filter(**{lookup: client}).values_list("pk", flat=True))
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    many = [f.name for f in model._meta.many_to_many]
    return model._default_manager.filter(pk__in=pks).select_related(*related).prefetch_related(*many).order_by("pk")


def sheet_title(model: type[models.Model]) -> str:
    title = SHEET_TITLES.get(model._meta.label_lower) or str(model._meta.verbose_name_plural)
    for forbidden in "/\\?*[]:":
        title = title.replace(forbidden, "-")
    return (title[:1].upper() + title[1:])[:31]


def export_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields shown in the export: everything but internal ids and the reference to the client."""
    return [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.name not in INTERNAL_FIELDS and not (f.is_relation and f.related_model is Client)
    ]


def _person(user) -> str:
    return user.get_full_name() or user.username


def cell_value(obj: models.Model, field: models.Field):
    """A field's value as a reader understands it: labels for codes, names for references."""
    if field.many_to_many:
        return "; ".join(str(item) for item in getattr(obj, field.name).all())
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        return _person(related) if isinstance(related, get_user_model()) else str(related)
    if field.choices:
        value = getattr(obj, field.attname)
        return None if value in (None, "") else str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if isinstance(value, FieldFile):  # a stored file: its name (the file itself is not in the sheet)
        return value.name or None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, list):
        return "; ".join(
            json.dumps(item, ensure_ascii=False) if isinstance(item, dict | list) else str(item) for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    if isinstance(value, uuid.UUID):  # a reference to a record of another layer (an iWmo message)
        return str(value)
    if isinstance(value, bytes | memoryview):  # a message as received (iwmo): as text, within Excel's cell limit
        return bytes(value).decode("utf-8", "replace")[:32000]
    return value


def column_label(field: models.Field) -> str:
    """The field's Dutch name: its verbose name, or FIELD_LABELS where it has none of its own."""
    name = str(field.verbose_name)
    if name == field.name.replace("_", " ") and field.name in FIELD_LABELS:
        name = FIELD_LABELS[field.name]
    return name[:1].upper() + name[1:]


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    # Dutch dates (dd-mm-jjjj), still real dates to sort and filter on.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(name) + 4, 40))
    sheet.freeze_panes = "A2"


def inzage_export(client: Client) -> bytes:
    """An XLSX with all the personal data the system holds on the client and who accessed it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for model, lookups in client_data_models().items():
        fields = export_fields(model)
        if model is Client:
            _sheet(
                workbook,
                sheet_title(model),
                ["Gegeven", "Waarde"],
                [[column_label(field), cell_value(client, field)] for field in fields],
            )
            continue
        _sheet(
            workbook,
            sheet_title(model),
            [column_label(field) for field in fields],
            [[cell_value(obj, field) for field in fields] for obj in records_of(client, model, lookups)],
        )
    _sheet(
        workbook,
        "Inzage en wijzigingen",
        ["Moment", "Medewerker", "Handeling", "Onderdeel", "Omschrijving", "IP-adres"],
        [
            [
                timezone.localtime(e.at).replace(tzinfo=None),
                _person(e.actor) if e.actor else (e.actor_label or "systeem"),
                e.get_action_display(),
                e.object_type_display,
                e.summary,
                e.ip_address,
            ]
            for e in access_log(client)
        ],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
