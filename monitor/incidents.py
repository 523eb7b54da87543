"""Calamiteiten and geweldsincidenten (art. 3.4 Wmo 2015) in the monitor: per provider and soort the
reports per month of the year, the ones still waiting for their report to the GGD, and the days
from the report to the municipality to the report to the GGD. Live from incidents.selectors (no
cube); of the selection the municipality, the product and the provider apply."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from incidents.models import IncidentKind
from incidents.selectors import (
    counts_per_provider_kind_month,
    days_to_ggd_report_per_provider,
    waiting_for_ggd_per_provider,
)
from ui.tables import Column, Table

from .selectors import Selection

MONTHS = range(1, 13)
MONTH_LABELS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _filters(selection: Selection) -> dict:
    return {"municipality": selection.municipality, "product": selection.product, "provider": selection.provider}


def incidents_per_month(selection: Selection, year: int) -> Table:
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for row in counts_per_provider_kind_month(date(year, 1, 1), date(year, 12, 31), **_filters(selection)):
        counts.setdefault((row["provider__name"], row["kind"]), {})[row["month"]] = row["n"]
    return Table(
        "calamiteiten-per-maand",
        _("Calamiteiten en geweld per aanbieder, soort en maand in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Soort"), "text"),
            *[Column(label) for label in MONTH_LABELS],
            Column(_("Totaal")),
        ],
        [
            [provider, str(IncidentKind(kind).label), *[months.get(m, 0) for m in MONTHS], sum(months.values())]
            for (provider, kind), months in counts.items()
        ],
    )


def waiting_for_ggd(selection: Selection, today: date) -> Table:
    return Table(
        "calamiteiten-wachten-op-ggd",
        _("Calamiteiten die wachten op de melding aan de GGD (op %(day)s)") % {"day": f"{today:%d-%m-%Y}"},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Open")),
            Column(_("Oudste gemeld op"), "date"),
            Column(_("Dagen open (oudste)"), "days"),
        ],
        [
            [row["provider__name"], row["n"], row["oldest"], (today - row["oldest"]).days]
            for row in waiting_for_ggd_per_provider(**_filters(selection))
        ],
    )


def _days(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def days_to_ggd_report(selection: Selection, year: int) -> Table:
    return Table(
        "calamiteiten-dagen-tot-ggd",
        _("Dagen tot de melding aan de GGD, calamiteiten gemeld in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Gemeld aan GGD")),
            Column(_("Gemiddeld aantal dagen"), "decimal"),
            Column(_("Langste (dagen)"), "days"),
        ],
        [
            [row["provider__name"], row["n"], _days(row["average"]), _days(row["longest"])]
            for row in days_to_ggd_report_per_provider(date(year, 1, 1), date(year, 12, 31), **_filters(selection))
        ],
    )
