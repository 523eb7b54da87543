from django import template

register = template.Library()


@register.filter
def timeuntil_days(deadline, today):
    """Whole days from today until the deadline; negative when it has passed."""
    return (deadline - today).days


@register.filter
def abs_value(value):
    return abs(value)


@register.filter
def euro(value):
    """Format an amount the Dutch way: € 1.124,99."""
    if value is None:
        return "—"
    whole, _, cents = f"{value:,.2f}".partition(".")
    return f"€ {whole.replace(',', '.')},{cents}"
