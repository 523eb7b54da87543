"""The monitor's figures on mantelzorg in the onderzoek (art. 2.3.2 Wmo 2015, seed 004): how many
onderzoeken recorded a mantelzorger, how many mantelzorgers, the share at risk of overload (the
rule of indications.models.Mantelzorger.overloaded_q) and of those the share offered respijtzorg or
mantelzorgondersteuning. Live from the case file (no cube): counted per year of the melding, per
period of 4 weeks and per municipality; only the selection's municipality applies, as an onderzoek
has no product, provider or reference group yet."""

from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indications.models import Intake, Mantelzorger
from ui.tables import Column, Table

from .periods import four_week_periods
from .selectors import Selection


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


def _figures(intakes: QuerySet, group) -> dict:
    """Per group key the counts, aggregated in the database."""
    overloaded = Mantelzorger.overloaded_q("mantelzorgers__")
    rows = (
        intakes.annotate(group=group)
        .values("group")
        .annotate(
            onderzoeken=Count("pk", distinct=True),
            with_mantelzorger=Count("pk", filter=Q(mantelzorgers__isnull=False), distinct=True),
            mantelzorger_count=Count("mantelzorgers", distinct=True),
            overloaded_count=Count("mantelzorgers", filter=overloaded, distinct=True),
            respite=Count("mantelzorgers", filter=overloaded & Q(mantelzorgers__respite_offered=True), distinct=True),
            support=Count("mantelzorgers", filter=overloaded & Q(mantelzorgers__support_offered=True), distinct=True),
        )
        .order_by()
    )
    return {row["group"]: row for row in rows}


def _row(label, figures: dict | None) -> list:
    figures = figures or {}
    onderzoeken, with_mantelzorger = figures.get("onderzoeken", 0), figures.get("with_mantelzorger", 0)
    mantelzorgers, overloaded = figures.get("mantelzorger_count", 0), figures.get("overloaded_count", 0)
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


def _intakes(selection: Selection, start: date, end: date) -> QuerySet:
    intakes = Intake.objects.filter(melding__received_on__gte=start, melding__received_on__lte=end)
    if selection.municipality:
        intakes = intakes.filter(melding__client__municipality=selection.municipality)
    return intakes


NOTE = gettext_lazy(
    "onderzoeken naar het jaar of de periode van de melding; zwaar- of overbelast: overbelast, of zwaar belast "
    "met ten minste het aantal uren van intensieve mantelzorg; respijtzorg en ondersteuning als deel daarvan"
)


def mantelzorg_per_year(selection: Selection, years: list[int]) -> Table:
    figures = _figures(
        _intakes(selection, date(years[0], 1, 1), date(years[-1], 12, 31)), ExtractYear("melding__received_on")
    )
    return Table(
        "mantelzorg-per-jaar",
        _("Mantelzorgers in het onderzoek per jaar"),
        _columns(_("Jaar")),
        [_row(year, figures.get(year)) for year in years],
        note=str(NOTE),
    )


def mantelzorg_per_period(selection: Selection, year: int) -> Table:
    spans = four_week_periods(year)
    period = Case(
        *[When(melding__received_on__range=(span.start, span.end), then=Value(span.period)) for span in spans],
        default=Value(0),
        output_field=IntegerField(),
    )
    figures = _figures(_intakes(selection, spans[0].start, spans[-1].end), period)
    return Table(
        "mantelzorg-per-periode",
        _("Mantelzorgers in het onderzoek per periode van 4 weken in %(year)s") % {"year": year},
        _columns(_("Periode")),
        [_row(span.label, figures.get(span.period)) for span in spans],
        note=str(NOTE),
    )


def mantelzorg_per_municipality(selection: Selection, year: int) -> Table:
    figures = _figures(
        _intakes(selection, date(year, 1, 1), date(year, 12, 31)), F("melding__client__municipality__name")
    )
    return Table(
        "mantelzorg-per-gemeente",
        _("Mantelzorgers in het onderzoek per gemeente in %(year)s") % {"year": year},
        _columns(_("Gemeente")),
        [_row(name, figures[name]) for name in sorted(figures)],
        note=str(NOTE),
    )
