"""The template library "ui" (settings.TEMPLATES registers it: `{% load ui %}`): the cells of a
ui.tables.Table, a key of a mapping, and the query string of a paginated list."""

from django import template

from ui.tables import Link, Tag, format_cell

register = template.Library()


@register.filter
def cells(row, columns):
    """A table row as cells with Dutch-formatted text, for templates/includes/table.html:
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
