"""The checks: for each signal type, the set of objects whose condition holds today, as one query.

Every check returns a values() queryset with the same columns (the `sig_*` names below): the
engine in services.py compares that set with the signals already there. Nothing here loops over
rows in Python; deadlines, windows and working days are turned into constant dates first, so the
database compares columns with constants (and with each other) and can use its indexes.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    LPad,
    TruncDate,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import ContractBudget, Prestatie
from billing.selectors import ACCEPTED, SIGNED_CENTS
from incidents.models import Incident, IncidentStatus
from indications.heraanmelding import heraanmelding_window
from indications.models import (
    DECIDED,
    GRANTED_STATUSES,
    Aanvraag,
    Client,
    DeliveryForm,
    Evaluation,
    Indication,
    IndicationStatus,
    Intake,
    Melding,
    OtherProvision,
    PlannedEvaluation,
    Review,
)
from indications.selectors import follow_ups_of
from iwmo.selectors import messages_without_retour
from providers.models import Assignment, AssignmentRequest, ChangeRequest, SupportPlan

from .columns import COLUMNS, _columns, _date, _deadline_urgency, config  # noqa: F401  (COLUMNS: part of this module's face)
from .models import SignalType, Urgency
from .objection_checks import bezwaar_deadline
from .plan_checks import persoonlijk_plan_term
from .working_days import working_days_after, working_days_before

# -- 1. evaluation overdue -----------------------------------------------------------------------


def evaluation_escalation_date(today: date) -> date:
    """Evaluations planned before this date have been overdue long enough to escalate."""
    return today - timedelta(days=config("EVALUATION_ESCALATE_AFTER_DAYS"))


def evaluation_overdue(today: date) -> QuerySet:
    """A planned evaluation of an active beschikking has passed with no evaluation recorded; after
    EVALUATION_ESCALATE_AFTER_DAYS more it goes to the team lead too."""
    escalate_before = evaluation_escalation_date(today)
    overdue = PlannedEvaluation.objects.filter(
        evaluation__isnull=True, planned_on__lt=today, indication__status=IndicationStatus.ACTIEF
    )
    return _columns(
        overdue,
        sig_subject=F("pk"),
        sig_due=F("planned_on"),
        sig_urgency=Value(Urgency.OVERDUE),
        sig_escalate=Case(
            When(planned_on__lt=escalate_before, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        client="indication__client",
        consultant="indication__consultant",
        sig_indication=F("indication_id"),
    )


# -- 2. beschikking expiring ---------------------------------------------------------------------


def beschikking_expiring(today: date) -> QuerySet:
    """An active beschikking ends within EXPIRING_WITHIN_DAYS and nothing follows yet: no follow-up
    beschikking (in any state but withdrawn) and no evaluation held within that window. Not when
    the consultant ended it per a later day: that end was decided, nothing is left to decide."""
    window = config("EXPIRING_WITHIN_DAYS")
    follow_up = follow_ups_of("pk")
    recent_evaluation = Evaluation.objects.filter(
        indication=OuterRef("pk"), held_on__gte=today - timedelta(days=window)
    )
    expiring = Indication.objects.filter(
        status=IndicationStatus.ACTIEF,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=window),
        ended_on__isnull=True,
    ).filter(~Exists(follow_up), ~Exists(recent_evaluation))
    return _columns(
        expiring,
        sig_subject=F("pk"),
        sig_due=F("end_date"),
        sig_urgency=Value(Urgency.WARNING),
        client="client",
        consultant="consultant",
        sig_indication=F("pk"),
    )


# -- 3. legal deadlines ----------------------------------------------------------------------------


def _legal_deadline(model, *, done: Exists, days: int, today: date, link: str) -> QuerySet:
    """Rows received `days` ago or more (less DEADLINE_WARN_DAYS: the warning) whose step is not done;
    due on received_on + days, flagged once that has passed."""
    warn_from = today + timedelta(days=config("DEADLINE_WARN_DAYS")) - timedelta(days=days)
    pending = model.objects.filter(received_on__lte=warn_from).filter(~done)
    due = ExpressionWrapper(F("received_on") + timedelta(days=days), output_field=DateField())
    return _columns(
        pending.annotate(deadline=due),
        sig_subject=F("pk"),
        sig_due=F("deadline"),
        sig_urgency=_deadline_urgency("deadline", today=today),
        client="client",
        consultant="consultant",
        **{link: F("pk")},
    )


def onderzoek_deadline(today: date) -> QuerySet:
    """The onderzoek is not finished within 6 weeks of the melding (art. 2.3.2 Wmo 2015)."""
    concluded = Exists(Intake.objects.filter(melding=OuterRef("pk"), concluded_on__isnull=False))
    return _legal_deadline(
        Melding, done=concluded, days=settings.SDD["ONDERZOEK_DEADLINE_DAYS"], today=today, link="sig_melding"
    )


def beschikking_deadline(today: date) -> QuerySet:
    """No beschikking within 2 weeks of the aanvraag (art. 2.3.5 lid 2 Wmo 2015)."""
    decided = Exists(Indication.objects.filter(DECIDED, aanvraag=OuterRef("pk")))
    return _legal_deadline(
        Aanvraag, done=decided, days=settings.SDD["BESCHIKKING_DEADLINE_DAYS"], today=today, link="sig_aanvraag"
    )


# -- 4. IB2 / IB0 too long ---------------------------------------------------------------------------


def product_too_long(today: date) -> QuerySet:
    """An active IB2 (at most 26 weeks, never simply extended) or IB0 beschikking runs beyond its
    maximum: counted from the start of the beschikking, or of the one it continues when that was
    the same product (an extension), up to today or its planned end, whichever is later."""
    maxima = {code: weeks for code, weeks in config("MAX_WEEKS").items() if weeks}
    if not maxima:
        # An always-false filter, not .none(): an empty queryset has no SQL for the conditions table.
        return _columns(
            Indication.objects.filter(Value(False)),
            sig_subject=F("pk"),
            sig_due=F("start_date"),
            sig_urgency=Value(Urgency.OVERDUE),
            client="client",
        )
    run_start = Case(
        When(replaces__product=F("product"), then=F("replaces__start_date")),
        default=F("start_date"),
        output_field=DateField(),
    )
    candidates = Indication.objects.filter(status=IndicationStatus.ACTIEF, product__code__in=list(maxima))
    conditions = Q(pk__in=[])
    for code, weeks in maxima.items():
        # Beyond the maximum: today lies past it, or the planned end does.
        too_long = Q(run_start__lt=today - timedelta(weeks=weeks)) | Q(
            end_date__gt=ExpressionWrapper(F("run_start") + timedelta(weeks=weeks), output_field=DateField())
        )
        conditions |= Q(product__code=code) & too_long
    over = candidates.annotate(run_start=run_start).filter(conditions)
    due = Case(
        *[
            When(
                product__code=code,
                then=ExpressionWrapper(F("run_start") + timedelta(weeks=weeks), output_field=DateField()),
            )
            for code, weeks in maxima.items()
        ],
        output_field=DateField(),
    )
    return _columns(
        over,
        sig_subject=F("pk"),
        sig_due=due,
        sig_urgency=Value(Urgency.OVERDUE),
        client="client",
        consultant="consultant",
        sig_indication=F("pk"),
    )


# -- 5. zorgstapeling ------------------------------------------------------------------------------

# The variant of a stacking signal is a bit mask of what is stacked, so that a new combination is a
# new condition (a closed signal stays closed for the combination it was about). The bits are stored
# in every stacking signal, so each has a fixed, explicit code: never derived from the order of
# OtherProvision.Kind (reordering the enum must not change a stored signal's meaning). A new kind
# gets the next free bit; a bit is never reused (tests/signals/test_checks.py pins them).
MORE_THAN_ONE_IB = 1
HOUSEHOLD = 2
_Kind = OtherProvision.Kind
KIND_BITS: dict[str, int] = {
    _Kind.DAGBESTEDING: 1 << 2,
    _Kind.BESCHERMD_WONEN: 1 << 3,
    _Kind.HUISHOUDELIJKE_ONDERSTEUNING: 1 << 4,
    _Kind.KORTDUREND_VERBLIJF: 1 << 5,
    _Kind.VERVOER: 1 << 6,
    _Kind.OPVANG: 1 << 7,
    _Kind.JEUGDHULP: 1 << 8,
    _Kind.BIJSTAND: 1 << 9,
    _Kind.REINTEGRATIE: 1 << 10,
    _Kind.ZVW_BEHANDELING: 1 << 11,
    _Kind.WIJKVERPLEGING: 1 << 12,
    _Kind.WLZ: 1 << 13,
}


def _active_assignments(today: date) -> QuerySet:
    return Assignment.objects.active_on(today).filter(start_date__lte=today)


def _running_pgb(today: date, path: str = "") -> Q:
    """A pgb beschikking that runs today: IB without a toewijzing (the budgetholder buys the care)."""
    return (
        Q(**{f"{path}delivery_form": DeliveryForm.PGB, f"{path}status__in": GRANTED_STATUSES})
        & Q(**{f"{path}start_date__lte": today})
        & (Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": today}))
        & (Q(**{f"{path}ended_on__isnull": True}) | Q(**{f"{path}ended_on__gte": today}))
    )


def _active_provisions(today: date) -> QuerySet:
    return OtherProvision.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _count_per_client(queryset: QuerySet, client_path: str) -> Subquery:
    """The number of rows of `queryset` that belong to the outer client (a correlated count)."""
    return Subquery(
        queryset.filter(**{client_path: OuterRef("pk")})
        .order_by()
        .values(client_path)
        .annotate(rows=Count("pk"))
        .values("rows")[:1],
        output_field=IntegerField(),
    )


def _more_than_one(queryset: QuerySet, client_path: str) -> QuerySet:
    """The clients with more than one row in `queryset` (one grouped set)."""
    return queryset.order_by().values(client_path).annotate(rows=Count("pk")).filter(rows__gt=1).values(client_path)


def _kind_bits() -> Case:
    """A provision's bit in the stacking variant (KIND_BITS); NULL for a kind that does not stack."""
    return Case(*[When(kind=kind, then=Value(bit)) for kind, bit in KIND_BITS.items()], output_field=IntegerField())


def clients_with_stacking(today: date, *, client_id: int | list[int] | None = None) -> QuerySet:
    """Clients with an active IB toewijzing (or a running pgb) today and, on the same day, another one, another
    provision they are known to have, or a housemate (same address) with IB or another provision.
    Annotated with ib_count, kinds_mask and household (the parts of the variant, stacking_mask).

    Each part is computed once per client, by its own keys: the number of active toewijzingen and
    running pgb's (correlated counts), the kinds of the active provisions (a correlated sum of their
    bits) and whether another client at the same address has IB or a provision (EXISTS on the
    address index). Which clients to look at is decided first: for every client (the nightly run,
    the monitor), one hashed set per part (more than one IB, a provision) and the housemate test,
    so the per-client parts run only for the clients that stack; for one client or a list (a
    recheck after a user's change, the end of a batch of iWmo messages), those clients by their
    keys. (The earlier form joined every client's whole history of indications, toewijzingen and
    provisions and grouped it, and computed the grouped set of shared addresses three times: in the
    SELECT, the GROUP BY and the HAVING.)"""
    assignments = _active_assignments(today)
    provisions = _active_provisions(today)
    pgb = Indication.objects.filter(_running_pgb(today))

    def has_ib(path: str = "pk"):
        return Exists(assignments.filter(indication__client=OuterRef(path))) | Exists(pgb.filter(client=OuterRef(path)))

    housemate = (
        Client.objects.filter(postcode=OuterRef("postcode"), house_number=OuterRef("house_number"))
        .exclude(pk=OuterRef("pk"))
        .filter(has_ib() | Exists(provisions.filter(client=OuterRef("pk"))))
    )
    shares_address = ~Q(postcode="") & Exists(housemate)
    kinds = Subquery(
        provisions.filter(client=OuterRef("pk"))
        .order_by()
        .values("client")
        .annotate(mask=Sum(_kind_bits(), distinct=True))
        .values("mask")[:1],
        output_field=IntegerField(),
    )
    if client_id is None:
        # Every client: one hashed set of the clients with IB, and the parts that can make them stack.
        with_ib = Q(pk__in=assignments.values("indication__client")) | Q(pk__in=pgb.values("client"))
        more_than_one_ib = (
            Q(pk__in=_more_than_one(assignments, "indication__client"))
            | Q(pk__in=_more_than_one(pgb, "client"))
            | (Q(pk__in=assignments.values("indication__client")) & Q(pk__in=pgb.values("client")))
        )
        candidates = Client.objects.filter(with_ib).filter(
            more_than_one_ib | Q(pk__in=provisions.filter(kind__in=KIND_BITS).values("client")) | shares_address
        )
    elif isinstance(client_id, int):
        candidates = Client.objects.filter(has_ib(), pk=client_id)
    else:
        candidates = Client.objects.filter(has_ib(), pk__in=client_id)
    stacked = (
        candidates.order_by()
        .annotate(
            # Not "address": that is a property of Client, and instances of this queryset need it.
            address_key=Concat("postcode", Value("|"), "house_number", output_field=CharField()),
            ib_count=Coalesce(_count_per_client(assignments, "indication__client"), Value(0))
            + Coalesce(_count_per_client(pgb, "client"), Value(0)),
            kinds_mask=Coalesce(kinds, Value(0)),
            household=Case(When(shares_address, then=Value(HOUSEHOLD)), default=Value(0), output_field=IntegerField()),
        )
        .annotate(
            stacking_mask=F("kinds_mask")
            + F("household")
            + Case(When(ib_count__gt=1, then=Value(MORE_THAN_ONE_IB)), default=Value(0), output_field=IntegerField())
        )
    )
    if client_id is None:
        return stacked  # every candidate stacks in at least one part
    return stacked.filter(stacking_mask__gt=0)


def stacking(today: date, client_id: int | list[int] | None = None) -> QuerySet:
    consultant = Indication.objects.filter(client=OuterRef("pk"), status=IndicationStatus.ACTIEF).order_by(
        "-start_date", "-pk"
    )
    return _columns(
        clients_with_stacking(today, client_id=client_id),
        sig_subject=F("pk"),
        sig_variant=F("stacking_mask"),
        sig_due=_date(today),
        sig_urgency=Value(Urgency.ATTENTION),
        sig_assigned_to=Subquery(consultant.values("consultant_id")[:1]),
        client="",
        sig_indication=Subquery(consultant.values("pk")[:1]),
    )


@dataclass(frozen=True)
class RawConditions:
    """A check's condition set as SQL (the columns of signals.columns.COLUMNS, in that order) for a
    nightly run that the ORM cannot write as one statement (a set used twice, built once)."""

    sql: str
    params: tuple


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.order_by().query.sql_with_params()


def _stacked_clients_sql(today: date) -> tuple[str, tuple]:
    """The common table expressions of stacking_of_all_clients, ending in stacked (id,
    municipality_id, mask): every client with IB today and the parts of its variant (mask 0: none)."""
    assignments_sql, assignments_params = _compiled(_active_assignments(today).values("indication__client"))
    pgb_sql, pgb_params = _compiled(Indication.objects.filter(_running_pgb(today)).values("client"))
    provisions_sql, provisions_params = _compiled(
        _active_provisions(today)
        .values("client")
        .annotate(mask=Sum(_kind_bits(), distinct=True))
        .values("client", "mask")
    )
    client = connection.ops.quote_name(Client._meta.db_table)

    sql = f"""
        WITH ib_rows (client_id) AS ({assignments_sql} UNION ALL {pgb_sql}),
        ib (client_id, n) AS (SELECT client_id, COUNT(*) FROM ib_rows GROUP BY client_id),
        prov (client_id, mask) AS ({provisions_sql}),
        shared (postcode, house_number) AS (
            SELECT c.postcode, c.house_number
              FROM {client} c
              JOIN (SELECT client_id FROM ib UNION SELECT client_id FROM prov) AS known ON known.client_id = c.id
             WHERE c.postcode <> ''
             GROUP BY c.postcode, c.house_number HAVING COUNT(*) > 1
        ),
        stacked (id, municipality_id, mask) AS (
            SELECT c.id, c.municipality_id,
                   COALESCE(prov.mask, 0)
                   + CASE WHEN sh.postcode IS NULL THEN 0 ELSE {HOUSEHOLD} END
                   + CASE WHEN ib.n > 1 THEN {MORE_THAN_ONE_IB} ELSE 0 END
              FROM {client} c
              JOIN ib ON ib.client_id = c.id
              LEFT JOIN prov ON prov.client_id = c.id
              LEFT JOIN shared sh ON sh.postcode = c.postcode AND sh.house_number = c.house_number
        )
    """
    return sql, (*assignments_params, *pgb_params, *provisions_params)


def stacking_of_all_clients(today: date) -> RawConditions:
    """The zorgstapeling conditions of every client, as the nightly run needs them: the same rows
    as stacking(today) (tests/signals prove it), with each part built once as a common table
    expression and joined by client, where the ORM's form builds the sets of clients with IB two or
    three times each (as hashed subplans of its filter and its columns) and looks up a household per
    candidate twice: 1.8–2.3 s against 4.5–5.1 s at 1,000,000 beschikkingen. The parts: the active
    toewijzingen and running pgb's per client (ib: how many), the kinds of the active provisions
    per client (prov: the sum of their bits), the addresses shared by two or more clients with IB
    or a provision (shared: a client with IB there has a housemate with IB or a provision). The
    rules of each part are the ORM's own querysets, compiled; only their joining is written here.
    Every part is joined, never tested with IN (subquery): a set larger than work_mem cannot be a
    hashed subplan, and PostgreSQL then scans it once per client (at 3,000,000 beschikkingen the
    statement ran for minutes instead of seconds)."""
    stacked_sql, stacked_params = _stacked_clients_sql(today)
    indication = connection.ops.quote_name(Indication._meta.db_table)

    def consultant(column: str) -> str:
        return (
            f"(SELECT i.{column} FROM {indication} i WHERE i.client_id = s.id AND i.status = %s "
            "ORDER BY i.start_date DESC, i.id DESC LIMIT 1)"
        )

    sql = f"""
        {stacked_sql}
        SELECT s.id AS sig_subject, s.mask AS sig_variant, %s AS sig_due, %s AS sig_urgency,
               FALSE AS sig_escalate, {consultant("consultant_id")} AS sig_assigned_to, s.id AS sig_client,
               s.municipality_id AS sig_municipality, {consultant("id")} AS sig_indication, NULL AS sig_melding,
               NULL AS sig_aanvraag, NULL AS sig_assignment, NULL AS sig_provider
          FROM stacked s
         WHERE s.mask > 0
    """
    params = (
        *stacked_params,
        connection.ops.adapt_datefield_value(today),
        Urgency.ATTENTION,
        IndicationStatus.ACTIEF,
        IndicationStatus.ACTIEF,
    )
    return RawConditions(sql, params)


def stacked_clients(today: date) -> list[tuple]:
    """Every client who stacks today, set-wise as the nightly signal run computes it (see
    stacking_of_all_clients): (client id, municipality id, variant, postcode, house number)."""
    stacked_sql, params = _stacked_clients_sql(today)
    client = connection.ops.quote_name(Client._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{stacked_sql} SELECT s.id, s.municipality_id, s.mask, c.postcode, c.house_number "
            f"FROM stacked s JOIN {client} c ON c.id = s.id WHERE s.mask > 0",
            params,
        )
        return cursor.fetchall()


def describe_stacking(mask: int) -> tuple[list[str], list[str]]:
    """What a stacking variant holds: the provisions besides IB, and the laws involved."""
    parts = [str(_("meer dan één IB-toewijzing"))] if mask & MORE_THAN_ONE_IB else []
    laws = {"wmo"}
    for kind, bit in KIND_BITS.items():
        if mask & bit:
            parts.append(str(OtherProvision.Kind(kind).label))
            laws.add(OtherProvision.LAW_OF_KIND[kind])
    if mask & HOUSEHOLD:
        parts.append(str(_("huisgenoot met IB of een andere voorziening")))
    return parts, sorted(laws)


# -- 6. provider SLA ------------------------------------------------------------------------------


def no_start_reported(today: date) -> QuerySet:
    """No start zorg within START_REPORT_WORKING_DAYS working days after the toewijzing (counted from
    its date, or from the start date when that is later)."""
    cutoff = working_days_before(today, config("START_REPORT_WORKING_DAYS"))
    waiting = (
        Assignment.objects.active_on(today)
        .filter(care_started_on__isnull=True)
        .annotate(counted_from=Greatest("assigned_on", "start_date"))
        .filter(counted_from__lt=cutoff)
    )
    return _provider_columns(waiting, due=F("counted_from"))


def care_after_end(today: date) -> QuerySet:
    """Care started and no stop reported, STOP_REPORT_WORKING_DAYS working days after the toewijzing
    or its beschikking ended."""
    cutoff = working_days_before(today, config("STOP_REPORT_WORKING_DAYS"))
    # Within the SLA year: older gaps were the subject of earlier annual reviews.
    since = today - timedelta(days=config("SLA_LOOKBACK_DAYS"))
    running = (
        Assignment.objects.filter(care_started_on__isnull=False, care_stopped_on__isnull=True)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .filter(
            Q(end_date__lt=cutoff, end_date__gte=since)
            | Q(indication__ended_on__lt=cutoff, indication__ended_on__gte=since)
        )
    )
    return _provider_columns(running, due=Coalesce("indication__ended_on", "end_date"))


def stop_without_reason(today: date) -> QuerySet:
    """A stop zorg without its reden beëindiging (WMO588), within the SLA year."""
    since = today - timedelta(days=config("SLA_LOOKBACK_DAYS"))
    return _provider_columns(
        Assignment.objects.filter(care_stopped_on__gte=since, stop_reason=""), due=F("care_stopped_on")
    )


# The variants of ondersteuningsplan_ontbreekt: no plan at all, or changes asked and no new version.
PLAN_MISSING, PLAN_CHANGES_NOT_SUBMITTED = 0, 1


def support_plan_missing(today: date) -> QuerySet:
    """A started toewijzing still running without an ondersteuningsplan that is submitted or accepted:
    none arrived within SUPPORT_PLAN_TERM_DAYS after the start of care (variant 0), or the consultant
    asked for changes and no new version arrived within as many days after that (variant 1). It
    lapses when a version arrives, and when the toewijzing ends or care stops."""
    term = timedelta(days=settings.SDD["SUPPORT_PLAN_TERM_DAYS"])
    plans = SupportPlan.objects.filter(assignment=OuterRef("pk"))
    standing = plans.filter(status__in=(SupportPlan.Status.SUBMITTED, SupportPlan.Status.ACCEPTED))
    changes_asked_on = (
        plans.filter(status=SupportPlan.Status.CHANGES_REQUESTED).order_by("-version").values("judged_on")[:1]
    )
    waiting = (
        Assignment.objects.active_on(today)
        .filter(care_started_on__isnull=False, care_stopped_on__isnull=True)
        .filter(~Exists(standing))
        .annotate(changes_asked_on=Subquery(changes_asked_on, output_field=DateField()))
        .filter(
            Q(changes_asked_on__isnull=True, care_started_on__lt=today - term) | Q(changes_asked_on__lt=today - term)
        )
        .annotate(
            plan_due=Case(
                When(
                    changes_asked_on__isnull=True,
                    then=ExpressionWrapper(F("care_started_on") + term, output_field=DateField()),
                ),
                default=ExpressionWrapper(F("changes_asked_on") + term, output_field=DateField()),
                output_field=DateField(),
            )
        )
    )
    return _columns(
        waiting,
        sig_subject=F("pk"),
        sig_variant=Case(
            When(changes_asked_on__isnull=True, then=Value(PLAN_MISSING)),
            default=Value(PLAN_CHANGES_NOT_SUBMITTED),
            output_field=IntegerField(),
        ),
        sig_due=F("plan_due"),
        sig_urgency=Value(Urgency.OVERDUE),
        client="indication__client",
        consultant="indication__consultant",
        sig_indication=F("indication_id"),
        sig_assignment=F("pk"),
        sig_provider=F("provider_id"),
    )


def _provider_columns(queryset: QuerySet, *, due) -> QuerySet:
    return _columns(
        queryset,
        sig_subject=F("pk"),
        sig_due=due,
        sig_urgency=Value(Urgency.OVERDUE),
        client="indication__client",
        consultant="indication__consultant",
        sig_indication=F("indication_id"),
        sig_assignment=F("pk"),
        sig_provider=F("provider_id"),
    )


# -- 7. nazorg ------------------------------------------------------------------------------------


def nazorg_due(today: date) -> QuerySet:
    """About NAZORG_AFTER_DAYS after an onderzoek ended in a referral, the call back is due (the
    planned date when the consultant set one)."""
    after = settings.SDD["NAZORG_AFTER_DAYS"]
    due = Coalesce(
        "nazorg_due_on",
        ExpressionWrapper(F("concluded_on") + timedelta(days=after), output_field=DateField()),
        output_field=DateField(),
    )
    referred = (
        Intake.objects.filter(
            conclusion__in=Intake.REFERRAL_CONCLUSIONS, concluded_on__isnull=False, nazorg_done_on__isnull=True
        )
        .annotate(nazorg_on=due)
        .filter(nazorg_on__lte=today)
    )
    return _columns(
        referred,
        sig_subject=F("pk"),
        sig_due=F("nazorg_on"),
        sig_urgency=Value(Urgency.ATTENTION),
        client="melding__client",
        consultant="melding__consultant",
        sig_melding=F("melding_id"),
    )


# -- 8. heraanmelding -------------------------------------------------------------------------------


def heraanmelding(today: date) -> QuerySet:
    """A melding within HERAANMELDING_MONTHS of the client's last outflow (a beschikking that ended
    with nothing after it), while its onderzoek runs: a sign of too-fast down-scaling."""
    window = heraanmelding_window()
    concluded = Intake.objects.filter(melding=OuterRef("pk"), concluded_on__isnull=False)
    ended = Indication.objects.filter(
        client=OuterRef("client"),
        status=IndicationStatus.BEEINDIGD,
        ended_on__lte=OuterRef("received_on"),
        ended_on__gte=ExpressionWrapper(OuterRef("received_on") - window, output_field=DateField()),
    )
    follow_up = follow_ups_of("pk")
    outflow = ended.filter(~Exists(follow_up))
    returning = Melding.objects.filter(~Exists(concluded), Exists(outflow))
    return _columns(
        returning,
        sig_subject=F("pk"),
        sig_due=F("received_on"),
        sig_urgency=Value(Urgency.ATTENTION),
        client="client",
        consultant="consultant",
        sig_melding=F("pk"),
    )


# -- 9. four-eyes review waiting ------------------------------------------------------------------


def review_deadline_horizon(today: date) -> date:
    """A beschikking due on or before this day is close enough to its legal deadline that the review
    must be decided now: the consultant needs REVIEW_DEADLINE_MARGIN_WORKING_DAYS to issue it."""
    return working_days_after(today, config("REVIEW_DEADLINE_MARGIN_WORKING_DAYS"))


def review_waiting(today: date) -> QuerySet:
    """A complex indication waits in ter_beoordeling for a team lead: raised when it has waited more
    than REVIEW_WAITING_WORKING_DAYS working days, or sooner when its beschikking (due 2 weeks after
    the aanvraag) would otherwise be late. For the team leads of the client's team (no one person);
    due on the beschikking's legal deadline, escalated as that nears, cleared by the decision."""
    waited_since = working_days_before(today, config("REVIEW_WAITING_WORKING_DAYS"))
    deadline_days = settings.SDD["BESCHIKKING_DEADLINE_DAYS"]
    horizon = review_deadline_horizon(today)
    waiting = Review.objects.filter(outcome="", indication__status=IndicationStatus.TER_BEOORDELING).annotate(
        submitted_on=TruncDate("submitted_at"),
        deadline=ExpressionWrapper(
            F("indication__aanvraag__received_on") + timedelta(days=deadline_days), output_field=DateField()
        ),
    )
    # The deadline comparison as one on the aanvraag's date: deadline <= horizon.
    near_deadline = Q(indication__aanvraag__received_on__lte=horizon - timedelta(days=deadline_days))
    overdue = waiting.filter(Q(submitted_on__lt=waited_since) | near_deadline)
    return _columns(
        overdue,
        sig_subject=F("pk"),
        # Without an aanvraag (no legal deadline): due since the day it was offered.
        sig_due=Coalesce("deadline", "submitted_on", output_field=DateField()),
        sig_urgency=Case(
            When(deadline__lt=today, then=Value(Urgency.OVERDUE)),
            When(near_deadline, then=Value(Urgency.WARNING)),
            default=Value(Urgency.ATTENTION),
        ),
        sig_escalate=Case(When(near_deadline, then=Value(True)), default=Value(False), output_field=BooleanField()),
        client="indication__client",
        sig_indication=F("indication_id"),
        sig_aanvraag=F("indication__aanvraag_id"),
    )


# -- 10. jeugdhulp nearing 18 ---------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (negative: back); a day past the month's end falls on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def youth_18_birth_window(today: date) -> tuple[date, date]:
    """The birth dates of the clients the check is about today: whose 18th birthday lies at most
    YOUTH_18_WITHIN_MONTHS ahead, and at most YOUTH_18_GRACE_MONTHS behind."""
    earliest = add_months(today, -config("YOUTH_18_GRACE_MONTHS") - 18 * 12)
    latest = add_months(today, config("YOUTH_18_WITHIN_MONTHS") - 18 * 12)
    return earliest, latest


def _eighteenth_birthday(field: str) -> Cast:
    """The date `field` (a birth date) + 18 years, as a database expression: the date written out
    from its parts (29 February falls on 28 February in a year that has none, as add_months does)."""

    def part(expression, width):
        return LPad(Cast(expression, CharField()), width, Value("0"))

    day = Case(
        When(**{f"{field}__month": 2, f"{field}__day": 29}, then=Value(28)),
        default=ExtractDay(field),
        output_field=IntegerField(),
    )
    text = Concat(
        part(ExtractYear(field) + 18, 4),
        Value("-"),
        part(ExtractMonth(field), 2),
        Value("-"),
        part(day, 2),
        output_field=CharField(),
    )
    return Cast(text, DateField())


def youth_turning_18(today: date) -> QuerySet:
    """The step at 18 (seed 003): a client with current jeugdhulp (Jeugdwet) whose 18th birthday is
    within YOUTH_18_WITHIN_MONTHS, and who has no Wmo melding since the jeugdhulp started nor within
    the last YOUTH_MELDING_LOOKBACK_MONTHS, must be made known to the Wmo so support can continue.
    For the team of the client's municipality; due on the birthday ("termijn nadert"), overdue after it
    (also for a signal raised earlier: a deadline type in services.py); it lapses once a
    melding is registered, the jeugdhulp ends, or YOUTH_18_GRACE_MONTHS after the birthday."""
    earliest, latest = youth_18_birth_window(today)
    lookback = add_months(today, -config("YOUTH_MELDING_LOOKBACK_MONTHS"))
    melding = Melding.objects.filter(client=OuterRef("client")).filter(
        Q(received_on__gte=OuterRef("start_date")) | Q(received_on__gte=lookback)
    )
    turned_18_before_today = add_months(today, -18 * 12) - timedelta(days=1)
    youth = _active_provisions(today).filter(
        ~Exists(melding),
        kind=OtherProvision.Kind.JEUGDHULP,
        client__date_of_birth__gte=earliest,
        client__date_of_birth__lte=latest,
    )
    return _columns(
        youth,
        sig_subject=F("pk"),
        sig_due=_eighteenth_birthday("client__date_of_birth"),
        sig_urgency=Case(
            When(client__date_of_birth__lte=turned_18_before_today, then=Value(Urgency.OVERDUE)),
            default=Value(Urgency.WARNING),
        ),
        client="client",
    )


# -- 11. iWmo deadlines ---------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def iwmo_no_retour(today: date) -> QuerySet:
    """OP090: the receiver of a message sends its retour within 3 werkdagen, and the sender is the
    one to notice a missing one. A message we delivered on day d that still has no retour after
    working_days_after(d, N) — i.e. delivered before working_days_before(today, N) — is a signal for
    the team of the client's municipality (functioneel beheer acts outside the exchange, OP090x2).
    It lapses when the retour arrives (iwmo.selectors.messages_without_retour decides that)."""
    cutoff = _start_of(working_days_before(today, config("IWMO_RETOUR_WORKING_DAYS")))
    waiting = messages_without_retour(older_than=cutoff).filter(client__isnull=False)
    return _columns(
        waiting,
        sig_subject=F("pk"),
        sig_due=TruncDate("delivered_at"),
        sig_urgency=Value(Urgency.OVERDUE),
        client="client",
        sig_provider=F("provider_id"),
    )


# The variants of iwmo_melding_te_laat: the start zorg or the stop zorg was reported late.
REPORT_START, REPORT_STOP = 0, 1


@functools.lru_cache(maxsize=16)
def _on_time_from(since: date, today: date, days: int) -> tuple[tuple[date, date], ...]:
    """For every day a report can have arrived in the window (since..today): the first reported date
    that was still on time, working_days_before(day, days); a report that arrives on day r about a
    date before that is more than `days` werkdagen late (reported > working_days_after(date, days)
    holds exactly when date < working_days_before(reported, days)). The working days are computed
    here and handed to the database as constants: no holiday arithmetic per row in SQL, and no
    query to find the dates first."""
    window = (since + timedelta(days=offset) for offset in range((today - since).days + 1))
    return tuple((day, working_days_before(day, days)) for day in window)  # kept: a batch's rechecks ask again


class DayTable(Expression):
    """`CASE <column> WHEN day THEN value ... END` over a fixed table of (day, date) pairs, NULL for a
    day outside it: what a Case of one When per day computes, compiled as one string. The Case of
    the SLA year's 365 days cost about 40 ms to compile per query (a batch of iWmo messages
    rechecks this check at its end); this costs a string join, made once per table. The dates are
    written as literals, not parameters: they are date objects of our own (ISO digits only), and
    730 parameters cost the driver more to bind than the database to run the query."""

    def __init__(self, column: str, pairs):
        super().__init__(output_field=DateField())
        self.column = F(column)
        self.pairs = tuple(pairs)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        if not self.pairs:
            return "NULL", ()
        column_sql, column_params = compiler.compile(self.column)
        return f"CASE {column_sql} {_day_whens(self.pairs, connection.vendor == 'postgresql')} END", column_params


@functools.lru_cache(maxsize=16)
def _day_whens(pairs: tuple[tuple[date, date], ...], typed: bool) -> str:
    """`WHEN '2026-01-05' THEN '2025-12-29' ...`; `typed`: as DATE literals (PostgreSQL, whose CASE
    of untyped literals would be text); SQLite stores dates as this text."""
    prefix = "DATE " if typed else ""

    def literal(day: date) -> str:
        if type(day) is not date:  # only a date's own ISO form is ever written into the SQL
            raise TypeError(f"not a date: {day!r}")
        return f"{prefix}'{day.isoformat()}'"

    return " ".join(f"WHEN {literal(day)} THEN {literal(limit)}" for day, limit in pairs)


def _reported_late(today: date, *, reported: str, event: str, variant: int, on_time_from) -> QuerySet:
    """Toewijzingen whose start (or stop) zorg was received more than IWMO_REPORT_WORKING_DAYS
    werkdagen after the date it reports, within the SLA year."""
    since = today - timedelta(days=config("SLA_LOOKBACK_DAYS"))
    first_on_time = DayTable(reported, on_time_from)
    late = Assignment.objects.filter(**{f"{reported}__gte": since, f"{reported}__lte": today}).filter(
        **{f"{event}__lt": first_on_time}
    )
    return _columns(
        late.order_by(),
        sig_subject=F("pk"),
        sig_variant=Value(variant, output_field=IntegerField()),
        sig_due=F(reported),
        sig_urgency=Value(Urgency.ATTENTION),
        client="indication__client",
        consultant="indication__consultant",
        sig_indication=F("indication_id"),
        sig_assignment=F("pk"),
        sig_provider=F("provider_id"),
    )


def iwmo_report_late(today: date, client_id: int | list[int] | None = None) -> QuerySet:
    """The provider reports the start and the stop of the support within 5 werkdagen (the iWmo
    regieberichten WMO305/307; the same term as the SLA's START/STOP_REPORT_WORKING_DAYS): a start or
    stop received later than that after the date it reports, by either channel (the service records
    the day it was received: Assignment.care_start_reported_on / care_stop_reported_on). Variant 0
    the start, 1 the stop; for the consultant, ter attentie (contract management's SLA figures);
    lapses when the report is withdrawn (StatusAanlevering 3) or leaves the SLA year."""
    on_time_from = _on_time_from(
        today - timedelta(days=config("SLA_LOOKBACK_DAYS")), today, config("IWMO_REPORT_WORKING_DAYS")
    )
    parts = [
        _reported_late(
            today,
            reported="care_start_reported_on",
            event="care_started_on",
            variant=REPORT_START,
            on_time_from=on_time_from,
        ),
        _reported_late(
            today,
            reported="care_stop_reported_on",
            event="care_stopped_on",
            variant=REPORT_STOP,
            on_time_from=on_time_from,
        ),
    ]
    return _union_of_clients(parts, client_id)


# The variant of iwmo_verzoek_niet_beantwoord names the source, so the subjects (primary keys of
# different tables) never collide: 0 the verzoek om wijziging (WMO317 / the REST API), 1 the verzoek om
# toewijzing (WMO315).
REQUEST_CHANGE = 0


def _open_change_requests(today: date, received_before: datetime, days: int) -> QuerySet:
    waiting = ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN, created_at__lt=received_before)
    return _columns(
        waiting,
        sig_subject=F("pk"),
        sig_variant=Value(REQUEST_CHANGE, output_field=IntegerField()),
        sig_due=ExpressionWrapper(TruncDate("created_at") + timedelta(days=days), output_field=DateField()),
        sig_urgency=Value(Urgency.OVERDUE),
        client="assignment__indication__client",
        consultant="assignment__indication__consultant",
        sig_indication=F("assignment__indication_id"),
        sig_assignment=F("assignment_id"),
        sig_provider=F("assignment__provider_id"),
    )


REQUEST_ASSIGNMENT = 1


def _open_assignment_requests(today: date, received_before: datetime, days: int) -> QuerySet:
    """The verzoeken om toewijzing (WMO315) still open: for the team of the client's municipality (a
    request has no consultant yet). A request for a BSN that is not a client of ours has no client to
    signal on; it stays on every consultant's worklist instead."""
    waiting = AssignmentRequest.objects.filter(
        status=AssignmentRequest.Status.OPEN, client__isnull=False, created_at__lt=received_before
    )
    return _columns(
        waiting,
        sig_subject=F("pk"),
        sig_variant=Value(REQUEST_ASSIGNMENT, output_field=IntegerField()),
        sig_due=ExpressionWrapper(TruncDate("created_at") + timedelta(days=days), output_field=DateField()),
        sig_urgency=Value(Urgency.OVERDUE),
        client="client",
        sig_provider=F("provider_id"),
    )


REQUEST_SOURCES: list[Callable[[date, datetime, int], QuerySet]] = [_open_change_requests, _open_assignment_requests]


def _union_of_clients(parts: list[QuerySet], client_id: int | list[int] | None) -> QuerySet:
    """The union of a check's parts, each restricted to one client or a list of clients first (a
    union cannot be filtered afterwards)."""
    if isinstance(client_id, int):
        parts = [part.filter(sig_client=client_id) for part in parts]
    elif client_id is not None:
        parts = [part.filter(sig_client__in=client_id) for part in parts]
    parts = [part.order_by() for part in parts]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def iwmo_request_unanswered(today: date, client_id: int | list[int] | None = None) -> QuerySet:
    """A provider's verzoek still open after IWMO_REQUEST_ANSWER_DAYS days (the Wmo's 2 weeks for a
    decision on a request, art. 2.3.5 lid 2; the iWmo standard leaves the term to the municipality):
    for the consultant, lapses when the verzoek is answered (granted or refused)."""
    days = config("IWMO_REQUEST_ANSWER_DAYS")
    received_before = _start_of(today - timedelta(days=days))
    return _union_of_clients([source(today, received_before, days) for source in REQUEST_SOURCES], client_id)


# -- contract budgets (issue 17) -------------------------------------------------------------


def budget_threshold(today: date) -> QuerySet:
    """A contract's budget of this year of which its provider has been paid at least 80 % (variant
    80, termijn nadert) or the whole (variant 100, termijn verstreken; the 80 % signal then lapses):
    paid = the accepted prestaties of the provider in declaratieperiodes of the year that overlap
    the contract's validity (billing.spending.budget_use says the same in Python). About a contract,
    not a client: no client, team or consultant; contract management sees it with the provider."""
    low, high = settings.BILLING["BUDGET_THRESHOLDS"]
    end_of_year = _date(date(today.year, 12, 31))
    paid = (
        Prestatie.objects.filter(
            ACCEPTED,
            provider_id=OuterRef("contract__provider_id"),
            # The same provider (a line repeats its declaratie's), said of the declaratie too: its
            # index (provider, period_start) then finds the provider's declaraties of the year,
            # instead of every provider's, each with all its lines (30 s at 1,100,000 lines).
            declaratie__provider_id=OuterRef("contract__provider_id"),
            declaratie__period_start__year=today.year,
            declaratie__period_end__gte=OuterRef("contract__valid_from"),
            declaratie__period_start__lte=Coalesce(OuterRef("contract__valid_to"), end_of_year),
        )
        .values("provider_id")
        .annotate(cents=Sum(SIGNED_CENTS))
        .values("cents")
    )
    budgets = ContractBudget.objects.filter(year=today.year, amount_cents__gt=0).annotate(
        paid=Coalesce(Subquery(paid), Value(0))
    )
    reached_high = Q(paid__gte=F("amount_cents") * high / 100)
    return _columns(
        budgets.filter(paid__gte=F("amount_cents") * low / 100),
        client="",
        sig_client=Value(None, output_field=IntegerField()),
        sig_municipality=Value(None, output_field=IntegerField()),
        sig_subject=F("pk"),
        sig_variant=Case(When(reached_high, then=Value(high)), default=Value(low), output_field=IntegerField()),
        sig_due=_date(today),
        sig_urgency=Case(
            When(reached_high, then=Value(Urgency.OVERDUE)), default=Value(Urgency.WARNING), output_field=CharField()
        ),
        sig_provider=F("contract__provider_id"),
    )


# -- calamiteiten and geweld (art. 3.4 Wmo 2015) --------------------------------------------------


def incident_reported(today: date) -> QuerySet:
    """A provider reported a calamiteit or geweldsincident and its report to the GGD is not yet
    recorded: for the consultant of the beschikking, escalated to the team lead at once, of the
    highest urgency. Raised in the same transaction as the report (incidents.hooks), not only here."""
    return _columns(
        Incident.objects.filter(status=IncidentStatus.REPORTED),
        client="client",
        consultant="assignment__indication__consultant",
        sig_subject=F("pk"),
        sig_due=TruncDate("reported_at"),
        sig_urgency=Value(Urgency.OVERDUE),
        sig_escalate=Value(True, output_field=BooleanField()),
        sig_assignment=F("assignment_id"),
        sig_provider=F("provider_id"),
    )


@dataclass(frozen=True)
class Check:
    name: str
    type: str
    conditions: Callable[[date], QuerySet]
    # The conditions of one client (an int) or of a list of clients, for a check whose query has a
    # part that a filter on the client cannot restrict (zorgstapeling's households, a union);
    # otherwise the whole set filtered on sig_client.
    client_conditions: Callable[[date, int | list[int]], QuerySet] | None = None
    # The conditions of every client as SQL, for the nightly run, where the ORM's form (conditions)
    # would build a part more than once; conditions stays the rule for everything else.
    all_conditions: Callable[[date], RawConditions] | None = None
    # Whether the condition reads what a provider's start or stop of care changes on a toewijzing
    # (care dates, stop reason, status, end date). A recheck after such a report (CARE_REPORTED)
    # runs only these checks. Default True: a new check is rechecked unless it says it need not be.
    reads_care_reports: bool = True
    # Whether its signals are about a client; one about a contract (the budget) has none and is not
    # rechecked after a change to a client's case, only in the nightly run.
    about_clients: bool = True

    def conditions_of_client(self, today: date, client_id: int) -> QuerySet:
        if self.client_conditions is not None:
            return self.client_conditions(today, client_id)
        return self.conditions(today).filter(sig_client=client_id)

    def conditions_of_clients(self, today: date, client_ids: list[int]) -> QuerySet:
        """The conditions of several clients in one query (a batch's recheck)."""
        if len(client_ids) == 1:
            return self.conditions_of_client(today, client_ids[0])
        if self.client_conditions is not None:
            return self.client_conditions(today, list(client_ids))
        return self.conditions(today).filter(sig_client__in=client_ids)


CHECKS: list[Check] = [
    Check("evaluatie_te_laat", SignalType.EVALUATION_OVERDUE, evaluation_overdue, reads_care_reports=False),
    Check("beschikking_loopt_af", SignalType.BESCHIKKING_EXPIRING, beschikking_expiring, reads_care_reports=False),
    Check("termijn_onderzoek", SignalType.ONDERZOEK_DEADLINE, onderzoek_deadline, reads_care_reports=False),
    Check("termijn_beschikking", SignalType.BESCHIKKING_DEADLINE, beschikking_deadline, reads_care_reports=False),
    Check("product_te_lang", SignalType.PRODUCT_TOO_LONG, product_too_long, reads_care_reports=False),
    Check(
        "zorgstapeling",
        SignalType.STACKING,
        stacking,
        client_conditions=stacking,
        all_conditions=stacking_of_all_clients,
    ),
    Check("geen_start_zorg", SignalType.NO_START_REPORTED, no_start_reported),
    Check("zorg_na_einde", SignalType.CARE_AFTER_END, care_after_end),
    Check("stop_zonder_reden", SignalType.STOP_WITHOUT_REASON, stop_without_reason),
    Check("ondersteuningsplan_ontbreekt", SignalType.SUPPORT_PLAN_MISSING, support_plan_missing),
    Check("nazorg", SignalType.NAZORG_DUE, nazorg_due, reads_care_reports=False),
    Check("heraanmelding", SignalType.HERAANMELDING, heraanmelding, reads_care_reports=False),
    Check("beoordeling_wacht", SignalType.REVIEW_WAITING, review_waiting, reads_care_reports=False),
    Check("jeugdhulp_18", SignalType.YOUTH_TURNING_18, youth_turning_18, reads_care_reports=False),
    Check("iwmo_geen_retour", SignalType.IWMO_NO_RETOUR, iwmo_no_retour, reads_care_reports=False),
    Check("iwmo_melding_te_laat", SignalType.IWMO_REPORT_LATE, iwmo_report_late, client_conditions=iwmo_report_late),
    Check(
        "iwmo_verzoek_niet_beantwoord",
        SignalType.IWMO_REQUEST_UNANSWERED,
        iwmo_request_unanswered,
        client_conditions=iwmo_request_unanswered,
    ),
    Check("termijn_bezwaar", SignalType.BEZWAAR_DEADLINE, bezwaar_deadline, reads_care_reports=False),
    # Reads the toewijzing (for its consultant), so a care report rechecks it too (a few open rows).
    Check("calamiteit", SignalType.INCIDENT, incident_reported),
    Check("persoonlijk_plan", SignalType.PERSOONLIJK_PLAN, persoonlijk_plan_term, reads_care_reports=False),
    Check(
        "budgetplafond",
        SignalType.BUDGET_THRESHOLD,
        budget_threshold,
        reads_care_reports=False,
        about_clients=False,
    ),
]
CHECKS_BY_NAME = {check.name: check for check in CHECKS}
