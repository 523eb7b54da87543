"""Read queries for the signal pages: worklists and zorgstapeling (per client and in aggregate); and
the open SLA signals per provider that the provider pages show (through providers.hooks)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Team
from indications.models import GRANTED_STATUSES, Client, Indication, Municipality, OtherProvision
from indications.selectors import clients_visible_to
from providers.hooks import OpenSlaSignal, OpenSlaSignals
from providers.models import Provider

from .checks import describe_stacking, stacked_clients
from .models import OPEN_STATUSES, URGENCY_TONES, Signal, SignalType, Urgency


def _with_links(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    return queryset.select_related(
        "client", "indication", "melding__intake", "aanvraag", "assignment", "provider", "assigned_to", "team"
    ).order_by("type", "urgency", "due_date", "id")


def signals_for(user, *, team_view: bool = False, everything: bool = False) -> QuerySet[Signal]:
    """A consultant's open signals; for a team lead (team_view) the open signals of their teams that
    were escalated or have no one assigned, or all of the teams' open signals (everything)."""
    open_signals = Signal.objects.filter(status__in=OPEN_STATUSES)
    if not team_view:
        return _with_links(open_signals.filter(assigned_to=user))
    team_signals = open_signals.filter(team__members=user)
    if not everything:
        team_signals = team_signals.filter(Q(escalated_on__isnull=False) | Q(assigned_to__isnull=True))
    return _with_links(team_signals.distinct())


def visible_signal(user, pk: int) -> QuerySet[Signal]:
    """The signal, if it concerns a client the user may see."""
    return Signal.objects.filter(pk=pk, client__in=clients_visible_to(user))


@dataclass
class SignalGroup:
    type: str
    label: str
    today: date
    signals: list[Signal] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        """How many have passed their due date (by the date, as their tags say)."""
        return sum(1 for signal in self.signals if signal.urgency_on(self.today) == Urgency.OVERDUE)


def grouped_by_type(signals, *, today: date | None = None) -> list[SignalGroup]:
    """Signals per type (in the order of SignalType), each group sorted by urgency on `today` and
    due date."""
    today = today or timezone.localdate()
    groups: dict[str, SignalGroup] = {}
    for signal in signals:
        groups.setdefault(signal.type, SignalGroup(signal.type, SignalType(signal.type).label, today)).signals.append(
            signal
        )
    for group in groups.values():
        # Most urgent first by the real date, as the tags show it (a stored urgency can be stale).
        group.signals.sort(key=lambda signal: (signal.urgency_on(today), signal.due_date, signal.pk))
    order = list(SignalType.values)
    return sorted(groups.values(), key=lambda group: order.index(group.type))


@dataclass(frozen=True)
class TypeCount:
    type: str
    label: str
    total: int
    overdue: int


def counts_by_type(signals: QuerySet[Signal]) -> list[TypeCount]:
    """How many of these signals there are per type and how many have passed their term: one
    grouped query, in the order of SignalType."""
    rows = (
        signals.order_by()
        .values("type")
        .annotate(
            total=Count("id", distinct=True), overdue=Count("id", filter=Q(urgency=Urgency.OVERDUE), distinct=True)
        )
    )
    counts = {row["type"]: row for row in rows}
    return [
        TypeCount(value, SignalType(value).label, counts[value]["total"], counts[value]["overdue"])
        for value in SignalType.values
        if value in counts
    ]


def most_urgent(signals: QuerySet[Signal], *, limit: int) -> QuerySet[Signal]:
    """The few signals to look at first, whatever their type: most urgent, then earliest term."""
    return signals.order_by("urgency", "due_date", "id")[:limit]


@dataclass
class TimelineBar:
    label: str
    kind: str
    start: date
    end: date | None
    offset: float = 0.0
    width: float = 0.0


def stacking_timeline(client: Client, *, today: date) -> tuple[list[TimelineBar], date, date]:
    """Every IB beschikking (with its provider) and other provision of the client, positioned on one
    time axis (percentages) from the first start to a year after today."""
    bars = [
        TimelineBar(
            f"{ind.product.name}" + (f" ({ind.provider.name})" if ind.provider_id else ""),
            "ib",
            ind.start_date,
            ind.ended_on or ind.end_date,
        )
        for ind in Indication.objects.filter(client=client, status__in=GRANTED_STATUSES)
        .select_related("product", "provider")
        .order_by("start_date")
    ] + [
        TimelineBar(provision.get_kind_display(), "other", provision.start_date, provision.end_date)
        for provision in OtherProvision.objects.filter(client=client).order_by("start_date")
    ]
    first = min([bar.start for bar in bars], default=today)
    last = max([today, *[bar.end for bar in bars if bar.end]])
    span = max((last - first).days, 1)
    for bar in bars:
        end = bar.end or last
        bar.offset = round(100 * (bar.start - first).days / span, 2)
        bar.width = max(round(100 * (end - bar.start).days / span, 2), 0.5)
    return bars, first, last


@dataclass
class MunicipalityStacking:
    name: str
    clients: int = 0
    households: int = 0
    across_laws: int = 0
    combinations: list[tuple[str, int]] = field(default_factory=list)


def stacking_overview(*, today: date, municipalities) -> list[MunicipalityStacking]:
    """Per municipality: clients with stacking per combination, households (addresses) with stacking
    and clients with provisions under at least two laws. The stacking itself is the nightly run's
    set-wise query (checks.stacked_clients: one row per stacked client), tallied here for the
    municipalities asked for."""
    names = {municipality.pk: municipality.name for municipality in municipalities}
    combinations: dict[str, Counter] = defaultdict(Counter)
    addresses: dict[str, set] = defaultdict(set)
    for _client, municipality_id, mask, postcode, house_number in stacked_clients(today):
        if municipality_id not in names:
            continue
        name = names[municipality_id]
        combinations[name][mask] += 1
        addresses[name].add((postcode, house_number))
    overview = []
    for name in sorted(combinations):
        entry = MunicipalityStacking(name, households=len(addresses[name]))
        for mask, clients in combinations[name].most_common():
            parts, laws = describe_stacking(mask)
            entry.clients += clients
            entry.combinations.append(("IB + " + ", ".join(parts), clients))
            if len(laws) >= 2:
                entry.across_laws += clients
        overview.append(entry)
    return overview


# --------------------------------------------------------------------------------------------
# Open SLA signals per provider (shown on the provider pages through providers.hooks)
# --------------------------------------------------------------------------------------------

# The signals of checks.py section "6. provider SLA": what a provider failed to report.
SLA_SIGNAL_FIELDS = {
    SignalType.NO_START_REPORTED: "open_no_start_reported",
    SignalType.CARE_AFTER_END: "open_care_after_end",
    SignalType.STOP_WITHOUT_REASON: "open_stop_without_reason",
}
SLA_SIGNAL_TYPES = tuple(SLA_SIGNAL_FIELDS)


def open_sla_signals(*, providers: QuerySet[Provider] | None = None) -> QuerySet[Provider]:
    """Per provider, in one query: the SLA signals open now (open or in behandeling), per type and
    in total. Independent of any period: they are what is still to be put right."""
    open_now = Q(signals__type__in=SLA_SIGNAL_TYPES, signals__status__in=OPEN_STATUSES)
    per_type = {
        field: Count("signals", filter=open_now & Q(signals__type=value)) for value, field in SLA_SIGNAL_FIELDS.items()
    }
    return (
        (providers if providers is not None else Provider.objects.all())
        .annotate(**per_type, open_sla_signals=Count("signals", filter=open_now))
        .order_by("reference_group__number", "name")
    )


def open_sla_signal_counts(provider_ids: Sequence[int]) -> dict[int, int]:
    """Per provider id, the number of SLA signals open now, every id a key: one query."""
    return dict(
        open_sla_signals(providers=Provider.objects.filter(pk__in=provider_ids)).values_list("pk", "open_sla_signals")
    )


def open_sla_signals_for(provider: Provider | int) -> QuerySet[Signal]:
    """The provider's open SLA signals and those on its contract budget, most urgent first, with
    their toewijzing and without any client data (contract management sees the type, the due date,
    the toewijzing and the status)."""
    return (
        Signal.objects.filter(
            type__in=(*SLA_SIGNAL_TYPES, SignalType.BUDGET_THRESHOLD), status__in=OPEN_STATUSES, provider=provider
        )
        .select_related("assignment")
        .only("type", "status", "urgency", "due_date", "created_on", "assignment__number")
        .order_by("due_date", "urgency", "pk")
    )


def open_sla_signal_listing(provider_id: int, today: date, limit: int | None) -> OpenSlaSignals:
    """The provider's open SLA signals as the provider pages show them (providers.hooks): the first
    `limit` (all if None) with their urgency as it stands today, and how many there are."""
    signals = open_sla_signals_for(provider_id)
    total = None
    if limit is not None:
        total = signals.count()
        signals = signals[:limit]
    rows = []
    for signal in signals:
        urgency = signal.urgency_on(today)
        rows.append(
            OpenSlaSignal(
                type_label=str(signal.get_type_display()),
                assignment_number=signal.assignment.number if signal.assignment else "",
                urgency_label=str(Urgency(urgency).label),
                urgency_tone=URGENCY_TONES[urgency],
                due_date=signal.due_date,
                status_label=str(signal.get_status_display()),
            )
        )
    return OpenSlaSignals(total=len(rows) if total is None else total, signals=rows)


def signal_team_per_municipality() -> dict[int, int]:
    """municipality id → the team that gets the signals about its clients. That is the
    municipality's `signal_team` (set by the functioneel beheerder) while that team still serves the
    municipality; otherwise (none set, or the team no longer serves it) the serving team whose name
    comes first. A municipality no team serves is absent: its signals have no team."""
    serving: dict[int, list[int]] = defaultdict(list)
    for municipality_id, team_id in Team.municipalities.through.objects.order_by("team__name").values_list(
        "municipality_id", "team_id"
    ):
        serving[municipality_id].append(team_id)
    chosen = dict(Municipality.objects.filter(signal_team__isnull=False).values_list("pk", "signal_team_id"))
    return {
        municipality_id: chosen[municipality_id] if chosen.get(municipality_id) in teams else teams[0]
        for municipality_id, teams in serving.items()
    }
