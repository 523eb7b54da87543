"""Services of the beschikking: the concept with its results and planned evaluations, the
vaststelling, activation, beëindiging and intrekking, and the evaluations of a running beschikking.

The toewijzing to the provider is the provider domain's, a layer up: the vaststelling and the end
of a beschikking run the typed hooks of `indications.hooks` (registered by providers at start-up)
inside their own transaction, so a failing hook rolls the change back.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import changed_fields, record_event

from . import hooks
from .codes import RedenWijziging
from .decisions import derived_outcome
from .four_eyes import complexity_findings
from .hooks import case_changed
from .ib_rules import check_ib_rules, one_indication_errors, primary_domain_errors
from .models import (
    Aanvraag,
    Client,
    Evaluation,
    IbResult,
    IbSubResult,
    Indication,
    IndicationResult,
    PgbBudget,
    PlannedEvaluation,
    Product,
    ResultProgress,
    ZrmDomain,
)
from .onderzoek_services import record_zrm_assessment
from .service_utils import snapshot as _snapshot
from .service_utils import today_or_now as _today
from .workflow import EDITABLE_STATUSES, LIVE_STATUSES, ensure_transition_allowed
from .workflow import lock_indication as _lock
from .workflow import move as _move

S = Indication.Status

# --------------------------------------------------------------------------------------------
# Indication (concept) and the IB rules
# --------------------------------------------------------------------------------------------


@dataclass
class ResultInput:
    result: IbResult
    goal: str
    sub_results: list[IbSubResult] = field(default_factory=list)


INDICATION_FIELDS = (
    "product",
    "opslag",
    "opslag_motivation",
    "start_date",
    "retroactive_motivation",
    "end_date",
    "provider",
    "kind",
    "replaces",
    "aanvraag",
    "four_eyes_requested",
    "primary_domain",
    "treatment_needed",
    "dagbesteding_dagdelen_ib",
    "verblijf_motivation",
    "extramural_cost_motivation",
    "mantelzorg_motivation",
    "refusal_motivation",  # of a gedeeltelijke toekenning: why the part asked is not granted
    "delivery_form",
)
# What the concept records of a pgb (PgbBudget), given as `pgb={...}` by these names.
PGB_FIELDS = (
    "holder",
    "representative_name",
    "representative_relation",
    "budget_plan_received_on",
    "able_to_manage",
    "able_to_manage_note",
    "motivated",
    "motivated_note",
    "quality_plausible",
    "quality_note",
    "social_network",
)
REFUSAL_FIELDS = ("product", "refusal_ground", "refusal_motivation", "four_eyes_requested", "outcome", "provider")


@transaction.atomic
def save_indication_concept(
    indication: Indication | None,
    *,
    client: Client,
    by,
    results: list[ResultInput],
    evaluation_dates: list[date],
    pgb: dict | None = None,
    **data,
) -> Indication:
    """Create or update a concept indication with its results and planned evaluations, and for a
    pgb (delivery_form "pgb") what `pgb` records of it (PGB_FIELDS; a natura concept drops it).

    Shape is checked here; the IB rules are checked when the beschikking is issued, so a consultant
    can save work in progress."""
    if indication is None:
        indication = Indication(client=client, consultant=by)
        before = {}
        stored_pgb = None
    else:
        indication = Indication.objects.select_for_update().get(pk=indication.pk)
        if indication.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Alleen een concept kan worden gewijzigd."), code="not_concept")
        if indication.is_refusal:
            raise ValidationError(_("Dit concept is een afwijzing: wijzig de afwijzing."), code="is_refusal")
        before = _snapshot(indication, INDICATION_FIELDS)
        stored_pgb = PgbBudget.objects.filter(indication=indication).first()
    pgb_before = _pgb_snapshot(stored_pgb) if stored_pgb else {}
    for name in INDICATION_FIELDS:
        if name in data:
            setattr(indication, name, data[name])
    errors = {}
    if indication.aanvraag and indication.aanvraag.client_id != client.pk:
        errors["aanvraag"] = _("Deze aanvraag hoort bij een andere cliënt.")
    if indication.replaces and indication.replaces.client_id != client.pk:
        errors["replaces"] = _("De te vervangen beschikking hoort bij een andere cliënt.")
    if indication.end_date and indication.start_date and indication.end_date <= indication.start_date:
        errors["end_date"] = _("De einddatum moet na de ingangsdatum liggen.")
    errors.update(one_indication_errors(indication))
    if indication.is_pgb and indication.provider_id is not None:
        errors["provider"] = _("Bij een pgb koopt de budgethouder zelf in: kies geen aanbieder.")
    # What is not given keeps its stored value (or the default of a new record).
    stored = {name: getattr(stored_pgb, name) for name in PGB_FIELDS} if stored_pgb else {}
    pgb_values = {
        name: (pgb or {}).get(name, stored.get(name, PgbBudget._meta.get_field(name).get_default()))
        for name in PGB_FIELDS
    }
    pgb_values["representative_name"] = (pgb_values["representative_name"] or "").strip()
    if (
        indication.is_pgb
        and pgb_values["holder"] not in (None, "", PgbBudget.Holder.CLIENT)
        and not pgb_values["representative_name"]
    ):
        errors["pgb_representative_name"] = _("Geef de naam van de vertegenwoordiger die budgethouder is.")
    if errors:
        raise ValidationError(errors)
    chosen = [item.result.pk for item in results]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Kies elk resultaat maar één keer."), code="result_twice")
    for item in results:
        wrong = [sub.name for sub in item.sub_results if sub.result_id != item.result.pk]
        if wrong:
            raise ValidationError(
                _("Subresultaat '%(sub)s' hoort niet bij resultaat '%(result)s'.")
                % {"sub": wrong[0], "result": item.result.name},
                code="sub_result_mismatch",
            )
        if not item.goal.strip():
            raise ValidationError(
                _("Geef bij '%(result)s' een concreet doel.") % {"result": item.result}, code="goal_required"
            )
    for error in primary_domain_errors(indication.primary_domain, {item.result.domain for item in results}):
        raise ValidationError({"primary_domain": error})
    indication.full_clean()
    indication.save()

    indication.results.all().delete()
    for item in results:
        indication_result = IndicationResult.objects.create(indication=indication, result=item.result, goal=item.goal)
        indication_result.sub_results.set(item.sub_results)
    indication.planned_evaluations.filter(evaluation__isnull=True).delete()
    PlannedEvaluation.objects.bulk_create(
        PlannedEvaluation(indication=indication, planned_on=planned_on) for planned_on in sorted(set(evaluation_dates))
    )
    pgb_after = _save_pgb(indication, pgb_values)
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE if not before else AuditEvent.Action.UPDATE,
        obj=indication,
        client_id=client.pk,
        summary="concept-indicatie",
        changes=changed_fields({**before, **pgb_before}, {**_snapshot(indication, INDICATION_FIELDS), **pgb_after}),
    )
    return indication


@transaction.atomic
def save_refusal_concept(
    indication: Indication | None,
    *,
    aanvraag: Aanvraag,
    by,
    product: Product,
    refusal_ground: str,
    refusal_motivation: str,
    four_eyes_requested: bool = False,
    today: date | None = None,
) -> Indication:
    """Draw up an afwijzing of the aanvraag (a concept), or turn the aanvraag's concept into one: the
    product refused, the ground and the motivation. A refusal grants nothing, so its results, planned
    evaluations and provider go. It is vastgesteld like any beschikking (issue_beschikking), after
    four eyes where a complexity rule asks for it."""
    if indication is None:
        indication = Indication(client=aanvraag.client, consultant=by, aanvraag=aanvraag, kind=Indication.Kind.FIRST)
        before = {}
    else:
        indication = Indication.objects.select_for_update().get(pk=indication.pk)
        if indication.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Alleen een concept kan worden gewijzigd."), code="not_concept")
        if indication.aanvraag_id != aanvraag.pk or indication.replaces_id is not None:
            raise ValidationError(
                _("Alleen de indicatie van deze aanvraag kan een afwijzing worden."), code="not_this_aanvraag"
            )
        before = _snapshot(indication, REFUSAL_FIELDS)
    errors = {}
    if refusal_ground not in Indication.RefusalGround.values:
        errors["refusal_ground"] = _("Kies de grond van de afwijzing.")
    if not refusal_motivation.strip():
        errors["refusal_motivation"] = _("Motiveer de afwijzing.")
    if errors:
        raise ValidationError(errors)
    indication.product = product
    indication.outcome = Indication.Outcome.AFWIJZING
    indication.refusal_ground = refusal_ground
    indication.refusal_motivation = refusal_motivation
    indication.four_eyes_requested = four_eyes_requested
    indication.provider = None
    # The aanvraag's day: a refusal has no ingangsdatum of care, and its "period" is none.
    indication.start_date = aanvraag.received_on
    indication.end_date = None
    indication.opslag, indication.opslag_motivation = False, ""
    indication.primary_domain, indication.treatment_needed = None, ""
    errors = one_indication_errors(indication)
    if errors:
        raise ValidationError(errors)
    indication.full_clean()
    indication.save()
    indication.results.all().delete()
    indication.planned_evaluations.filter(evaluation__isnull=True).delete()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE if not before else AuditEvent.Action.UPDATE,
        obj=indication,
        client_id=indication.client_id,
        summary="concept-afwijzing",
        changes=changed_fields(before, _snapshot(indication, REFUSAL_FIELDS)),
    )
    case_changed(indication.client_id, today=_today(today))
    return indication


def _save_pgb(indication: Indication, values: dict) -> dict:
    """The concept's pgb record: written for a pgb, removed for natura. Returns its snapshot."""
    if not indication.is_pgb:
        PgbBudget.objects.filter(indication=indication).delete()
        return {}
    pgb = PgbBudget.objects.filter(indication=indication).first() or PgbBudget(indication=indication)
    for name, value in values.items():
        setattr(pgb, name, value)
    pgb.holder = pgb.holder or PgbBudget.Holder.CLIENT
    pgb.social_network = bool(pgb.social_network)
    for name in ("representative_name", "representative_relation", *(f for f in PGB_FIELDS if f.endswith("_note"))):
        setattr(pgb, name, getattr(pgb, name) or "")
    pgb.full_clean(exclude=["indication"])
    pgb.save()
    return _pgb_snapshot(pgb)


def _pgb_snapshot(pgb: PgbBudget) -> dict:
    return {f"pgb_{name}": value for name, value in _snapshot(pgb, PGB_FIELDS).items()}


# --------------------------------------------------------------------------------------------
# Status transitions
# --------------------------------------------------------------------------------------------


@transaction.atomic
def issue_beschikking(
    indication: Indication,
    *,
    by,
    decision_date: date | None = None,
    today: date | None = None,
    change_reason: str = "",
) -> Indication:
    """Vaststellen: check every IB rule and the four-eyes approval, number the beschikking and end the
    one it replaces. A complex concept must be approved first (see four_eyes.py).

    The same vaststelling decides an afwijzing: it reaches afgewezen (terminal), and since it grants
    nothing, the providers' toewijzing (beschikking_issued) and the contract check are not run. A
    grant stores its outcome, whole or partial, as derived from the aanvraag (indications.decisions)."""
    today = _today(today)
    decision_date = decision_date or today
    indication = _lock(indication)
    refusal = indication.is_refusal
    target = S.AFGEWEZEN if refusal else S.VASTGESTELD
    ensure_transition_allowed(indication.status, target)
    errors = check_ib_rules(indication, today=today)
    if indication.status == S.CONCEPT:
        findings = complexity_findings(indication, today=today)
        if findings:
            errors.append(
                ValidationError(
                    _("Vier ogen nodig: bied de indicatie eerst ter beoordeling aan (%(reasons)s).")
                    % {"reasons": " ".join(finding.reason for finding in findings)},
                    code="four_eyes_required",
                )
            )
    elif indication.approved_by_id is None:  # goedgekeurd, so approved: the constraint guards it too
        errors.append(ValidationError(_("De goedkeuring ontbreekt."), code="four_eyes_required"))
    if decision_date > today:
        errors.append(ValidationError(_("De besluitdatum kan niet in de toekomst liggen."), code="decision_future"))
    if indication.aanvraag and decision_date < indication.aanvraag.received_on:
        errors.append(
            ValidationError(_("De besluitdatum kan niet vóór de aanvraag liggen."), code="decision_before_aanvraag")
        )
    if not refusal:
        for check in hooks.vaststelling_checks.callbacks:  # e.g. the provider's contract (providers)
            errors.extend(check(indication))
    if errors:
        raise ValidationError(errors)

    indication.decision_date = decision_date
    indication.outcome = derived_outcome(indication)
    _move(indication, target, by=by)
    indication.number = f"IB-{decision_date.year}-{indication.pk:07d}"
    indication.save(update_fields=["number", "updated_at"])
    vaststelling = hooks.Vaststelling(indication=indication, by=by, today=today, change_reason=change_reason)
    if refusal:  # no toewijzing, no replaced beschikking, no activation: the decision is the end
        for hook in hooks.beschikking_refused.callbacks:  # e.g. the letter of the afwijzing (letters)
            hook(vaststelling)
        case_changed(indication.client_id, today=today)
        return indication
    # The toewijzing to the provider (and the end of the replaced beschikking's assignment), in this
    # transaction: a hook that fails takes the vaststelling back with it.
    for hook in hooks.beschikking_issued.callbacks:
        hook(vaststelling)

    replaced = indication.replaces
    if replaced is not None:
        replaced = _lock(replaced)
        replaced.end_date = indication.start_date - timedelta(days=1)
        replaced.save(update_fields=["end_date", "updated_at"])
        if replaced.end_date < today:
            end_locked(
                replaced,
                by=by,
                ended_on=replaced.end_date,
                reason=_("Vervangen door %s") % indication.number,
                today=today,
            )
    if indication.start_date <= today:
        _move(indication, S.ACTIEF, by=by, reason=_("Ingangsdatum bereikt"))
    case_changed(indication.client_id, today=today)
    return indication


@transaction.atomic
def activate_beschikking(indication: Indication, *, by=None, today: date | None = None) -> Indication:
    indication = _lock(indication)
    if indication.start_date > _today(today):
        raise ValidationError(_("De ingangsdatum is nog niet bereikt."), code="not_started")
    _move(indication, S.ACTIEF, by=by, reason=_("Ingangsdatum bereikt"))
    return indication


def _shorten_to(indication: Indication, *, ended_on: date, by, today: date) -> None:
    if ended_on < indication.start_date:
        raise ValidationError({"ended_on": _("De einddatum kan niet vóór de ingangsdatum liggen.")})
    indication.ended_on = ended_on
    if ended_on > indication.start_date and (indication.end_date is None or indication.end_date > ended_on):
        indication.end_date = ended_on
    # The injected day, not the wall clock: a toewijzing whose end has passed on that day is beëindigd,
    # one that ends today or later keeps running with that end.
    _beschikking_ended(indication, end_date=ended_on, reason=RedenWijziging.VERKORTING, by=by, today=today)


def _beschikking_ended(indication: Indication, *, end_date: date, reason: RedenWijziging, by, today: date) -> None:
    """Run the beschikking_ended hook: the toewijzingen end with the beschikking (providers)."""
    end = hooks.BeschikkingEnd(indication=indication, end_date=end_date, reason=reason, by=by, today=today)
    for hook in hooks.beschikking_ended.callbacks:
        hook(end)


def end_locked(indication: Indication, *, by, ended_on: date, reason: str, today: date) -> None:
    """End the beschikking per ended_on now (the caller holds its lock, in a transaction): its
    toewijzingen end with it and it moves to beëindigd."""
    _shorten_to(indication, ended_on=ended_on, by=by, today=today)
    _move(indication, S.BEEINDIGD, by=by, reason=reason)


def _plan_end(indication: Indication, *, by, ended_on: date, reason: str, today: date) -> None:
    """Beëindigen per today or a later day: care goes on up to and including that day, so the
    beschikking stays live (and its toewijzing runs) with that end; the nightly job ends it after."""
    before = _snapshot(indication, ("ended_on", "end_date", "end_reason"))
    indication.end_reason = reason  # before the hooks: the letter of the beëindiging states it
    _shorten_to(indication, ended_on=ended_on, by=by, today=today)
    indication.full_clean()
    indication.save(update_fields=["ended_on", "end_date", "end_reason", "updated_at"])
    record_event(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=indication,
        client_id=indication.client_id,
        summary=f"beëindiging gepland per {ended_on:%d-%m-%Y}",
        changes=changed_fields(before, _snapshot(indication, ("ended_on", "end_date", "end_reason"))),
    )


@transaction.atomic
def end_beschikking(
    indication: Indication, *, by, ended_on: date, reason: str, today: date | None = None
) -> Indication:
    """Beëindigen per ended_on, the last day of care (the provider's stop report arrives in the
    provider API). A day that has passed ends the beschikking now; today or a later day plans the
    end: it stays vastgesteld or actief until then and the nightly job ends it the day after."""
    today = _today(today)
    indication = _lock(indication)
    ensure_transition_allowed(indication.status, S.BEEINDIGD)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van beëindiging.")})
    if ended_on > today + timedelta(days=365):
        raise ValidationError({"ended_on": _("Kies een einddatum binnen een jaar.")})
    if ended_on < today:
        indication.end_reason = reason
        end_locked(indication, by=by, ended_on=ended_on, reason=reason, today=today)
    else:
        _plan_end(indication, by=by, ended_on=ended_on, reason=reason, today=today)
    case_changed(indication.client_id, today=today)
    return indication


@transaction.atomic
def withdraw_beschikking(indication: Indication, *, by, reason: str, today: date | None = None) -> Indication:
    """Intrekken: the beschikking (or concept) no longer applies, e.g. after bezwaar or withdrawal."""
    indication = _lock(indication)
    ensure_transition_allowed(indication.status, S.INGETROKKEN)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van intrekking.")})
    _move(indication, S.INGETROKKEN, by=by, reason=reason)
    # A withdrawn beschikking takes its assignments with it: from the start, it never applied.
    today = _today(today)
    _beschikking_ended(
        indication,
        end_date=indication.start_date - timedelta(days=1),
        reason=RedenWijziging.VERWIJDERD,
        by=by,
        today=today,
    )
    case_changed(indication.client_id, today=today)
    return indication


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


@transaction.atomic
def record_evaluation(
    indication: Indication,
    *,
    by,
    held_on: date,
    outcome: str,
    zrm_scores: dict[ZrmDomain, int],
    progress: dict[int, tuple[str, str]],
    next_evaluation_on: date | None = None,
    notes: str = "",
    today: date | None = None,
) -> Evaluation:
    """Record an evaluation: new ZRM scores, progress per result, outcome and the next evaluation."""
    today = _today(today)
    indication = _lock(indication)
    if indication.status not in LIVE_STATUSES:
        raise ValidationError(_("Alleen een lopende beschikking kan worden geëvalueerd."), code="not_live")
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = _("De evaluatiedatum kan niet in de toekomst liggen.")
    elif held_on < indication.start_date:
        errors["held_on"] = _("De evaluatie kan niet vóór de ingangsdatum van de beschikking liggen.")
    if outcome not in Evaluation.Outcome.values:
        errors["outcome"] = _("Kies een uitkomst.")
    if outcome == Evaluation.Outcome.CONTINUE and next_evaluation_on is None:
        errors["next_evaluation_on"] = _("Bij voortzetten hoort een volgende evaluatiedatum.")
    if next_evaluation_on is not None:
        if next_evaluation_on <= held_on:
            errors["next_evaluation_on"] = _("De volgende evaluatie moet na deze evaluatie liggen.")
        elif indication.end_date and next_evaluation_on > indication.end_date:
            errors["next_evaluation_on"] = _("De volgende evaluatie valt na de einddatum van de beschikking.")
    results = {item.pk: item for item in indication.results.all()}
    missing = set(results) - set(progress)
    if missing or set(progress) - set(results):
        errors["__all__"] = _("Geef de voortgang op elk resultaat van de beschikking.")
    invalid = [value for value, _note in progress.values() if value not in ResultProgress.Progress.values]
    if invalid:
        errors["__all__"] = _("Kies bij elk resultaat een geldige voortgang.")
    if errors:
        raise ValidationError(errors)

    evaluation = Evaluation(
        indication=indication,
        held_on=held_on,
        consultant=by,
        outcome=outcome,
        next_evaluation_on=next_evaluation_on,
        notes=notes,
    )
    evaluation.full_clean()
    evaluation.save()
    ResultProgress.objects.bulk_create(
        ResultProgress(evaluation=evaluation, indication_result=results[pk], progress=value, note=note)
        for pk, (value, note) in progress.items()
    )
    record_zrm_assessment(
        client=indication.client,
        assessed_on=held_on,
        scores=zrm_scores,
        by=by,
        evaluation=evaluation,
        today=today,
    )
    planned = indication.planned_evaluations.filter(evaluation__isnull=True).order_by("planned_on").first()
    if planned is not None:
        planned.evaluation = evaluation
        planned.save(update_fields=["evaluation"])
    if next_evaluation_on is not None:
        PlannedEvaluation.objects.get_or_create(
            indication=indication, planned_on=next_evaluation_on, evaluation__isnull=True
        )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=evaluation,
        client_id=indication.client_id,
        summary=f"evaluatie: {outcome}",
    )
    case_changed(indication.client_id, today=today)
    return evaluation
