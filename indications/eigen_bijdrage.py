"""The eigen bijdrage for IB: the rule periods (reference data, one rule per day), the obligation of
a client derived from the granted beschikkingen, and the export of those obligations for the CAK.

Seed 000 (around lines 57 and 1702): IB had been made free by the SDD; the eigen bijdrage was
reintroduced on 1 December 2020. The municipality reports the start and end of the voorziening;
the CAK computes and collects the amount. So the obligation of a beschikking is its period of care
(ingangsdatum to the end, or the day it was ended) intersected with the rule periods in which the
eigen bijdrage is due, minus the exemptions of those periods (for example a client under 18). It is
derived each time from the data, never stored, so it follows every change of a beschikking.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from ui.tables import Column, Table, euro

from .models import (
    DECIDED,
    GRANTED_STATUSES,
    VOID_STATUSES,
    CakExport,
    EigenBijdrageExemption,
    EigenBijdrageRule,
    Indication,
)

Rule = EigenBijdrageExemption.Rule

# --------------------------------------------------------------------------------------------
# The rule periods: one rule per day (the admin's form calls this; PostgreSQL also holds it)
# --------------------------------------------------------------------------------------------


def _overlaps(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def validate_rule_period(valid_from: date, valid_until: date | None, *, replacing: int | None = None) -> None:
    """Refuse (ValidationError, code "eigen_bijdrage_overlap") a period that overlaps another stored
    rule than the one being edited (`replacing`)."""
    others = EigenBijdrageRule.objects.exclude(pk=replacing).order_by("valid_from")
    for other in others:
        if _overlaps(valid_from, valid_until, other.valid_from, other.valid_until):
            raise ValidationError(
                _("Deze periode overlapt met de regel eigen bijdrage vanaf %(date)s.")
                % {"date": other.valid_from.strftime("%d-%m-%Y")},
                code="eigen_bijdrage_overlap",
            )


# --------------------------------------------------------------------------------------------
# The obligation of a beschikking
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulePeriod:
    """A rule as the derivation needs it, read once (the rules are a handful of rows)."""

    valid_from: date
    valid_until: date | None
    is_due: bool
    amount_per_month: Decimal | None
    exemptions: tuple[EigenBijdrageExemption, ...] = ()


def rule_periods() -> list[RulePeriod]:
    rules = EigenBijdrageRule.objects.prefetch_related("exemptions").order_by("valid_from")
    return [
        RulePeriod(
            rule.valid_from,
            rule.valid_until,
            rule.is_due,
            rule.amount_per_month,
            tuple(exemption for exemption in rule.exemptions.all() if exemption.is_active),
        )
        for rule in rules
    ]


def latest_due_start(rules: Sequence[RulePeriod] | None = None) -> date | None:
    """The most recent day the eigen bijdrage started to be due after a period without it (or the
    first rule): 1 December 2020 with the rules of the data migration."""
    if rules is None:
        rules = [
            RulePeriod(valid_from, None, is_due, None)
            for valid_from, is_due in EigenBijdrageRule.objects.order_by("valid_from").values_list(
                "valid_from", "is_due"
            )
        ]
    start, previous_due = None, False
    for rule in rules:
        if rule.is_due and not previous_due:
            start = rule.valid_from
        previous_due = rule.is_due
    return start


def _birthday(date_of_birth: date, years: int) -> date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # born on 29 February: the birthday is 1 March in a common year
        return date(date_of_birth.year + years, 3, 1)


@dataclass(frozen=True)
class Segment:
    """A period in which the eigen bijdrage is due (end None: open-ended)."""

    start: date
    end: date | None
    amount_per_month: Decimal


@dataclass(frozen=True)
class Obligation:
    """The eigen bijdrage of one beschikking: the periods in which it is due, and why it is not
    due in the rest of its care (the reasons in Dutch, for the beschikking)."""

    segments: tuple[Segment, ...] = ()
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def start(self) -> date | None:
        return self.segments[0].start if self.segments else None

    @property
    def end(self) -> date | None:
        return self.segments[-1].end if self.segments else None

    @property
    def amount_per_month(self) -> Decimal | None:
        return self.segments[0].amount_per_month if self.segments else None

    @property
    def is_due(self) -> bool:
        return bool(self.segments)


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def obligation(
    *,
    start: date,
    end: date | None,
    date_of_birth: date,
    product_id: int,
    rules: Sequence[RulePeriod],
) -> Obligation:
    """The eigen bijdrage for care from `start` to `end` (inclusive; None: open-ended) of a client
    born on `date_of_birth` with the product `product_id`, under `rules`."""
    segments: list[Segment] = []
    reasons: list[str] = []
    for rule in rules:
        if not _overlaps(start, end, rule.valid_from, rule.valid_until):
            continue
        seg_start = max(start, rule.valid_from)
        ends = [day for day in (end, rule.valid_until) if day is not None]
        seg_end = min(ends) if ends else None
        if not rule.is_due:
            reasons.append(
                _("Individuele begeleiding was tot en met %(date)s vrij van eigen bijdrage.")
                % {"date": _day(rule.valid_until)}
                if rule.valid_until
                else _("Individuele begeleiding is vrij van eigen bijdrage.")
            )
            continue
        for exemption in rule.exemptions:
            if exemption.rule == Rule.PRODUCT and exemption.product_id == product_id:
                reasons.append(_("Vrijgesteld: %(name)s.") % {"name": exemption.name})
                seg_start = None
                break
            if exemption.rule == Rule.AGE_BELOW and exemption.age is not None:
                of_age = _birthday(date_of_birth, exemption.age)
                if of_age > seg_start:
                    reasons.append(
                        _("Vrijgesteld tot %(date)s: %(name)s.") % {"date": _day(of_age), "name": exemption.name}
                    )
                    seg_start = of_age
            if seg_end is not None and seg_start > seg_end:
                seg_start = None
                break
        if seg_start is None:
            continue
        previous = segments[-1] if segments else None
        if (
            previous is not None
            and previous.end is not None
            and previous.end + timedelta(days=1) == seg_start
            and previous.amount_per_month == rule.amount_per_month
        ):
            segments[-1] = Segment(previous.start, seg_end, previous.amount_per_month)
        else:
            segments.append(Segment(seg_start, seg_end, rule.amount_per_month))
    return Obligation(tuple(segments), tuple(dict.fromkeys(reasons)))


def care_end(indication: Indication) -> date | None:
    """The last day of care of a beschikking: the day it was ended, else its einddatum."""
    return indication.ended_on or indication.end_date


def obligation_of(indication: Indication, *, rules: Sequence[RulePeriod] | None = None) -> Obligation | None:
    """The eigen bijdrage of a beschikking, or None for one withdrawn (it never applied)."""
    if indication.status == Indication.Status.INGETROKKEN:
        return None
    return obligation(
        start=indication.start_date,
        end=care_end(indication),
        date_of_birth=indication.client.date_of_birth,
        product_id=indication.product_id,
        rules=rule_periods() if rules is None else rules,
    )


def describe(result: Obligation | None, *, decided: bool) -> list[str]:
    """What the beschikking says about the eigen bijdrage, in Dutch sentences."""
    if result is None:
        return []
    lines = list(result.reasons)
    owes = _("U bent") if decided else _("De cliënt is")
    for segment in result.segments:  # one sentence per abonnementstarief
        period = (
            _("vanaf %(start)s tot en met %(end)s") % {"start": _day(segment.start), "end": _day(segment.end)}
            if segment.end
            else _("vanaf %(start)s") % {"start": _day(segment.start)}
        )
        lines.append(
            _(
                "%(owes)s een eigen bijdrage verschuldigd %(period)s via het CAK (abonnementstarief "
                "%(amount)s per maand). Het CAK stelt de bijdrage vast en int haar."
            )
            % {"owes": owes, "period": period, "amount": euro(segment.amount_per_month)}
        )
    if not result.is_due and not lines:
        lines.append(_("Er is geen eigen bijdrage verschuldigd."))
    return lines


# --------------------------------------------------------------------------------------------
# The CAK export: per client the start and end of the obligation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CakRow:
    bsn: str
    name: str
    date_of_birth: date
    municipality: str
    number: str
    product: str
    care_start: date
    care_end: date | None
    start: date | None
    end: date | None
    amount_per_month: Decimal | None
    change: str


MUTATIONS, RUNNING = "mutaties", "lopend"


def _mutation(segment: Segment, period_from: date, period_to: date) -> str:
    changes = []
    if period_from <= segment.start <= period_to:
        changes.append(_("start"))
    if segment.end is not None and period_from <= segment.end <= period_to:
        changes.append(_("einde"))
    return " + ".join(changes)


def cak_rows(
    period_from: date,
    period_to: date,
    *,
    kind: str = MUTATIONS,
    municipality=None,
    changed_since: datetime | None = None,
) -> Iterable[CakRow]:
    """Per granted beschikking the periods in which the eigen bijdrage is due, of every client:
    with `kind` MUTATIONS those that start or end in the period (what changed for the CAK), with
    RUNNING those that overlap it. With `changed_since` (the moment of the last export) MUTATIONS
    also holds every beschikking changed since then ("gewijzigd": a start or end moved, also into an
    exported period) and every decided beschikking withdrawn since then ("ingetrokken": it never
    applied, so neither did its eigen bijdrage). Sorted by client (BSN) and start."""
    rules = rule_periods()
    in_period = Q(status__in=GRANTED_STATUSES, start_date__lte=period_to) & (
        Q(care_until__isnull=True) | Q(care_until__gte=period_from)
    )
    changed = Q(pk__in=[])
    if kind == MUTATIONS and changed_since is not None:
        changed = DECIDED & Q(updated_at__gte=changed_since, status__in=[*GRANTED_STATUSES, *VOID_STATUSES])
    beschikkingen = (
        Indication.objects.annotate(care_until=Coalesce("ended_on", "end_date"))
        .filter(in_period | changed)
        .select_related("client__municipality", "product")
        .order_by("client__bsn", "start_date", "pk")
    )
    if municipality is not None:
        beschikkingen = beschikkingen.filter(client__municipality=municipality)
    for indication in beschikkingen.iterator(chunk_size=2000):
        client = indication.client
        was_changed = changed_since is not None and kind == MUTATIONS and indication.updated_at >= changed_since

        def row(start, end, amount, change, indication=indication, client=client):
            return CakRow(
                bsn=client.bsn,
                name=" ".join(part for part in (client.initials, client.name_prefix, client.last_name) if part),
                date_of_birth=client.date_of_birth,
                municipality=client.municipality.name,
                number=indication.number or "",
                product=indication.product.iwmo_code or indication.product.code,
                care_start=indication.start_date,
                care_end=indication.care_until,
                start=start,
                end=end,
                amount_per_month=amount,
                change=change,
            )

        if indication.status in VOID_STATUSES:
            yield row(None, None, None, _("ingetrokken"))
            continue
        result = obligation(
            start=indication.start_date,
            end=indication.care_until,
            date_of_birth=client.date_of_birth,
            product_id=indication.product_id,
            rules=rules,
        )
        for segment in result.segments:
            change = ""
            if _overlaps(segment.start, segment.end, period_from, period_to):
                change = _mutation(segment, period_from, period_to) or (_("lopend") if kind == RUNNING else "")
            if not change and was_changed:
                change = _("gewijzigd")
            if change:
                yield row(segment.start, segment.end, segment.amount_per_month, change)


def last_cak_export() -> CakExport | None:
    return CakExport.objects.select_related("exported_by").first()


def default_export_period(*, today: date) -> tuple[date, date]:
    """From the day after the last export's period (the changes since then) up to today; the first
    export starts at the most recent start of the eigen bijdrage."""
    last = last_cak_export()
    if last is not None:
        return min(last.period_to + timedelta(days=1), today), today
    return min(latest_due_start() or today, today), today


@transaction.atomic
def record_cak_export(*, period_from: date, period_to: date, rows: int, by, ip_address: str | None = None):
    """Keep an export of the obligations for the CAK (personal data: BSN, name, date of birth) in
    the export log and the audit trail."""
    if period_to < period_from:
        raise ValidationError({"period_to": _("De einddatum mag niet vóór de begindatum liggen.")})
    export = CakExport.objects.create(period_from=period_from, period_to=period_to, rows=rows, exported_by=by)
    record_event(
        actor=by,
        action=AuditEvent.Action.READ,
        obj=export,
        summary=f"CAK-export eigen bijdrage {period_from:%d-%m-%Y} t/m {period_to:%d-%m-%Y} ({rows} regels)",
        ip_address=ip_address,
    )
    return export


def describe_period(period_from: date, period_to: date) -> str:
    return _("%(start)s t/m %(end)s") % {
        "start": date_format(period_from, "j F Y"),
        "end": date_format(period_to, "j F Y"),
    }


def cak_table(
    period_from: date,
    period_to: date,
    *,
    kind: str = MUTATIONS,
    municipality=None,
    changed_since: datetime | None = None,
) -> Table:
    """The obligations for the CAK as a table (page, CSV and XLSX), rows as a list."""
    rows = [
        (
            row.bsn,
            row.name,
            row.date_of_birth,
            row.municipality,
            row.number,
            row.product,
            row.care_start,
            row.care_end,
            row.start,
            row.end,
            row.amount_per_month,
            row.change,
        )
        for row in cak_rows(period_from, period_to, kind=kind, municipality=municipality, changed_since=changed_since)
    ]
    title = (
        _("Mutaties eigen bijdrage voor het CAK") if kind == MUTATIONS else _("Lopende eigen bijdragen voor het CAK")
    )
    return Table(
        "cak-eigen-bijdrage",
        title,
        [
            Column(_("BSN"), "text"),
            Column(_("Naam"), "text"),
            Column(_("Geboortedatum"), "date"),
            Column(_("Gemeente"), "text"),
            Column(_("Beschikkingnummer"), "text"),
            Column(_("Productcode"), "text"),
            Column(_("Ingangsdatum voorziening"), "date"),
            Column(_("Einddatum voorziening"), "date"),
            Column(_("Start eigen bijdrage"), "date"),
            Column(_("Einde eigen bijdrage"), "date"),
            Column(_("Abonnementstarief per maand"), "money"),
            Column(_("Mutatie"), "text"),
        ],
        rows,
        note=describe_period(period_from, period_to),
    )
