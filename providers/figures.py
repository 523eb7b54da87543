"""The SLA figures of providers as tables (ui.tables.Table) for the provider dashboard, the
benchmark page and their CSV/XLSX exports: one definition of what is shown and downloaded.

The figures are the stored ones (SlaFigures, SlaProductResults: computed in the database by
selectors.benchmark during the nightly refresh), so the pages load at once on any data set; the
open SLA signals are read live (from the signals app, through providers.hooks). This module only
puts them in rows and columns."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from indications.models import Product
from ui.tables import Column, Link, Table, Tag

from . import hooks, selectors
from .durations import in_days
from .models import Provider
from .sla import SHOWN_FIGURES

TREND_YEARS = 5
SIGNALS_ON_SCREEN = 50


def days(value):
    """A duration as a number of days (one decimal), or None."""
    return in_days(value, decimals=1)


def _figure_columns() -> list[tuple[str, Column]]:
    """The SLA figures of a period, in the order the pages show them (providers.sla declares them)."""
    return [(figure.name, Column(str(figure.label), figure.unit)) for figure in SHOWN_FIGURES]


def _values(source, keys: list[str]) -> list:
    """The figures of a benchmark row (a Provider) or of group averages (a dict)."""
    get = source.get if isinstance(source, dict) else lambda key: getattr(source, key, None)
    return [days(get(key)) for key in keys]


class ProviderDashboard:
    """Everything the dashboard of one provider shows for a year, as tables, from the stored
    figures: one query for the provider's years and quarters, one for its reference group's
    years, one for the results per product and one for the open SLA signals."""

    def __init__(self, provider: Provider, year: int, *, today: date):
        self.provider, self.year, self.today = provider, year, today
        self.columns = _figure_columns()
        self.keys = [key for key, _column in self.columns]
        self.trend_years = list(range(year - TREND_YEARS + 1, year + 1))
        self.stored = selectors.stored_figures_of(provider, self.trend_years)
        group = selectors.stored_group_figures(provider, self.trend_years)
        self.per_year = {
            trend_year: (self.stored.get((trend_year, 0)), selectors.group_averages(group[trend_year]))
            for trend_year in self.trend_years
        }
        self.own, self.group = self.per_year[year]

    def quarters(self) -> Table:
        """The SLA figures per quarter and for the whole year, with the reference group's average."""
        rows = [
            [period.label, *_values(self.stored.get((self.year, quarter)), self.keys)]
            for quarter, period in enumerate(selectors.periods(self.year, "kwartaal"), start=1)
        ]
        rows.append([_("Heel %(year)s") % {"year": self.year}, *_values(self.own, self.keys)])
        rows.append([_("Gemiddelde referentiegroep %(year)s") % {"year": self.year}, *_values(self.group, self.keys)])
        return Table(
            "sla-per-kwartaal",
            _("SLA-cijfers van %(provider)s per kwartaal in %(year)s")
            % {"provider": self.provider.name, "year": self.year},
            [Column(_("Periode"), "text"), *(column for _key, column in self.columns)],
            rows,
            note=_("te laat: meer dan 7 dagen na de start- of stopdatum gemeld"),
        )

    def trend(self) -> Table:
        """The year figures over five years, with the group's average uitstroom and results."""
        rows = [
            [str(trend_year), *_values(own, self.keys), group["uitstroom_percentage"], group["behaald_percentage"]]
            for trend_year, (own, group) in self.per_year.items()
        ]
        return Table(
            "sla-per-jaar",
            _("SLA-cijfers van %(provider)s per jaar") % {"provider": self.provider.name},
            [
                Column(_("Jaar"), "text"),
                *(column for _key, column in self.columns),
                Column(_("Uitstroom % referentiegroep"), "pct"),
                Column(_("Resultaten behaald % referentiegroep"), "pct"),
            ],
            rows,
        )

    def results(self) -> Table:
        """Evaluation outcomes and results achieved per product in the year."""
        products = selectors.stored_results_per_product(self.provider, self.year)
        outcome_labels = [_("Voortzetten"), _("Afschalen"), _("Opschalen"), _("Beëindigen"), _("Herindicatie")]
        return Table(
            "resultaten-per-product",
            _("Evaluaties en behaalde resultaten van %(provider)s per product in %(year)s")
            % {"provider": self.provider.name, "year": self.year},
            [
                Column(_("Product"), "text"),
                Column(_("Evaluaties")),
                *(Column(label) for label in outcome_labels),
                Column(_("Beoordeelde resultaten")),
                Column(_("Behaald")),
                Column(_("Deels behaald")),
                Column(_("Niet behaald")),
                Column(_("Behaald %"), "pct"),
            ],
            [
                [
                    product.name,
                    product.evaluations,
                    *(getattr(product, field) for field in selectors.OUTCOME_FIELDS.values()),
                    product.results_assessed,
                    *(getattr(product, field) for field in selectors.PROGRESS_FIELDS.values()),
                    product.behaald_percentage,
                ]
                for product in products
            ],
            note=_("per resultaat de laatste beoordeling in het jaar"),
        )

    def open_signals(self, *, limit: int | None = None) -> Table:
        """The provider's open SLA signals, most urgent first, without client data; on the page the
        first `limit` of them (the download holds them all)."""
        open_signals = hooks.open_sla_signals_of(self.provider.pk, today=self.today, limit=limit)
        note = ""
        if limit is not None and open_signals.total > limit:
            note = _("de eerste %(limit)s van %(total)s; de download bevat ze allemaal") % {
                "limit": limit,
                "total": open_signals.total,
            }
        return Table(
            "open-sla-signalen",
            _("Openstaande SLA-signalen van %(provider)s") % {"provider": self.provider.name},
            [
                Column(_("Signaal"), "text"),
                Column(_("Toewijzing"), "text"),
                Column(_("Urgentie"), "text"),
                Column(_("Uiterlijk"), "date"),
                Column(_("Status"), "text"),
            ],
            [
                [
                    signal.type_label,
                    signal.assignment_number,
                    Tag(signal.urgency_label, signal.urgency_tone),
                    signal.due_date,
                    signal.status_label,
                ]
                for signal in open_signals.signals
            ],
            note=note,
        )

    def review_figures(self) -> Table:
        """The summary for the annual review: each year figure against the reference group's average."""
        rows = []
        for (_key, column), own, average in zip(
            self.columns, _values(self.own, self.keys), _values(self.group, self.keys), strict=True
        ):
            difference = own - average if own is not None and average is not None else None
            rows.append([str(column.label), own, average, difference])
        return Table(
            "jaargesprek",
            _("Jaargesprek %(year)s: %(provider)s tegen het gemiddelde van de referentiegroep")
            % {"year": self.year, "provider": self.provider.name},
            [
                Column(_("Cijfer"), "text"),
                Column(_("Aanbieder"), "decimal"),
                Column(_("Gemiddelde referentiegroep"), "decimal"),
                Column(_("Verschil"), "decimal"),
            ],
            rows,
            note=_("gemiddelde over de %(count)s aanbieders met cliënten, elke aanbieder telt even zwaar")
            % {"count": self.group["providers"]},
        )

    def satisfaction(self) -> Table:
        """The cliëntervaringsonderzoek of the year per product and for all clients, against the target."""
        return satisfaction_table(self.provider, self.year)

    def tables(self) -> list[Table]:
        return [
            self.quarters(),
            self.trend(),
            self.results(),
            self.open_signals(),
            self.review_figures(),
            self.satisfaction(),
        ]


def benchmark_table(
    year: int, quarter: int, providers: QuerySet[Provider], *, title: str, highlight: str = ""
) -> tuple[Table, list]:
    """The providers side by side on the stored SLA figures of the year (quarter 0) or a quarter,
    open SLA signals included, with the group's average as the last row; each name links to the
    provider's dashboard of that year (`highlight`, a provider's uuid, marks one as current).
    Returns the table and the rows (for the charts)."""
    columns = [*_figure_columns(), ("open_sla_signals", Column(_("Open SLA-signalen")))]
    keys = [key for key, _column in columns]
    rows = selectors.stored_benchmark(year, quarter, providers=providers)

    def name(row) -> Link:
        url = f"{reverse('providers:dashboard', args=[row.uuid])}?year={year}"
        return Link(row.name, url, current=str(row.uuid) == highlight)

    table_rows = [[name(row), row.reference_group.name, *_values(row, keys)] for row in rows]
    if rows:
        table_rows.append([_("Gemiddelde"), "", *_values(selectors.group_averages(rows), keys)])
    table = Table(
        "benchmark",
        title,
        [Column(_("Aanbieder"), "text"), Column(_("Referentiegroep"), "text"), *(column for _key, column in columns)],
        table_rows,
        note=_("gemiddelde over de aanbieders met cliënten in de periode; elke telt even zwaar"),
    )
    return table, rows


# -- the cliëntervaringsonderzoek (imported, not computed: its own tables, not an SLA figure) ---------


def score_value(score: Decimal | None) -> float | None:
    return float(score) if score is not None else None


def against_target(score: Decimal | None, target: Decimal | None):
    """The badge of a score against the year's target: a red tag below it (the text says so too)."""
    if score is None or target is None:
        return ""
    if score < target:
        return Tag(_("onder het doel"), "verlopen")
    return _("doel gehaald")


def satisfaction_table(provider: Provider, year: int) -> Table:
    """One provider's imported cliëntervaringsonderzoek of a year: per product, then for all its
    clients (as imported, or the products weighted by their respondents)."""
    target = selectors.satisfaction_target(year)
    results = selectors.satisfaction_of(provider, year)
    rows = [
        [
            row.product.name if row.product else _("Alle producten"),
            row.respondents,
            score_value(row.score),
            row.positive,
            row.neutral,
            row.negative,
            against_target(row.score, target),
        ]
        for row in results
    ]
    if results and all(row.product is not None for row in results):
        respondents, score = selectors.overall_score(results)
        rows.append(
            [_("Alle producten"), respondents, score_value(score), None, None, None, against_target(score, target)]
        )
    return Table(
        "clienttevredenheid",
        _("Cliënttevredenheid van %(provider)s per product in %(year)s") % {"provider": provider.name, "year": year},
        [
            Column(_("Product"), "text"),
            Column(_("Respondenten")),
            Column(_("Gemiddelde score"), "decimal"),
            Column(_("Positief (8-10)")),
            Column(_("Neutraal (6-7)")),
            Column(_("Negatief (1-5)")),
            Column(_("Tegen het doel"), "text"),
        ],
        rows,
        note=satisfaction_note(target),
    )


def satisfaction_note(target: Decimal | None) -> str:
    if target is None:
        return _("cliëntervaringsonderzoek; voor dit jaar is geen doel vastgesteld")
    return _("cliëntervaringsonderzoek, cijfer 1-10; het doel is gemiddeld %(target)s") % {
        "target": f"{target:.1f}".replace(".", ",")
    }


def satisfaction_benchmark_table(year: int, providers: QuerySet[Provider], *, highlight: str = "") -> Table:
    """The providers side by side on the cliëntervaringsonderzoek of the year: the score for all
    their clients and per product, against the target."""
    target = selectors.satisfaction_target(year)
    results = selectors.satisfaction_per_provider(year, providers)
    codes = sorted({code for item in results for code in item.per_product})
    levels = {product.code: product.level for product in Product.objects.filter(code__in=codes)}
    codes.sort(key=lambda code: levels.get(code, 0))

    def name(provider) -> Link:
        url = f"{reverse('providers:dashboard', args=[provider.uuid])}?year={year}"
        return Link(provider.name, url, current=str(provider.uuid) == highlight)

    return Table(
        "clienttevredenheid",
        _("Cliënttevredenheid per aanbieder en product in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Referentiegroep"), "text"),
            Column(_("Respondenten")),
            Column(_("Gemiddelde score"), "decimal"),
            *(Column(_("Score %(product)s") % {"product": code}, "decimal") for code in codes),
            Column(_("Tegen het doel"), "text"),
        ],
        [
            [
                name(item.provider),
                item.provider.reference_group.name,
                item.respondents,
                score_value(item.score),
                *(score_value(item.per_product.get(code)) for code in codes),
                against_target(item.score, target),
            ]
            for item in results
        ],
        note=satisfaction_note(target),
    )
