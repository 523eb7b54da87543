"""Every write of the provider domain: contracts, assignments (toewijzingen), the providers' start
and stop reports, verzoeken om wijziging, API tokens and the jaargesprekken of contract management.

Rule violations raise django.core.exceptions.ValidationError with a Dutch message and a stable code,
which the API returns as a 400 with that code.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from indications import four_eyes
from indications import services as indication_services
from indications.hooks import CARE_REPORTED, BeschikkingEnd, Vaststelling, case_changed
from indications.models import Indication, IndicationStatus
from indications.nightly import NightlyOutcome, each_row_on_its_own
from indications.workflow import LIVE_STATUSES, lock_indication

from .codes import RedenBeeindiging, RedenWijziging
from .figures import ProviderDashboard
from .hooks import assignment_changed
from .models import (
    AnnualReview,
    ApiToken,
    Assignment,
    CareEvent,
    ChangeRequest,
    Contract,
    Provider,
    SlaFigures,
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


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("indication", "provider", "product")
        .get(pk=assignment.pk)
    )


def _common_date_checks(assignment: Assignment, on: date, *, today: date, field: str) -> None:
    if assignment.indication.status == IndicationStatus.INGETROKKEN or assignment.status == Assignment.Status.WITHDRAWN:
        raise ValidationError(_("De beschikking van deze toewijzing is ingetrokken."), code="beschikking_withdrawn")
    if on > today:
        raise ValidationError({field: ValidationError(_("De datum ligt in de toekomst."), code="date_in_future")})


def record_care_start(assignment: Assignment, *, on: date, by, today: date | None = None) -> Assignment:
    """Start zorg (WMO305): care began on `on`."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment)
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
    assignment.save(update_fields=["care_started_on"])
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


def record_care_stop(assignment: Assignment, *, on: date, reason: str, by, today: date | None = None) -> Assignment:
    """Stop zorg (WMO307): care ended on `on` for a reden beëindiging of WMO588."""
    today = today or timezone.localdate()
    assignment = _lock_assignment(assignment)
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
    assignment.stop_reason = reason
    assignment.status = Assignment.Status.ENDED
    if assignment.end_date is None or on < assignment.end_date:  # care ended earlier than assigned
        assignment.end_date = on
    assignment.save(update_fields=["care_stopped_on", "stop_reason", "status", "end_date"])
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


def submit_change_request(
    assignment: Assignment,
    *,
    motivation: str,
    by,
    product=None,
    end_date: date | None = None,
    today: date | None = None,
) -> ChangeRequest:
    """Verzoek om wijziging (WMO317): another product and/or another end date, with a motivation.
    Only for a toewijzing that is actief on `today` (not one whose end date has passed)."""
    today = today or timezone.localdate()
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
    if product is not None:
        ensure_contract_covers(assignment.provider, product, assignment.start_date)
    if ChangeRequest.objects.filter(assignment=assignment, status=ChangeRequest.Status.OPEN).exists():
        raise ValidationError(_("Er loopt al een verzoek om wijziging voor deze toewijzing."), code="already_open")
    request = ChangeRequest.objects.create(
        assignment=assignment, requested_product=product, requested_end_date=end_date, motivation=motivation
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=request,
        client_id=assignment.indication.client_id,
        summary="verzoek om wijziging",
    )
    return request


@transaction.atomic
def answer_change_request(
    change_request: ChangeRequest,
    *,
    by,
    accept: bool,
    reason: str,
    start_date: date | None = None,
    today: date | None = None,
) -> ChangeRequest:
    """The consultant grants or refuses a verzoek om wijziging. Granting creates the follow-up
    beschikking through the foundation's services (an opschaling, afschaling or herindicatie that
    replaces the current one); its vaststelling assigns it and ends the old assignment (WMO002 12)."""
    today = today or timezone.localdate()
    change_request = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__indication__product", "requested_product")
        .get(pk=change_request.pk)
    )
    if change_request.status != ChangeRequest.Status.OPEN:
        raise ValidationError(_("Dit verzoek is al beantwoord."), code="already_answered")
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een toelichting bij het antwoord.")})
    current = change_request.assignment.indication
    if accept:
        product = change_request.requested_product or current.product
        kind = (
            Indication.Kind.SCALE_UP
            if product.level > current.product.level
            else Indication.Kind.SCALE_DOWN
            if product.level < current.product.level
            else Indication.Kind.HERINDICATIE
        )
        start = start_date or max(today, current.start_date + timedelta(days=2))
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
    return change_request


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
) -> MessageOutcome:
    """Run one provider message exactly once. `handle()` applies it and returns (status, body), having
    turned rule violations into a 400 itself. A processed outcome (2xx, or 400) is stored with the
    message id and its fingerprint: a retry with the same content gets it back unchanged; the same id
    with other content raises MessageIdReused. Other outcomes are answered but not stored.
    (Messages stored before fingerprints existed have none and are replayed as before.)"""
    earlier = CareEvent.objects.filter(provider=provider, message_id=message_id).first()
    if earlier is not None and _is_processed(earlier.response_status):
        return _replay(earlier, fingerprint)
    try:
        with transaction.atomic():
            status, body = handle()
            if _is_processed(status):
                values = {
                    "assignment": assignment,
                    "kind": kind,
                    "event_date": event_date,
                    "reason": reason,
                    "accepted": 200 <= status < 300,
                    "response_status": status,
                    "response": body,
                    "fingerprint": fingerprint,
                }
                if earlier is None:
                    CareEvent.objects.create(provider=provider, message_id=message_id, **values)
                else:  # stored before only processed answers were (e.g. a 404): now it is processed
                    CareEvent.objects.filter(pk=earlier.pk).update(**values)
    except IntegrityError:  # the same message id raced in concurrently: answer as the winner did
        return _replay(CareEvent.objects.get(provider=provider, message_id=message_id), fingerprint)
    return MessageOutcome(status, body, replayed=False)


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
    """Recompute the stored SLA figures of every provider for the years: the year and its four
    quarters (selectors.benchmark) and the results per product of the year. The figures are
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
        product_results = [
            SlaProductResults(provider_id=provider_id, year=year, product_id=product_id, **values)
            for (provider_id, product_id), values in results.items()
            if provider_id is not None
        ]
        with transaction.atomic():
            SlaFigures.objects.filter(year=year).delete()
            SlaProductResults.objects.filter(year=year).delete()
            SlaFigures.objects.bulk_create(figures, batch_size=1000)
            SlaProductResults.objects.bulk_create(product_results, batch_size=1000)
        written += len(figures) + len(product_results)
    return written
