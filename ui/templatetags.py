from django import template

from ui.tables import Link, Tag, format_cell

register = template.Library()


@register.filter
def cells(row, columns):
    """A table row as cells with Dutch-formatted text, for templates/includes/table.html:
    numbers right-aligned, dates and numbers kept on one line, links and tags as such."""
    return [{"text": format_cell(value, column.kind), "numeric": column.is_numeric, "kind": column.kind,
             "url": value.url if isinstance(value, Link) else "",
             "current": isinstance(value, Link) and value.current,
             "tone": value.tone if isinstance(value, Tag) else ""}
            for value, column in zip(row, columns, strict=True)]


@register.filter
def get(mapping, key):
    return mapping.get(key)
