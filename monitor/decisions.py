"""The decisions on aanvragen: how many aanvragen came in, and how many were granted in full,
granted in part (a lighter product, no opslag or a shorter period than asked) or refused, with the
grounds of the afwijzingen. Live selectors over the case file (no cube): a decision counts in the
period of its besluitdatum, an aanvraag in the period it was received. Each returns a
ui.tables.Table, which the monitor page shows and exports."""

from datetime import date

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indications.models import DECIDED, Aanvraag, DecisionOutcome, Indication, RefusalGround
from ui.tables import Column, Table

from .periods import four_week_periods
from .services import age_group_on

NOTE = gettext_lazy(
    "besluiten op een aanvraag, geteld in de periode van de besluitdatum (ook een toekenning die later is "
    "ingetrokken); aanvragen in de periode van ontvangst, per gevraagd product; een gedeeltelijke toekenning "
    "kent minder toe dan gevraagd (lichter product, geen opslag of kortere looptijd). Bij een keuze van "
    "aanbieder, referentiegroep, primair leefdomein of behandeling telt een afwijzing niet mee: zij heeft die niet"
)


def _decisions(selection, start: date, end: date) -> QuerySet:
    """The decisions on aanvragen with a besluitdatum from start to end, within the selection."""
    queryset = Indication.objects.filter(DECIDED, aanvraag__isnull=False, decision_date__range=(start, end))
    filters = {
        "client__municipality": selection.municipality,
        "client__gender": selection.gender,
        "product": selection.product,
        "provider": selection.provider,
        "provider__reference_group": selection.reference_group,
        "primary_domain": selection.primary_domain,
        "treatment_needed": selection.treatment_needed,
    }
    queryset = queryset.filter(**{key: value for key, value in filters.items() if value})
    if selection.age_group:
        queryset = queryset.alias(d_age_group=age_group_on(end, field="client__date_of_birth")).filter(
            d_age_group=selection.age_group
        )
    return queryset


def _aanvragen(selection, start: date, end: date) -> QuerySet | None:
    """The aanvragen received from start to end; None where the selection asks what an aanvraag has not."""
    if selection.provider or selection.reference_group or selection.primary_domain or selection.treatment_needed:
        return None
    filters = {
        "client__municipality": selection.municipality,
        "client__gender": selection.gender,
        "requested_product": selection.product,
    }
    queryset = Aanvraag.objects.filter(received_on__range=(start, end))
    queryset = queryset.filter(**{key: value for key, value in filters.items() if value})
    if selection.age_group:
        queryset = queryset.alias(a_age_group=age_group_on(end, field="client__date_of_birth")).filter(
            a_age_group=selection.age_group
        )
    return queryset


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


def _count(selection, start: date, end: date, *, decision_group, aanvraag_group) -> tuple[dict, dict]:
    """{group: count} of the aanvragen and {group: {outcome or (afwijzing, ground): count}} of the decisions."""
    decisions: dict = {}
    rows = (
        _decisions(selection, start, end)
        .annotate(d_group=decision_group)
        .values("d_group", "outcome", "refusal_ground")
        .annotate(number=Count("pk"))
        .order_by()
        .values_list("d_group", "outcome", "refusal_ground", "number")
    )
    for key, outcome, ground, number in rows:
        slot = (outcome, ground) if outcome == DecisionOutcome.AFWIJZING else outcome
        per_group = decisions.setdefault(key, {})
        per_group[slot] = per_group.get(slot, 0) + number
    aanvragen: dict = {}
    queryset = _aanvragen(selection, start, end)
    if queryset is not None:
        aanvragen = dict(
            queryset.annotate(a_group=aanvraag_group)
            .values("a_group")
            .annotate(number=Count("pk"))
            .order_by()
            .values_list("a_group", "number")
        )
    return aanvragen, decisions


def decisions_per_year(selection, years: list[int]) -> Table:
    start, end = date(years[0], 1, 1), date(years[-1], 12, 31)
    aanvragen, decisions = _count(
        selection,
        start,
        end,
        decision_group=ExtractYear("decision_date"),
        aanvraag_group=ExtractYear("received_on"),
    )
    return _table(
        "besluiten-per-jaar",
        _("Aanvragen, toekenningen en afwijzingen per jaar"),
        _("Jaar"),
        [(year, year) for year in years],
        aanvragen,
        decisions,
    )


def _period_case(field: str, spans) -> Case:
    return Case(
        *[When(**{f"{field}__range": (span.start, span.end)}, then=Value(span.period)) for span in spans],
        default=Value(0),
        output_field=IntegerField(),
    )


def decisions_per_period(selection, year: int) -> Table:
    spans = four_week_periods(year)
    aanvragen, decisions = _count(
        selection,
        spans[0].start,
        spans[-1].end,
        decision_group=_period_case("decision_date", spans),
        aanvraag_group=_period_case("received_on", spans),
    )
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
        "client__municipality__name",
        "client__municipality__name",
    ),
    "product": (
        "product",
        gettext_lazy("Product"),
        gettext_lazy("Aanvragen, toekenningen en afwijzingen per product in %(year)s"),
        "product__name",
        "requested_product__name",
    ),
}


def decisions_in_year(selection, year: int, *, per: str) -> Table:
    """The aanvragen and decisions of the year per municipality or product (an aanvraag: the product asked)."""
    slug, first, title, decision_path, aanvraag_path = PER[per]
    aanvragen, decisions = _count(
        selection,
        date(year, 1, 1),
        date(year, 12, 31),
        decision_group=F(decision_path),
        aanvraag_group=F(aanvraag_path),
    )
    keys = sorted(set(aanvragen) | set(decisions), key=lambda key: (key is None, key or ""))
    return _table(
        f"besluiten-per-{slug}",
        title % {"year": year},
        first,
        [(key, key if key is not None else _("(niet opgegeven)")) for key in keys],
        aanvragen,
        decisions,
    )
