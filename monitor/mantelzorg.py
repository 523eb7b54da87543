"""The monitor's figures on mantelzorg in the onderzoek (art. 2.3.2 Wmo 2015, seed 004): how many
onderzoeken recorded a mantelzorger, how many mantelzorgers, the share at risk of overload (the
rule of indications.models.Mantelzorger.overloaded_q) and of those the share offered respijtzorg or
mantelzorgondersteuning. Read from what the nightly refresh stored (MantelzorgCell): counted per
year of the melding, per period of 4 weeks and per municipality; only the selection's municipality
applies, as an onderzoek
has no product, provider or reference group yet."""

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ui.tables import Column, Table

from .models import MantelzorgCell
from .periods import four_week_periods
from .selectors import Selection
from .services import MANTELZORG_COUNTS


def _columns(first: str) -> list[Column]:
    return [
        Column(first, "text"),
        Column(_("Onderzoeken")),
        Column(_("Met mantelzorger")),
        Column(_("Met mantelzorger (%)"), "pct"),
        Column(_("Mantelzorgers")),
        Column(_("Zwaar- of overbelast")),
        Column(_("Zwaar- of overbelast (%)"), "pct"),
        Column(_("Van wie respijtzorg aangeboden (%)"), "pct"),
        Column(_("Van wie mantelzorgondersteuning aangeboden (%)"), "pct"),
    ]


def share(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


def _figures(selection: Selection, group: str, **where) -> dict:
    """Per group key the stored counts (keys as in services.MANTELZORG_COUNTS), summed in the database."""
    cells = MantelzorgCell.objects.filter(**where)
    if selection.municipality:
        cells = cells.filter(municipality=selection.municipality)
    rows = cells.values(group).annotate(**{f"sum_{name}": Sum(name) for name in MANTELZORG_COUNTS}).order_by()
    return {row[group]: {name: row[f"sum_{name}"] for name in MANTELZORG_COUNTS} for row in rows}


def _row(label, figures: dict | None) -> list:
    figures = figures or {}
    onderzoeken, with_mantelzorger = figures.get("onderzoeken", 0), figures.get("with_mantelzorger", 0)
    mantelzorgers, overloaded = figures.get("mantelzorgers", 0), figures.get("overloaded", 0)
    return [
        label,
        onderzoeken,
        with_mantelzorger,
        share(with_mantelzorger, onderzoeken),
        mantelzorgers,
        overloaded,
        share(overloaded, mantelzorgers),
        share(figures.get("respite", 0), overloaded),
        share(figures.get("support", 0), overloaded),
    ]


NOTE = gettext_lazy(
    "onderzoeken naar het jaar of de periode van de melding; zwaar- of overbelast: overbelast, of zwaar belast "
    "met ten minste het aantal uren van intensieve mantelzorg; respijtzorg en ondersteuning als deel daarvan"
)


def mantelzorg_per_year(selection: Selection, years: list[int]) -> Table:
    figures = _figures(selection, "year", period=0, year__gte=years[0], year__lte=years[-1])
    return Table(
        "mantelzorg-per-jaar",
        _("Mantelzorgers in het onderzoek per jaar"),
        _columns(_("Jaar")),
        [_row(year, figures.get(year)) for year in years],
        note=str(NOTE),
    )


def mantelzorg_per_period(selection: Selection, year: int) -> Table:
    spans = four_week_periods(year)
    figures = _figures(selection, "period", year=year, period__gte=1)
    return Table(
        "mantelzorg-per-periode",
        _("Mantelzorgers in het onderzoek per periode van 4 weken in %(year)s") % {"year": year},
        _columns(_("Periode")),
        [_row(span.label, figures.get(span.period)) for span in spans],
        note=str(NOTE),
    )


def mantelzorg_per_municipality(selection: Selection, year: int) -> Table:
    figures = _figures(selection, "municipality__name", year=year, period=0)
    return Table(
        "mantelzorg-per-gemeente",
        _("Mantelzorgers in het onderzoek per gemeente in %(year)s") % {"year": year},
        _columns(_("Gemeente")),
        [_row(name, figures[name]) for name in sorted(figures)],
        note=str(NOTE),
    )
