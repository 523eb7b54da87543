"""The template library "ui" (settings.TEMPLATES registers it: `{% load ui %}`): the rows of a
ui.tables.Table as HTML, a key of a mapping, and the query string of a paginated list."""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ui.tables import Link, Tag, format_cell

register = template.Library()


def cells(row, columns):
    """A table row as cells with Dutch-formatted text (for table_rows):
    numbers right-aligned, dates and numbers kept on one line, links and tags as such."""
    return [
        {
            "text": format_cell(value, column.kind),
            "numeric": column.is_numeric,
            "kind": column.kind,
            "url": value.url if isinstance(value, Link) else "",
            "current": isinstance(value, Link) and value.current,
            "tone": value.tone if isinstance(value, Tag) else "",
        }
        for value, column in zip(row, columns, strict=True)
    ]


def _cell_html(cell: dict, *, dash: bool) -> str:
    text = conditional_escape(cell["text"])
    if cell["url"]:
        current = ' aria-current="true"' if cell["current"] else ""
        return f'<a href="{conditional_escape(cell["url"])}"{current}>{text}</a>'
    if cell["tone"]:
        return f'<span class="tag tag--{conditional_escape(cell["tone"])}">{text}</span>'
    if dash and not text:
        return "–"
    return text


@register.simple_tag
def table_rows(table) -> str:
    """The rows of a ui.tables.Table as HTML for templates/includes/table.html: the first cell a row
    header, a number right-aligned, an empty cell a dash; a table without rows says so. Built in
    one pass rather than with an include per cell, which cost the monitor page (thousands of
    cells) most of its rendering."""
    html = []
    for row in table.materialise().rows:
        html.append("<tr>")
        for index, cell in enumerate(cells(row, table.columns)):
            if index == 0:
                html.append(f'<th scope="row">{_cell_html(cell, dash=False)}</th>')
                continue
            css = ' class="num"' if cell["numeric"] else ' class="date"' if cell["kind"] == "date" else ""
            html.append(f"<td{css}>{_cell_html(cell, dash=True)}</td>")
        html.append("</tr>")
    if not html:
        html.append(
            f'<tr><td colspan="{len(table.columns)}">{escape(_("Geen gegevens voor deze selectie."))}</td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every text and attribute in it is escaped


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string with `param` set to `number` (e.g. "?onderzoeken=2&alle=1"), for
    templates/includes/pagination.html: on a page with several paginated lists each list has its own
    query parameter, so paging one list keeps the others (and the filters) where they were."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
