"""The signal engine (run a check: raise, escalate, lapse) and the users' moves on a signal."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from incidents.hooks import IncidentChanged
from indications.hooks import ANY_CHANGE, CARE_REPORTED
from providers import services as provider_services

from .checks import (
    CHECKS,
    CHECKS_BY_NAME,
    COLUMNS,
    Check,
    RawConditions,
    evaluation_escalation_date,
    review_deadline_horizon,
)
from .models import OPEN_STATUSES, CheckRun, Signal, SignalEvent, SignalStatus, SignalType, Urgency
from .selectors import signal_team_per_municipality
from .workflow import ensure_transition_allowed

logger = logging.getLogger(__name__)

BATCH = 5000
SIGNAL_TABLE = Signal._meta.db_table
EVENT_TABLE = SignalEvent._meta.db_table
CONDITIONS = "signal_conditions"
# Signals whose urgency follows their due date: a warning turns into "termijn verstreken" on the
# day after the due date, without asking the check again.
DEADLINE_TYPES = (
    SignalType.ONDERZOEK_DEADLINE,
    SignalType.BESCHIKKING_DEADLINE,
    SignalType.REVIEW_WAITING,
    SignalType.YOUTH_TURNING_18,
    SignalType.BEZWAAR_DEADLINE,
)


@dataclass
class CheckOutcome:
    check: str
    created: int = 0
    escalated: int = 0
    updated: int = 0
    lapsed: int = 0
    skipped: str = ""
    seconds: float = 0.0


def run_check(check: Check, *, today: date | None = None, force: bool = False) -> CheckOutcome:
    """Run one check in one transaction, holding its CheckRun row: a second run at the same time
    (another beat, a retried task) skips instead of waiting, and a check that already ran today
    skips unless forced (the management command forces)."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    CheckRun.objects.get_or_create(check_name=check.name)
    with transaction.atomic():
        run = CheckRun.objects.select_for_update(skip_locked=True).filter(check_name=check.name).first()
        if run is None:
            return CheckOutcome(check.name, skipped="loopt al")
        if run.last_run_on == today and not force:
            return CheckOutcome(check.name, skipped="vandaag al uitgevoerd")
        run.last_started_at = timezone.now()
        outcome = _synchronise(check, today)
        outcome.seconds = round(time.perf_counter() - started, 3)
        run.last_run_on, run.last_finished_at, run.last_summary = today, timezone.now(), asdict(outcome)
        run.save()
    return outcome


def run_all_checks(*, today: date | None = None, force: bool = True, progress=None) -> list[CheckOutcome]:
    outcomes = []
    for check in CHECKS:
        outcomes.append(run_check(check, today=today, force=force))
        if progress:
            progress(check, outcomes[-1])
    return outcomes


def recheck_client(client_id: int, today: date, change: str = ANY_CHANGE) -> list[CheckOutcome]:
    """Re-evaluate every check for one client, now: what a user's change cleared lapses, what it
    caused is raised. The services of the case file call this through indications.hooks (registered
    in SignalsConfig.ready) inside their transaction; the nightly run stays the safety net.

    After a provider's start or stop of care (`change` CARE_REPORTED) only the checks that read
    those reports run (Check.reads_care_reports): the other conditions cannot have changed.

    Each check's condition query runs restricted to the client; the comparison with the client's
    few signals is done here (one query for all of them) instead of through a temporary table.
    It runs in a savepoint and never fails the user's change: a database problem (e.g. the nightly
    run raising the same signal at this moment) is logged and left to the next run."""
    return recheck_clients([client_id], today, change)


def recheck_clients(client_ids, today: date, change: str = ANY_CHANGE) -> list[CheckOutcome]:
    """recheck_client for several clients at once (a batch of iWmo messages, indications.hooks'
    collect_case_changes): each check's condition query runs once for all of them, restricted to
    them, instead of once per client; the outcome per check covers them all."""
    client_ids = sorted(set(client_ids))
    if not client_ids:
        return []
    provider_services.write_deferred_reports()  # the checks read the toewijzingen' rows
    try:
        with transaction.atomic():
            signals = list(
                Signal.objects.filter(client_id__in=client_ids).values_list(
                    "pk", "type", "subject_id", "variant", "status"
                )
            )
            closed_by_a_user = set(
                SignalEvent.objects.filter(
                    signal__client_id__in=client_ids, to_status=SignalStatus.LAPSED, by__isnull=False
                ).values_list("signal_id", flat=True)
            )
            checks = [check for check in CHECKS if check.about_clients]
            if change == CARE_REPORTED:
                checks = [check for check in checks if check.reads_care_reports]
            return [_synchronise_client(check, today, client_ids, signals, closed_by_a_user) for check in checks]
    except DatabaseError:
        logger.exception("Signal recheck of clients %s failed; the nightly run will catch up", client_ids)
        return []


def follow_incident(change: IncidentChanged) -> CheckOutcome:
    """Run the calamiteit check for the client of an incident that was just reported or moved, in
    the reporting transaction (incidents.hooks): the team lead's signal is there when it commits,
    and closes (vervallen) once the report to the GGD is recorded. Unlike recheck_client it does not
    swallow a database error: an incident must not land without its signal."""
    check = CHECKS_BY_NAME["calamiteit"]
    signals = list(
        Signal.objects.filter(client_id=change.client_id, type=check.type).values_list(
            "pk", "type", "subject_id", "variant", "status"
        )
    )
    return _synchronise_client(check, change.today, [change.client_id], signals, closed_by_a_user=set())


def _synchronise_client(check: Check, today: date, client_ids: list[int], signals: list[tuple], closed_by_a_user):
    """_synchronise for some clients: the same three comparisons over their rows (a signal's key,
    type + subject + variant, is unique over all clients, as in _synchronise)."""
    rows = list(check.conditions_of_clients(today, client_ids))
    holds = {(row["sig_subject"], row["sig_variant"]) for row in rows}
    own = [(pk, status, (subject, variant)) for pk, kind, subject, variant, status in signals if kind == check.type]
    known = {key for _pk, _status, key in own}
    new_rows = [row for row in rows if (row["sig_subject"], row["sig_variant"]) not in known]
    cleared = [(pk, status) for pk, status, key in own if status in OPEN_STATUSES and key not in holds]
    returned = [
        (pk, status)
        for pk, status, key in own
        if status == SignalStatus.LAPSED and key in holds and pk not in closed_by_a_user
    ]
    # Signals raised now carry today's urgency already: only older ones may need moving on.
    already_open = any(status in OPEN_STATUSES for _pk, status, _key in own)
    open_signals = (
        Signal.objects.filter(type=check.type, status__in=OPEN_STATUSES, client_id__in=client_ids)
        if already_open
        else None
    )
    return _apply(check, today, new_rows, cleared, returned, open_signals)


def _synchronise(check: Check, today: date) -> CheckOutcome:
    """Compare the check's condition set with its signals. The condition query runs once, into a
    temporary table; raising and lapsing are then two anti-joins between that table and the signals."""
    conditions = check.all_conditions(today) if check.all_conditions else check.conditions(today)
    with _conditions_table(conditions) as conditions:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(COLUMNS)} FROM {conditions} c WHERE NOT EXISTS (SELECT 1 FROM {SIGNAL_TABLE} s "
                "WHERE s.type = %s AND s.subject_id = c.sig_subject AND s.variant = c.sig_variant)",
                [check.type],
            )
            new_rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT s.id, s.status FROM {SIGNAL_TABLE} s WHERE s.type = %s AND s.status IN (%s, %s) "
                f"AND NOT EXISTS (SELECT 1 FROM {conditions} c "
                "WHERE c.sig_subject = s.subject_id AND c.sig_variant = s.variant)",
                [check.type, *OPEN_STATUSES],
            )
            cleared = cursor.fetchall()
            # A signal that lapsed by itself (no user closed it) opens again when its condition returns.
            cursor.execute(
                f"SELECT s.id, s.status FROM {SIGNAL_TABLE} s WHERE s.type = %s AND s.status = %s "
                f"AND EXISTS (SELECT 1 FROM {conditions} c "
                "WHERE c.sig_subject = s.subject_id AND c.sig_variant = s.variant) "
                f"AND NOT EXISTS (SELECT 1 FROM {EVENT_TABLE} e "
                "WHERE e.signal_id = s.id AND e.to_status = %s AND e.by_id IS NOT NULL)",
                [check.type, SignalStatus.LAPSED, SignalStatus.LAPSED],
            )
            returned = cursor.fetchall()
    open_signals = Signal.objects.filter(type=check.type, status__in=OPEN_STATUSES)
    return _apply(check, today, new_rows, cleared, returned, open_signals)


def _apply(
    check: Check, today: date, new_rows: list[dict], cleared: list[tuple], returned: list[tuple], open_signals
) -> CheckOutcome:
    """Raise the new conditions, reopen the returned ones, lapse the cleared ones, and move the open
    signals on with the calendar (deadlines passed, evaluations to escalate); open_signals None: none
    to move on."""
    outcome = CheckOutcome(check.name)
    outcome.created = _raise_new(check, new_rows, today)
    outcome.created += _note_and_update(
        returned, _("Opnieuw gesignaleerd: de aanleiding is er weer."), status=SignalStatus.OPEN, closed_on=None
    )
    outcome.lapsed = _note_and_update(
        cleared,
        _("Automatisch vervallen: de aanleiding is er niet meer."),
        status=SignalStatus.LAPSED,
        closed_on=today,
    )
    if open_signals is None:
        return outcome
    if check.type == SignalType.REVIEW_WAITING:
        # Waiting long, and now the beschikking's deadline nears too: escalated, "termijn nadert".
        nearing = open_signals.filter(
            urgency=Urgency.ATTENTION, aanvraag__isnull=False, due_date__lte=review_deadline_horizon(today)
        )
        outcome.escalated = _note_and_update(
            list(nearing.values_list("pk", "status")),
            _("Geëscaleerd: de termijn van de beschikking nadert en de beoordeling is nog niet gedaan."),
            urgency=Urgency.WARNING,
            escalated_on=today,
        )
    if check.type in DEADLINE_TYPES:
        passed = open_signals.filter(urgency=Urgency.WARNING, due_date__lt=today)
        outcome.updated = _note_and_update(
            list(passed.values_list("pk", "status")), _("Termijn verstreken."), urgency=Urgency.OVERDUE
        )
    if check.type == SignalType.EVALUATION_OVERDUE:
        escalate = open_signals.filter(escalated_on__isnull=True, due_date__lt=evaluation_escalation_date(today))
        outcome.escalated = _note_and_update(
            list(escalate.values_list("pk", "status")),
            _("Geëscaleerd naar de teamleider: de evaluatie is al %(days)d dagen te laat.")
            % {"days": settings.SIGNALS["EVALUATION_ESCALATE_AFTER_DAYS"]},
            escalated_on=today,
        )
    return outcome


@contextmanager
def _conditions_table(conditions: QuerySet | RawConditions):
    """The condition set as a temporary table for the length of one check."""
    if isinstance(conditions, RawConditions):
        sql, params = conditions.sql, conditions.params
    else:
        sql, params = conditions.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CONDITIONS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {CONDITIONS} AS {sql}", params)
        if connection.vendor == "postgresql":
            # A new table has no statistics (autovacuum never sees a temporary one): without them the
            # planner guessed its size and joined the signals to it row by row, scanning the whole
            # table for each signal (3.3 s for 10,000 of them; 105 s for zorgstapeling's 61,680).
            cursor.execute(f"ANALYZE {CONDITIONS}")
    try:
        yield CONDITIONS
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {CONDITIONS}")


def _raise_new(check: Check, new_rows: list[dict], today: date) -> int:
    if not new_rows:
        return 0
    teams = signal_team_per_municipality()
    created = 0
    batch: list[Signal] = []

    def flush():
        Signal.objects.bulk_create(batch)
        SignalEvent.objects.bulk_create(
            SignalEvent(signal=signal, to_status=SignalStatus.OPEN, note=_("Gesignaleerd.")) for signal in batch
        )
        batch.clear()

    for row in new_rows:
        batch.append(
            Signal(
                type=check.type,
                subject_id=row["sig_subject"],
                variant=row["sig_variant"],
                due_date=row["sig_due"],
                urgency=row["sig_urgency"],
                escalated_on=today if row["sig_escalate"] else None,
                assigned_to_id=row["sig_assigned_to"],
                team_id=teams.get(row["sig_municipality"]),
                client_id=row["sig_client"],
                indication_id=row["sig_indication"],
                melding_id=row["sig_melding"],
                aanvraag_id=row["sig_aanvraag"],
                assignment_id=row["sig_assignment"],
                provider_id=row["sig_provider"],
                created_on=today,
            )
        )
        created += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if created >= BATCH and connection.vendor == "postgresql":
        # Many new signals at once (a first run, a new check): the planner's statistics of the
        # signal tables are then stale until autovacuum comes by, and the next check's joins with
        # them were planned for empty tables (seconds instead of milliseconds).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SIGNAL_TABLE}, {EVENT_TABLE}")
    return created


def _note_and_update(rows: list[tuple[int, str]], note: str, **changes) -> int:
    """Apply one change to the signals given as (pk, status) rows, with a history row for each."""
    if not rows:
        return 0
    to_status = changes.get("status")
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        SignalEvent.objects.bulk_create(
            SignalEvent(signal_id=pk, from_status=status, to_status=to_status or status, note=note)
            for pk, status in chunk
        )
        Signal.objects.filter(pk__in=[pk for pk, _status in chunk]).update(**changes)
    return len(rows)


# --------------------------------------------------------------------------------------------
# A user's moves
# --------------------------------------------------------------------------------------------


@transaction.atomic
def move_signal(signal: Signal, *, to_status: str, by, note: str = "", today: date | None = None) -> Signal:
    """In behandeling nemen or oplossen, with an optional note (required when solving)."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    ensure_transition_allowed(signal.status, to_status)
    note = note.strip()
    if to_status == SignalStatus.RESOLVED and not note:
        raise ValidationError({"note": _("Geef aan wat u gedaan heeft.")}, code="required")
    before = signal.status
    signal.status = to_status
    if to_status == SignalStatus.IN_PROGRESS and signal.assigned_to_id is None:
        signal.assigned_to = by
    if to_status in (SignalStatus.RESOLVED, SignalStatus.LAPSED):
        signal.closed_on = today or timezone.localdate()
    signal.full_clean()
    signal.save()
    SignalEvent.objects.create(signal=signal, by=by, from_status=before, to_status=to_status, note=note)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=signal,
        client_id=signal.client_id,
        summary=f"Signaal {signal.get_type_display()}: {SignalStatus(before).label} → {signal.get_status_display()}",
        changes={"status": [before, to_status], **({"note": [None, note]} if note else {})},
    )
    return signal
