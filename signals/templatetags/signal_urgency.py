"""The urgency of a signal as a coloured tag with its text, by the real date (Signal.urgency_on):
one label wherever signals are shown (the signals page, the worklist, the dashboards)."""

from django import template
from django.utils import timezone

from ..models import URGENCY_TONES, Urgency

register = template.Library()


@register.inclusion_tag("signals/includes/urgency.html", takes_context=True)
def urgency_tag(context, signal):
    """`today` comes from the page when it has one (a pinned date), else it is today."""
    urgency = signal.urgency_on(context.get("today") or timezone.localdate())
    return {"label": Urgency(urgency).label, "tone": URGENCY_TONES[urgency]}
