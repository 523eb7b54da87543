"""Links for pages that show several paginated lists: each list has its own query parameter, so
paging one list keeps the others (and the filters) where they were."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string with `param` set to `number` (e.g. "?onderzoeken=2&alle=1")."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
