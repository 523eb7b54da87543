"""Stops after the eigen bijdrage: seed 001 (around line 1091) warns that clients stop their support
because of the eigen bijdrage. So per month after the eigen bijdrage started (1 December 2020 with
the rules of indications.eigen_bijdrage), the clients whose care stopped, against the same month a
year earlier as the baseline. A live figure, counted in the database from the toewijzingen."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indications.eigen_bijdrage import latest_due_start
from providers.codes import RedenBeeindiging
from providers.models import Assignment
from ui.tables import Column, Table

MONTHS_AFTER = 6
# A stop followed by care elsewhere is no stop of the support: a switch of provider or a change.
NOT_A_STOP = (RedenBeeindiging.WIJZIGINGSVERZOEK, RedenBeeindiging.ANDERE_AANBIEDER)


def _month(start: date, offset: int) -> tuple[date, date]:
    """The calendar month `offset` months after the month of `start` (first and last day)."""
    index = start.year * 12 + start.month - 1 + offset
    first = date(index // 12, index % 12 + 1, 1)
    following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


def stops_after_eigen_bijdrage(selection=None, *, start: date | None = None, months: int = MONTHS_AFTER) -> Table:
    """Per month from the start of the eigen bijdrage, the clients whose care stopped (a stop report
    of the provider, any reason except a switch) and of them those who ended it themselves (reason
    21), against the same month a year earlier. One query."""
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
    # Only the stops of the months counted: from the first month a year earlier to the last month.
    stops = Assignment.objects.filter(
        care_stopped_on__gte=_month(start, -12)[0], care_stopped_on__lte=_month(start, months - 1)[1]
    ).exclude(stop_reason__in=NOT_A_STOP)
    if selection is not None and selection.municipality is not None:
        stops = stops.filter(indication__client__municipality=selection.municipality)
    if selection is not None and selection.product is not None:
        stops = stops.filter(product=selection.product)
    counts, labels = {}, []
    for offset in range(months):
        for key, shift in (("now", 0), ("before", -12)):
            first, last = _month(start, offset + shift)
            in_month = Q(care_stopped_on__gte=first, care_stopped_on__lte=last)
            counts[f"{key}{offset}"] = Count("indication__client", distinct=True, filter=in_month)
            counts[f"{key}{offset}_client"] = Count(
                "indication__client",
                distinct=True,
                filter=in_month & Q(stop_reason=RedenBeeindiging.DOOR_CLIENT),
            )
        labels.append(date_format(_month(start, offset)[0], "F Y"))
    totals = stops.aggregate(**counts)
    rows = [
        (
            label,
            totals[f"now{offset}"],
            totals[f"now{offset}_client"],
            totals[f"before{offset}"],
            totals[f"before{offset}_client"],
            totals[f"now{offset}"] - totals[f"before{offset}"],
        )
        for offset, label in enumerate(labels)
    ]
    note = _("eigen bijdrage verschuldigd vanaf %(date)s") % {"date": date_format(start, "j F Y")}
    return Table("stops-eigen-bijdrage", title, columns, rows, note=note)
