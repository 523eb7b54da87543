from django import template

from ..tables import format_cell

register = template.Library()


@register.filter
def cells(row, columns):
    """A table row as cells with Dutch-formatted text, for templates/monitor/includes/table.html."""
    return [{"text": format_cell(value, column.kind), "numeric": column.is_numeric}
            for value, column in zip(row, columns, strict=True)]


@register.filter
def get(mapping, key):
    return mapping.get(key)
