"""The cliëntervaringsonderzoek (CEO): its results per provider, product and year, imported from an
XLSX file by contract management (the import page and `manage.py import_client_satisfaction`).
Split from providers.services, which holds the rest of the provider domain's state changes."""

import io
from datetime import date
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from indications.models import Product

from .models import (
    ClientSatisfaction,
    Provider,
    SatisfactionImport,
)

# --------------------------------------------------------------------------------------------
# Contracts and assignments
# --------------------------------------------------------------------------------------------


SATISFACTION_MAX_BYTES = 2 * 1024 * 1024  # a results file of all providers is a few hundred kB at most
SATISFACTION_MAX_ROWS = 5000
SATISFACTION_MAX_ERRORS = 50
SATISFACTION_MAX_RESPONDENTS = 1_000_000  # more than all Wmo clients of the region: a typing error
# The columns of the file (the first row holds their headers; the order is free, case is ignored,
# anything after " (" in a header is a note, e.g. "Positief (8-10)").
SATISFACTION_COLUMNS = {
    "aanbieder": "provider",
    "product": "product",
    "jaar": "year",
    "respondenten": "respondents",
    "score": "score",
    "positief": "positive",
    "neutraal": "neutral",
    "negatief": "negative",
}
SATISFACTION_REQUIRED = ("Aanbieder", "Jaar", "Respondenten", "Score")
SATISFACTION_SPREAD = ("Positief", "Neutraal", "Negatief")


def _import_error(message: str) -> ValidationError:
    return ValidationError([ValidationError(message, code="invalid_import")])


def _read_upload(file) -> bytes:
    """The file's bytes, refusing one larger than SATISFACTION_MAX_BYTES before reading it all."""
    size = getattr(file, "size", None)
    if size is not None and size > SATISFACTION_MAX_BYTES:
        data = b""
    else:
        data = file.read(SATISFACTION_MAX_BYTES + 1)
    if size is not None and size > SATISFACTION_MAX_BYTES or len(data) > SATISFACTION_MAX_BYTES:
        raise _import_error(
            _("Het bestand is te groot: ten hoogste %(mb)s MB.") % {"mb": SATISFACTION_MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise _import_error(_("Het bestand is leeg."))
    return data


def _sheet_rows(data: bytes) -> list[tuple[int, tuple]]:
    """The non-empty rows of the first sheet as (row number, values), header row included."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # an uploaded file breaks openpyxl in many ways (zip, XML, styles)
        raise _import_error(_("Dit is geen geldig Excel-bestand (XLSX).")) from None
    try:
        rows = []
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _import_error(_("Het bestand bevat geen werkblad."))
        limit_columns = len(SATISFACTION_COLUMNS) + 10
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=limit_columns), start=1):
            if all(value is None or str(value).strip() == "" for value in values):
                continue
            if len(rows) > SATISFACTION_MAX_ROWS:
                raise _import_error(
                    _("Het bestand heeft meer dan %(max)s regels; splits het op.") % {"max": SATISFACTION_MAX_ROWS}
                )
            rows.append((number, values))
        return rows
    except ValidationError:
        raise
    except Exception:  # a sheet's XML is read while iterating, so it can break here too
        raise _import_error(_("Dit is geen geldig Excel-bestand (XLSX).")) from None
    finally:
        workbook.close()


def _header_columns(header: tuple) -> dict[str, int]:
    """Which column (index) holds which field, from the header row; missing required columns raise."""
    columns: dict[str, int] = {}
    labels = {}
    for index, value in enumerate(header):
        key = str(value or "").split("(")[0].strip().lower()
        if key in SATISFACTION_COLUMNS:
            field = SATISFACTION_COLUMNS[key]
            if field in columns:
                raise _import_error(
                    _("De kolom '%(column)s' staat twee keer in de eerste rij.") % {"column": str(value).strip()}
                )
            columns[field], labels[field] = index, str(value).strip()
    missing = [label for label in SATISFACTION_REQUIRED if SATISFACTION_COLUMNS[label.lower()] not in columns]
    if missing:
        raise _import_error(
            _("De eerste rij mist de kolom(men) %(columns)s; verwacht: %(expected)s.")
            % {
                "columns": ", ".join(f"'{label}'" for label in missing),
                "expected": ", ".join(f"'{label}'" for label in (*SATISFACTION_REQUIRED, "Product")),
            }
        )
    return columns


def _whole_number(value) -> int | None:
    """An integer cell (2024, 2024.0, "2024"), or None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _score(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not score.is_finite() or not Decimal(1) <= score <= Decimal(10):
        return None  # also "1e999999", which cannot be rounded to two decimals
    return score.quantize(Decimal("0.01"))


def _satisfaction_row(number: int, values: tuple, columns: dict[str, int], lookups: dict, today: date):
    """One row as the ClientSatisfaction fields, or its errors ("rij 7, kolom 'Score': ...")."""
    errors, fields = [], {}

    def cell(field):
        index = columns.get(field)
        value = values[index] if index is not None and index < len(values) else None
        return None if value is None or str(value).strip() == "" else value

    def error(column, message):
        errors.append(
            _("rij %(row)s, kolom '%(column)s': %(message)s") % {"row": number, "column": column, "message": message}
        )

    provider = cell("provider")
    if provider is None:
        error("Aanbieder", _("vul de AGB-code of de naam van de aanbieder in."))
    else:
        text = str(_whole_number(provider) if _whole_number(provider) is not None else provider).strip()
        found = lookups["agb"].get(text.zfill(8) if text.isdigit() else text) or lookups["name"].get(text.lower())
        if found is None:
            error("Aanbieder", _("geen aanbieder met AGB-code of naam '%(value)s'.") % {"value": text[:100]})
        fields["provider"] = found
    product = cell("product")
    fields["product"] = None
    if product is not None:
        fields["product"] = lookups["product"].get(str(product).strip().upper())
        if fields["product"] is None:
            error("Product", _("onbekende productcode '%(value)s'.") % {"value": str(product).strip()[:20]})
    year = cell("year")
    fields["year"] = _whole_number(year) if year is not None else None
    if fields["year"] is None or not 2015 <= fields["year"] <= today.year:
        error("Jaar", _("een jaar van 2015 tot en met %(year)s.") % {"year": today.year})
    respondents = cell("respondents")
    fields["respondents"] = _whole_number(respondents) if respondents is not None else None
    if fields["respondents"] is None or not 0 <= fields["respondents"] <= SATISFACTION_MAX_RESPONDENTS:
        error("Respondenten", _("een geheel aantal van 0 of meer."))
    score = cell("score")
    fields["score"] = _score(score) if score is not None else None
    if fields["score"] is None:
        error("Score", _("een gemiddeld cijfer van 1 tot en met 10."))
    spread = {}
    for label in SATISFACTION_SPREAD:
        field = SATISFACTION_COLUMNS[label.lower()]
        value = cell(field)
        spread[field] = _whole_number(value) if value is not None else None
        if value is not None and (spread[field] is None or spread[field] < 0):
            error(label, _("een geheel aantal van 0 of meer."))
    given = [value for value in spread.values() if value is not None]
    if given and len(given) < len(spread):
        error(SATISFACTION_SPREAD[0], _("vul positief, neutraal en negatief alle drie in, of geen ervan."))
    elif given and fields["respondents"] is not None and sum(given) != fields["respondents"]:
        error(
            SATISFACTION_SPREAD[0],
            _("positief, neutraal en negatief samen (%(sum)s) zijn niet het aantal respondenten (%(count)s).")
            % {"sum": sum(given), "count": fields["respondents"]},
        )
    fields.update(spread)
    return fields, errors


@transaction.atomic
def import_client_satisfaction(file, *, by, today: date | None = None) -> SatisfactionImport:
    """Import the results of the cliëntervaringsonderzoek from an XLSX file: one row per provider
    (AGB code or name), product (its code; empty: all the provider's clients) and year, with the
    respondents, the average score (1-10) and optionally how many answered positive, neutral and
    negative. Every row is checked first; any error raises a ValidationError with a Dutch message
    per row and column and nothing is written. Otherwise all rows are written at once, each
    replacing an earlier result of the same provider, product and year, with one audit event."""
    today = today or timezone.localdate()
    file_name = str(getattr(file, "name", "") or "bestand.xlsx").rsplit("/", 1)[-1][:255]
    rows = _sheet_rows(_read_upload(file))
    if not rows:
        raise _import_error(_("Het werkblad is leeg: verwacht een rij met kolomkoppen en daaronder de uitslagen."))
    (_header_number, header), *rows = rows
    columns = _header_columns(header)
    if not rows:
        raise _import_error(_("Het werkblad heeft kolomkoppen maar geen uitslagen."))
    providers = list(Provider.objects.all())
    lookups = {
        "agb": {provider.agb_code: provider for provider in providers},
        "name": {provider.name.lower(): provider for provider in providers},
        "product": {product.code.upper(): product for product in Product.objects.all()},
    }
    results, errors, seen = [], [], {}
    for number, values in rows:
        fields, row_errors = _satisfaction_row(number, values, columns, lookups, today)
        if not row_errors:
            key = (fields["provider"].pk, fields["product"] and fields["product"].pk, fields["year"])
            if key in seen:
                row_errors.append(
                    _("rij %(row)s, kolom 'Aanbieder': deze aanbieder, dit product en jaar staan ook in rij %(first)s.")
                    % {"row": number, "first": seen[key]}
                )
            seen.setdefault(key, number)
        errors.extend(row_errors)
        results.append(fields)
    if errors:
        shown = errors[:SATISFACTION_MAX_ERRORS]
        if len(errors) > len(shown):
            shown.append(_("en nog %(count)s fouten.") % {"count": len(errors) - len(shown)})
        raise ValidationError([ValidationError(message, code="invalid_row") for message in shown])
    source = SatisfactionImport.objects.create(file_name=file_name, rows=len(results), imported_by=by)
    replaced = 0
    for provider_id, product_id, year in seen:
        replaced += ClientSatisfaction.objects.filter(
            provider_id=provider_id, product_id=product_id, year=year
        ).delete()[0]
    ClientSatisfaction.objects.bulk_create([ClientSatisfaction(source=source, **fields) for fields in results])
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=source,
        summary=f"Cliëntervaringsonderzoek geïmporteerd: {len(results)} uitslagen uit {file_name}",
        changes={"rows": len(results), "replaced": replaced, "years": sorted({year for _p, _pr, year in seen})},
    )
    return source
