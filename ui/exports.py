"""CSV and XLSX downloads of a Table. CSV streams row by row (a year for all providers or the
whole CEO population starts downloading at once); XLSX is written by openpyxl in write-only mode,
which keeps one row in memory at a time, into a spooled temporary file.

An XLSX file says what it holds: its first sheet ("Selectie") names the table, the filters chosen
on the page, the date of the figures and who exported them when; the table itself is the second
sheet, opened first. Dates are date cells and numbers are numbers, each with a Dutch format, and
the columns have widths that fit their contents."""

import csv
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice

from django import forms
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ui.tables import Table, as_number, format_cell

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    "money": '"€" #,##0.00',
    "pct": "0.0",
    "decimal": "0.0",
    "int": "0",
    "days": "0",
    "date": "dd-mm-yyyy",
}
# Column widths in characters: numbers and dates by their kind, text by its longest value among
# the first rows (a file is written in one pass, so not all rows can be read first).
KIND_WIDTHS = {"money": 14, "pct": 9, "decimal": 9, "int": 9, "days": 9, "date": 12}
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class ExportContext:
    """What a downloaded file says about itself: the filters chosen (label, value), the date of the
    figures, and who exported it when."""

    filters: Sequence[tuple[str, str]] = ()
    figures_on: date | datetime | None = None
    exported_by: str = ""
    exported_at: datetime | None = None


def chosen_filters(form: forms.Form) -> list[tuple[str, str]]:
    """The filters of a valid form as (label, chosen value) in words: a municipality by its name,
    a choice by its label, nothing chosen by the field's 'all' text."""
    filters = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.ModelChoiceField):
            text = str(value) if value is not None else str(field.empty_label or "")
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value if value is not None else "", value))
        else:
            text = "" if value is None else str(value)
        filters.append((str(field.label), text))
    return filters


def export_context(
    request, form: forms.Form | None = None, *, figures_on=None, filters: Sequence[tuple[str, str]] = ()
) -> ExportContext:
    user = request.user
    return ExportContext(
        filters=[*(chosen_filters(form) if form is not None else []), *filters],
        figures_on=figures_on,
        exported_by=f"{user.get_full_name() or user.get_username()} ({user.get_username()})",
        exported_at=timezone.localtime(),
    )


class _Echo:
    def write(self, value):
        return value


def _csv_lines(table: Table):
    # Semicolons and a decimal comma, with a byte order mark: what Excel in Dutch opens correctly.
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([str(column.label) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        yield writer.writerow(
            [format_cell(value, kind, grouping=False) for value, kind in zip(row, kinds, strict=True)]
        )


def _sheet_title(title: str) -> str:
    # A sheet title has at most 31 characters and none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31] or _("Tabel")


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _dated(sheet, value, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _write_context(workbook: Workbook, table: Table, context: ExportContext) -> None:
    sheet = workbook.create_sheet(title=_("Selectie"))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
    sheet.append([_bold(sheet, str(table.title))])
    if table.note:
        sheet.append([str(table.note)])
    sheet.append([])
    sheet.append([_bold(sheet, _("Selectie")), _bold(sheet, _("Gekozen"))])
    for label, value in context.filters:
        sheet.append([label, value])
    sheet.append([])
    if context.figures_on is not None:
        with_time = isinstance(context.figures_on, datetime)
        figures_on = timezone.localtime(context.figures_on).replace(tzinfo=None) if with_time else context.figures_on
        sheet.append([_("Cijfers van"), _dated(sheet, figures_on, "dd-mm-yyyy hh:mm" if with_time else "dd-mm-yyyy")])
    if context.exported_by:
        sheet.append([_("Geëxporteerd door"), context.exported_by])
    if context.exported_at is not None:
        exported_at = timezone.localtime(context.exported_at).replace(tzinfo=None)
        sheet.append([_("Geëxporteerd op"), _dated(sheet, exported_at, "dd-mm-yyyy hh:mm")])


def _column_widths(table: Table, sample: list) -> list[float]:
    widths = []
    for index, column in enumerate(table.columns):
        width = KIND_WIDTHS.get(column.kind)
        if width is None:  # text: the longest of the sampled values
            width = max((len(str(row[index])) for row in sample if row[index] is not None), default=0)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, width, len(str(column.label))) + 2))
    return widths


def write_xlsx(table: Table, target, context: ExportContext | None = None) -> None:
    workbook = Workbook(write_only=True)
    if context is not None:
        _write_context(workbook, table, context)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    if context is not None:
        workbook.active = 1  # the table opens first; the selection is the sheet before it
    rows = iter(table.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    # Widths and the frozen header must be set before the first row of a write-only sheet.
    for index, width in enumerate(_column_widths(table, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, str(column.label)) for column in table.columns])
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    for row in chain(sample, rows):
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format and value is not None and value != "":
                cell = WriteOnlyCell(sheet, value=as_number(value))
                cell.number_format = number_format
                cells.append(cell)
            else:  # a plain value is written without a style object: much faster for long texts tables
                cells.append(as_number(value))
        sheet.append(cells)
    workbook.save(target)


def filename_for(table: Table, suffix: str = "") -> str:
    return slugify(f"{table.title} {suffix}".strip()) or "export"


def export_response(table: Table, file_format: str, *, context: ExportContext, filename: str | None = None):
    """The download of `table` as CSV (streamed) or XLSX (with `context` on its first sheet)."""
    name = filename or filename_for(table)
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write_xlsx(table, spool, context)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE)


def query_without_export(request) -> str:
    """The page's query string without the export parameters: the base of its export links."""
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("formaat", None)
    return query.urlencode()


def requested_export(request, tables, *, context: ExportContext, suffix: str = ""):
    """The download a page's `?export=<slug>&formaat=csv|xlsx` asks for, or None. A page builds
    its tables lazily (rows as querysets or generators) and passes them here before rendering,
    with the `context` (filters, date of the figures, who) that an XLSX file records."""
    slug, file_format = request.GET.get("export"), request.GET.get("formaat", "xlsx")
    if not slug or file_format not in FORMATS:
        return None
    for table in tables:
        if table.slug == slug:
            return export_response(table, file_format, filename=filename_for(table, suffix), context=context)
    return None
