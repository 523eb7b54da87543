"""The monitor's figures: sums over the refreshed cells (monitor.services), grouped per year,
period, product, provider or reference group; only the median duration reads the beschikkingen
themselves. Each function returns a ui.tables.Table, which the page shows, charts and exports."""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indications.models import (
    GRANTED_STATUSES,
    Client,
    DeliveryForm,
    Indication,
    Melding,
    Municipality,
    OtherProvision,
    Product,
    ResultDomain,
    decided_grant,
)
from providers.models import ReferenceGroup
from signals.checks import describe_stacking
from ui.tables import Column, Table

from .models import (
    COARSE_DIMENSIONS,
    Cell,
    ChannelCell,
    CoarseCell,
    CoarseDecisionCell,
    CoarseDurationCell,
    CoarseWaitingCell,
    DecisionCell,
    DurationAmbition,
    DurationCell,
    MunicipalityWaitingCell,
    Population,
    ProductWaitingCell,
    ProviderWaitingCell,
    Refresh,
    StackingCell,
    WaitingCell,
)
from .periods import four_week_periods
from .publication import SECRET
from .services import age_group_on, not_computed_by_this_release
from .waiting import DIMENSIONS as WAITING_DIMENSIONS
from .waiting import STEPS, Step


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
    delivery_form: str | None = None

    def chosen(self, names=None) -> dict:
        """{dimension: value} of the filters chosen, of `names` (default: all)."""
        names = names or [field.name for field in fields(self)]
        return {name: value for name in names if (value := getattr(self, name))}

    def cells(self, model=Cell, *, grouped_on=()) -> QuerySet:
        """The selected cells of the cube (Cell, or DurationCell with the same dimensions), read from
        the coarse table when the selection and the paths grouped on (e.g. "product__name") use
        only its dimensions."""
        chosen = self.chosen()
        return stored(model, chosen, grouped_on).objects.filter(MEMBER_IN_CELL_YEAR, **chosen)


# The coarser tables of each table of the cube, coarsest first, with their dimensions: the same
# sums over fewer dimensions (CoarseDimensions; the waiting times also per municipality alone, per
# product alone and per provider alone).
COARSE = {
    Cell: [(CoarseCell, COARSE_DIMENSIONS)],
    DurationCell: [(CoarseDurationCell, COARSE_DIMENSIONS)],
    WaitingCell: [
        (MunicipalityWaitingCell, {"municipality"}),
        (ProductWaitingCell, {"product"}),
        (ProviderWaitingCell, {"provider", "reference_group"}),
        (CoarseWaitingCell, COARSE_DIMENSIONS),
    ],
    DecisionCell: [(CoarseDecisionCell, COARSE_DIMENSIONS)],
}


def stored(model, chosen, grouped_on=()):
    """The table to read `model`'s figures from: the coarsest of its coarse tables that has the
    dimensions chosen and the paths grouped on, else the model itself."""
    used = {*chosen, *(path.split("__")[0] for path in grouped_on)}
    return next((table for table, dimensions in COARSE[model] if used <= dimensions), model)


# A cell counts only for a year in which its municipality was a member of the SDD (Municipality
# .member_from / member_until): a municipality's figures before it joined are not the region's.
MEMBER_IN_CELL_YEAR = Q(municipality__member_from__year__lte=F("year")) & (
    Q(municipality__member_until__isnull=True) | Q(municipality__member_until__year__gte=F("year"))
)


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


def stale_years_shown(refresh: Refresh | None, years) -> list[int]:
    """Those of the years a page shows, from the first with data on (as the last refresh found
    it), whose figures are not computed by this release (monitor.services.stale_years)."""
    if refresh is None or refresh.first_data_year is None:
        return []
    return not_computed_by_this_release(year for year in years if year >= refresh.first_data_year)


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


# Cells without a provider: a pgb, or a natura beschikking whose provider was not chosen.
NO_PROVIDER = gettext_lazy("(geen aanbieder: pgb of nog niet gekozen)")
SPENDING_TITLES = {
    "product": (gettext_lazy("Product"), gettext_lazy("Kosten per product in %(year)s")),
    "provider": (gettext_lazy("Aanbieder"), gettext_lazy("Kosten per aanbieder in %(year)s")),
    "delivery_form": (gettext_lazy("Leveringsvorm"), gettext_lazy("Kosten per leveringsvorm in %(year)s")),
}


def spending(selection: Selection, year: int, *, per: str) -> Table:
    """Cost per product, provider or leveringsvorm (natura: tariffs, pgb: budgets) in the year,
    with the average per client per 4 weeks."""
    field = {"product": "product__name", "provider": "provider__name", "delivery_form": "delivery_form"}[per]
    forms = dict(DeliveryForm.choices)
    rows = (
        selection.cells(grouped_on=[field])
        .filter(period=Cell.YEAR, year=year)
        .values(field)
        .annotate(clients=SUMS["clients"], cost=SUMS["cost"], care_days=SUMS["care_days"])
        .annotate(cost_per_client_period=DERIVED["cost_per_client_period"])
        .order_by("-cost", field)
    )
    label, title = SPENDING_TITLES[per]
    slug = "kosten-per-leveringsvorm" if per == "delivery_form" else f"kosten-per-{per}"
    return Table(
        slug,
        str(title) % {"year": year},
        [
            Column(label, "text"),
            Column(_("Cliënten")),
            Column(_("Kosten"), "money"),
            Column(_("Gem. kosten per cliënt per 4 weken"), "money"),
        ],
        [
            [
                str(forms.get(row[field], row[field])) if per == "delivery_form" else row[field] or str(NO_PROVIDER),
                row["clients"],
                row["cost"],
                row["cost_per_client_period"],
            ]
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
        selection.cells(grouped_on=[field])
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
        selection.cells(DurationCell, grouped_on=[field])
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
                row[field] or str(NO_PROVIDER),
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
        for row in selection.cells(grouped_on=[field])
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


def meldingen_per_channel(selection: Selection, years: list[int]) -> Table:
    """Meldingen per channel (inflow: jeugdhulp and GGZ / kliniek among them, seed 000) per year of
    receipt, as the refresh stores them (ChannelCell). Only the municipality of the selection
    applies: a melding has no product, provider, reference group yet."""
    cells = ChannelCell.objects.filter(year__in=years)
    if selection.municipality:
        cells = cells.filter(municipality=selection.municipality)
    counts = {
        (row["year"], row["channel"]): row["meldingen"]
        for row in cells.values("year", "channel").annotate(meldingen=Sum("meldingen")).order_by()
    }
    rows = []
    for channel, label in Melding.Channel.choices:
        values = [counts.get((year, channel), 0) for year in years]
        growth = (values[-1] - values[0]) * 100 / values[0] if values[0] else None
        rows.append([str(label), *values, growth])
    return Table(
        "meldingen-per-kanaal",
        _("Meldingen per kanaal per jaar"),
        [
            Column(_("Kanaal"), "text"),
            *(Column(str(year)) for year in years),
            Column(_("Groei %(first)s–%(last)s (%%)") % {"first": years[0], "last": years[-1]}, "pct"),
        ],
        rows,
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


def _growth(before, after):
    """Growth in percent; "geheim" when either count is (a table protected for publication)."""
    if isinstance(before, str) or isinstance(after, str):
        return SECRET
    return (after - before) * 100 / before if before else None


def growth_per_year(table: Table) -> Table:
    """Year-on-year growth of a per-year table (percentages)."""
    years = [column.label for column in table.columns[1:-1]]
    rows = []
    for row in table.rows:
        values = row[1:-1]
        rows.append(
            [
                row[0],
                *(_growth(values[i - 1], values[i]) for i in range(1, len(values))),
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
    # Only the municipalities that were members of the SDD in the year: one that was not is absent,
    # not a row of zeros, and its inhabitants do not count in the region's total.
    members = set(Municipality.objects.members_in_year(year).values_list("pk", flat=True))
    cells = StackingCell.objects.filter(year=year, municipality__in=members).select_related("municipality")
    if municipality:
        cells = cells.filter(municipality=municipality)
    population = dict(
        Population.objects.filter(year=year, municipality__in=members).values_list("municipality_id", "inhabitants")
    )
    totals = list(cells.filter(combination__isnull=True).order_by("municipality__name"))
    rows = [
        _stacking_row(
            cell.municipality.name,
            cell.clients,
            cell.households,
            cell.across_laws,
            population.get(cell.municipality_id),
        )
        for cell in totals
    ]
    if totals and not municipality:
        # The region's inhabitants: every member's, known only when each member's is known.
        inhabitants = sum(population.values()) if members <= set(population) else None
        rows.append(
            _stacking_row(
                _("Totaal (%(count)s gemeenten)") % {"count": len(members)},
                sum(cell.clients for cell in totals),
                sum(cell.households for cell in totals),
                sum(cell.across_laws for cell in totals),
                inhabitants,
            )
        )
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
        rows,
        note=_("cliënten met IB; inwoners per 1 januari; alleen de gemeenten die in %(year)s lid waren")
        % {"year": year},
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


def _stacking_row(name: str, clients: int, households: int, across_laws: int, inhabitants: int | None) -> list:
    return [
        name,
        clients,
        households,
        across_laws,
        inhabitants,
        clients * 1000 / inhabitants if inhabitants else None,
        across_laws * 1000 / inhabitants if inhabitants else None,
    ]


@dataclass(frozen=True)
class Coverage:
    """The municipalities whose figures a run of years covers (the members of the SDD then)."""

    first_year: int
    last_year: int
    municipalities: tuple[str, ...]

    def __str__(self) -> str:
        years = str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"
        return _("%(years)s: %(count)s gemeenten (%(names)s)") % {
            "years": years,
            "count": len(self.municipalities),
            "names": ", ".join(self.municipalities),
        }


def coverage(years: list[int]) -> list[Coverage]:
    """Per run of years with the same members, which municipalities the figures cover."""
    runs: list[Coverage] = []
    municipalities = list(Municipality.objects.order_by("name"))  # a handful: one query for every year
    for year in sorted(years):
        first, last = date(year, 1, 1), date(year, 12, 31)
        names = tuple(
            m.name
            for m in municipalities
            if m.member_from <= last and (m.member_until is None or m.member_until >= first)
        )
        if runs and runs[-1].municipalities == names and runs[-1].last_year == year - 1:
            runs[-1] = Coverage(runs[-1].first_year, year, names)
        else:
            runs.append(Coverage(year, year, names))
    return runs


def available_years() -> list[int]:
    years = CoarseCell.objects.filter(period=Cell.YEAR).order_by("year").values_list("year", flat=True).distinct()
    return list(years)


def ambitions() -> dict[str, int]:
    return dict(DurationAmbition.objects.values_list("product__name", "weeks"))


def ceo_population(year: int, *, municipality: Municipality | None = None) -> Table:
    """The population of the yearly cliëntervaringsonderzoek (Wmo 2015 art. 2.5.1): every client with
    a beschikking in force or decided in the year, with what is needed to invite them and to report
    per group; no BSN (not needed for an invitation). Rows stream from the database."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    # In force: granted care overlapping the year; decided: any grant decided in the year, also one
    # withdrawn afterwards (indications.workflow). An afwijzing gave no voorziening: not in it.
    in_force = Q(status__in=GRANTED_STATUSES, start_date__lte=end) & (Q(care_end__isnull=True) | Q(care_end__gte=start))
    decided = decided_grant() & Q(decision_date__gte=start, decision_date__lte=end)
    in_year = (
        Indication.objects.annotate(care_end=Coalesce("ended_on", "end_date"))
        .filter(client=OuterRef("pk"))
        .filter(in_force | decided)
    )
    last = in_year.order_by("-start_date", "-pk")
    clients = Client.objects.filter(Exists(in_year), municipality__in=Municipality.objects.members_in_year(year))
    if municipality:
        clients = clients.filter(municipality=municipality)
    rows = (
        clients.annotate(
            product=Subquery(last.values("product__name")[:1]),
            # A pgb has no provider: its clients form a group of their own ("pgb") in the survey.
            provider=Subquery(
                last.annotate(
                    provider_label=Case(
                        When(delivery_form=DeliveryForm.PGB, then=Value(str(DeliveryForm.PGB.label))),
                        default=F("provider__name"),
                    )
                ).values("provider_label")[:1]
            ),
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


# -- funnel and waiting time ----------------------------------------------------------------------


WAITING_COLUMNS = (
    ("count", gettext_lazy("Aantal"), "int"),
    ("median", gettext_lazy("Mediaan (dagen)"), "days"),
    ("within_term", gettext_lazy("Binnen termijn"), "int"),
    ("within_term_percentage", gettext_lazy("Binnen termijn %"), "pct"),
)
WAITING_NOTE = gettext_lazy(
    "wachttijd in kalenderdagen, geteld in de periode waarin de stap werd afgerond; de stap melding → "
    "onderzoek telt niet mee bij een keuze van product, aanbieder, referentiegroep, primair leefdomein, "
    "behandeling of leveringsvorm; leeftijdsgroep op de laatste dag van het jaar"
)


def step_figures(histogram: list[tuple[int, int]], term: int) -> dict:
    """Count, median and how many (and which share) within the term, from (days, count) pairs."""
    count = sum(number for _days, number in histogram)
    within = sum(number for days, number in histogram if days <= term)
    return {
        "count": count,
        "median": _median(histogram),
        "within_term": within,
        "within_term_percentage": within * 100 / count if count else None,
    }


def _step_histograms(selection: Selection, group, *, grouped_on: str | None = None, **where) -> list:
    """Per step (in the funnel's order) {group: [(days, count), ...]} of the stored steps
    (WaitingCell) where `where` holds, within the selection: one grouped query. A step without a
    dimension the selection chooses is left out (the onderzoek, when a product is chosen), as is one
    without the dimension `grouped_on` (the onderzoek, in a table per product)."""
    chosen = selection.chosen(["age_group", *WAITING_DIMENSIONS])
    needed = [*chosen, *([grouped_on] if grouped_on else [])]
    steps = [step for step in STEPS if all(step.has(name) for name in needed)]
    if not steps:
        return []
    rows = (
        stored(WaitingCell, chosen, needed)
        .objects.filter(step__in=[step.key for step in steps], **where, **chosen)
        .annotate(step_group=group)
        .values("step", "step_group", "days")
        .annotate(number=Sum("number"))
        .order_by("step", "step_group", "days")
        .values_list("step", "step_group", "days", "number")
    )
    histograms: dict = {step.key: defaultdict(list) for step in steps}
    for step_key, key, days, number in rows:
        histograms[step_key][key].append((days, number))
    return [(step, histograms[step.key]) for step in steps]


def _step_label(step: Step) -> str:
    return _("%(step)s (termijn %(days)s dagen)") % {"step": step.label, "days": step.term_days()}


def _waiting_table(slug: str, title: str, first: str, groups: list, per_step: list) -> Table:
    """Rows [group, step, figures...] per group (in the order of `groups`, (key, label) pairs) and step."""
    rows = []
    for key, label in groups:
        for step, histograms in per_step:
            if key in histograms:
                figures = step_figures(histograms[key], step.term_days())
                rows.append([label, _step_label(step), *(figures[name] for name, _l, _k in WAITING_COLUMNS)])
    return Table(
        slug,
        title,
        [
            Column(first, "text"),
            Column(_("Stap"), "text"),
            *(Column(label, kind) for _key, label, kind in WAITING_COLUMNS),
        ],
        rows,
        note=WAITING_NOTE,
    )


def waiting_times_per_year(selection: Selection, years: list[int]) -> Table:
    """The funnel's steps completed per year: how many, the median waiting time and how many
    within the term (6 weeks onderzoek, 2 weeks beschikking, the SLA's term for the start of care)."""
    per_step = _step_histograms(selection, F("year"), period=0, year__gte=years[0], year__lte=years[-1])
    return _waiting_table(
        "doorlooptijden-per-jaar",
        _("Doorlooptijden en wachttijd per jaar"),
        _("Jaar"),
        [(year, year) for year in years],
        per_step,
    )


def waiting_times_per_period(selection: Selection, year: int) -> Table:
    per_step = _step_histograms(selection, F("period"), year=year, period__gte=1)
    return _waiting_table(
        "doorlooptijden-per-periode",
        _("Doorlooptijden en wachttijd per periode van 4 weken in %(year)s") % {"year": year},
        _("Periode"),
        [(span.period, span.label) for span in four_week_periods(year)],
        per_step,
    )


WAITING_PER = {
    "municipality": ("gemeente", gettext_lazy("Gemeente"), gettext_lazy("Doorlooptijden per gemeente in %(year)s")),
    "product": ("product", gettext_lazy("Product"), gettext_lazy("Doorlooptijden per product in %(year)s")),
    "provider": ("aanbieder", gettext_lazy("Aanbieder"), gettext_lazy("Doorlooptijden per aanbieder in %(year)s")),
}


def waiting_times(selection: Selection, year: int, *, per: str) -> Table:
    """The funnel's steps completed in the year per municipality, product or provider (the
    onderzoek only per municipality: it has no product or provider)."""
    slug, first, title = WAITING_PER[per]
    per_step = _step_histograms(selection, F(f"{per}__name"), grouped_on=per, year=year, period=0)
    keys = sorted({key for _step, histograms in per_step for key in histograms}, key=lambda key: (key is None, key))
    return _waiting_table(
        f"doorlooptijden-per-{slug}",
        title % {"year": year},
        first,
        [(key, key if key is not None else str(NO_PROVIDER)) for key in keys],
        per_step,
    )
