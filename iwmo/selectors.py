"""Reads of the iWmo message traffic for the pages (iwmo.views): the messages of a day, a provider or
a client with their joins, the counts per type, provider and status (aggregated in the database),
and the errors to act on. Every list is a queryset with its joins, so a page runs a constant number
of queries whatever the number of messages."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from indications.selectors import clients_visible_to
from providers.models import Assignment, AssignmentRequest, ChangeRequest
from ui.tables import Column, Table

from .codes import MessageType, Retourcode
from .models import IncomingMessage, OutgoingMessage, RetourStatus

OUT = "uit"
IN = "in"
RETOURCODE_MEANING = dict(Retourcode.choices)


def sees_client_data(user) -> bool:
    """Consultants and team leads see the messages with their client (BSN masked in lists) and may
    download the XML; contract management sees figures and errors without any client data."""
    return user.has_perm("indications.view_client")


def may_view_traffic(user) -> bool:
    return sees_client_data(user) or user.has_perm("indications.view_management_information")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day in the local time zone as an aware [start, end) range: a range on the column (its
    index), not a date function of it."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def outgoing_for(user) -> QuerySet[OutgoingMessage]:
    """The outgoing messages `user` may see, with what the lists show. A consultant sees the messages
    of the clients they may see (and those without a client); contract management all of them."""
    messages = OutgoingMessage.objects.select_related("provider", "client", "in_reply_to").defer(
        "xml", "in_reply_to__raw"
    )
    if sees_client_data(user):
        messages = messages.filter(Q(client__isnull=True) | Q(client__in=clients_visible_to(user)))
    return messages


def incoming_for(user) -> QuerySet[IncomingMessage]:
    messages = (
        IncomingMessage.objects.select_related("provider", "client")
        .prefetch_related(Prefetch("retours", queryset=OutgoingMessage.objects.defer("xml")))
        .defer("raw")
    )
    if sees_client_data(user):
        messages = messages.filter(Q(client__isnull=True) | Q(client__in=clients_visible_to(user)))
    return messages


def outgoing_on(messages: QuerySet[OutgoingMessage], day: date) -> QuerySet[OutgoingMessage]:
    start, end = day_bounds(day)
    return messages.filter(created_at__gte=start, created_at__lt=end)


def incoming_on(messages: QuerySet[IncomingMessage], day: date) -> QuerySet[IncomingMessage]:
    start, end = day_bounds(day)
    return messages.filter(received_at__gte=start, received_at__lt=end)


# -- the retour of what we sent (WMO302/WMO320, iwmo.retour_in) --------------------------------------


def outgoing_rejected_by_receiver(messages: QuerySet[OutgoingMessage]) -> QuerySet[OutgoingMessage]:
    """The outgoing messages whose retour (302/320) rejected them, wholly or in part, and that no one
    has marked handled yet (iwmo.retour_handling): the errors still to act on."""
    return messages.filter(
        retour_status__in=(RetourStatus.REJECTED, RetourStatus.PARTLY_ACCEPTED), retour_handled_at__isnull=True
    )


def rejected_retours_on_worklist(user) -> QuerySet[OutgoingMessage]:
    """The rejected messages (a 302/320 with other codes than 0200) that land with `user`: the
    consultant of a beschikking of the message's client with a toewijzing at its provider. Oldest
    retour first, with what the worklist shows."""
    theirs = Assignment.objects.filter(
        indication__client=OuterRef("client"), provider=OuterRef("provider"), indication__consultant=user
    )
    return (
        outgoing_rejected_by_receiver(OutgoingMessage.objects.filter(Exists(theirs)))
        .select_related("provider", "client")
        .defer("xml")
        .order_by("retour_dagtekening", "id")
    )


# -- errors to act on ------------------------------------------------------------------------------


def outgoing_errors(messages: QuerySet[OutgoingMessage]) -> QuerySet[OutgoingMessage]:
    """Failed deliveries (mislukt) and messages the receiver rejected in its retour."""
    failed = messages.filter(status=OutgoingMessage.Status.FAILED)
    return (failed | outgoing_rejected_by_receiver(messages)).distinct()


def incoming_errors(messages: QuerySet[IncomingMessage]) -> QuerySet[IncomingMessage]:
    """Received messages we rejected or accepted only in part: the provider must send them again."""
    return messages.filter(status__in=[IncomingMessage.Status.REJECTED, IncomingMessage.Status.PARTLY_ACCEPTED])


# -- counts ----------------------------------------------------------------------------------------


@dataclass
class CountRow:
    """One line of the day's figures: a direction, a message type and a provider, counts per status."""

    direction: str
    message_type: str
    provider: str
    provider_uuid: object
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def per_status(self) -> list[tuple[str, str, int]]:
        """(status, its Dutch label, count), in the order of the statuses."""
        model = OutgoingMessage if self.direction == OUT else IncomingMessage
        return [(value, label, self.counts[value]) for value, label in model.Status.choices if value in self.counts]


def counts_by_type_and_provider(
    outgoing: QuerySet[OutgoingMessage], incoming: QuerySet[IncomingMessage]
) -> list[CountRow]:
    """Counts per direction, message type, provider and status: two grouped queries."""
    rows: dict[tuple, CountRow] = {}
    for direction, messages in ((OUT, outgoing), (IN, incoming)):
        grouped = (
            messages.order_by()
            .values("message_type", "provider__name", "provider__uuid", "status")
            .annotate(n=Count("id"))
            .order_by("message_type", "provider__name")
        )
        for group in grouped:
            key = (direction, group["message_type"], group["provider__name"])
            row = rows.setdefault(
                key,
                CountRow(
                    direction, group["message_type"] or "?", group["provider__name"] or "", group["provider__uuid"]
                ),
            )
            row.counts[group["status"]] = group["n"]
    return sorted(rows.values(), key=lambda row: (row.direction != OUT, row.message_type, row.provider))


def day_figures_table(counts: list[CountRow], *, day: date) -> Table:
    """The day's figures as the exports write them (ui.tables): a row per direction, type and
    provider, a column per status of either direction."""
    direction_label = {OUT: _("verzonden"), IN: _("ontvangen")}
    statuses = [(OUT, value, label) for value, label in OutgoingMessage.Status.choices] + [
        (IN, value, label) for value, label in IncomingMessage.Status.choices
    ]
    return Table(
        slug="iwmo-dag",
        title=_("iWmo-berichten van %(day)s per berichtsoort en aanbieder") % {"day": f"{day:%d-%m-%Y}"},
        columns=[
            Column(_("Richting"), "text"),
            Column(_("Berichtsoort"), "text"),
            Column(_("Aanbieder"), "text"),
            Column(_("Totaal")),
            *(Column(f"{direction_label[direction]}: {label}") for direction, _value, label in statuses),
        ],
        rows=[
            [
                direction_label[row.direction],
                row.message_type,
                row.provider or _("onbekende afzender"),
                row.total,
                *(
                    row.counts.get(value, 0) if direction == row.direction else None
                    for direction, value, _label in statuses
                ),
            ]
            for row in counts
        ],
    )


@dataclass
class DayRow:
    day: date
    sent: int = 0
    received: int = 0
    errors: int = 0


def days_table(days: list["DayRow"], *, provider_name: str, first: date, last: date) -> Table:
    """A provider's traffic per day (the provider page's figures) as the exports write them."""
    return Table(
        slug="iwmo-dagen",
        title=_("iWmo-berichten van %(provider)s per dag, %(first)s tot en met %(last)s")
        % {"provider": provider_name, "first": f"{first:%d-%m-%Y}", "last": f"{last:%d-%m-%Y}"},
        columns=[Column(_("Dag"), "date"), Column(_("Verzonden")), Column(_("Ontvangen")), Column(_("Fouten"))],
        rows=[[row.day, row.sent, row.received, row.errors] for row in days],
    )


def traffic_per_day(
    outgoing: QuerySet[OutgoingMessage], incoming: QuerySet[IncomingMessage], *, first: date, last: date
) -> list[DayRow]:
    """Per day from `first` to `last` (latest first, days without traffic left out): sent, received
    and errors (failed deliveries, rejected or partly accepted incoming). Two grouped queries."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    tz = timezone.get_current_timezone()
    days: dict[date, DayRow] = {}
    sent = (
        outgoing.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"), failed=Count("id", filter=Q(status=OutgoingMessage.Status.FAILED)))
    )
    for group in sent:
        row = days.setdefault(group["day"], DayRow(group["day"]))
        row.sent, row.errors = group["n"], row.errors + group["failed"]
    bad = [IncomingMessage.Status.REJECTED, IncomingMessage.Status.PARTLY_ACCEPTED]
    received = (
        incoming.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"), bad=Count("id", filter=Q(status__in=bad)))
    )
    for group in received:
        row = days.setdefault(group["day"], DayRow(group["day"]))
        row.received, row.errors = group["n"], row.errors + group["bad"]
    return sorted(days.values(), key=lambda row: row.day, reverse=True)


def retourcodes(message: IncomingMessage) -> list[dict]:
    """The codes per element of a received message with their Dutch meaning (WJ001)."""
    return [
        {
            "element": error.get("element", ""),
            "codes": [{"code": code, "meaning": RETOURCODE_MEANING.get(code, "")} for code in error.get("codes", [])],
            "melding": error.get("melding", ""),
        }
        for error in message.errors or []
    ]


def with_retourcodes(messages):
    """The received messages as a list, each with `retourcodes` (the codes and their meaning) set."""
    messages = list(messages)
    for message in messages:
        message.retourcodes = retourcodes(message)
    return messages


# The client file shows the latest messages; the client's own page (iwmo:client) has them all.
CLIENT_PANEL_SIZE = 10


def latest_of_client(user, client) -> tuple[list, bool]:
    """The client's latest messages in and out, newest first (each with `direction` and `at`), and
    whether there are more: two queries (three when something was received), whatever the number."""
    rows = []
    for message in outgoing_for(user).filter(client=client)[: CLIENT_PANEL_SIZE + 1]:
        message.direction, message.at = OUT, message.created_at
        rows.append(message)
    for message in with_retourcodes(incoming_for(user).filter(client=client)[: CLIENT_PANEL_SIZE + 1]):
        message.direction, message.at = IN, message.received_at
        rows.append(message)
    rows.sort(key=lambda message: message.at, reverse=True)
    return rows[:CLIENT_PANEL_SIZE], len(rows) > CLIENT_PANEL_SIZE


def verzoeken_of_client(client, *, limit: int = CLIENT_PANEL_SIZE) -> tuple[list, list]:
    """The client's verzoeken om toewijzing (WMO315) and om wijziging (WMO317), newest first, open
    ones before answered ones: two queries. For the client file, which has checked access already."""
    open_first = ["-status_is_open", "-created_at", "-id"]
    toewijzing = (
        AssignmentRequest.objects.filter(client=client)
        .annotate(status_is_open=ExpressionWrapper(Q(status=AssignmentRequest.Status.OPEN), BooleanField()))
        .select_related("provider", "product")
        .order_by(*open_first)[:limit]
    )
    wijziging = (
        ChangeRequest.objects.filter(assignment__indication__client=client)
        .annotate(status_is_open=ExpressionWrapper(Q(status=ChangeRequest.Status.OPEN), BooleanField()))
        .select_related("assignment__provider", "assignment__indication", "requested_product")
        .order_by(*open_first)[:limit]
    )
    return list(toewijzing), list(wijziging)


# The types we send that the provider answers with a retour (302, 320; OP090). Our retours (306,
# 308, 316, 318) are not answered.
EXPECTS_RETOUR = (MessageType.WMO301, MessageType.WMO319)


def messages_without_retour(*, older_than: datetime) -> QuerySet:
    """The delivered outgoing messages that expect a retour (OP090: within 3 werkdagen) and have
    none, delivered before `older_than`: the one place the signal iwmo_geen_retour asks.

    The retour is recorded on the message by iwmo.retour_in (`retour_message`)."""
    return OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.DELIVERED,
        retour_message__isnull=True,
        message_type__in=EXPECTS_RETOUR,
        delivered_at__lt=older_than,
    )
