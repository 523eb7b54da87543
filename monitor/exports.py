"""CSV and XLSX downloads of a Table. CSV streams row by row (a year for all providers or the
whole CEO population starts downloading at once); XLSX is written by openpyxl in write-only mode,
which keeps one row in memory at a time, into a spooled temporary file."""

import csv
import re
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .tables import Table, as_number, format_cell

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"money": '"€" #,##0.00', "pct": "0.0", "decimal": "0.0", "int": "0", "days": "0"}


class _Echo:
    def write(self, value):
        return value


def _csv_lines(table: Table):
    # Semicolons and a decimal comma, with a byte order mark: what Excel in Dutch opens correctly.
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([str(column.label) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        yield writer.writerow([format_cell(value, kind, grouping=False)
                               for value, kind in zip(row, kinds, strict=True)])


def write_xlsx(table: Table, target) -> None:
    workbook = Workbook(write_only=True)
    # A sheet title has at most 31 characters and none of []:*?/\
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", str(table.title))[:31] or "Tabel")
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    for row in table.rows:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=as_number(value))
                cell.number_format = number_format
                cells.append(cell)
            else:  # a plain value is written without a style object: much faster for long texts tables
                cells.append(as_number(value))
        sheet.append(cells)
    workbook.save(target)


def filename_for(table: Table, suffix: str = "") -> str:
    return slugify(f"{table.title} {suffix}".strip()) or "export"


def export_response(table: Table, file_format: str, *, filename: str | None = None):
    """The download of `table` as CSV (streamed) or XLSX."""
    name = filename or filename_for(table)
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write_xlsx(table, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE)


def query_without_export(request) -> str:
    """The page's query string without the export parameters: the base of its export links."""
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("formaat", None)
    return query.urlencode()


def requested_export(request, tables, *, suffix: str = ""):
    """The download a page's `?export=<slug>&formaat=csv|xlsx` asks for, or None. A page builds
    its tables lazily (rows as querysets or generators) and passes them here before rendering."""
    slug, file_format = request.GET.get("export"), request.GET.get("formaat", "xlsx")
    if not slug or file_format not in FORMATS:
        return None
    for table in tables:
        if table.slug == slug:
            return export_response(table, file_format, filename=filename_for(table, suffix))
    return None
