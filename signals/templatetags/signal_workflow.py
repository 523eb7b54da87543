"""What a signal's page offers, from the status table (signals.workflow), never from a status
string in a template: `{% if signal|may_move_to:"in_behandeling" %}`."""

from django import template

from ..workflow import ALLOWED_STATUS_CHANGES

register = template.Library()


@register.filter
def may_move_to(signal, target: str) -> bool:
    return target in ALLOWED_STATUS_CHANGES.get(signal.status, set())
