"""Every write of the provider domain: contracts, assignments (toewijzingen), the providers' start
and stop reports, verzoeken om wijziging, API tokens and the jaargesprekken of contract management.

Rule violations raise django.core.exceptions.ValidationError with a Dutch message and a stable code,
which the API returns as a 400 with that code.
"""

import hashlib
import json
import secrets
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from indications import four_eyes
from indications import services as indication_services
from indications.hooks import CARE_REPORTED, BeschikkingEnd, Vaststelling, case_changed
from indications.models import Client, Indication, IndicationResult, IndicationStatus, Product
from indications.nightly import NightlyOutcome, each_row_on_its_own
from indications.workflow import LIVE_STATUSES, lock_indication
from ui.transactions import savepoint_marker, surviving

from .codes import RedenAfwijzingVerzoek, RedenBeeindiging, RedenVerzoek, RedenWijziging, VerzoekAntwoord
from .figures import ProviderDashboard
from .hooks import (
    AssignmentRequestAnswered,
    ChangeRequestAnswered,
    assignment_changed,
    assignment_request_answered,
    run_change_request_answered,
)
from .models import (
    AnnualReview,
    ApiToken,
    Assignment,
    AssignmentRequest,
    CareEvent,
    ChangeRequest,
    Contract,
    Provider,
    SlaFigures,
    SlaMonthFigures,
    SlaProductResults,
    api_key_expiry,
)
from .numbering import next_assignment_number
from .selectors import benchmark, periods, results_per_provider_and_product
from .sla import SLA_FIGURES

# --------------------------------------------------------------------------------------------
# Contracts and assignments
# --------------------------------------------------------------------------------------------


def ensure_contract_covers(provider: Provider, product, on: date) -> None:
    covered = (
        Contract.objects.filter(provider=provider, products=product, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )
    if not covered:
        raise ValidationError(
            _("%(provider)s heeft op %(date)s geen contract voor %(product)s.")
            % {"provider": provider.name, "date": on.strftime("%d-%m-%Y"), "product": product.name},
            code="no_contract",
        )


def contract_errors(indication) -> list[ValidationError]:
    """Hook `vaststelling_checks`: the provider named on the beschikking has a contract for its
    product on its start date (no provider named yet: nothing to check)."""
    if indication.provider_id is None:
        return []
    try:
        ensure_contract_covers(indication.provider, indication.product, indication.start_date)
    except ValidationError as error:
        return [error]
    return []


def _create_assignment(
    indication, *, provider: Provider, start_date: date, by, today: date, summary: str
) -> Assignment:
    """The one place a toewijzing is written: to `provider` for the beschikking's product from
    `start_date` to the beschikking's end, numbered, with its audit event."""
    assignment = Assignment(
        indication=indication,
        provider=provider,
        product=indication.product,
        assigned_on=today,
        start_date=start_date,
        end_date=indication.end_date,
        number=next_assignment_number(),
    )
    assignment.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=assignment,
        client_id=indication.client_id,
        summary=summary.format(number=assignment.number, agb_code=provider.agb_code),
    )
    # Before the hook: the WMO301 echoes the ReferentieAanbieder of the verzoek it answers.
    grant_assignment_request(assignment, by=by, today=today)
    assignment_changed(assignment, by=by, today=today)
    return assignment


def assign(indication, *, by, today: date, reason: str = "") -> Assignment | None:
    """Create the toewijzing for a vastgestelde beschikking that names a provider, and end the
    assignment of the beschikking it replaces. Call inside the vaststelling's transaction.

    A pgb gets no toewijzing (the budgetholder buys the care; so no WMO301 either): a pgb that
    replaces a natura beschikking ends its toewijzing with reden wijziging 08 (wijziging leveringsvorm)."""
    if indication.replaces_id:
        if not reason and indication.is_pgb and not indication.replaces.is_pgb:
            reason = RedenWijziging.LEVERINGSVORM
        end_assignments_of(
            indication.replaces,
            end_date=indication.start_date - timedelta(days=1),
            reason=reason or RedenWijziging.VERLENGING,
            by=by,
            today=today,
        )
    if indication.is_pgb or indication.provider_id is None:
        return None
    ensure_contract_covers(indication.provider, indication.product, indication.start_date)
    return _create_assignment(
        indication,
        provider=indication.provider,
        start_date=indication.start_date,
        by=by,
        today=today,
        summary="toewijzing {number} aan {agb_code}",
    )


def assign_on_vaststelling(vaststelling: Vaststelling) -> None:
    """Hook `beschikking_issued` (registered in ProvidersConfig.ready): the vaststelling's toewijzing."""
    assign(vaststelling.indication, by=vaststelling.by, today=vaststelling.today, reason=vaststelling.change_reason)


def apply_assignment_end(assignment, *, end_date: date, reason: str, today: date) -> None:
    """The rule for ending an assignment, on the object only (the demo generator applies it to its
    rows too): it gets its (earlier) end; it is beëindigd once that day has passed, and ingetrokken
    when it ends before it started."""
    if end_date < assignment.start_date:
        assignment.status = Assignment.Status.WITHDRAWN
        assignment.end_date = assignment.start_date
    else:
        assignment.end_date = end_date if assignment.end_date is None else min(end_date, assignment.end_date)
        if assignment.end_date < today:
            assignment.status = Assignment.Status.ENDED
    # The first reason stands: a later end (e.g. the nightly job) must not overwrite 04, 09 or 12.
    assignment.change_reason = assignment.change_reason or reason


def _end_assignment(assignment: Assignment, *, end_date: date, reason: str, by, today: date) -> None:
    apply_assignment_end(assignment, end_date=end_date, reason=reason, today=today)
    assignment.save(update_fields=["status", "end_date", "change_reason"])
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=assignment,
        client_id=assignment.indication.client_id,
        summary=f"toewijzing beëindigd ({reason})",
    )
    assignment_changed(assignment, by=by, today=today)


def end_lapsed_assignments(*, today: date | None = None) -> NightlyOutcome:
    """Nightly: every toewijzing still stored as actief whose end date has passed is stored as
    beëindigd (what Assignment.status_on already says), each in its own transaction; a row that
    fails is reported and the rest go on. Running it again changes nothing."""
    today = today or timezone.localdate()

    def end(pk):
        assignment = _lock_assignment(Assignment(pk=pk))
        if assignment.status != Assignment.Status.ACTIVE or assignment.status_on(today) != Assignment.Status.ENDED:
            return  # moved by someone else since the list was made
        assignment.status = Assignment.Status.ENDED
        assignment.full_clean()
        assignment.save(update_fields=["status"])
        record_event(
            actor=None,
            action=AuditEvent.Action.TRANSITION,
            obj=assignment,
            client_id=assignment.indication.client_id,
            summary=f"toewijzing beëindigd (einddatum {assignment.end_date:%d-%m-%Y} verstreken)",
        )
        case_changed(assignment.indication.client_id, today=today)

    lapsed = Assignment.objects.filter(status=Assignment.Status.ACTIVE, end_date__lt=today)
    return each_row_on_its_own(lapsed, end, job="end_lapsed_assignments")


def end_assignments_of(indication, *, end_date: date, reason: str, by, today: date) -> None:
    """The beschikking ends (or was withdrawn, or is replaced): its assignments end with it."""
    for assignment in Assignment.objects.select_for_update().filter(
        indication=indication, status=Assignment.Status.ACTIVE
    ):
        _end_assignment(assignment, end_date=end_date, reason=reason, by=by, today=today)


def end_assignments_on_end(end: BeschikkingEnd) -> None:
    """Hook `beschikking_ended` (registered in ProvidersConfig.ready): the beschikking ends, is
    planned to end or is withdrawn, and its toewijzingen end with it."""
    end_assignments_of(end.indication, end_date=end.end_date, reason=end.reason, by=end.by, today=end.today)


@transaction.atomic
def change_provider(indication, *, provider: Provider, by, on: date, today: date | None = None) -> Assignment:
    """The client moves to another provider from `on`: the old assignment ends (09 overstap naar
    andere aanbieder) and a new one starts."""
    today = today or timezone.localdate()
    indication = lock_indication(indication)
    if indication.status not in LIVE_STATUSES:
        raise ValidationError(_("Alleen bij een lopende beschikking kan de aanbieder wijzigen."), code="not_live")
    if indication.is_pgb:
        raise ValidationError(
            _("Bij een pgb koopt de budgethouder zelf in: er is geen aanbieder om te wisselen."), code="pgb"
        )
    if indication.provider_id == provider.pk:
        raise ValidationError({"provider": _("Dit is al de aanbieder van deze beschikking.")})
    if on < indication.start_date or (indication.end_date and on > indication.end_date):
        raise ValidationError({"on": _("De overstapdatum valt buiten de looptijd van de beschikking.")})
    ensure_contract_covers(provider, indication.product, on)
    end_assignments_of(
        indication, end_date=on - timedelta(days=1), reason=RedenWijziging.ANDERE_AANBIEDER, by=by, today=today
    )
    indication.provider = provider
    indication.save(update_fields=["provider", "updated_at"])
    assignment = _create_assignment(
        indication, provider=provider, start_date=on, by=by, today=today, summary="overstap naar {agb_code}"
    )
    case_changed(indication.client_id, today=today)
    return assignment


# --------------------------------------------------------------------------------------------
# The provider's reports
# --------------------------------------------------------------------------------------------


def lockable_assignments():
    """The toewijzingen as the provider's reports lock them (their row only) with what the reports
    read: a caller that finds the toewijzing with this queryset inside its transaction (the iWmo
    inbox's TR019 lookup) passes `locked=True` to the report and saves the second lookup."""
    return Assignment.objects.select_for_update(of=("self",)).select_related(
        "indication__client__municipality", "provider", "product"
    )


def lock_own_assignments(provider: Provider, numbers) -> dict[str, Assignment]:
    """The provider's own toewijzingen of these numbers, by number, locked as `lockable_assignments()`
    locks them (in pk order, so two batches never wait on each other crosswise), with everything the
    reports and the API's answer read: one query, and one for the beschikkingen's results (a batch of
    messages, issue 20). Pass them to the reports with `locked=True`; another provider's number is
    simply absent."""
    write_deferred_reports()
    found = (
        lockable_assignments()
        .select_related("indication__consultant", "indication__primary_domain")
        .prefetch_related(
            Prefetch("indication__results", queryset=IndicationResult.objects.select_related("result__domain"))
        )
        .filter(provider=provider, number__in=set(numbers))
        .order_by("pk")
    )
    return {assignment.number: assignment for assignment in found}


def _lock_assignment(assignment: Assignment, *, locked: bool = False, report: bool = False) -> Assignment:
    """The toewijzing as the caller locked it (`locked`) or read and locked now. Any service but a
    start or stop report (`report`) first writes the reports kept for a batch's UPDATE: it may read
    the row, or change it and save at once."""
    if not (locked and report):
        write_deferred_reports()
    return assignment if locked else lockable_assignments().get(pk=assignment.pk)


# While deferring_reports() runs: the reports kept, each as ((its toewijzing's id, the values it
# wrote), its savepoint marker) (ui.transactions: dropped when a savepoint around it rolls back).
_deferred_reports: ContextVar[list | None] = ContextVar("providers_deferred_reports", default=None)


@contextmanager
def deferring_reports():
    """Inside it (and inside a transaction) a start or stop zorg reported with `locked=True` keeps
    its toewijzing's UPDATE for `write_deferred_reports()` or the block's end: one UPDATE per kind
    of report for a batch of messages instead of one per message (the iWmo inbox and the API's
    batch, issues 16 and 20). The caller holds the reported objects (it locked them) and reads them,
    not the rows, until then; every other service of a toewijzing here (a withdrawal, a report
    without `locked`), and every reader above (the WMO301s, the signal recheck), writes them first.
    Each report keeps the values it wrote, so a later change of the object that is not saved never
    reaches the row; a report whose savepoint rolled back is not written. Nested: the outer block
    writes them."""
    if _deferred_reports.get() is not None or not connection.in_atomic_block:
        yield
        return
    token = _deferred_reports.set([])
    try:
        yield
        write_deferred_reports()
    finally:
        _deferred_reports.reset(token)


def write_deferred_reports() -> None:
    """The kept reports' UPDATEs: per toewijzing the values of its reports in their order, then one
    UPDATE per set of fields."""
    pending = _deferred_reports.get()
    if not pending:
        return
    values_of: dict[int, dict] = {}
    for pk, values in surviving(pending):
        values_of.setdefault(pk, {}).update(values)
    pending.clear()
    grouped: dict[tuple[str, ...], list[tuple[int, dict]]] = defaultdict(list)
    for pk, values in values_of.items():
        grouped[tuple(sorted(values))].append((pk, values))
    for fields, rows in grouped.items():
        _update_rows(Assignment, rows, fields)


def _update_rows(model, rows: list[tuple[int, dict]], fields) -> None:
    """One `UPDATE ... FROM (VALUES ...)` that writes these fields of these rows ((pk, {field:
    value})), as bulk_update would without its CASE per row and field (for a batch of 100 reports
    that cost more than the 100 single UPDATEs it replaced). The values are parameters, prepared by
    their fields as a save prepares them; typed on PostgreSQL (VALUES has no column types)."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    postgresql = connection.vendor == "postgresql"
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" if postgresql else "%s" for field in [meta.pk, *columns])
    row += ")"
    names = [f"v{index}" if postgresql else f"column{index + 1}" for index in range(len(columns) + 1)]
    table = quote(meta.db_table)
    sets = ", ".join(f"{quote(field.column)} = v.{name}" for field, name in zip(columns, names[1:], strict=True))
    params = []
    for pk, values in rows:
        params.append(meta.pk.get_db_prep_save(pk, connection))
        params += [field.get_db_prep_save(values[field.name], connection) for field in columns]
    alias = f"v({', '.join(names)})" if postgresql else "v"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(rows))}) AS {alias} "
            f"WHERE {table}.{quote(meta.pk.column)} = v.{names[0]}",
            params,
        )


def _save_report(assignment: Assignment, fields: list[str], *, locked: bool) -> None:
    pending = _deferred_reports.get()
    if pending is None or not locked:
        assignment.save(update_fields=fields)
        return
    attnames = {name: Assignment._meta.get_field(name).attname for name in fields}
    values = {name: getattr(assignment, attname) for name, attname in attnames.items()}
    pending.append(((assignment.pk, values), savepoint_marker()))


def _common_date_checks(assignment: Assignment, on: date, *, today: date, field: str) -> None:
    if assignment.indication.status == IndicationStatus.INGETROKKEN or assignment.status == Assignment.Status.WITHDRAWN:
        raise ValidationError(_("De beschikking van deze toewijzing is ingetrokken."), code="beschikking_withdrawn")
    if on > today:
        raise ValidationError({field: ValidationError(_("De datum ligt in de toekomst."), code="date_in_future")})


def record_care_start(
    assignment: Assignment, *, on: date, by, today: date | None = None, locked: bool = False
) -> Assignment:
    """Start zorg (WMO305): care began on `on`. Every check raises before anything is written.
    `locked`: the caller read `assignment` with `lockable_assignments()` in this transaction."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment, locked=locked, report=True)
    _common_date_checks(assignment, on, today=today, field="startdatum")
    if on < assignment.start_date:
        raise ValidationError(
            {
                "startdatum": ValidationError(
                    _("De zorg kan niet starten vóór de ingangsdatum van de toewijzing (%(date)s).")
                    % {"date": assignment.start_date.strftime("%d-%m-%Y")},
                    code="start_before_beschikking",
                )
            }
        )
    if assignment.end_date and on > assignment.end_date:
        raise ValidationError(
            {
                "startdatum": ValidationError(
                    _("De startdatum ligt na de einddatum van de toewijzing."), code="start_after_end"
                )
            }
        )
    if assignment.care_started_on is not None:
        raise ValidationError(
            _("De start van de zorg is al gemeld (%(date)s).")
            % {"date": assignment.care_started_on.strftime("%d-%m-%Y")},
            code="already_started",
        )
    assignment.care_started_on = on
    assignment.care_start_reported_on = today
    _save_report(assignment, ["care_started_on", "care_start_reported_on"], locked=locked)
    record_event(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=assignment,
        client_id=assignment.indication.client_id,
        summary="start zorg",
        changes={"startdatum": str(on)},
    )
    case_changed(assignment.indication.client_id, today=today, change=CARE_REPORTED)
    return assignment


# What a stop zorg (and its withdrawal) changes on the toewijzing.
STOP_FIELDS = [
    "care_stopped_on",
    "care_stop_reported_on",
    "stop_reason",
    "status",
    "end_date",
    "stop_set_end",
    "end_date_before_stop",
]


def record_care_stop(
    assignment: Assignment, *, on: date, reason: str, by, today: date | None = None, locked: bool = False
) -> Assignment:
    """Stop zorg (WMO307): care ended on `on` for a reden beëindiging of WMO588 (`locked`: as for
    record_care_start). Its WMO301 may be refused by the XSD after the write: call it in a savepoint."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment, locked=locked, report=True)
    _common_date_checks(assignment, on, today=today, field="einddatum")
    if reason not in RedenBeeindiging.values:
        raise ValidationError(
            {
                "redenBeeindiging": ValidationError(
                    _("Onbekende reden beëindiging '%(reason)s' (codelijst WMO588).") % {"reason": reason},
                    code="unknown_reason",
                )
            }
        )
    if assignment.care_started_on is None:
        raise ValidationError(_("Meld eerst de start van de zorg."), code="not_started")
    if on < assignment.care_started_on:
        raise ValidationError(
            {
                "einddatum": ValidationError(
                    _("De zorg kan niet stoppen vóór de start (%(date)s).")
                    % {"date": assignment.care_started_on.strftime("%d-%m-%Y")},
                    code="stop_before_start",
                )
            }
        )
    if assignment.care_stopped_on is not None:
        raise ValidationError(_("Het einde van de zorg is al gemeld."), code="already_stopped")
    assignment.care_stopped_on = on
    assignment.care_stop_reported_on = today
    assignment.stop_reason = reason
    assignment.status = Assignment.Status.ENDED
    assignment.stop_set_end = assignment.end_date is None or on < assignment.end_date
    assignment.end_date_before_stop = assignment.end_date if assignment.stop_set_end else None
    if assignment.stop_set_end:  # care ended earlier than assigned
        assignment.end_date = on
    _save_report(assignment, STOP_FIELDS, locked=locked)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=assignment,
        client_id=assignment.indication.client_id,
        summary=f"stop zorg ({reason})",
        changes={"einddatum": str(on), "redenBeeindiging": reason},
    )
    assignment_changed(assignment, by=by, today=today)
    case_changed(assignment.indication.client_id, today=today, change=CARE_REPORTED)
    return assignment


def _withdrawable(assignment: Assignment) -> None:
    if assignment.status == Assignment.Status.WITHDRAWN or assignment.indication.status == IndicationStatus.INGETROKKEN:
        raise ValidationError(_("De beschikking van deze toewijzing is ingetrokken."), code="beschikking_withdrawn")


def withdraw_care_start(assignment: Assignment, *, by, today: date | None = None, locked: bool = False) -> Assignment:
    """Withdraw the reported start zorg (WMO305 with StatusAanlevering 3, CS058): the toewijzing is
    again assigned and not started. Only a start that was reported (TR063) and is not followed by a
    stop: a stop rests on its start (TR069), so the stop is withdrawn first. `locked`: as for
    record_care_start (a refusal may leave the object changed: read it again after one)."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment, locked=locked)
    _withdrawable(assignment)
    if assignment.care_started_on is None:
        raise ValidationError(_("Er is geen gemelde start zorg om in te trekken."), code="not_started")
    if assignment.care_stopped_on is not None:
        raise ValidationError(
            _("De stop zorg is al gemeld: trek eerst de stop in, dan de start."), code="stop_reported"
        )
    withdrawn = assignment.care_started_on
    assignment.care_started_on = None
    assignment.care_start_reported_on = None
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    assignment.save(update_fields=["care_started_on", "care_start_reported_on"])
    record_event(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=assignment,
        client_id=assignment.indication.client_id,
        summary="start zorg ingetrokken",
        changes={"startdatum": [str(withdrawn), None]},
    )
    case_changed(assignment.indication.client_id, today=today)
    return assignment


def _end_before_the_stop(assignment: Assignment) -> date | None:
    """The end the toewijzing had before the stop set its own, but never past the beschikking's
    (it may have been ended since)."""
    end = assignment.end_date_before_stop
    indication = assignment.indication
    for limit in (indication.end_date, indication.ended_on):
        if limit is not None and (end is None or limit < end):
            end = limit
    return end


def withdraw_care_stop(assignment: Assignment, *, by, today: date | None = None, locked: bool = False) -> Assignment:
    """Withdraw the reported stop zorg (WMO307 with StatusAanlevering 3, CS058): care runs again. The
    end the stop gave the toewijzing is taken back (the end it had before, within the beschikking's)
    and, when that changed the end, the provider gets a new WMO301 through the assignments hook.
    `locked`: as for withdraw_care_start."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment, locked=locked)
    _withdrawable(assignment)
    if assignment.care_stopped_on is None:
        raise ValidationError(_("Er is geen gemelde stop zorg om in te trekken."), code="not_stopped")
    withdrawn, reason = assignment.care_stopped_on, assignment.stop_reason
    end_changed = assignment.stop_set_end
    if end_changed:
        assignment.end_date = _end_before_the_stop(assignment)
        end_changed = assignment.end_date != withdrawn
    assignment.status = (
        Assignment.Status.ENDED
        if assignment.end_date is not None and assignment.end_date < today
        else Assignment.Status.ACTIVE
    )
    assignment.care_stopped_on = None
    assignment.care_stop_reported_on = None
    assignment.stop_reason = ""
    assignment.stop_set_end = False
    assignment.end_date_before_stop = None
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    assignment.save(update_fields=STOP_FIELDS)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=assignment,
        client_id=assignment.indication.client_id,
        summary="stop zorg ingetrokken",
        changes={
            "einddatum": [str(withdrawn), None],
            "redenBeeindiging": [reason, ""],
            "einddatumToewijzing": str(assignment.end_date) if assignment.end_date else None,
        },
    )
    if end_changed:
        assignment_changed(assignment, by=by, today=today)
    case_changed(assignment.indication.client_id, today=today)
    return assignment


def submit_change_request(
    assignment: Assignment,
    *,
    motivation: str,
    by,
    product=None,
    end_date: date | None = None,
    today: date | None = None,
    reason: str = "",
    reference: str = "",
    message_identification: str = "",
    incoming_message_id: int | None = None,
    start_date: date | None = None,
    volume: int | None = None,
    unit: str = "",
    frequency: str = "",
    budget: int | None = None,
) -> ChangeRequest:
    """Verzoek om wijziging (WMO317): another product and/or another end date, with a motivation
    and (optionally through REST, always in a WMO317) the WJ758 reden verzoek. Only for a toewijzing
    that is actief on `today` (not one whose end date has passed). A request that came in as XML
    keeps its ReferentieAanbieder and message identification for the WMO319 that may answer it, and
    its GewensteIngangsdatum (`start_date`, the proposed start of a grant) and the Omvang (`volume`,
    `unit`, `frequency`) or Budget (eurocent) it asks for."""
    today = today or timezone.localdate()
    if reason and reason not in RedenVerzoek.values:
        raise ValidationError(
            {"redenVerzoek": ValidationError(_("Onbekende reden verzoek (WJ758)."), code="unknown_reason")}
        )
    assignment = _lock_assignment(assignment)
    if assignment.status_on(today) != Assignment.Status.ACTIVE:
        raise ValidationError(
            _("Alleen voor een actieve toewijzing kan een wijziging worden gevraagd."), code="assignment_not_active"
        )
    if product is None and end_date is None:
        raise ValidationError(_("Vraag om een ander product, een andere einddatum of beide."), code="nothing_asked")
    if not motivation.strip():
        raise ValidationError({"motivering": ValidationError(_("Motiveer het verzoek."), code="required")})
    if product is not None and product.pk == assignment.product_id and end_date is None:
        raise ValidationError({"product": ValidationError(_("Dit is het huidige product."), code="same_product")})
    if end_date is not None and end_date <= assignment.start_date:
        raise ValidationError(
            {
                "einddatum": ValidationError(
                    _("De gevraagde einddatum ligt niet na de ingangsdatum."), code="end_before_start"
                )
            }
        )
    if start_date is not None and (start_date < assignment.start_date or (end_date and start_date > end_date)):
        raise ValidationError(
            {
                "ingangsdatum": ValidationError(
                    _("De gewenste ingangsdatum ligt vóór de ingangsdatum van de toewijzing of na de einddatum."),
                    code="start_out_of_period",
                )
            }
        )
    if volume is not None and budget is not None:
        raise ValidationError(
            {"budget": ValidationError(_("Vraag een omvang of een budget, niet beide."), code="omvang_and_budget")}
        )
    if product is not None:
        ensure_contract_covers(assignment.provider, product, assignment.start_date)
    if ChangeRequest.objects.filter(assignment=assignment, status=ChangeRequest.Status.OPEN).exists():
        raise ValidationError(_("Er loopt al een verzoek om wijziging voor deze toewijzing."), code="already_open")
    request = ChangeRequest.objects.create(
        assignment=assignment,
        requested_product=product,
        requested_end_date=end_date,
        requested_start_date=start_date,
        requested_volume=volume,
        requested_unit=unit,
        requested_frequency=frequency,
        requested_budget=budget,
        motivation=motivation,
        request_reason=reason,
        reference=reference,
        message_identification=message_identification,
        incoming_message_id=incoming_message_id,
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=request,
        client_id=assignment.indication.client_id,
        summary="verzoek om wijziging",
    )
    return request


def proposed_start(change_request: ChangeRequest, *, today: date) -> date:
    """The start of the follow-up a grant creates when the consultant names none: the provider's
    GewensteIngangsdatum (WMO317) when it is not in the past (a grant does not start back in time;
    a TeWijzigenProduct's past date is its Ingangsdatum, TR357), else today; never before two days
    after the current start."""
    earliest = change_request.assignment.indication.start_date + timedelta(days=2)
    wanted = change_request.requested_start_date
    return max(wanted if wanted and wanted >= today else today, earliest)


@transaction.atomic
def answer_change_request(
    change_request: ChangeRequest,
    *,
    by,
    accept: bool,
    reason: str,
    start_date: date | None = None,
    today: date | None = None,
    in_review: bool = False,
    refusal_reason: str = "",
) -> ChangeRequest:
    """The consultant grants or refuses a verzoek om wijziging, or puts it in onderzoek.

    Granting creates the follow-up beschikking through the foundation's services (an opschaling,
    afschaling or herindicatie that replaces the current one); its vaststelling assigns it and ends
    the old assignment (WMO002 12): the answer is the new toewijzing (WMO301). Refusing needs a WJ759
    reden afwijzing (WJ760 1); `in_review` answers WJ760 2 (aanvraag in onderzoek) and leaves the
    request open, to be granted or refused later. The `change_request_answered` hook runs in the
    same transaction (iwmo writes the WMO319 for a request that came in as XML)."""
    today = today or timezone.localdate()
    if in_review and accept:
        raise ValidationError(_("Een verzoek is toegekend of in onderzoek, niet beide."), code="conflicting_answer")
    change_request = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__indication__product", "requested_product")
        .get(pk=change_request.pk)
    )
    if change_request.status != ChangeRequest.Status.OPEN:
        raise ValidationError(_("Dit verzoek is al beantwoord."), code="already_answered")
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een toelichting bij het antwoord.")})
    refusing = not accept and not in_review
    if refusing and refusal_reason not in RedenAfwijzingVerzoek.values:
        raise ValidationError(
            {
                "refusal_reason": ValidationError(
                    _("Kies de reden van afwijzing (WJ759)."), code="refusal_reason_required"
                )
            }
        )
    if not refusing and refusal_reason:
        raise ValidationError(
            {
                "refusal_reason": ValidationError(
                    _("Alleen een afwijzing heeft een reden van afwijzing."), code="invalid"
                )
            }
        )
    current = change_request.assignment.indication
    if in_review:
        if change_request.answer_kind == VerzoekAntwoord.IN_ONDERZOEK:
            raise ValidationError(_("Dit verzoek is al in onderzoek."), code="already_in_review")
        change_request.answer_kind = VerzoekAntwoord.IN_ONDERZOEK
        change_request.answer_reason = reason
        change_request.answered_by = by
        change_request.answered_at = timezone.now()
        change_request.save()
        record_event(
            actor=by,
            action=AuditEvent.Action.TRANSITION,
            obj=change_request,
            client_id=current.client_id,
            summary="verzoek om wijziging in onderzoek",
        )
        _answered(change_request, by=by, today=today)
        return change_request
    if accept:
        product = change_request.requested_product or current.product
        kind = (
            Indication.Kind.SCALE_UP
            if product.level > current.product.level
            else Indication.Kind.SCALE_DOWN
            if product.level < current.product.level
            else Indication.Kind.HERINDICATIE
        )
        start = start_date or proposed_start(change_request, today=today)
        end = change_request.requested_end_date or current.end_date
        results = [
            indication_services.ResultInput(
                result=item.result, goal=item.goal, sub_results=list(item.sub_results.all())
            )
            for item in current.results.select_related("result").prefetch_related("sub_results")
        ]
        evaluations = [
            planned.planned_on
            for planned in current.planned_evaluations.filter(evaluation__isnull=True, planned_on__gte=start)
        ] or [start + timedelta(weeks=13)]
        if end:
            evaluations = [day for day in evaluations if day <= end] or [start + (end - start) // 2]
        follow_up = indication_services.save_indication_concept(
            None,
            client=current.client,
            by=by,
            results=results,
            evaluation_dates=evaluations,
            product=product,
            kind=kind,
            replaces=current,
            start_date=start,
            end_date=end,
            provider=current.provider,
            aanvraag=current.aanvraag,
            opslag=current.opslag,
            opslag_motivation=current.opslag_motivation,
        )
        if four_eyes.needs_four_eyes(follow_up, today=today):
            four_eyes.submit_for_review(follow_up, by=by, today=today)
        else:
            indication_services.issue_beschikking(
                follow_up, by=by, today=today, change_reason=RedenWijziging.DOOR_AANBIEDER
            )
        follow_up.refresh_from_db()
        change_request.follow_up = follow_up
    change_request.status = ChangeRequest.Status.GRANTED if accept else ChangeRequest.Status.REFUSED
    change_request.answer_kind = "" if accept else VerzoekAntwoord.AFGEWEZEN
    change_request.refusal_reason = "" if accept else refusal_reason
    change_request.answer_reason = reason
    change_request.answered_by = by
    change_request.answered_at = timezone.now()
    change_request.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=change_request,
        client_id=current.client_id,
        summary=f"verzoek om wijziging {change_request.status}",
    )
    _answered(change_request, by=by, today=today)
    return change_request


def _answered(change_request: ChangeRequest, *, by, today: date) -> None:
    assignment = change_request.assignment
    run_change_request_answered(
        ChangeRequestAnswered(
            change_request_id=change_request.pk,
            assignment_id=assignment.pk,
            client_id=assignment.indication.client_id,
            provider_id=assignment.provider_id,
            granted=change_request.status == ChangeRequest.Status.GRANTED,
            answer=change_request.answer_kind,
            refusal_reason=change_request.refusal_reason,
            reference=change_request.reference,
            message_identification=change_request.message_identification,
            incoming_message_id=change_request.incoming_message_id,
            by=by,
            today=today,
        )
    )


# --------------------------------------------------------------------------------------------
# Verzoeken om toewijzing (iWmo WMO315)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestedAssignment:
    """One AangevraagdProduct of a verzoek om toewijzing, as plain data."""

    reference: str
    product_category: str
    product_code: str
    start_date: date
    end_date: date | None = None
    volume: int | None = None
    unit: str = ""
    frequency: str = ""
    comment: str = ""
    referrer: str = ""


def product_for(category: str, code: str):
    """Our product for an iWmo ProductCategorie/ProductCode (None when no code is given: an
    aspecifiek verzoek); raises a ValidationError (code "unknown_product", TR381) when it is unknown."""
    if not code:
        return None
    product = Product.objects.filter(iwmo_category=category, iwmo_code=code).first()
    if product is None:
        raise ValidationError(
            _("Productcode %(code)s past niet bij categorie %(category)s (TR381).")
            % {"code": code, "category": category},
            code="unknown_product",
        )
    return product


def _actor_user(by):
    """The staff user behind an answer (None for the system or a provider's message)."""
    return by if isinstance(by, get_user_model()) else None


def _open_request_exists(provider: Provider, client, *, message_identification: str) -> bool:
    """TR374: a verzoek is onderhanden until it is answered (a WMO319 rejection or a WMO301 with its
    ReferentieAanbieder). The other products of the same message are not "earlier" requests."""
    if client is None:
        return False
    return (
        AssignmentRequest.objects.filter(provider=provider, client=client, status=AssignmentRequest.Status.OPEN)
        .exclude(message_identification=message_identification, message_identification__gt="")
        .exists()
    )


@transaction.atomic
def submit_assignment_request(
    provider: Provider,
    *,
    bsn: str,
    requested: RequestedAssignment,
    by,
    today: date | None = None,
    message_type: str = "",
    message_identification: str = "",
    message_dagtekening: date | None = None,
    message_uuid=None,
) -> AssignmentRequest:
    """Register a verzoek om toewijzing for one product. Rules (each a ValidationError with a code):
    the ReferentieAanbieder is given and unique for this provider (TR347, "reference_not_unique"); no
    other verzoek of this provider for this client is onderhanden (TR374, "request_open"); the end is
    not before the start (CS003); a product code is one of ours (TR381). A client we do not know is
    registered without a client (the consultant answers it); a product this provider has no
    contract for is rejected at once with WJ759 3 (geen contract), which the hook answers (WMO319)."""
    today = today or timezone.localdate()
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    reference = requested.reference.strip()
    if not reference or len(reference) > 36:
        raise ValidationError(
            {"reference": ValidationError(_("Geef een referentie van ten hoogste 36 tekens."), code="required")}
        )
    if AssignmentRequest.objects.filter(provider=provider, reference=reference).exists():
        raise ValidationError(
            _("Referentie %(reference)s is al gebruikt door deze aanbieder (TR347).") % {"reference": reference},
            code="reference_not_unique",
        )
    if requested.end_date is not None and requested.end_date < requested.start_date:
        raise ValidationError(
            {"end_date": ValidationError(_("De einddatum ligt vóór de ingangsdatum (CS003)."), code="end_before_start")}
        )
    product = product_for(requested.product_category, requested.product_code)
    client = Client.objects.filter(bsn=bsn).first()
    if _open_request_exists(provider, client, message_identification=message_identification):
        raise ValidationError(
            _("Er is al een verzoek van deze aanbieder voor deze cliënt in behandeling (TR374)."), code="request_open"
        )
    request = AssignmentRequest(
        provider=provider,
        client=client,
        bsn=bsn,
        reference=reference,
        product_category=requested.product_category,
        product_code=requested.product_code,
        product=product,
        start_date=requested.start_date,
        end_date=requested.end_date,
        volume=requested.volume,
        unit=requested.unit,
        frequency=requested.frequency,
        comment=requested.comment,
        referrer=requested.referrer[:100],
        message_type=message_type,
        message_identification=message_identification,
        message_dagtekening=message_dagtekening,
        message_uuid=message_uuid,
    )
    request.full_clean()
    request.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=request,
        client_id=client.pk if client else None,
        summary=f"verzoek om toewijzing {reference} van {provider.agb_code}",
    )
    if product is not None:
        try:
            ensure_contract_covers(provider, product, requested.start_date)
        except ValidationError as error:
            return answer_assignment_request(
                request,
                by=None,
                accept=False,
                reason=RedenAfwijzingVerzoek.GEEN_CONTRACT,
                motivation=error.messages[0],
                today=today,
            )
    return request


def _answer(request: AssignmentRequest, *, to: str, by, today: date, summary: str) -> AssignmentRequest:
    if to not in AssignmentRequest.ALLOWED_STATUS_CHANGES.get(request.status, set()):
        raise ValidationError(_("Dit verzoek om toewijzing is al beantwoord."), code="already_answered")
    request.status = to
    request.answered_by = _actor_user(by)
    request.answered_at = timezone.now()
    request.full_clean()
    request.save()
    record_event(
        actor=by, action=AuditEvent.Action.TRANSITION, obj=request, client_id=request.client_id, summary=summary
    )
    answered = AssignmentRequestAnswered(
        request_id=request.pk,
        provider_id=request.provider_id,
        client_id=request.client_id,
        accepted=to == AssignmentRequest.Status.GRANTED,
        wj759_reden=request.rejection_reason,
        today=today,
    )
    for callback in assignment_request_answered.callbacks:
        callback(answered)
    return request


@transaction.atomic
def answer_assignment_request(
    request: AssignmentRequest,
    *,
    by,
    accept: bool,
    reason: str = "",
    motivation: str = "",
    assignment: Assignment | None = None,
    today: date | None = None,
) -> AssignmentRequest:
    """Answer a verzoek om toewijzing. Granted only by the toewijzing that answers it (`assignment`,
    of this provider and this client: the normal route's vaststelling, see grant_assignment_request);
    rejected with a WJ759 reason and a motivation. Both fire the hook assignment_request_answered."""
    today = today or timezone.localdate()
    request = AssignmentRequest.objects.select_for_update().get(pk=request.pk)
    if not request.can_be_answered:
        raise ValidationError(_("Dit verzoek om toewijzing is al beantwoord."), code="already_answered")
    if accept:
        if assignment is None:
            raise ValidationError(
                _("Een verzoek om toewijzing wordt toegekend met de toewijzing uit een vastgestelde beschikking."),
                code="grant_needs_assignment",
            )
        if assignment.provider_id != request.provider_id or assignment.indication.client_id != request.client_id:
            raise ValidationError(
                _("Deze toewijzing is niet voor deze aanbieder en cliënt."), code="assignment_mismatch"
            )
        request.assignment = assignment
        request.motivation = motivation
        return _answer(
            request,
            to=AssignmentRequest.Status.GRANTED,
            by=by,
            today=today,
            summary=f"verzoek om toewijzing {request.reference} toegekend: toewijzing {assignment.number}",
        )
    errors = {}
    if reason not in RedenAfwijzingVerzoek.values:
        errors["reason"] = ValidationError(_("Kies een reden van afwijzing (WJ759)."), code="required")
    if not motivation.strip():
        errors["motivation"] = ValidationError(_("Motiveer de afwijzing."), code="required")
    if errors:
        raise ValidationError(errors)
    request.rejection_reason = reason
    request.motivation = motivation
    return _answer(
        request,
        to=AssignmentRequest.Status.REJECTED,
        by=by,
        today=today,
        summary=f"verzoek om toewijzing {request.reference} afgewezen (WJ759 {reason})",
    )


def grant_assignment_request(assignment: Assignment, *, by, today: date) -> AssignmentRequest | None:
    """A new toewijzing answers the open verzoek om toewijzing of its provider for its client (the
    municipality may assign another product than the one asked): the one for its product first, then
    one without a product (aspecifiek), then any other, the oldest first. Called by _create_assignment
    before the WMO301 is written, so the 301 carries the ReferentieAanbieder."""
    request = (
        AssignmentRequest.objects.select_for_update()
        .filter(
            provider_id=assignment.provider_id,
            client_id=assignment.indication.client_id,
            status=AssignmentRequest.Status.OPEN,
        )
        .annotate(
            fit=Case(
                When(product=assignment.product, then=Value(0)),
                When(product__isnull=True, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("fit", "created_at", "id")
        .first()
    )
    if request is None:
        return None
    return answer_assignment_request(request, by=by, accept=True, assignment=assignment, today=today)


# --------------------------------------------------------------------------------------------
# Idempotent processing of provider messages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageOutcome:
    status: int
    body: dict
    replayed: bool


class MessageIdReused(Exception):
    """A message id that was already used for a message with another content (kind, toewijzing or
    fields): the new message is not processed, and the earlier answer is not given for it."""

    def __init__(self, message_id: str):
        super().__init__(message_id)
        self.message_id = message_id


def message_fingerprint(*, kind: str, number: str, fields: dict) -> str:
    """A hash of the message's canonical content: the same message sent again (keys in another order,
    other whitespace) has the same fingerprint; another kind, toewijzing or field value has not."""
    canonical = json.dumps(
        {"soort": kind, "toewijzingnummer": number, "velden": fields},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _is_processed(status: int) -> bool:
    """An answer that processed the message: applied (2xx) or refused by a rule (400). Anything else
    (not found, not allowed, a failure) did not, so a retry with the same id must be processed."""
    return 200 <= status < 300 or status == 400


def _replay(earlier: CareEvent, fingerprint: str) -> MessageOutcome:
    if earlier.fingerprint and fingerprint and earlier.fingerprint != fingerprint:
        raise MessageIdReused(earlier.message_id)
    return MessageOutcome(earlier.response_status, earlier.response, replayed=True)


@dataclass
class MessageBatch:
    """The messages of one batch, processed set-wise inside one transaction (issue 20): their earlier
    answers read with one query (`start_message_batch`), the new ones kept here, so that a later
    message of the batch with the same id sees them, and written by `write()` with one INSERT."""

    provider: Provider
    earlier: dict[str, CareEvent]
    new: list[CareEvent] = field(default_factory=list)
    updated: list[CareEvent] = field(default_factory=list)

    def keep(self, earlier: CareEvent | None, *, message_id: str, values: dict) -> None:
        if earlier is None:
            event = CareEvent(provider=self.provider, message_id=message_id, **values)
            self.new.append(event)
            self.earlier[message_id] = event
            return
        for name, value in values.items():
            setattr(earlier, name, value)
        if earlier.pk is not None and earlier not in self.updated:
            self.updated.append(earlier)

    def write(self) -> None:
        """Store the batch's processed messages; a message id another request stored meanwhile
        raises IntegrityError (the caller runs the batch again message by message)."""
        CareEvent.objects.bulk_create(self.new, batch_size=500)
        for event in self.updated:  # stored before only processed answers were (a 404 of old): rare
            CareEvent.objects.filter(pk=event.pk).update(**{name: getattr(event, name) for name in _STORED})
        self.new, self.updated = [], []


# What a processed message stores besides its provider and id.
_STORED = ("assignment", "kind", "event_date", "reason", "accepted", "response_status", "response", "fingerprint")


def start_message_batch(provider: Provider, message_ids) -> MessageBatch:
    """A batch of the provider's messages with these ids: their earlier answers in one query."""
    earlier = CareEvent.objects.filter(provider=provider, message_id__in={str(id_) for id_ in message_ids})
    return MessageBatch(provider=provider, earlier={event.message_id: event for event in earlier})


def process_message(
    *,
    provider: Provider,
    message_id: str,
    kind: str,
    assignment: Assignment | None,
    handle,
    event_date: date | None = None,
    reason: str = "",
    fingerprint: str = "",
    batch: MessageBatch | None = None,
) -> MessageOutcome:
    """Run one provider message exactly once. `handle()` applies it and returns (status, body), having
    turned rule violations into a 400 itself. A processed outcome (2xx, or 400) is stored with the
    message id and its fingerprint: a retry with the same content gets it back unchanged; the same id
    with other content raises MessageIdReused. Other outcomes are answered but not stored.
    (Messages stored before fingerprints existed have none and are replayed as before.)

    In a `batch` (inside the batch's transaction) the earlier answer comes from the batch, and the
    outcome is kept for its one INSERT; no savepoint: `handle()` must write nothing when it fails."""
    if batch is not None:
        earlier = batch.earlier.get(message_id)
    else:
        earlier = CareEvent.objects.filter(provider=provider, message_id=message_id).first()
    if earlier is not None and _is_processed(earlier.response_status):
        return _replay(earlier, fingerprint)
    if batch is not None:
        status, body = handle()
        if _is_processed(status):
            values = _stored_values(assignment, kind, event_date, reason, status, body, fingerprint)
            batch.keep(earlier, message_id=message_id, values=values)
        return MessageOutcome(status, body, replayed=False)
    try:
        with transaction.atomic():
            status, body = handle()
            if _is_processed(status):
                values = _stored_values(assignment, kind, event_date, reason, status, body, fingerprint)
                if earlier is None:
                    CareEvent.objects.create(provider=provider, message_id=message_id, **values)
                else:  # stored before only processed answers were (e.g. a 404): now it is processed
                    CareEvent.objects.filter(pk=earlier.pk).update(**values)
    except IntegrityError:  # the same message id raced in concurrently: answer as the winner did
        return _replay(CareEvent.objects.get(provider=provider, message_id=message_id), fingerprint)
    return MessageOutcome(status, body, replayed=False)


def _stored_values(assignment, kind, event_date, reason, status, body, fingerprint) -> dict:
    return {
        "assignment": assignment,
        "kind": kind,
        "event_date": event_date,
        "reason": reason,
        "accepted": 200 <= status < 300,
        "response_status": status,
        "response": body,
        "fingerprint": fingerprint,
    }


# --------------------------------------------------------------------------------------------
# API tokens
# --------------------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(provider: Provider, *, name: str, by, expires_at=None) -> tuple[ApiToken, str]:
    """A new API key for the provider: returns the token and the key, which is shown only once. The
    key expires at expires_at, by default API_KEY_LIFETIME_DAYS from now."""
    now = timezone.now()
    expires_at = expires_at or api_key_expiry()
    if expires_at <= now:
        raise ValidationError(
            {"expires_at": ValidationError(_("Een nieuwe sleutel moet na vandaag verlopen."), code="expiry_in_past")}
        )
    key = f"sdd_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        provider=provider, name=name, prefix=key[4:12], key_hash=hash_key(key), created_by=by, expires_at=expires_at
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=token,
        summary=f"API-sleutel {token.prefix}, geldig tot {timezone.localdate(expires_at):%d-%m-%Y}",
    )
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=by, action=AuditEvent.Action.TRANSITION, obj=token, summary=f"API-sleutel {token.prefix} ingetrokken"
        )
    return token


# --------------------------------------------------------------------------------------------
# Jaargesprekken (annual reviews)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def record_annual_review(
    provider: Provider,
    *,
    year: int,
    held_on: date,
    participants: str,
    conclusions: str,
    agreements: str = "",
    next_review_on: date | None = None,
    by,
    today: date,
) -> AnnualReview:
    """Record the jaargesprek over `year` with the provider, with the figures discussed: the stored
    SLA figures of that year as the dashboard shows them today (rows of label, provider,
    reference-group average, difference), computed here, never taken from the caller. One per
    provider and year."""
    errors = {}
    year_known = 2015 <= year <= today.year
    if not year_known:
        errors["year"] = _("Een jaargesprek gaat over een jaar vanaf 2015 tot en met dit jaar.")
    if held_on > today:
        errors["held_on"] = _("Een jaargesprek wordt vastgelegd nadat het is gehouden, niet vooraf.")
    elif year_known and held_on < date(year, 1, 1):
        errors["held_on"] = _("Een gesprek over %(year)s kan niet vóór dat jaar zijn gehouden.") % {"year": year}
    if next_review_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = _("Het volgende gesprek moet na dit gesprek liggen.")
    if not participants.strip():
        errors["participants"] = _("Vul in wie aan het gesprek deelnamen.")
    if not conclusions.strip():
        errors["conclusions"] = _("Vul de conclusies over de prestaties in.")
    if errors:
        raise ValidationError(errors)
    Provider.objects.select_for_update().get(pk=provider.pk)  # one review per year, also when two save at once
    if AnnualReview.objects.filter(provider=provider, year=year).exists():
        raise ValidationError(
            {
                "year": ValidationError(
                    _("Het jaargesprek over %(year)s met %(provider)s is al vastgelegd.")
                    % {"year": year, "provider": provider.name},
                    code="duplicate",
                )
            }
        )
    review = AnnualReview.objects.create(
        provider=provider,
        year=year,
        held_on=held_on,
        participants=participants.strip(),
        conclusions=conclusions.strip(),
        agreements=agreements.strip(),
        next_review_on=next_review_on,
        figures=ProviderDashboard(provider, year, today=today).review_figures().rows,
        recorded_by=by,
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=review,
        summary=f"Jaargesprek {year} met {provider.name} vastgelegd",
    )
    return review


# --------------------------------------------------------------------------------------------
# Stored SLA figures (nightly, with the monitor)
# --------------------------------------------------------------------------------------------


def refresh_sla_figures(*, today: date, years) -> int:
    """Recompute the stored SLA figures of every provider for the years: the year, its four
    quarters and its twelve months (selectors.benchmark, one set-wise computation per period for
    all providers) and the results per product of the year. The figures are
    computed first, then each year is replaced in one transaction (a page never sees half a
    year). Returns the number of rows written."""
    written = 0
    for year in years:
        (whole_year,) = periods(year, "jaar")
        computed = [
            (quarter, benchmark(period, providers=Provider.objects.all(), today=today))
            for quarter, period in [(0, whole_year), *enumerate(periods(year, "kwartaal"), start=1)]
        ]
        results = results_per_provider_and_product(whole_year)
        figures = [
            SlaFigures(
                provider_id=row.pk,
                year=year,
                quarter=quarter,
                computed_on=today,
                **{figure.name: figure.stored_value(getattr(row, figure.name)) for figure in SLA_FIGURES},
            )
            for quarter, rows in computed
            for row in rows
        ]
        months = [
            SlaMonthFigures(
                provider_id=row.pk,
                year=year,
                month=month,
                computed_on=today,
                **{figure.name: figure.stored_value(getattr(row, figure.name)) for figure in SLA_FIGURES},
            )
            for month, period in enumerate(periods(year, "maand"), start=1)
            for row in benchmark(period, providers=Provider.objects.all(), today=today)
        ]
        product_results = [
            SlaProductResults(provider_id=provider_id, year=year, product_id=product_id, **values)
            for (provider_id, product_id), values in results.items()
            if provider_id is not None
        ]
        with transaction.atomic():
            SlaFigures.objects.filter(year=year).delete()
            SlaProductResults.objects.filter(year=year).delete()
            SlaMonthFigures.objects.filter(year=year).delete()
            SlaFigures.objects.bulk_create(figures, batch_size=1000)
            SlaMonthFigures.objects.bulk_create(months, batch_size=1000)
            SlaProductResults.objects.bulk_create(product_results, batch_size=1000)
        written += len(figures) + len(months) + len(product_results)
    return written
