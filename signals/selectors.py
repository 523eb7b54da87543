"""Read queries for the signal pages: worklists and zorgstapeling (per client and in aggregate)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Team
from accounts.selectors import clients_visible_to
from indications.models import Client, Indication, Municipality, OtherProvision

from .checks import clients_with_stacking, describe_stacking
from .models import OPEN_STATUSES, Signal, SignalType, Urgency


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
        groups.setdefault(signal.type, SignalGroup(signal.type, SignalType(signal.type).label, today)
                          ).signals.append(signal)
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
        .annotate(total=Count("id", distinct=True),
                  overdue=Count("id", filter=Q(urgency=Urgency.OVERDUE), distinct=True))
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
        TimelineBar(f"{ind.product.name}" + (f" ({ind.provider.name})" if ind.provider_id else ""), "ib",
                    ind.start_date, ind.ended_on or ind.end_date)
        for ind in Indication.objects.filter(client=client, status__in=["vastgesteld", "actief", "beeindigd"])
        .select_related("product", "provider").order_by("start_date")
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
    and clients with provisions under at least two laws. The stacking itself is one grouped query
    (checks.clients_with_stacking); its rows (one per stacked client: municipality, combination,
    address) are tallied here, since Django cannot group an already grouped query again."""
    stacked = clients_with_stacking(today).filter(municipality__in=municipalities).order_by()
    combinations: dict[str, Counter] = defaultdict(Counter)
    addresses: dict[str, set] = defaultdict(set)
    for name, mask, postcode, house_number in stacked.values_list(
        "municipality__name", "stacking_mask", "postcode", "house_number"
    ):
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
