"""The monitor's figures: sums over the refreshed cells (monitor.services), grouped per year,
period, product, provider or reference group; only the median duration reads the beschikkingen
themselves. Each function returns a ui.tables.Table, which the page shows, charts and exports."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import DecimalField, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indications.models import (
    DECIDED,
    GRANTED_STATUSES,
    Client,
    Indication,
    Municipality,
    OtherProvision,
    Product,
    ResultDomain,
)
from providers.models import ReferenceGroup
from signals.checks import describe_stacking
from ui.tables import Column, Table

from .models import Cell, DurationAmbition, DurationCell, Population, Refresh, StackingCell
from .periods import four_week_periods
from .services import age_group_on


@dataclass(frozen=True)
class Selection:
    """The filters of the monitor; None is 'all'."""

    municipality: Municipality | None = None
    product: Product | None = None
    provider: object | None = None
    reference_group: object | None = None
    age_group: str | None = None
    gender: str | None = None
    primary_domain: ResultDomain | None = None
    treatment_needed: str | None = None

    def cells(self, model=Cell) -> QuerySet:
        """The selected cells of the cube (Cell, or DurationCell with the same dimensions)."""
        filters = {
            "municipality": self.municipality,
            "product": self.product,
            "provider": self.provider,
            "reference_group": self.reference_group,
            "age_group": self.age_group,
            "gender": self.gender,
            "primary_domain": self.primary_domain,
            "treatment_needed": self.treatment_needed,
        }
        return model.objects.filter(**{key: value for key, value in filters.items() if value})


MONEY = DecimalField(max_digits=16, decimal_places=2)
SUMS = {
    "clients": Coalesce(Sum("clients"), 0),
    "clients_on_reference_date": Coalesce(Sum("clients_on_reference_date"), 0),
    "instroom": Coalesce(Sum("instroom"), 0),
    "heraanmeldingen": Coalesce(Sum("heraanmeldingen"), 0),
    "uitstroom": Coalesce(Sum("uitstroom"), 0),
    "afschaling": Coalesce(Sum("afschaling"), 0),
    "opschaling": Coalesce(Sum("opschaling"), 0),
    "cost": Coalesce(Sum("cost"), Value(0, output_field=MONEY)),
    "care_days": Coalesce(Sum("care_days"), 0),
}
DERIVED = {
    "uitstroom_percentage": Cast(F("uitstroom"), FloatField()) * 100 / NullIf(F("clients"), 0),
    "cost_per_client_period": Cast(F("cost"), FloatField()) * 28 / NullIf(F("care_days"), 0),
}
KEY_COLUMNS = [
    ("clients_on_reference_date", Column(gettext_lazy("Cliënten op peildatum"))),
    ("clients", Column(gettext_lazy("Cliënten in periode"))),
    ("instroom", Column(gettext_lazy("Instroom"))),
    ("uitstroom", Column(gettext_lazy("Uitstroom"))),
    ("uitstroom_percentage", Column(gettext_lazy("Uitstroom %"), "pct")),
    ("afschaling", Column(gettext_lazy("Afschaling"))),
    ("opschaling", Column(gettext_lazy("Opschaling"))),
    ("heraanmeldingen", Column(gettext_lazy("Heraanmeldingen"))),
    ("cost", Column(gettext_lazy("Kosten"), "money")),
    ("cost_per_client_period", Column(gettext_lazy("Gem. kosten per cliënt per 4 weken"), "money")),
]


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-started_at", "-id").first()


def key_figures_per_year(selection: Selection, years: list[int]) -> Table:
    rows = (
        selection.cells()
        .filter(period=Cell.YEAR, year__in=years)
        .order_by("year")
        .values("year")
        .annotate(**SUMS)
        .annotate(**DERIVED)
    )
    return Table(
        "kerncijfers-per-jaar",
        _("Kerncijfers per jaar"),
        [Column(_("Jaar"), "text"), *(column for _key, column in KEY_COLUMNS)],
        [[row["year"], *(row[key] for key, _column in KEY_COLUMNS)] for row in rows],
    )


def key_figures_per_period(selection: Selection, year: int) -> Table:
    spans = {span.period: span for span in four_week_periods(year)}
    rows = (
        selection.cells()
        .filter(year=year, period__gte=1)
        .order_by("period")
        .values("period")
        .annotate(**SUMS)
        .annotate(**DERIVED)
    )
    return Table(
        "kerncijfers-per-periode",
        _("Kerncijfers per periode van 4 weken in %(year)s") % {"year": year},
        [
            Column(_("Periode"), "text"),
            Column(_("Van"), "date"),
            Column(_("Tot en met"), "date"),
            *(column for _key, column in KEY_COLUMNS),
        ],
        [
            [
                spans[row["period"]].label,
                spans[row["period"]].start,
                spans[row["period"]].end,
                *(row[key] for key, _column in KEY_COLUMNS),
            ]
            for row in rows
        ],
    )


def spending(selection: Selection, year: int, *, per: str) -> Table:
    """Cost per product or per provider in the year, with the average per client per 4 weeks."""
    field = {"product": "product__name", "provider": "provider__name"}[per]
    rows = (
        selection.cells()
        .filter(period=Cell.YEAR, year=year)
        .values(field)
        .annotate(clients=SUMS["clients"], cost=SUMS["cost"], care_days=SUMS["care_days"])
        .annotate(cost_per_client_period=DERIVED["cost_per_client_period"])
        .order_by("-cost", field)
    )
    label = _("Product") if per == "product" else _("Aanbieder")
    return Table(
        f"kosten-per-{per}",
        (_("Kosten per product in %(year)s") if per == "product" else _("Kosten per aanbieder in %(year)s"))
        % {"year": year},
        [
            Column(label, "text"),
            Column(_("Cliënten")),
            Column(_("Kosten"), "money"),
            Column(_("Gem. kosten per cliënt per 4 weken"), "money"),
        ],
        [
            [row[field] or _("(geen aanbieder)"), row["clients"], row["cost"], row["cost_per_client_period"]]
            for row in rows
        ],
    )


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, count) pairs in ascending order: the middle value, or
    the mean of the two middle ones (as percentile_cont(0.5) computes it)."""
    total = sum(count for _value, count in histogram)
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})  # the 0-based positions of the middle value(s)
    found, seen = [], 0
    for value, count in histogram:
        found.extend(value for position in wanted if seen <= position < seen + count)
        seen += count
    return sum(found) / len(found)


def durations(selection: Selection, year: int, *, per: str) -> Table:
    """Duration of the beschikkingen that ended in the year, in days: average (from the cells),
    median (from the duration cells: the database counts the beschikkingen per duration, the middle
    of at most a few thousand counts is picked here) and the ambition (per product; per provider
    weighted by its product mix), with the difference."""
    field = {"product": "product__name", "provider": "provider__name"}[per]
    with_ambition = Q(product__duration_ambition__isnull=False)
    rows = list(
        selection.cells()
        .filter(period=Cell.YEAR, year=year, ended__gt=0)
        .values(field)
        .annotate(
            ended_count=Sum("ended"),
            average=Cast(Sum("ended_days"), FloatField()) / Sum("ended"),
            ambition=Cast(
                Sum(F("ended") * F("product__duration_ambition__weeks") * 7, filter=with_ambition), FloatField()
            )
            / NullIf(Sum("ended", filter=with_ambition), 0),
        )
        .order_by(field)
    )
    histograms: dict = defaultdict(list)
    for name, days, count in (
        selection.cells(DurationCell)
        .filter(year=year)
        .values(field, "days")
        .annotate(count=Sum("ended"))
        .order_by(field, "days")
        .values_list(field, "days", "count")
    ):
        histograms[name].append((days, count))
    medians = {name: _median(histogram) for name, histogram in histograms.items()}
    label = _("Product") if per == "product" else _("Aanbieder")
    return Table(
        f"duur-per-{per}",
        (
            _("Duur van beëindigde beschikkingen per product in %(year)s")
            if per == "product"
            else _("Duur van beëindigde beschikkingen per aanbieder in %(year)s")
        )
        % {"year": year},
        [
            Column(label, "text"),
            Column(_("Beëindigd")),
            Column(_("Gemiddelde duur (dagen)"), "days"),
            Column(_("Mediane duur (dagen)"), "days"),
            Column(_("Ambitie (dagen)"), "days"),
            Column(_("Verschil gemiddelde – ambitie (dagen)"), "days"),
        ],
        [
            [
                row[field] or _("(geen aanbieder)"),
                row["ended_count"],
                row["average"],
                medians.get(row[field]),
                row["ambition"],
                row["average"] - row["ambition"] if row["ambition"] else None,
            ]
            for row in rows
        ],
    )


def _per_year_and(
    selection: Selection, years: list[int], field: str, labels: list[str], slug: str, title: str, first_column: str
) -> Table:
    counts = {
        (row["year"], row[field]): row["clients"]
        for row in selection.cells()
        .filter(period=Cell.YEAR, year__in=years)
        .values("year", field)
        .annotate(clients=Sum("clients"))
        .order_by()
    }
    rows = []
    for label in labels:
        values = [counts.get((year, label), 0) for year in years]
        growth = (values[-1] - values[0]) * 100 / values[0] if values and values[0] else None
        rows.append([label, *values, growth])
    return Table(
        slug,
        title,
        [
            Column(first_column, "text"),
            *(Column(str(year)) for year in years),
            Column(_("Groei %(first)s–%(last)s (%%)") % {"first": years[0], "last": years[-1]}, "pct"),
        ],
        rows,
    )


def product_shares(selection: Selection, years: list[int]) -> Table:
    """Clients per product per year (each client in the product of their last beschikking)."""
    labels = list(Product.objects.order_by("level").values_list("name", flat=True))
    return _per_year_and(
        selection,
        years,
        "product__name",
        labels,
        "producten-per-jaar",
        _("Cliënten per product per jaar"),
        _("Product"),
    )


def clients_per_reference_group(selection: Selection, years: list[int]) -> Table:
    labels = list(ReferenceGroup.objects.order_by("number").values_list("name", flat=True))
    return _per_year_and(
        selection,
        years,
        "reference_group__name",
        labels,
        "referentiegroepen-per-jaar",
        _("Cliënten per referentiegroep per jaar"),
        _("Referentiegroep"),
    )


def growth_per_year(table: Table) -> Table:
    """Year-on-year growth of a per-year table (percentages)."""
    years = [column.label for column in table.columns[1:-1]]
    rows = []
    for row in table.rows:
        values = row[1:-1]
        rows.append(
            [
                row[0],
                *(
                    (values[i] - values[i - 1]) * 100 / values[i - 1] if values[i - 1] else None
                    for i in range(1, len(values))
                ),
            ]
        )
    return Table(
        f"{table.slug}-groei",
        _("Groei ten opzichte van het jaar ervoor (%)"),
        [Column(table.columns[0].label, "text"), *(Column(year, "pct") for year in years[1:])],
        rows,
    )


def stacking(year: int, *, municipality: Municipality | None = None) -> tuple[Table, Table]:
    """Stacking on the year's reference date: per municipality the rates per 1,000 inhabitants, and
    the combinations with their clients and households."""
    cells = StackingCell.objects.filter(year=year).select_related("municipality")
    if municipality:
        cells = cells.filter(municipality=municipality)
    population = dict(Population.objects.filter(year=year).values_list("municipality_id", "inhabitants"))
    totals = cells.filter(combination__isnull=True).order_by("municipality__name")
    rates = Table(
        "zorgstapeling-per-gemeente",
        _("Zorgstapeling per gemeente in %(year)s") % {"year": year},
        [
            Column(_("Gemeente"), "text"),
            Column(_("Cliënten met stapeling")),
            Column(_("Huishoudens")),
            Column(_("Over ten minste twee wetten")),
            Column(_("Inwoners")),
            Column(_("Per 1.000 inwoners"), "decimal"),
            Column(_("Over twee wetten per 1.000 inwoners"), "decimal"),
        ],
        [
            [
                cell.municipality.name,
                cell.clients,
                cell.households,
                cell.across_laws,
                population.get(cell.municipality_id),
                cell.clients * 1000 / population[cell.municipality_id]
                if population.get(cell.municipality_id)
                else None,
                cell.across_laws * 1000 / population[cell.municipality_id]
                if population.get(cell.municipality_id)
                else None,
            ]
            for cell in totals
        ],
        note=_("cliënten met IB; inwoners per 1 januari"),
    )
    combinations = (
        cells.filter(combination__isnull=False)
        .values("combination")
        .annotate(clients=Sum("clients"), households=Sum("households"))
        .order_by("-clients")
    )
    table = Table(
        "zorgstapeling-combinaties",
        _("Combinaties van voorzieningen in %(year)s") % {"year": year},
        [Column(_("Combinatie"), "text"), Column(_("Wetten"), "text"), Column(_("Cliënten")), Column(_("Huishoudens"))],
        [
            [
                "IB + " + ", ".join(describe_stacking(row["combination"])[0]),
                ", ".join(OtherProvision.LAW_NAMES[law] for law in describe_stacking(row["combination"])[1]),
                row["clients"],
                row["households"],
            ]
            for row in combinations
        ],
    )
    return rates, table


def available_years() -> list[int]:
    return list(Cell.objects.filter(period=Cell.YEAR).order_by("year").values_list("year", flat=True).distinct())


def ambitions() -> dict[str, int]:
    return dict(DurationAmbition.objects.values_list("product__name", "weeks"))


def ceo_population(year: int, *, municipality: Municipality | None = None) -> Table:
    """The population of the yearly cliëntervaringsonderzoek (Wmo 2015 art. 2.5.1): every client with
    a beschikking in force or decided in the year, with what is needed to invite them and to report
    per group; no BSN (not needed for an invitation). Rows stream from the database."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    # In force: granted care overlapping the year; decided: any decision in the year, also one
    # withdrawn afterwards (indications.workflow).
    in_force = Q(status__in=GRANTED_STATUSES, start_date__lte=end) & (Q(care_end__isnull=True) | Q(care_end__gte=start))
    decided = DECIDED & Q(decision_date__gte=start, decision_date__lte=end)
    in_year = (
        Indication.objects.annotate(care_end=Coalesce("ended_on", "end_date"))
        .filter(client=OuterRef("pk"))
        .filter(in_force | decided)
    )
    last = in_year.order_by("-start_date", "-pk")
    clients = Client.objects.filter(Exists(in_year))
    if municipality:
        clients = clients.filter(municipality=municipality)
    rows = (
        clients.annotate(
            product=Subquery(last.values("product__name")[:1]),
            provider=Subquery(last.values("provider__name")[:1]),
            age_group=age_group_on(end, field="date_of_birth"),
        )
        .order_by("municipality__name", "postcode", "house_number", "pk")
        .values_list(
            "municipality__name",
            "initials",
            "name_prefix",
            "last_name",
            "street",
            "house_number",
            "postcode",
            "city",
            "age_group",
            "gender",
            "product",
            "provider",
        )
        .iterator(chunk_size=2000)
    )
    return Table(
        "clientervaringsonderzoek",
        _("Populatie cliëntervaringsonderzoek %(year)s") % {"year": year},
        [
            Column(label, "text")
            for label in (
                _("Gemeente"),
                _("Voorletters"),
                _("Tussenvoegsel"),
                _("Achternaam"),
                _("Straat"),
                _("Huisnummer"),
                _("Postcode"),
                _("Woonplaats"),
                _("Leeftijdsgroep"),
                _("Geslacht"),
                _("Product"),
                _("Aanbieder"),
            )
        ],
        rows,
    )
