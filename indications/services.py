"""Every write and state change of the case file, from melding to beschikking.

Each service validates, writes inside one transaction, records the audit event and returns the
object. Views, forms, admin, management commands and tasks all call these functions. Rule
violations raise django.core.exceptions.ValidationError with Dutch messages and stable codes.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import changed_fields, record_event
from providers import services as provider_services
from providers.codes import RedenWijziging

from .four_eyes import complexity_findings
from .hooks import case_changed
from .models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    IbResult,
    IbSubResult,
    Indication,
    IndicationResult,
    Intake,
    Melding,
    OtherProvision,
    PlannedEvaluation,
    ResultDomain,
    ResultProgress,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from .selectors import consultants_for, latest_zrm_assessment, tariff_for
from .workflow import EDITABLE_STATUSES, LIVE_STATUSES, VOID_STATUSES, ensure_transition_allowed
from .workflow import lock_indication as _lock
from .workflow import move as _move

S = Indication.Status
logger = logging.getLogger(__name__)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


# --------------------------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------------------------

CLIENT_FIELDS = (
    "bsn",
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "gender",
    "municipality",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
)


@transaction.atomic
def register_client(*, by, **data) -> Client:
    client = Client(**{name: data[name] for name in CLIENT_FIELDS if name in data})
    client.full_clean()
    client.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=client, client_id=client.pk, summary="cliënt")
    return client


@transaction.atomic
def update_client(client: Client, *, by, **data) -> Client:
    before = _snapshot(client, CLIENT_FIELDS)
    for name in CLIENT_FIELDS:
        if name in data:
            setattr(client, name, data[name])
    client.full_clean()
    client.save()
    changes = changed_fields(before, _snapshot(client, CLIENT_FIELDS))
    if changes:
        record_event(
            actor=by, action=AuditEvent.Action.UPDATE, obj=client, client_id=client.pk, changes=changes
        )
        case_changed(client.pk, today=timezone.localdate())
    return client


# --------------------------------------------------------------------------------------------
# Melding and onderzoek
# --------------------------------------------------------------------------------------------


@transaction.atomic
def register_melding(
    *, client: Client, received_on: date, channel: str, question: str, consultant, by, today: date | None = None
) -> Melding:
    """Register a melding; this starts the legal clock and opens its onderzoek."""
    errors = {}
    if received_on > _today(today):
        errors["received_on"] = _("De datum van de melding kan niet in de toekomst liggen.")
    consultant_error = _consultant_error(consultant, client)
    if consultant_error:
        errors["consultant"] = consultant_error
    if errors:
        raise ValidationError(errors)
    melding = Melding(client=client, received_on=received_on, channel=channel, question=question, consultant=consultant)
    melding.full_clean()
    melding.save()
    Intake.objects.create(melding=melding)
    record_event(
        actor=by, action=AuditEvent.Action.CREATE, obj=melding, client_id=client.pk, summary=f"melding {channel}"
    )
    case_changed(client.pk, today=_today(today))
    return melding


def _consultant_error(consultant, client: Client) -> str:
    """Why this user cannot be the client's consulent, or "" when they can."""
    if consultant is None or not consultants_for(client.municipality_id).filter(pk=consultant.pk).exists():
        return _(
            "Kies als consulent een actieve medewerker met de rol consulent in een team dat %(municipality)s "
            "bedient."
        ) % {"municipality": client.municipality}
    return ""


def _ensure_open(intake: Intake) -> None:
    if intake.is_concluded:
        raise ValidationError(_("Dit onderzoek is al afgerond en kan niet meer worden gewijzigd."), code="concluded")


@transaction.atomic
def add_conversation(intake: Intake, *, by, today: date | None = None, **data) -> Conversation:
    intake = Intake.objects.select_for_update(of=("self",)).select_related("melding").get(pk=intake.pk)
    _ensure_open(intake)
    conversation = Conversation(intake=intake, **data)
    errors = {}
    if conversation.held_on and conversation.held_on < intake.melding.received_on:
        errors["held_on"] = _("Een gesprek kan niet vóór de datum van de melding plaatsvinden.")
    if conversation.held_on and conversation.held_on > _today(today):
        errors["held_on"] = _("Een gesprek kan niet in de toekomst hebben plaatsgevonden.")
    valid_participants = set(Conversation.Participant.values)
    if not conversation.participants or not set(conversation.participants) <= valid_participants:
        errors["participants"] = _("Kies ten minste één deelnemer uit de lijst.")
    if errors:
        raise ValidationError(errors)
    conversation.full_clean()
    conversation.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=conversation,
        client_id=intake.melding.client_id,
        summary="keukentafelgesprek",
    )
    return conversation


@transaction.atomic
def record_zrm_assessment(
    *,
    client: Client,
    assessed_on: date,
    scores: dict[ZrmDomain, int],
    by,
    intake: Intake | None = None,
    evaluation: Evaluation | None = None,
    today: date | None = None,
) -> ZrmAssessment:
    """Record a ZRM score (1-5) per scored domain, linked to an onderzoek or an evaluation."""
    scores = {domain: score for domain, score in scores.items() if score not in (None, "")}
    if not scores:
        raise ValidationError(_("Vul voor ten minste één ZRM-domein een score in."), code="zrm_empty")
    invalid = [domain.name for domain, score in scores.items() if int(score) not in range(1, 6)]
    if invalid:
        raise ValidationError(
            _("Een ZRM-score ligt tussen 1 en 5 (domein: %(domains)s).") % {"domains": ", ".join(invalid)},
            code="zrm_range",
        )
    if assessed_on > _today(today):
        raise ValidationError({"assessed_on": _("De datum van de ZRM-meting kan niet in de toekomst liggen.")})
    if intake is not None:
        _ensure_open(intake)
    assessment = ZrmAssessment(
        client=client, assessed_on=assessed_on, assessed_by=by, intake=intake, evaluation=evaluation
    )
    assessment.full_clean()
    assessment.save()
    ZrmScore.objects.bulk_create(
        ZrmScore(assessment=assessment, domain=domain, score=int(score)) for domain, score in scores.items()
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=assessment,
        client_id=client.pk,
        changes={domain.code: int(score) for domain, score in scores.items()},
        summary="ZRM-meting",
    )
    return assessment


@transaction.atomic
def conclude_intake(
    intake: Intake,
    *,
    by,
    conclusion: str,
    concluded_on: date,
    report: str,
    report_sent_on: date | None = None,
    referral_provision: str = "",
    other_law: str = "",
    no_conversation_reason: str = "",
    persoonlijk_plan_received_on: date | None = None,
    today: date | None = None,
) -> Intake:
    """Close the onderzoek with its conclusion. A referral (algemene voorziening, other law) plans nazorg."""
    intake = Intake.objects.select_for_update(of=("self",)).select_related("melding").get(pk=intake.pk)
    _ensure_open(intake)
    today = _today(today)
    errors: dict[str, str] = {}
    if conclusion not in Intake.Conclusion.values:
        errors["conclusion"] = _("Kies een conclusie.")
    if concluded_on > today:
        errors["concluded_on"] = _("De datum van afronding kan niet in de toekomst liggen.")
    elif concluded_on < intake.melding.received_on:
        errors["concluded_on"] = _("Het onderzoek kan niet vóór de melding zijn afgerond.")
    if not report.strip():
        errors["report"] = _("Leg het verslag van het onderzoek vast.")
    if report_sent_on and report_sent_on < intake.melding.received_on:
        errors["report_sent_on"] = _("Het verslag kan niet vóór de melding zijn verstuurd.")
    has_conversation = intake.conversations.exists()
    if not has_conversation and not no_conversation_reason.strip():
        errors["no_conversation_reason"] = _(
            "Er is geen gesprek vastgelegd: geef aan waarom een gesprek niet nodig was."
        )
    if conclusion == Intake.Conclusion.ALGEMENE_VOORZIENING and not referral_provision.strip():
        errors["referral_provision"] = _("Noem de algemene voorziening waarnaar is verwezen.")
    if conclusion == Intake.Conclusion.OTHER_LAW and other_law not in Intake.OtherLaw.values:
        errors["other_law"] = _("Kies de wet waaronder de ondersteuning valt (Zvw, Wlz of Jeugdwet).")
    if conclusion == Intake.Conclusion.MAATWERK and not ZrmAssessment.objects.filter(
        client_id=intake.melding.client_id
    ).exists():
        errors["conclusion"] = _("Voor een maatwerkvoorziening is een ZRM-meting nodig; leg die eerst vast.")
    if errors:
        raise ValidationError(errors)

    before = _snapshot(intake, ("conclusion", "concluded_on"))
    intake.conclusion = conclusion
    intake.concluded_on = concluded_on
    intake.report = report
    intake.report_sent_on = report_sent_on
    intake.referral_provision = referral_provision if conclusion == Intake.Conclusion.ALGEMENE_VOORZIENING else ""
    intake.other_law = other_law if conclusion == Intake.Conclusion.OTHER_LAW else ""
    intake.no_conversation_reason = no_conversation_reason
    intake.persoonlijk_plan_received_on = persoonlijk_plan_received_on
    if conclusion in Intake.REFERRAL_CONCLUSIONS:
        intake.nazorg_due_on = concluded_on + timedelta(days=settings.SDD["NAZORG_AFTER_DAYS"])
    intake.full_clean()
    intake.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=intake,
        client_id=intake.melding.client_id,
        summary=f"onderzoek afgerond: {conclusion}",
        changes=changed_fields(before, _snapshot(intake, ("conclusion", "concluded_on"))),
    )
    case_changed(intake.melding.client_id, today=today)
    return intake


@transaction.atomic
def record_nazorg(intake: Intake, *, by, done_on: date, notes: str, today: date | None = None) -> Intake:
    """Record the nazorg call after a referral: did the algemene voorziening work out?"""
    intake = Intake.objects.select_for_update(of=("self",)).select_related("melding").get(pk=intake.pk)
    if intake.nazorg_due_on is None:
        raise ValidationError(_("Voor dit onderzoek is geen nazorg gepland."), code="no_nazorg")
    if intake.nazorg_done_on is not None:
        raise ValidationError(_("De nazorg is al vastgelegd."), code="nazorg_done")
    errors = {}
    if done_on > _today(today):
        errors["done_on"] = _("De datum van de nazorg kan niet in de toekomst liggen.")
    elif done_on < intake.concluded_on:
        errors["done_on"] = _("De nazorg kan niet vóór de afronding van het onderzoek zijn.")
    if not notes.strip():
        errors["notes"] = _("Leg de uitkomst van het nazorggesprek vast.")
    if errors:
        raise ValidationError(errors)
    intake.nazorg_done_on = done_on
    intake.nazorg_notes = notes
    intake.save(update_fields=["nazorg_done_on", "nazorg_notes"])
    record_event(
        actor=by, action=AuditEvent.Action.UPDATE, obj=intake, client_id=intake.melding.client_id, summary="nazorg"
    )
    case_changed(intake.melding.client_id, today=_today(today))
    return intake


@transaction.atomic
def register_aanvraag(
    *, client: Client, received_on: date, consultant, by, intake: Intake | None = None, today: date | None = None
) -> Aanvraag:
    """Register the client's formal aanvraag; the beschikking is due within 2 weeks."""
    errors = {}
    if received_on > _today(today):
        errors["received_on"] = _("De datum van de aanvraag kan niet in de toekomst liggen.")
    consultant_error = _consultant_error(consultant, client)
    if consultant_error:
        errors["consultant"] = consultant_error
    if intake is not None:
        if intake.melding.client_id != client.pk:
            raise ValidationError(_("Dit onderzoek hoort bij een andere cliënt."), code="wrong_client")
        if intake.conclusion != Intake.Conclusion.MAATWERK:
            raise ValidationError(
                _("Een aanvraag volgt alleen op een onderzoek met als conclusie 'maatwerkvoorziening'."),
                code="no_maatwerk",
            )
        if received_on < intake.melding.received_on:
            errors["received_on"] = _("De aanvraag kan niet vóór de melding zijn ontvangen.")
    if errors:
        raise ValidationError(errors)
    aanvraag = Aanvraag(client=client, intake=intake, received_on=received_on, consultant=consultant)
    aanvraag.full_clean()
    aanvraag.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=aanvraag, client_id=client.pk, summary="aanvraag")
    case_changed(client.pk, today=_today(today))
    return aanvraag


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
)


@transaction.atomic
def save_indication_concept(
    indication: Indication | None,
    *,
    client: Client,
    by,
    results: list[ResultInput],
    evaluation_dates: list[date],
    **data,
) -> Indication:
    """Create or update a concept indication with its results and planned evaluations.

    Shape is checked here; the IB rules are checked when the beschikking is issued, so a consultant
    can save work in progress."""
    if indication is None:
        indication = Indication(client=client, consultant=by)
        before = {}
    else:
        indication = Indication.objects.select_for_update().get(pk=indication.pk)
        if indication.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Alleen een concept kan worden gewijzigd."), code="not_concept")
        before = _snapshot(indication, INDICATION_FIELDS)
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
    errors.update(_one_indication_errors(indication))
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
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE if not before else AuditEvent.Action.UPDATE,
        obj=indication,
        client_id=client.pk,
        summary="concept-indicatie",
        changes=changed_fields(before, _snapshot(indication, INDICATION_FIELDS)),
    )
    return indication


def _one_indication_errors(indication: Indication) -> dict[str, str]:
    """One aanvraag leads to one indication, and a beschikking has one successor; a withdrawn one
    makes room for a new one. (Constraints in the database back this up.)"""
    errors = {}
    others = Indication.objects.exclude(status__in=VOID_STATUSES).exclude(pk=indication.pk)
    if indication.aanvraag_id is not None and indication.replaces_id is None:
        other = others.filter(aanvraag_id=indication.aanvraag_id, replaces__isnull=True).first()
        if other is not None:
            errors["aanvraag"] = _(
                "Bij deze aanvraag hoort al %(indication)s. Wijzig die, of trek haar in voordat u een nieuwe "
                "indicatie opstelt."
            ) % {"indication": other.number or _("een concept-indicatie")}
    if indication.replaces_id is not None:
        other = others.filter(replaces_id=indication.replaces_id).first()
        if other is not None:
            errors["replaces"] = _("Beschikking %(number)s wordt al vervangen door %(other)s.") % {
                "number": indication.replaces.number,
                "other": other.number or _("een concept-indicatie"),
            }
    return errors


def check_ib_rules(indication: Indication, *, today: date) -> list[ValidationError]:
    """Every IB rule of DOMAIN.md that this indication breaks, each with a Dutch message."""
    errors: list[ValidationError] = []
    product = indication.product
    results = list(indication.results.select_related("result__domain"))
    result_domains = {item.result.domain for item in results}

    if not results:
        errors.append(ValidationError(_("Leg ten minste één resultaat vast."), code="no_results"))

    # Dates and duration.
    if indication.end_date and indication.end_date <= indication.start_date:
        errors.append(ValidationError(_("De einddatum moet na de ingangsdatum liggen."), code="end_before_start"))
    if product.requires_end_date and indication.end_date is None:
        errors.append(
            ValidationError(
                _("%(product)s is altijd eindig: vul een einddatum in.") % {"product": product.name},
                code="end_date_required",
            )
        )
    if product.max_duration_weeks and indication.end_date and indication.end_date > indication.start_date:
        if (indication.end_date - indication.start_date).days > product.max_duration_weeks * 7:
            errors.append(
                ValidationError(
                    _("%(product)s duurt ten hoogste %(weeks)s weken.")
                    % {"product": product.name, "weeks": product.max_duration_weeks},
                    code="duration_too_long",
                )
            )

    errors.extend(_retroactive_start_errors(indication, today=today))

    # Opslag and tariff.
    tariff = tariff_for(product, indication.start_date)
    if tariff is None:
        errors.append(
            ValidationError(
                _("Er is geen tarief voor %(product)s op %(date)s.")
                % {"product": product.name, "date": indication.start_date.strftime("%d-%m-%Y")},
                code="no_tariff",
            )
        )
    if indication.opslag:
        if not product.allows_opslag:
            errors.append(
                ValidationError(
                    _("Bij %(product)s is geen opslag mogelijk.") % {"product": product.name}, code="opslag"
                )
            )
        elif tariff is not None and tariff.opslag_per_period is None:
            errors.append(
                ValidationError(
                    _("Er is geen opslagtarief voor %(product)s op de ingangsdatum.") % {"product": product.name},
                    code="no_opslag_tariff",
                )
            )
        if not indication.opslag_motivation.strip():
            errors.append(
                ValidationError(
                    _("Motiveer de opslag (ernstige gedragsproblematiek, bijvoorbeeld PSY of NAH)."),
                    code="opslag_motivation",
                )
            )

    # Planned evaluations.
    planned = list(indication.planned_evaluations.filter(evaluation__isnull=True))
    if not planned:
        errors.append(ValidationError(_("Plan ten minste één evaluatiemoment."), code="no_evaluation"))
    for item in planned:
        if item.planned_on < indication.start_date or (indication.end_date and item.planned_on > indication.end_date):
            errors.append(
                ValidationError(
                    _("Evaluatiedatum %(date)s valt buiten de looptijd van de beschikking.")
                    % {"date": item.planned_on.strftime("%d-%m-%Y")},
                    code="evaluation_outside_period",
                )
            )

    # ZRM: results only in domains scored 2 or 3 (1 only where the ZRM domain allows acute care).
    assessment = latest_zrm_assessment(indication.client, on_or_before=today)
    scores = {score.domain_id: score for score in assessment.scores.all()} if assessment else {}
    if results and assessment is None:
        errors.append(
            ValidationError(_("Er is geen ZRM-meting voor deze cliënt; leg eerst de ZRM vast."), code="no_zrm")
        )
    elif results:
        for domain in sorted(result_domains, key=lambda d: d.order):
            errors.extend(_zrm_errors_for(domain, scores))

    # Domains that are IB territory only together with another (justitie with GG / verslaving).
    for domain in result_domains:
        required = set(domain.requires_any_of.all())
        if required and not (required & result_domains):
            errors.append(
                ValidationError(
                    _("Een resultaat op '%(domain)s' kan alleen samen met een resultaat op %(required)s.")
                    % {"domain": domain.name, "required": _(" of ").join(sorted(d.name for d in required))},
                    code="domain_requires_other",
                )
            )

    errors.extend(_overlap_errors(indication))
    return errors


def melding_date_of(indication: Indication) -> date | None:
    """The day the client asked for this support: the melding of the aanvraag's onderzoek, else the aanvraag."""
    aanvraag = indication.aanvraag
    if aanvraag is None:
        return None
    if aanvraag.intake_id is not None:
        return aanvraag.intake.melding.received_on
    return aanvraag.received_on


def _continues_earlier_beschikking(indication: Indication) -> bool:
    """A replacement, or a beschikking of the same client that starts the day after an earlier one ends."""
    if indication.replaces_id is not None:
        return True
    return (
        Indication.objects.filter(
            client_id=indication.client_id,
            status__in=(S.VASTGESTELD, S.ACTIEF, S.BEEINDIGD),
            end_date=indication.start_date - timedelta(days=1),
        )
        .exclude(pk=indication.pk)
        .exists()
    )


def _retroactive_start_errors(indication: Indication, *, today: date) -> list[ValidationError]:
    """Terugwerkende kracht: the ingangsdatum lies before the melding (without an aanvraag: before the
    decision) only when the beschikking continues an earlier one or the consultant motivates it, and
    never more than RETROACTIVE_START_MAX_DAYS before."""
    reference = melding_date_of(indication) or indication.decision_date or today
    if indication.start_date >= reference:
        return []
    limit = settings.SDD["RETROACTIVE_START_MAX_DAYS"]
    values = {
        "start": indication.start_date.strftime("%d-%m-%Y"),
        "melding": reference.strftime("%d-%m-%Y"),
        "days": (reference - indication.start_date).days,
        "limit": limit,
    }
    if (reference - indication.start_date).days > limit:
        return [
            ValidationError(
                _(
                    "De ingangsdatum %(start)s ligt %(days)s dagen vóór de melding van %(melding)s. Met "
                    "terugwerkende kracht kan dat ten hoogste %(limit)s dagen: kies een latere ingangsdatum."
                )
                % values,
                code="retroactive_limit",
            )
        ]
    if not indication.retroactive_motivation.strip() and not _continues_earlier_beschikking(indication):
        return [
            ValidationError(
                _(
                    "De ingangsdatum %(start)s ligt vóór de melding van %(melding)s. Dat kan alleen als de "
                    "beschikking direct aansluit op een eerdere beschikking (herindicatie), of met een motivering "
                    "van de terugwerkende kracht."
                )
                % values,
                code="retroactive_start",
            )
        ]
    return []


def _zrm_errors_for(domain: ResultDomain, scores: dict) -> list[ValidationError]:
    zrm_domains = list(domain.zrm_domains.all())
    scored = [(zrm, scores[zrm.pk].score) for zrm in zrm_domains if zrm.pk in scores]
    if not scored:
        return [
            ValidationError(
                _("Voor resultaatgebied '%(domain)s' is geen ZRM-score vastgelegd (%(zrm)s).")
                % {"domain": domain.name, "zrm": ", ".join(zrm.name for zrm in zrm_domains)},
                code="zrm_missing",
            )
        ]
    if any(score in (2, 3) or (score == 1 and zrm.allows_acute_score) for zrm, score in scored):
        return []
    described = ", ".join(f"{zrm.name} {score}" for zrm, score in scored)
    if any(score == 1 for _zrm, score in scored):
        message = _(
            "Geen IB op '%(domain)s' bij acute problematiek (%(scores)s): score 1 is alleen IB-terrein bij "
            "dagbesteding en geestelijke gezondheid; hier bieden andere professionals hulp."
        )
        code = "zrm_acute"
    else:
        message = _(
            "Geen IB op '%(domain)s': IB-resultaten alleen op domeinen met ZRM-score 2 of 3 (nu: %(scores)s)."
        )
        code = "zrm_self_reliant"
    return [ValidationError(message % {"domain": domain.name, "scores": described}, code=code)]


def _overlap_errors(indication: Indication) -> list[ValidationError]:
    errors = []
    replaced = indication.replaces
    if replaced is not None:
        if replaced.status not in LIVE_STATUSES:
            errors.append(
                ValidationError(_("De te vervangen beschikking is niet (meer) geldig."), code="replaces_not_live")
            )
        if indication.kind == Indication.Kind.FIRST:
            errors.append(
                ValidationError(
                    _("Een beschikking die een andere vervangt is een op- of afschaling of herindicatie."),
                    code="replaces_kind",
                )
            )
        if indication.kind == Indication.Kind.SCALE_UP and indication.product.level <= replaced.product.level:
            errors.append(
                ValidationError(_("Bij opschaling is het nieuwe product zwaarder dan het oude."), code="not_heavier")
            )
        if indication.kind == Indication.Kind.SCALE_DOWN and indication.product.level >= replaced.product.level:
            errors.append(
                ValidationError(_("Bij afschaling is het nieuwe product lichter dan het oude."), code="not_lighter")
            )
        if indication.start_date <= replaced.start_date + timedelta(days=1):
            errors.append(
                ValidationError(
                    _("De ingangsdatum moet later liggen dan de dag na de ingang van de te vervangen beschikking."),
                    code="replaces_start",
                )
            )
    overlapping = Indication.objects.filter(client=indication.client, status__in=LIVE_STATUSES).exclude(
        pk=indication.pk
    )
    if replaced is not None:
        overlapping = overlapping.exclude(pk=replaced.pk)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=indication.start_date))
    if indication.end_date:
        overlapping = overlapping.filter(start_date__lte=indication.end_date)
    for other in overlapping.select_related("product"):
        errors.append(
            ValidationError(
                _(
                    "Deze beschikking overlapt met %(number)s (%(product)s, %(start)s – %(end)s). Kies bij een op- "
                    "of afschaling welke beschikking deze vervangt."
                )
                % {
                    "number": other.number,
                    "product": other.product.name,
                    "start": other.start_date.strftime("%d-%m-%Y"),
                    "end": other.end_date.strftime("%d-%m-%Y") if other.end_date else _("onbepaald"),
                },
                code="overlap",
            )
        )
    return errors


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
    one it replaces. A complex concept must be approved first (see four_eyes.py)."""
    today = _today(today)
    decision_date = decision_date or today
    indication = _lock(indication)
    ensure_transition_allowed(indication.status, S.VASTGESTELD)
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
    if indication.provider_id is not None:
        try:
            provider_services.ensure_contract_covers(indication.provider, indication.product, indication.start_date)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)

    indication.decision_date = decision_date
    _move(indication, S.VASTGESTELD, by=by)
    indication.number = f"IB-{decision_date.year}-{indication.pk:07d}"
    indication.save(update_fields=["number", "updated_at"])
    # The toewijzing to the provider (and the end of the replaced beschikking's assignment).
    provider_services.assign(indication, by=by, today=today, reason=change_reason)

    replaced = indication.replaces
    if replaced is not None:
        replaced = _lock(replaced)
        replaced.end_date = indication.start_date - timedelta(days=1)
        replaced.save(update_fields=["end_date", "updated_at"])
        if replaced.end_date < today:
            _end(replaced, by=by, ended_on=replaced.end_date, reason=_("Vervangen door %s") % indication.number,
                 today=today)
    if indication.start_date <= today:
        _move(indication, S.ACTIEF, by=by, reason=_("Ingangsdatum bereikt"))
    case_changed(indication.client_id, today=today)
    return indication


@transaction.atomic
def activate_indication(indication: Indication, *, by=None, today: date | None = None) -> Indication:
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
    provider_services.end_assignments_of(
        indication, end_date=ended_on, reason=RedenWijziging.VERKORTING, by=by, today=today
    )


def _end(indication: Indication, *, by, ended_on: date, reason: str, today: date) -> None:
    _shorten_to(indication, ended_on=ended_on, by=by, today=today)
    _move(indication, S.BEEINDIGD, by=by, reason=reason)


def _plan_end(indication: Indication, *, by, ended_on: date, reason: str, today: date) -> None:
    """Beëindigen per today or a later day: care goes on up to and including that day, so the
    beschikking stays live (and its toewijzing runs) with that end; the nightly job ends it after."""
    before = _snapshot(indication, ("ended_on", "end_date", "end_reason"))
    _shorten_to(indication, ended_on=ended_on, by=by, today=today)
    indication.end_reason = reason
    indication.full_clean()
    indication.save(update_fields=["ended_on", "end_date", "end_reason", "updated_at"])
    record_event(
        actor=by, action=AuditEvent.Action.UPDATE, obj=indication, client_id=indication.client_id,
        summary=f"beëindiging gepland per {ended_on:%d-%m-%Y}",
        changes=changed_fields(before, _snapshot(indication, ("ended_on", "end_date", "end_reason"))),
    )


@transaction.atomic
def end_indication(
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
        _end(indication, by=by, ended_on=ended_on, reason=reason, today=today)
    else:
        _plan_end(indication, by=by, ended_on=ended_on, reason=reason, today=today)
    case_changed(indication.client_id, today=today)
    return indication


@transaction.atomic
def withdraw_indication(indication: Indication, *, by, reason: str, today: date | None = None) -> Indication:
    """Intrekken: the beschikking (or concept) no longer applies, e.g. after bezwaar or withdrawal."""
    indication = _lock(indication)
    ensure_transition_allowed(indication.status, S.INGETROKKEN)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van intrekking.")})
    _move(indication, S.INGETROKKEN, by=by, reason=reason)
    # A withdrawn beschikking takes its assignments with it: from the start, it never applied.
    today = _today(today)
    provider_services.end_assignments_of(
        indication, end_date=indication.start_date - timedelta(days=1), reason=RedenWijziging.VERWIJDERD, by=by,
        today=today,
    )
    case_changed(indication.client_id, today=today)
    return indication


@dataclass
class NightlyOutcome:
    """What a nightly job did: the rows it moved and, per row that failed, why (the others went on)."""

    done: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"done": self.done, "failed": self.failed}


def _each_row_on_its_own(queryset, apply, *, job: str) -> NightlyOutcome:
    """Apply `apply(pk)` to every row in its own transaction: one row that fails (a rule, a
    constraint, a lock) is logged and reported and does not stop the rest."""
    outcome = NightlyOutcome()
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                apply(pk)
        except Exception as error:  # noqa: BLE001 - isolate the row, whatever went wrong with it
            logger.exception("%s: beschikking %s failed", job, pk)
            outcome.failed.append(f"{pk}: {error}")
        else:
            outcome.done += 1
    return outcome


def activate_started_beschikkingen(*, today: date | None = None) -> NightlyOutcome:
    """Nightly: every vastgestelde beschikking whose start date has come becomes actief."""
    today = _today(today)

    def activate(pk):
        activate_indication(Indication(pk=pk), today=today)

    return _each_row_on_its_own(Indication.objects.filter(status=S.VASTGESTELD, start_date__lte=today), activate,
                                job="activate_started_beschikkingen")


def end_expired_beschikkingen(*, today: date | None = None) -> NightlyOutcome:
    """Nightly: every live beschikking whose end has passed (its einddatum, or the day it was
    beëindigd per) is beëindigd on that day, with the consultant's reason when one was given."""
    today = _today(today)

    def end(pk):
        locked = _lock(Indication(pk=pk))
        last_day = min(day for day in (locked.ended_on, locked.end_date) if day is not None)
        reason = locked.end_reason or _("Einddatum verstreken")
        _end(locked, by=None, ended_on=last_day, reason=reason, today=today)

    expired = Indication.objects.filter(status__in=LIVE_STATUSES).filter(Q(end_date__lt=today) | Q(ended_on__lt=today))
    return _each_row_on_its_own(expired, end, job="end_expired_beschikkingen")


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


# --------------------------------------------------------------------------------------------
# Other provisions (for stacking)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def record_other_provision(
    *, client: Client, kind: str, start_date: date, end_date: date | None = None, notes: str = "", by
) -> OtherProvision:
    """Record a provision the client has besides IB (Wmo or another law)."""
    provision = OtherProvision(
        client=client, kind=kind, start_date=start_date, end_date=end_date, notes=notes, recorded_by=by
    )
    provision.full_clean()
    provision.save()
    record_event(
        actor=by, action=AuditEvent.Action.CREATE, obj=provision, client_id=client.pk, summary=f"voorziening {kind}"
    )
    case_changed(client.pk, today=timezone.localdate())
    return provision
