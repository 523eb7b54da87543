"""The refresh of the monitor: the measures per period and cell, computed by the database from the
beschikkingen (one grouped INSERT ... SELECT per period) and the stacking per municipality.

Definitions (the README's monitor section says the same in Dutch terms):
- A beschikking counts from its ingangsdatum up to and including its end (beëindigd per, else the
  einddatum); only decided ones count (vastgesteld, actief, beëindigd). Periods end at the
  reference date (today), so the current year holds what happened so far.
- clients: clients with a beschikking in the period, each in the cell of the beschikking that
  started last; clients_on_reference_date: the same on the period's last day.
- instroom: first beschikkingen (soort eerste indicatie) starting in the period; heraanmeldingen:
  those of them whose client's earlier beschikking ended within HERAANMELDING_MONTHS before.
- uitstroom: beschikkingen ending in the period that no beschikking of the client continues the
  next day; afschaling and opschaling: beschikkingen of that kind starting in the period.
- cost: per beschikking, its days in the period / 28 x (the tariff in force on its first day in
  the period + the opslag when granted); for a pgb the pgb tariff in force then (its tariff for the
  social network where the care is bought there), so its budget; care_days: those days, so
  cost / (care_days / 28) is the average cost per client per period of 4 weeks.
- ended and ended_days: beschikkingen ending in the period and their total duration in days.
"""

import time
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone

from billing.spending import MoneyCube, billing_counts
from indications.dbfunctions import DaysBetween
from indications.heraanmelding import heraanmelding_window
from indications.models import (
    DECIDED,
    GRANTED_STATUSES,
    Aanvraag,
    DeliveryForm,
    Indication,
    Intake,
    Mantelzorger,
    Melding,
    PgbTariff,
    Tariff,
)
from providers.codes import RedenBeeindiging
from providers.models import Assignment
from providers.services import refresh_sla_figures
from signals.checks import describe_stacking, stacked_clients

from .models import (
    AGE_GROUP_FROM,
    COARSE_DIMENSIONS,
    CUBE_VERSION,
    Cell,
    ChannelCell,
    CoarseCell,
    CoarseDecisionCell,
    CoarseDurationCell,
    CoarseWaitingCell,
    DecisionCell,
    DurationCell,
    MantelzorgCell,
    MoneyCell,
    MunicipalityWaitingCell,
    ProductWaitingCell,
    ProviderBillingCell,
    ProviderWaitingCell,
    Refresh,
    RefreshedYear,
    StackingCell,
    StopCell,
    WaitingCell,
)
from .periods import Span, period_of, spans_of, stored_spans, years_before
from .waiting import DIMENSIONS as WAITING_DIMENSIONS
from .waiting import STEPS, TEXT_DIMENSIONS, absent, grouped_waiting

# A tariff is per 4 weeks. The literal 28.0 is numeric on PostgreSQL and a real on SQLite, which
# stores a whole-euro tariff as an integer: with 28 it would divide as integers and drop the cents
# (a Value would be cast to NUMERIC on SQLite, which turns 28.0 back into the integer 28).
FOUR_WEEKS = RawSQL("28.0", (), output_field=DecimalField(max_digits=3, decimal_places=1))

DIMENSIONS = {
    "municipality_id": F("client__municipality_id"),
    "product_id": F("product_id"),
    "provider_id": F("provider_id"),
    "reference_group_id": F("provider__reference_group_id"),
    "gender": F("client__gender"),
    "opslag": F("opslag"),
    "primary_domain_id": F("primary_domain_id"),
    "treatment_needed": F("treatment_needed"),
    "delivery_form": F("delivery_form"),
}


def _date(value: date) -> Value:
    return Value(value, output_field=DateField())


def granted_beschikkingen() -> QuerySet[Indication]:
    """The beschikkingen that grant or granted care (GRANTED_STATUSES): the population of every
    figure about care. One withdrawn after its decision never applied and is not among them."""
    return Indication.objects.filter(status__in=GRANTED_STATUSES).annotate(care_end=Coalesce("ended_on", "end_date"))


def overlapping(queryset: QuerySet, start: date, end: date) -> QuerySet:
    return queryset.filter(Q(care_end__isnull=True) | Q(care_end__gte=start), start_date__lte=end)


def age_group_on(reference_date: date, field: str = "client__date_of_birth") -> Case:
    """The age group on the reference date, from the date of birth (compared with dates, so the
    database computes no ages)."""
    groups = sorted(AGE_GROUP_FROM.items(), key=lambda item: -item[1])
    return Case(
        *[
            When(**{f"{field}__lte": years_before(reference_date, lowest)}, then=Value(group.value))
            for group, lowest in groups[:-1]
        ],
        default=Value(groups[-1][0].value),
        output_field=CharField(),
    )


def _started_later(queryset: QuerySet) -> QuerySet:
    return queryset.filter(client=OuterRef("client_id")).filter(
        Q(start_date__gt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__gt=OuterRef("pk"))
    )


def _pgb_price(money: DecimalField):
    """A pgb's budget per 4 weeks, as indications.selectors.pgb_amount_per_period computes it: the
    pgb tariff in force on its first day in the period (the one for the social network where the
    care is bought there and set), plus the pgb opslag when granted."""
    tariff = PgbTariff.objects.filter(product=OuterRef("product_id"), valid_from__lte=OuterRef("cost_from")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("cost_from"))
    )
    professional = Subquery(tariff.values("amount_per_period")[:1], output_field=money)
    informal = Subquery(tariff.values("informal_amount_per_period")[:1], output_field=money)
    zero = Value(0, output_field=money)
    opslag = Coalesce(Subquery(tariff.values("opslag_per_period")[:1], output_field=money), zero)
    base = Case(When(pgb__social_network=True, then=Coalesce(informal, professional)), default=professional)
    return base + Case(When(opslag=True, then=opslag), default=zero)


def span_measures(span: Span, *, today: date) -> QuerySet:
    """One row per cell with the period's measures, as one grouped query."""
    start, end = span.start, min(span.end, today)
    beschikkingen = overlapping(granted_beschikkingen(), start, end)
    live_on_end = granted_beschikkingen().filter(Q(care_end__isnull=True) | Q(care_end__gte=end), start_date__lte=end)
    window = heraanmelding_window()
    next_day = ExpressionWrapper(OuterRef("care_end") + timedelta(days=1), output_field=DateField())
    continued = (
        granted_beschikkingen()
        .filter(client=OuterRef("client_id"), start_date__lte=next_day)
        .filter(Q(care_end__isnull=True) | Q(care_end__gte=next_day))
        .exclude(pk=OuterRef("pk"))
    )
    returned = granted_beschikkingen().filter(
        client=OuterRef("client_id"),
        care_end__lt=OuterRef("start_date"),
        care_end__gte=ExpressionWrapper(OuterRef("start_date") - window, output_field=DateField()),
    )
    cost_from = Greatest("start_date", _date(start))
    tariff = Tariff.objects.filter(product=OuterRef("product_id"), valid_from__lte=OuterRef("cost_from")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("cost_from"))
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    natura_price = Subquery(tariff.values("amount_per_period")[:1], output_field=money) + Case(
        When(
            opslag=True,
            then=Coalesce(
                Subquery(tariff.values("opslag_per_period")[:1], output_field=money), Value(0, output_field=money)
            ),
        ),
        default=Value(0, output_field=money),
    )
    price = Case(When(delivery_form=DeliveryForm.PGB, then=_pgb_price(money)), default=natura_price)
    days = DaysBetween(Least(Coalesce("care_end", _date(end)), _date(end)), "cost_from") + 1
    starts_in_span = Q(start_date__gte=start, start_date__lte=end)
    ends_in_span = Q(care_end__gte=start, care_end__lte=end)
    instroom = starts_in_span & Q(kind=Indication.Kind.FIRST)
    return (
        beschikkingen.annotate(
            cost_from=cost_from,
            age_group=age_group_on(end),
            **{f"d_{name}": expression for name, expression in DIMENSIONS.items()},
        )
        .annotate(
            first_in_cell=~Exists(_started_later(beschikkingen)),
            live_in_cell=Q(start_date__lte=end)
            & (Q(care_end__isnull=True) | Q(care_end__gte=end))
            & ~Exists(_started_later(live_on_end)),
        )
        .order_by()
        .values("age_group", *(f"d_{name}" for name in DIMENSIONS))
        .annotate(
            m_clients=Count("pk", filter=Q(first_in_cell=True)),
            m_clients_on_reference_date=Count("pk", filter=Q(live_in_cell=True)),
            m_instroom=Count("pk", filter=instroom),
            m_heraanmeldingen=Count("pk", filter=instroom & Exists(returned)),
            m_uitstroom=Count("pk", filter=ends_in_span & ~Exists(continued)),
            m_afschaling=Count("pk", filter=starts_in_span & Q(kind=Indication.Kind.SCALE_DOWN)),
            m_opschaling=Count("pk", filter=starts_in_span & Q(kind=Indication.Kind.SCALE_UP)),
            m_care_days=Sum(days),
            m_cost=Sum(ExpressionWrapper(price * days / FOUR_WEEKS, output_field=money)),
            m_ended=Count("pk", filter=ends_in_span),
            m_ended_days=Coalesce(Sum(DaysBetween("care_end", "start_date") + 1, filter=ends_in_span), 0),
        )
    )


MEASURES = [
    "clients",
    "clients_on_reference_date",
    "instroom",
    "heraanmeldingen",
    "uitstroom",
    "afschaling",
    "opschaling",
    "care_days",
    "cost",
    "ended",
    "ended_days",
]


def _insert_grouped(model, grouped: QuerySet, fixed: tuple, columns: list[str], sources: list[str]) -> int:
    """INSERT ... SELECT of a grouped query into the model's table: the rows never pass through
    Python. `fixed` fills the first columns (e.g. year and period), `sources` the others."""
    select, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    selected = [quote(source) for source in sources]
    if "m_cost" in sources:
        cost = sources.index("m_cost")
        selected[cost] = f"ROUND({selected[cost]}, 2)"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join(['%s'] * len(fixed))}, {', '.join(selected)} FROM ({select}) grouped"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*fixed, *params))
        return cursor.rowcount


def _insert_cells(span: Span, *, today: date) -> int:
    """The period's grouped measures into Cell."""
    return _insert_grouped(
        Cell,
        span_measures(span, today=today),
        (span.year, span.period),
        ["year", "period", "age_group", *DIMENSIONS, *MEASURES],
        ["age_group", *(f"d_{name}" for name in DIMENSIONS), *(f"m_{name}" for name in MEASURES)],
    )


def _insert_duration_cells(year: int, *, today: date) -> int:
    """The beschikkingen ending in the year (up to today), counted per cell and duration in days,
    into DurationCell; the dimensions as in the year's cells (the age group on its last day)."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    grouped = (
        granted_beschikkingen()
        .filter(care_end__gte=start, care_end__lte=end)
        .annotate(
            age_group=age_group_on(end),
            d_days=DaysBetween("care_end", "start_date") + 1,
            **{f"d_{name}": expression for name, expression in DIMENSIONS.items()},
        )
        .order_by()
        .values("age_group", *(f"d_{name}" for name in DIMENSIONS), "d_days")
        .annotate(m_ended=Count("pk"))
    )
    return _insert_grouped(
        DurationCell,
        grouped,
        (year,),
        ["year", "age_group", *DIMENSIONS, "days", "ended"],
        ["age_group", *(f"d_{name}" for name in DIMENSIONS), "d_days", "m_ended"],
    )


def _insert_waiting_cells(year: int, *, today: date) -> int:
    """The funnel's steps completed in the year and in each of its periods of 4 weeks (up to
    today), counted per cell and waiting time in days, into WaitingCell: two grouped queries per
    step. The age group is the one on the year's last day (up to today), as in DurationCell."""
    age_on = min(date(year, 12, 31), today)
    columns = [name if name in TEXT_DIMENSIONS else f"{name}_id" for name in WAITING_DIMENSIONS]
    inserted = 0
    for step in STEPS:
        for spans in stored_spans(year, today=today):
            inserted += _insert_grouped(
                WaitingCell,
                grouped_waiting(step, spans, today=today, age_group=lambda field: age_group_on(age_on, field=field)),
                (step.key, year),
                ["step", "year", "period", "age_group", *columns, "days", "number"],
                ["w_period", "w_age_group", *(f"w_{name}" for name in WAITING_DIMENSIONS), "w_days", "w_number"],
            )
    return inserted


def _money_cells(year: int, *, today: date) -> list[MoneyCell]:
    """The year's money (billing.spending.MoneyCube: expected up to today, paid) per month,
    provider, product and municipality."""
    money = MoneyCube.of(year, until=today)
    return [
        MoneyCell(
            year=year,
            month=month,
            provider_id=provider,
            product_id=product,
            municipality_id=municipality,
            expected_cents=money.expected.get(key, 0),
            paid_cents=money.paid.get(key, 0),
        )
        for key in money.expected.keys() | money.paid.keys()
        for month, provider, product, municipality in [key]
    ]


DECISION_DIMENSIONS = {
    "municipality_id": ("client__municipality_id", "client__municipality_id"),
    "product_id": ("product_id", "requested_product_id"),
    "provider_id": ("provider_id", None),
    "reference_group_id": ("provider__reference_group_id", None),
    "gender": ("client__gender", "client__gender"),
    "primary_domain_id": ("primary_domain_id", None),
    "treatment_needed": ("treatment_needed", None),
    "outcome": ("outcome", None),
    "refusal_ground": ("refusal_ground", None),
}
DECISION_TEXT = ("gender", "treatment_needed", "outcome", "refusal_ground")


def _insert_decision_cells(year: int, *, today: date) -> int:
    """The aanvragen received and the decisions on aanvragen taken in the year and in each of its
    periods of 4 weeks (up to today), per cell, into DecisionCell: two grouped queries per kind. A
    decision counts in the period of its besluitdatum (also a toekenning withdrawn later)."""
    age_on = min(date(year, 12, 31), today)
    inserted = 0
    for kind, model, date_field, side in (
        (DecisionCell.Kind.DECISION, Indication, "decision_date", 0),
        (DecisionCell.Kind.AANVRAAG, Aanvraag, "received_on", 1),
    ):
        for spans in stored_spans(year, today=today):
            start, end = spans[0].start, min(spans[-1].end, today)
            queryset = model.objects.filter(**{f"{date_field}__range": (start, end)})
            if model is Indication:
                queryset = queryset.filter(DECIDED, aanvraag__isnull=False)
            dimensions = {}
            for column, paths in DECISION_DIMENSIONS.items():
                path = paths[side]
                dimensions[f"c_{column}"] = F(path) if path is not None else absent(text=column in DECISION_TEXT)
            period = period_of(date_field, spans)
            grouped = (
                queryset.annotate(c_period=period, c_age_group=age_group_on(age_on), **dimensions)
                .order_by()
                .values("c_period", "c_age_group", *dimensions)
                .annotate(c_number=Count("pk"))
            )
            inserted += _insert_grouped(
                DecisionCell,
                grouped,
                (kind.value, year),
                ["kind", "year", "period", "age_group", *DECISION_DIMENSIONS, "number"],
                ["c_period", "c_age_group", *dimensions, "c_number"],
            )
    return inserted


BILLING_COUNTS = ("lines", "rejected", "beyond")
MANTELZORG_COUNTS = ("onderzoeken", "with_mantelzorger", "mantelzorgers", "overloaded", "respite", "support")


def _mantelzorg_cells(year: int, *, today: date) -> list[MantelzorgCell]:
    """The onderzoeken whose melding came in the year and in each of its periods of 4 weeks (up
    to today), per municipality, with their mantelzorgers: how many, how many zwaar- or overbelast
    (Mantelzorger.overloaded_q) and of those how many were offered respijtzorg or
    mantelzorgondersteuning. Two grouped queries."""
    overloaded = Mantelzorger.overloaded_q("mantelzorgers__")
    counts = {  # named m_... so that none hides the relation mantelzorgers
        "m_onderzoeken": Count("pk", distinct=True),
        "m_with_mantelzorger": Count("pk", filter=Q(mantelzorgers__isnull=False), distinct=True),
        "m_mantelzorgers": Count("mantelzorgers", distinct=True),
        "m_overloaded": Count("mantelzorgers", filter=overloaded, distinct=True),
        "m_respite": Count("mantelzorgers", filter=overloaded & Q(mantelzorgers__respite_offered=True), distinct=True),
        "m_support": Count("mantelzorgers", filter=overloaded & Q(mantelzorgers__support_offered=True), distinct=True),
    }
    cells = []
    for spans in stored_spans(year, today=today):
        start, end = spans[0].start, min(spans[-1].end, today)
        period = period_of("melding__received_on", spans)
        rows = (
            Intake.objects.filter(melding__received_on__gte=start, melding__received_on__lte=end)
            .annotate(m_period=period, m_municipality=F("melding__client__municipality_id"))
            .values("m_period", "m_municipality")
            .annotate(**counts)
            .order_by()
        )
        cells += [
            MantelzorgCell(
                year=year,
                period=row["m_period"],
                municipality_id=row["m_municipality"],
                **{name: row[f"m_{name}"] for name in MANTELZORG_COUNTS},
            )
            for row in rows
        ]
    return cells


def _stacking_cells(year: int, *, today: date) -> list[StackingCell]:
    """Stacking on the year's reference date: the nightly signal run's set-wise query
    (signals.checks.stacked_clients), tallied per municipality and combination; households count
    each address once."""
    reference_date = min(date(year, 12, 31), today)
    clients: dict[int, Counter] = defaultdict(Counter)
    addresses: dict[tuple, set] = defaultdict(set)
    across: Counter = Counter()
    for _client, municipality, mask, postcode, house_number in stacked_clients(reference_date):
        clients[municipality][mask] += 1
        # A client without a known address is a household of their own.
        address = (postcode, house_number) if postcode else (object(),)
        addresses[municipality, mask].add(address)
        addresses[municipality, None].add(address)
        if len(describe_stacking(mask)[1]) >= 2:
            across[municipality] += 1
    cells = []
    for municipality, per_mask in clients.items():
        for mask, count in per_mask.items():
            cells.append(
                StackingCell(
                    year=year,
                    municipality_id=municipality,
                    combination=mask,
                    clients=count,
                    households=len(addresses[municipality, mask]),
                    across_laws=count if len(describe_stacking(mask)[1]) >= 2 else 0,
                )
            )
        cells.append(
            StackingCell(
                year=year,
                municipality_id=municipality,
                combination=None,
                clients=sum(per_mask.values()),
                households=len(addresses[municipality, None]),
                across_laws=across[municipality],
            )
        )
    return cells


# Each coarse table, the table it sums (in this order) and the keys besides its dimensions.
ROLLUPS = (
    (CoarseCell, Cell, ("period",), MEASURES),
    (CoarseDurationCell, DurationCell, ("days",), ("ended",)),
    (CoarseWaitingCell, WaitingCell, ("step", "period", "days"), ("number",)),
    (CoarseDecisionCell, DecisionCell, ("period", "kind", "outcome", "refusal_ground"), ("number",)),
    # From the coarse waiting cells just stored: the same sums, from fewer rows.
    (MunicipalityWaitingCell, CoarseWaitingCell, ("step", "period", "days"), ("number",)),
    (ProductWaitingCell, CoarseWaitingCell, ("step", "period", "days"), ("number",)),
    (ProviderWaitingCell, CoarseWaitingCell, ("step", "period", "days"), ("number",)),
)


def _insert_coarse_cells(year: int) -> None:
    """The year's cells, duration, waiting and decision cells summed into their coarse tables, in
    the database (over the coarse dimensions the coarse table has)."""
    for coarse, model, keys, measures in ROLLUPS:
        own = {field.name for field in coarse._meta.get_fields()}
        dimensions = sorted(coarse._meta.get_field(name).attname for name in COARSE_DIMENSIONS & own)
        grouped = (
            model.objects.filter(year=year)
            .order_by()
            .values(*keys, *dimensions)
            .annotate(**{f"m_{measure}": Sum(measure) for measure in measures})
        )
        _insert_grouped(
            coarse,
            grouped,
            (year,),
            ["year", *keys, *dimensions, *measures],
            [*keys, *dimensions, *(f"m_{measure}" for measure in measures)],
        )


# A stop followed by care elsewhere is no stop of the support: a switch of provider or a change.
NOT_A_STOP = (RedenBeeindiging.WIJZIGINGSVERZOEK, RedenBeeindiging.ANDERE_AANBIEDER)


def _last_day(year: int, today: date) -> date:
    """The year's last day counted: 31 December, or today in the current year."""
    return min(date(year, 12, 31), today)


def _stop_cells(year: int, *, today: date) -> list[StopCell]:
    """The clients whose care stopped per month of the year (up to today), per municipality and
    product and (product null) over all products, each client once."""
    stops = (
        Assignment.objects.filter(care_stopped_on__gte=date(year, 1, 1), care_stopped_on__lte=_last_day(year, today))
        .exclude(stop_reason__in=NOT_A_STOP)
        .annotate(month=TruncMonth("care_stopped_on"), municipality_id=F("indication__client__municipality_id"))
        .order_by()
    )
    counts = {
        "clients": Count("indication__client", distinct=True),
        "by_client": Count("indication__client", distinct=True, filter=Q(stop_reason=RedenBeeindiging.DOOR_CLIENT)),
    }
    cells = []
    for per in (("month", "municipality_id", "product_id"), ("month", "municipality_id")):
        for row in stops.values(*per).annotate(**counts):
            cells.append(
                StopCell(
                    year=year,
                    month=row["month"],
                    municipality_id=row["municipality_id"],
                    product_id=row.get("product_id"),
                    clients=row["clients"],
                    by_client=row["by_client"],
                )
            )
    return cells


def _channel_cells(year: int, *, today: date) -> list[ChannelCell]:
    """The meldingen received in the year (up to today) per municipality and channel."""
    meldingen = Melding.objects.filter(received_on__gte=date(year, 1, 1), received_on__lte=_last_day(year, today))
    return [
        ChannelCell(year=year, **row)
        for row in meldingen.order_by()
        .values("channel", municipality_id=F("client__municipality_id"))
        .annotate(meldingen=Count("pk"))
    ]


def first_year_with_data() -> int | None:
    first = granted_beschikkingen().order_by("start_date").values_list("start_date", flat=True).first()
    return first.year if first else None


def not_computed_by_this_release(years) -> list[int]:
    """Those of `years` whose stored figures are missing or were computed by an older release
    (RefreshedYear.cube_version below CUBE_VERSION), in order: one query."""
    years = sorted(set(years))
    current = set(
        RefreshedYear.objects.filter(
            year__in=years, cube_version__gte=CUBE_VERSION, refreshed_at__isnull=False
        ).values_list("year", flat=True)
    )
    return [year for year in years if year not in current]


def stale_years(today: date) -> list[int]:
    """The years from the first beschikking up to today's that are not computed by this release
    (not_computed_by_this_release), oldest first."""
    first = first_year_with_data()
    if first is None or first > today.year:
        return []
    return not_computed_by_this_release(range(first, today.year + 1))


def catch_up_stale_years(
    *,
    today: date,
    limit: int | None = None,
    until: float | None = None,
    seconds_per_year: float = 0.0,
    progress=None,
) -> list[Refresh]:
    """Refresh the stale years (stale_years), the most recent first and at most `limit` of them
    (None: all), one refresh_monitor run each: after an upgrade the nightly task catches up a few
    years a night instead of leaving the older years without the new tables' figures. With `until`
    (a time.monotonic() moment) a year is only begun when one more, at the slowest year's pace seen
    (`seconds_per_year` to start with), still ends before it; the rest waits for the next night."""
    years = sorted(stale_years(today), reverse=True)
    if limit is not None:
        years = years[:limit]
    runs = []
    for year in years:
        if until is not None and time.monotonic() + seconds_per_year > until:
            break
        runs.append(refresh_monitor(today=today, first_year=year, last_year=year, progress=progress))
        seconds_per_year = max(seconds_per_year, runs[-1].seconds)
    return runs


# What the refresh replaces of a year.
YEAR_TABLES = (
    Cell,
    DurationCell,
    CoarseCell,
    CoarseDurationCell,
    CoarseWaitingCell,
    CoarseDecisionCell,
    MunicipalityWaitingCell,
    ProductWaitingCell,
    ProviderWaitingCell,
    StackingCell,
    StopCell,
    ChannelCell,
    WaitingCell,
    MoneyCell,
    MantelzorgCell,
    ProviderBillingCell,
    DecisionCell,
)


def refresh_monitor(
    *, today: date, first_year: int | None = None, last_year: int | None = None, progress=None
) -> Refresh:
    """Recompute the monitor for the years first_year..last_year (default: from the first
    beschikking to today's year), and the providers' stored SLA figures of those years. Each year
    is replaced in one transaction, so a page never sees half a year; running it twice gives the
    same cells."""
    started = time.monotonic()
    last_year = min(last_year or today.year, today.year)
    first_data_year = first_year_with_data()
    first_year = first_year or first_data_year or last_year
    if first_year > last_year:
        raise ValueError(f"Nothing to refresh: {first_year} is after {last_year}, the last year up to {today}.")
    cells = 0
    for year in range(first_year, last_year + 1):
        RefreshedYear.objects.get_or_create(year=year)
        with transaction.atomic():
            lock = RefreshedYear.objects.select_for_update().get(year=year)
            for model in YEAR_TABLES:
                model.objects.filter(year=year).delete()
            for span in spans_of(year):
                if span.start <= today:
                    cells += _insert_cells(span, today=today)
            _insert_duration_cells(year, today=today)
            _insert_waiting_cells(year, today=today)
            MoneyCell.objects.bulk_create(_money_cells(year, today=today), batch_size=5000)
            MantelzorgCell.objects.bulk_create(_mantelzorg_cells(year, today=today))
            _insert_decision_cells(year, today=today)
            _insert_coarse_cells(year)
            ProviderBillingCell.objects.bulk_create(
                ProviderBillingCell(year=year, provider_id=row["provider_id"], **{k: row[k] for k in BILLING_COUNTS})
                for row in billing_counts(year)
            )
            StackingCell.objects.bulk_create(_stacking_cells(year, today=today))
            StopCell.objects.bulk_create(_stop_cells(year, today=today))
            ChannelCell.objects.bulk_create(_channel_cells(year, today=today))
            lock.refreshed_at, lock.cube_version = timezone.now(), CUBE_VERSION
            lock.save(update_fields=["refreshed_at", "cube_version"])
        refresh_sla_figures(today=today, years=[year])
        if progress:
            progress(year)
    return Refresh.objects.create(
        reference_date=today,
        first_year=first_year,
        last_year=last_year,
        cells=cells,
        seconds=round(time.monotonic() - started, 2),
        first_data_year=first_data_year,
    )
