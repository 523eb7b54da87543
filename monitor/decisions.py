"""The decisions on aanvragen: how many aanvragen came in, and how many were granted in full,
granted in part (a lighter product, no opslag or a shorter period than asked) or refused, with the
grounds of the afwijzingen. Read from what the nightly refresh stored (DecisionCell): a decision
counts in the period of its besluitdatum, an aanvraag in the period it was received. Each returns a
ui.tables.Table, which the monitor page shows and exports."""

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indications.models import DecisionOutcome, RefusalGround
from ui.tables import Column, Table

from .models import DecisionCell
from .periods import four_week_periods
from .selectors import stored

NOTE = gettext_lazy(
    "besluiten op een aanvraag, geteld in de periode van de besluitdatum (ook een toekenning die later is "
    "ingetrokken); aanvragen in de periode van ontvangst, per gevraagd product; een gedeeltelijke toekenning "
    "kent minder toe dan gevraagd (lichter product, geen opslag of kortere looptijd). Bij een keuze van "
    "aanbieder, referentiegroep, primair leefdomein of behandeling telt een afwijzing niet mee: zij heeft die niet"
)


# The selection's dimensions a DecisionCell has (the delivery form does not apply here).
SELECTED = (
    "municipality",
    "product",
    "provider",
    "reference_group",
    "age_group",
    "gender",
    "primary_domain",
    "treatment_needed",
)


def _cells(selection, group: str, **where) -> QuerySet:
    """The selected decision cells, from the coarse table when the selection and the group use only
    its dimensions (a group by year or period is no dimension)."""
    chosen = selection.chosen(SELECTED)
    grouped_on = [] if group in ("year", "period") else [group]
    return stored(DecisionCell, chosen, grouped_on).objects.filter(**where, **chosen)


GROUNDS = list(RefusalGround)


def _columns(first: str) -> list[Column]:
    return [
        Column(first, "text"),
        Column(_("Aanvragen")),
        Column(_("Besluiten")),
        Column(_("Toekenningen")),
        Column(_("Gedeeltelijke toekenningen")),
        Column(_("Afwijzingen")),
        Column(_("Afwijzingen %"), "pct"),
        *(Column(_("Afgewezen: %(ground)s") % {"ground": ground.label}) for ground in GROUNDS),
    ]


def _table(slug: str, title: str, first: str, groups: list, aanvragen: dict, decisions: dict) -> Table:
    """Rows per group (key, label) with aanvragen and decisions; a group without either is left out."""
    rows = []
    for key, label in groups:
        counts = decisions.get(key, {})
        granted = counts.get(DecisionOutcome.TOEKENNING, 0)
        partial = counts.get(DecisionOutcome.GEDEELTELIJK, 0)
        refused = sum(counts.get((DecisionOutcome.AFWIJZING, ground.value), 0) for ground in GROUNDS)
        total = granted + partial + refused
        received = aanvragen.get(key)
        if not total and not received:
            continue
        rows.append(
            [
                label,
                received,
                total,
                granted,
                partial,
                refused,
                refused * 100 / total if total else None,
                *(counts.get((DecisionOutcome.AFWIJZING, ground.value), 0) for ground in GROUNDS),
            ]
        )
    return Table(slug, title, _columns(first), rows, note=NOTE)


def _count(selection, group: str, **where) -> tuple[dict, dict]:
    """{group: count} of the aanvragen and {group: {outcome or (afwijzing, ground): count}} of the
    decisions, from the stored cells where `where` holds: two grouped queries."""
    decisions: dict = {}
    rows = (
        _cells(selection, group, kind=DecisionCell.Kind.DECISION, **where)
        .values(group, "outcome", "refusal_ground")
        .annotate(total=Sum("number"))
        .order_by()
        .values_list(group, "outcome", "refusal_ground", "total")
    )
    for key, outcome, ground, number in rows:
        slot = (outcome, ground) if outcome == DecisionOutcome.AFWIJZING else outcome
        per_group = decisions.setdefault(key, {})
        per_group[slot] = per_group.get(slot, 0) + number
    aanvragen = dict(
        _cells(selection, group, kind=DecisionCell.Kind.AANVRAAG, **where)
        .values(group)
        .annotate(total=Sum("number"))
        .order_by()
        .values_list(group, "total")
    )
    return aanvragen, decisions


def decisions_per_year(selection, years: list[int]) -> Table:
    aanvragen, decisions = _count(selection, "year", period=0, year__gte=years[0], year__lte=years[-1])
    return _table(
        "besluiten-per-jaar",
        _("Aanvragen, toekenningen en afwijzingen per jaar"),
        _("Jaar"),
        [(year, year) for year in years],
        aanvragen,
        decisions,
    )


def decisions_per_period(selection, year: int) -> Table:
    spans = four_week_periods(year)
    aanvragen, decisions = _count(selection, "period", year=year, period__gte=1)
    return _table(
        "besluiten-per-periode",
        _("Aanvragen, toekenningen en afwijzingen per periode van 4 weken in %(year)s") % {"year": year},
        _("Periode"),
        [(span.period, span.label) for span in spans],
        aanvragen,
        decisions,
    )


PER = {
    "municipality": (
        "gemeente",
        gettext_lazy("Gemeente"),
        gettext_lazy("Aanvragen, toekenningen en afwijzingen per gemeente in %(year)s"),
        "municipality__name",
    ),
    "product": (
        "product",
        gettext_lazy("Product"),
        gettext_lazy("Aanvragen, toekenningen en afwijzingen per product in %(year)s"),
        "product__name",
    ),
}


def decisions_in_year(selection, year: int, *, per: str) -> Table:
    """The aanvragen and decisions of the year per municipality or product (an aanvraag: the product asked)."""
    slug, first, title, path = PER[per]
    aanvragen, decisions = _count(selection, path, year=year, period=0)
    keys = sorted(set(aanvragen) | set(decisions), key=lambda key: (key is None, key or ""))
    return _table(
        f"besluiten-per-{slug}",
        title % {"year": year},
        first,
        [(key, key if key is not None else _("(niet opgegeven)")) for key in keys],
        aanvragen,
        decisions,
    )
