"""Stops after the eigen bijdrage: seed 001 (around line 1091) warns that clients stop their support
because of the eigen bijdrage. So per month after the eigen bijdrage started (1 December 2020 with
the rules of indications.eigen_bijdrage), the clients whose care stopped, against the same month a
year earlier as the baseline, read from the stops per month the refresh stores (StopCell)."""

from datetime import date, timedelta

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indications.eigen_bijdrage import latest_due_start
from ui.tables import Column, Table

from .models import StopCell

MONTHS_AFTER = 6


def _month(start: date, offset: int) -> tuple[date, date]:
    """The calendar month `offset` months after the month of `start` (first and last day)."""
    index = start.year * 12 + start.month - 1 + offset
    first = date(index // 12, index % 12 + 1, 1)
    following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


def stops_after_eigen_bijdrage(selection=None, *, start: date | None = None, months: int = MONTHS_AFTER) -> Table:
    """Per month from the start of the eigen bijdrage, the clients whose care stopped (a stop report
    of the provider, any reason except a switch) and of them those who ended it themselves (reason
    21), against the same month a year earlier. Of the selection, the municipality and the product
    apply. One query on StopCell."""
    start = start or latest_due_start()
    columns = [
        Column(_("Maand"), "text"),
        Column(_("Cliënten gestopt")),
        Column(_("Waarvan door cliënt beëindigd")),
        Column(_("Een jaar eerder gestopt")),
        Column(_("Een jaar eerder door cliënt beëindigd")),
        Column(_("Verschil met een jaar eerder")),
    ]
    title = _("Stops na de invoering van de eigen bijdrage")
    if start is None:
        return Table("stops-eigen-bijdrage", title, columns, [], note=_("geen regel eigen bijdrage"))
    product = selection.product if selection is not None else None
    # Product null: each client once over all products (a client may stop two in one month).
    cells = StopCell.objects.filter(
        month__gte=_month(start, -12)[0], month__lte=_month(start, months - 1)[0], product=product
    )
    if selection is not None and selection.municipality is not None:
        cells = cells.filter(municipality=selection.municipality)
    stored = {
        row["month"]: (row["stopped"], row["ended_by_client"])
        for row in cells.order_by().values("month").annotate(stopped=Sum("clients"), ended_by_client=Sum("by_client"))
    }
    rows = []
    for offset in range(months):
        month = _month(start, offset)[0]
        now = stored.get(month, (0, 0))
        before = stored.get(_month(start, offset - 12)[0], (0, 0))
        rows.append((date_format(month, "F Y"), now[0], now[1], before[0], before[1], now[0] - before[0]))
    note = _("eigen bijdrage verschuldigd vanaf %(date)s") % {"date": date_format(start, "j F Y")}
    return Table("stops-eigen-bijdrage", title, columns, rows, note=note)
