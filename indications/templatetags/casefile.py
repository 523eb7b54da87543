from django import template

from ui.tables import euro

register = template.Library()


@register.filter
def timeuntil_days(deadline, today):
    """Whole days from today until the deadline; negative when it has passed."""
    return (deadline - today).days


@register.filter
def abs_value(value):
    return abs(value)


register.filter("euro", euro)  # € 1.124,99, the one Dutch amount format (ui.tables.euro)
