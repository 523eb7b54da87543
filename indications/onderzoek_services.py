"""Services of the case file before the beschikking: the client, the melding and its onderzoek
(keukentafelgesprekken, mantelzorgers, ZRM, conclusion, nazorg), the aanvraag and the client's other provisions.

Each service validates, writes inside one transaction, records the audit event and returns the
object. Rule violations raise ValidationError with Dutch messages and stable codes.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import changed_fields, record_event

from .hooks import case_changed
from .membership import not_member_message
from .models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from .selectors import consultants_for, unsupported_overloaded_mantelzorgers
from .service_utils import snapshot as _snapshot
from .service_utils import today_or_now as _today

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


def _ensure_member_today(client: Client, today: date) -> None:
    """A client is registered in (or moved to) a municipality that is a member of the SDD today."""
    if client.municipality_id is not None:
        message = not_member_message(client.municipality, today)
        if message:
            raise ValidationError({"municipality": message}, code="municipality_not_member")


@transaction.atomic
def register_client(*, by, today: date | None = None, **data) -> Client:
    client = Client(**{name: data[name] for name in CLIENT_FIELDS if name in data})
    _ensure_member_today(client, _today(today))
    client.full_clean()
    client.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=client, client_id=client.pk, summary="cliënt")
    return client


@transaction.atomic
def update_client(client: Client, *, by, today: date | None = None, **data) -> Client:
    before = _snapshot(client, CLIENT_FIELDS)
    moved_from = client.municipality_id
    for name in CLIENT_FIELDS:
        if name in data:
            setattr(client, name, data[name])
    if client.municipality_id != moved_from:
        _ensure_member_today(client, _today(today))
    client.full_clean()
    client.save()
    changes = changed_fields(before, _snapshot(client, CLIENT_FIELDS))
    if changes:
        record_event(actor=by, action=AuditEvent.Action.UPDATE, obj=client, client_id=client.pk, changes=changes)
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
    elif outside := not_member_message(client.municipality, received_on):
        errors["received_on"] = outside
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
            "Kies als consulent een actieve medewerker met de rol consulent in een team dat %(municipality)s bedient."
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


# --------------------------------------------------------------------------------------------
# Mantelzorgers (art. 2.3.2 Wmo 2015: the care they give and the support they need)
# --------------------------------------------------------------------------------------------

MANTELZORGER_FIELDS = (
    "name",
    "relation",
    "tasks",
    "tasks_notes",
    "hours_per_week",
    "load",
    "lives_with_client",
    "respite_offered",
    "support_offered",
    "notes",
)


def _mantelzorger_errors(mantelzorger: Mantelzorger) -> dict[str, str]:
    errors = {}
    hours = mantelzorger.hours_per_week
    if hours is None or not 0 <= hours <= 168:
        errors["hours_per_week"] = _("Vul het aantal uren per week in: 0 tot en met 168.")
    tasks = mantelzorger.tasks
    if not isinstance(tasks, list) or not set(tasks) <= set(Mantelzorger.Task.values):
        errors["tasks"] = _("Kies de taken uit de lijst.")
    elif Mantelzorger.Task.OTHER in tasks and not mantelzorger.tasks_notes.strip():
        errors["tasks_notes"] = _("Beschrijf wat de mantelzorger verder doet (taak 'anders').")
    elif not tasks and not mantelzorger.tasks_notes.strip():
        errors["tasks"] = _("Geef aan wat de mantelzorger doet: kies een taak of beschrijf het.")
    return errors


def _save_mantelzorger(mantelzorger: Mantelzorger) -> None:
    errors = _mantelzorger_errors(mantelzorger)
    if errors:
        raise ValidationError(errors)
    mantelzorger.full_clean()
    mantelzorger.save()


@transaction.atomic
def add_mantelzorger(intake: Intake, *, by, **data) -> Mantelzorger:
    """Record a mantelzorger of the client in the (open) onderzoek."""
    intake = Intake.objects.select_for_update(of=("self",)).select_related("melding").get(pk=intake.pk)
    _ensure_open(intake)
    mantelzorger = Mantelzorger(
        intake=intake, recorded_by=by, **{name: data[name] for name in MANTELZORGER_FIELDS if name in data}
    )
    _save_mantelzorger(mantelzorger)
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=mantelzorger,
        client_id=intake.melding.client_id,
        summary=f"mantelzorger ({mantelzorger.relation}, {mantelzorger.load})",
        changes={name: str(getattr(mantelzorger, name)) for name in ("relation", "hours_per_week", "load")},
    )
    return mantelzorger


@transaction.atomic
def update_mantelzorger(mantelzorger: Mantelzorger, *, by, **data) -> Mantelzorger:
    """Change what is recorded of a mantelzorger, while the onderzoek is open."""
    mantelzorger = (
        Mantelzorger.objects.select_for_update(of=("self",)).select_related("intake__melding").get(pk=mantelzorger.pk)
    )
    _ensure_open(mantelzorger.intake)
    before = _snapshot(mantelzorger, MANTELZORGER_FIELDS)
    for name in MANTELZORGER_FIELDS:
        if name in data:
            setattr(mantelzorger, name, data[name])
    _save_mantelzorger(mantelzorger)
    changes = changed_fields(before, _snapshot(mantelzorger, MANTELZORGER_FIELDS))
    if changes:
        record_event(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=mantelzorger,
            client_id=mantelzorger.intake.melding.client_id,
            summary="mantelzorger",
            changes=changes,
        )
    return mantelzorger


@transaction.atomic
def remove_mantelzorger(mantelzorger: Mantelzorger, *, by) -> None:
    """Remove a mantelzorger recorded by mistake, while the onderzoek is open (the audit trail keeps
    what was recorded)."""
    mantelzorger = (
        Mantelzorger.objects.select_for_update(of=("self",)).select_related("intake__melding").get(pk=mantelzorger.pk)
    )
    _ensure_open(mantelzorger.intake)
    record_event(
        actor=by,
        action=AuditEvent.Action.DELETE,
        obj=mantelzorger,
        client_id=mantelzorger.intake.melding.client_id,
        summary="mantelzorger verwijderd",
        changes={name: str(value) for name, value in _snapshot(mantelzorger, MANTELZORGER_FIELDS).items()},
    )
    mantelzorger.delete()


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
    persoonlijk_plan_not_received: bool = False,
    mantelzorg_notes: str = "",
    today: date | None = None,
) -> Intake:
    """Close the onderzoek with its conclusion. A referral (algemene voorziening, other law) plans nazorg.
    An overloaded mantelzorger without respijtzorg or ondersteuning offered needs a note why. After
    the persoonlijk plan's 7 days the onderzoek needs the answer on it (`_persoonlijk_plan_errors`);
    `persoonlijk_plan_not_received` records "niet ontvangen" in the same step."""
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
    if (
        conclusion == Intake.Conclusion.MAATWERK
        and not ZrmAssessment.objects.filter(client_id=intake.melding.client_id).exists()
    ):
        errors["conclusion"] = _("Voor een maatwerkvoorziening is een ZRM-meting nodig; leg die eerst vast.")
    unsupported = unsupported_overloaded_mantelzorgers(intake)
    if unsupported and not mantelzorg_notes.strip():
        errors["mantelzorg_notes"] = _(
            "%(mantelzorgers)s dreigt overbelast te raken en kreeg geen respijtzorg of mantelzorgondersteuning "
            "aangeboden. Bied die aan (wijzig de mantelzorger), of leg vast waarom niet en welke steun de "
            "mantelzorger nodig heeft."
        ) % {"mantelzorgers": ", ".join(str(m) for m in unsupported)}
    if persoonlijk_plan_received_on is not None:  # an older caller's way to record the plan
        intake.persoonlijk_plan_received_on = persoonlijk_plan_received_on
        intake.persoonlijk_plan_not_received = False
    for field, message in _persoonlijk_plan_errors(
        intake, concluded_on=concluded_on, not_received=persoonlijk_plan_not_received
    ).items():
        errors.setdefault(field, message)
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
    if persoonlijk_plan_not_received:
        intake.persoonlijk_plan_not_received = True
    intake.mantelzorg_notes = mantelzorg_notes
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
def record_persoonlijk_plan(
    intake: Intake,
    *,
    received_on: date | None = None,
    note: str = "",
    received: bool = True,
    by,
    today: date | None = None,
) -> Intake:
    """Record the answer on the persoonlijk plan (art. 2.3.2 lid 2 Wmo 2015): the client handed one
    in on `received_on`, with how it was taken into account in the onderzoek (the note; it may follow
    later, while the onderzoek runs), or (`received=False`) no plan was received. A plan that comes
    in after the 7 days is recorded too: the law gives the client the chance, it does not forbid a
    later plan. The consultant's worklist signal on the running term follows at once."""
    intake = Intake.objects.select_for_update(of=("self",)).select_related("melding").get(pk=intake.pk)
    _ensure_open(intake)
    today = _today(today)
    errors = {}
    if not received:
        received_on, note = None, ""
    elif received_on is None:
        errors["received_on"] = _("Vul in wanneer het persoonlijk plan is ontvangen.")
    elif received_on > today:
        errors["received_on"] = _("De datum kan niet in de toekomst liggen.")
    elif received_on < intake.melding.received_on:
        errors["received_on"] = _("Het persoonlijk plan kan niet vóór de melding zijn ontvangen.")
    if errors:
        raise ValidationError(errors)
    fields = ("persoonlijk_plan_received_on", "persoonlijk_plan_note", "persoonlijk_plan_not_received")
    before = _snapshot(intake, fields)
    intake.persoonlijk_plan_received_on = received_on
    intake.persoonlijk_plan_note = note.strip()
    intake.persoonlijk_plan_not_received = not received
    intake.full_clean()
    intake.save(update_fields=list(fields))
    changes = changed_fields(before, _snapshot(intake, fields))
    if changes:
        record_event(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            obj=intake,
            client_id=intake.melding.client_id,
            summary="persoonlijk plan" if received else "geen persoonlijk plan ontvangen",
            changes=changes,
        )
        case_changed(intake.melding.client_id, today=today)
    return intake


def _persoonlijk_plan_errors(intake: Intake, *, concluded_on: date, not_received: bool) -> dict[str, str]:
    """The onderzoek closes with an answer on the persoonlijk plan: received and how it was taken
    into account, or not received. Within the 7 days no answer is needed yet (the term still runs)."""
    if intake.persoonlijk_plan_received_on is not None:
        if not_received:
            return {
                "persoonlijk_plan_not_received": _(
                    "Er is een persoonlijk plan ontvangen op %(date)s; vink 'geen persoonlijk plan ontvangen' niet aan."
                )
                % {"date": f"{intake.persoonlijk_plan_received_on:%d-%m-%Y}"}
            }
        if not intake.persoonlijk_plan_note.strip():
            return {
                "persoonlijk_plan_note": _(
                    "Leg bij 'Persoonlijk plan' vast hoe het persoonlijk plan in het onderzoek is meegenomen."
                )
            }
        return {}
    if not_received or intake.persoonlijk_plan_not_received:
        return {}
    if concluded_on > intake.melding.persoonlijk_plan_deadline:
        return {
            "persoonlijk_plan_not_received": _(
                "De termijn voor het persoonlijk plan liep tot en met %(date)s: leg vast of het is ontvangen. "
                "Vink aan dat er geen plan is ontvangen, of leg het ontvangen plan vast bij 'Persoonlijk plan'."
            )
            % {"date": f"{intake.melding.persoonlijk_plan_deadline:%d-%m-%Y}"}
        }
    return {}


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
    *,
    client: Client,
    received_on: date,
    consultant,
    by,
    intake: Intake | None = None,
    requested_product=None,
    requested_opslag: bool = False,
    requested_end_date: date | None = None,
    today: date | None = None,
) -> Aanvraag:
    """Register the client's formal aanvraag, with what is asked (product, opslag, period: the
    decision grants it, part of it or refuses it); the beschikking is due within 2 weeks."""
    errors = {}
    if requested_end_date is not None and requested_end_date <= received_on:
        errors["requested_end_date"] = _("De gevraagde einddatum moet na de datum van de aanvraag liggen.")
    if requested_opslag and requested_product is not None and not requested_product.allows_opslag:
        errors["requested_opslag"] = _("Bij %(product)s is geen opslag mogelijk.") % {"product": requested_product.name}
    if received_on > _today(today):
        errors["received_on"] = _("De datum van de aanvraag kan niet in de toekomst liggen.")
    elif outside := not_member_message(client.municipality, received_on):
        errors["received_on"] = outside
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
    aanvraag = Aanvraag(
        client=client,
        intake=intake,
        received_on=received_on,
        consultant=consultant,
        requested_product=requested_product,
        requested_opslag=requested_opslag,
        requested_end_date=requested_end_date,
    )
    aanvraag.full_clean()
    aanvraag.save()
    record_event(actor=by, action=AuditEvent.Action.CREATE, obj=aanvraag, client_id=client.pk, summary="aanvraag")
    case_changed(client.pk, today=_today(today))
    return aanvraag


# --------------------------------------------------------------------------------------------
# Other provisions (for stacking)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def record_other_provision(
    *,
    client: Client,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    notes: str = "",
    cost_per_period: Decimal | None = None,
    by,
) -> OtherProvision:
    """Record a provision the client has besides IB (Wmo or another law); its cost per 4 weeks where
    known, for the IB rule that compares the extramural package with an intramural one."""
    provision = OtherProvision(
        client=client,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        cost_per_period=cost_per_period,
        recorded_by=by,
    )
    provision.full_clean()
    provision.save()
    record_event(
        actor=by, action=AuditEvent.Action.CREATE, obj=provision, client_id=client.pk, summary=f"voorziening {kind}"
    )
    case_changed(client.pk, today=timezone.localdate())
    return provision
