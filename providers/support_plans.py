"""The provider's ondersteuningsplan (seed 002, "Resultaten en indicatie": the plan the provider draws
up with the client is based on the results of the beschikking and forms part of the definitive
beschikking). The provider submits it through the REST API; every submission is a new version.

A version holds a PDF and/or a text per result of the beschikking (the approach and activities and
the planned steps). When it holds texts, they cover every result of the beschikking, each once. The
consultant of the client's team accepts it or asks for changes with a remark; the provider then
submits a new version. The status table:

    ingediend → geaccepteerd | wijziging gevraagd | vervangen (a newer version arrived first)

The term (settings.SDD["SUPPORT_PLAN_TERM_DAYS"]) runs from the start of care the provider reported;
the signal ondersteuningsplan_ontbreekt (signals.checks) watches it.

The PDF arrives base64-encoded inside the JSON message, so it must fit the API's body limit
(API_MAX_BODY_BYTES, 2 MiB): MAX_PDF_BYTES (1.5 MB, 2 MB once encoded) leaves room for the texts.
A larger file would need an upload endpoint of its own (multipart, with its own limit): not built.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event, record_read
from indications.hooks import case_changed
from indications.models import IndicationStatus

from .models import Assignment, SupportPlan, SupportPlanPart

MAX_PDF_BYTES = 1_500_000
PDF_MAGIC = b"%PDF-"

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    SupportPlan.Status.SUBMITTED: {
        SupportPlan.Status.ACCEPTED,
        SupportPlan.Status.CHANGES_REQUESTED,
        SupportPlan.Status.SUPERSEDED,
    },
    SupportPlan.Status.ACCEPTED: set(),
    SupportPlan.Status.CHANGES_REQUESTED: set(),
    SupportPlan.Status.SUPERSEDED: set(),
}


def term_days() -> int:
    return settings.SDD["SUPPORT_PLAN_TERM_DAYS"]


def due_date(assignment: Assignment) -> date | None:
    """When the first plan is due: the term after the reported start of care (none before it)."""
    if assignment.care_started_on is None:
        return None
    return assignment.care_started_on + timedelta(days=term_days())


@dataclass(frozen=True)
class PlanPartInput:
    """The provider's text for one result, named as the toewijzing lists it (domein and resultaat)."""

    domain: str
    result: str
    approach: str
    steps: str = ""


def _ensure_allowed(plan: SupportPlan, to_status: str) -> None:
    if to_status not in ALLOWED_STATUS_CHANGES[plan.status]:
        raise ValidationError(
            _("Dit ondersteuningsplan is al beoordeeld (%(status)s).") % {"status": plan.get_status_display()},
            code="already_judged",
        )


def _check_pdf(pdf: bytes) -> None:
    if len(pdf) > MAX_PDF_BYTES:
        raise ValidationError(
            {
                "pdf": ValidationError(
                    _("De PDF is te groot: ten hoogste %(limit)s bytes.") % {"limit": MAX_PDF_BYTES},
                    code="pdf_too_large",
                )
            }
        )
    if not pdf.startswith(PDF_MAGIC):
        raise ValidationError({"pdf": ValidationError(_("Het bestand is geen PDF."), code="not_a_pdf")})


def _matched_parts(assignment: Assignment, parts: list[PlanPartInput]) -> list[tuple]:
    """Each part with the beschikking's result it names; every result once, none missing."""
    results = {
        (item.result.domain.name, item.result.name): item
        for item in assignment.indication.results.select_related("result__domain")
    }
    matched, seen, errors = [], set(), []
    for part in parts:
        key = (part.domain, part.result)
        if key not in results:
            errors.append(
                ValidationError(
                    _("'%(domain)s: %(result)s' is geen resultaat van deze beschikking.")
                    % {"domain": part.domain, "result": part.result},
                    code="unknown_result",
                )
            )
        elif key in seen:
            errors.append(
                ValidationError(
                    _("'%(domain)s: %(result)s' staat twee keer in het plan.")
                    % {"domain": part.domain, "result": part.result},
                    code="duplicate_result",
                )
            )
        elif not part.approach.strip():
            errors.append(
                ValidationError(
                    _("Beschrijf de aanpak voor '%(domain)s: %(result)s'.")
                    % {"domain": part.domain, "result": part.result},
                    code="approach_required",
                )
            )
        else:
            seen.add(key)
            matched.append((results[key], part))
    missing = [f"{domain}: {result}" for domain, result in results if (domain, result) not in seen]
    if missing and not errors:
        errors.append(
            ValidationError(
                _("Het plan beschrijft niet elk resultaat van de beschikking; ontbreekt: %(missing)s.")
                % {"missing": "; ".join(missing)},
                code="results_missing",
            )
        )
    if errors:
        raise ValidationError({"resultaten": errors})
    return matched


def submit_support_plan(
    assignment: Assignment,
    *,
    by,
    pdf: bytes | None = None,
    parts: list[PlanPartInput] | None = None,
    today: date | None = None,
) -> SupportPlan:
    """The provider submits (a new version of) the ondersteuningsplan of its toewijzing: a PDF and/or
    a text per result. A version still waiting for the consultant's judgement is vervangen by it.
    `by` is the provider's API client (its token is kept) or a user."""
    today = today or timezone.localdate()
    parts = parts or []
    stored_name = ""
    try:
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("indication", "provider")
                .get(pk=assignment.pk)
            )
            if (
                assignment.status == Assignment.Status.WITHDRAWN
                or assignment.indication.status == IndicationStatus.INGETROKKEN
            ):
                raise ValidationError(
                    _("De beschikking van deze toewijzing is ingetrokken."), code="beschikking_withdrawn"
                )
            if assignment.status_on(today) != Assignment.Status.ACTIVE or assignment.care_stopped_on is not None:
                raise ValidationError(
                    _("Alleen voor een lopende toewijzing kan een ondersteuningsplan worden ingediend."),
                    code="assignment_not_active",
                )
            if not pdf and not parts:
                raise ValidationError(
                    _("Geef het plan als PDF, als tekst per resultaat of allebei."), code="empty_plan"
                )
            if pdf:
                _check_pdf(pdf)
            matched = _matched_parts(assignment, parts) if parts else []
            latest = assignment.support_plans.aggregate(latest=Max("version"))["latest"] or 0
            for waiting in assignment.support_plans.select_for_update().filter(status=SupportPlan.Status.SUBMITTED):
                _move(waiting, SupportPlan.Status.SUPERSEDED, by=by, summary=f"versie {waiting.version} vervangen")
            plan = SupportPlan(
                assignment=assignment,
                version=latest + 1,
                submitted_at=timezone.now(),
                submitted_by=getattr(by, "token", None),
            )
            if pdf:
                plan.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
                plan.pdf_size = len(pdf)
                plan.pdf.save("plan.pdf", ContentFile(pdf), save=False)
                stored_name = plan.pdf.name
            plan.full_clean()
            plan.save()
            SupportPlanPart.objects.bulk_create(
                SupportPlanPart(
                    plan=plan, indication_result=result, approach=part.approach.strip(), steps=part.steps.strip()
                )
                for result, part in matched
            )
            record_event(
                actor=by,
                action=AuditEvent.Action.CREATE,
                obj=plan,
                client_id=assignment.indication.client_id,
                summary=f"ondersteuningsplan {assignment.number} versie {plan.version} ingediend",
                changes={"pdfSha256": plan.pdf_sha256, "resultaten": len(matched)},
            )
            case_changed(assignment.indication.client_id, today=today)
    except BaseException:
        # The file is written before the row: a refused or failed submission leaves no file behind.
        if stored_name:
            SupportPlan.pdf.field.storage.delete(stored_name)
        raise
    return plan


def _move(plan: SupportPlan, to_status: str, *, by, summary: str, client_id: int | None = None) -> None:
    _ensure_allowed(plan, to_status)
    plan.status = to_status
    plan.save(update_fields=["status"])
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=plan,
        client_id=client_id if client_id is not None else plan.assignment.indication.client_id,
        summary=summary,
    )


@transaction.atomic
def judge_support_plan(
    plan: SupportPlan, *, by, accept: bool, remark: str = "", today: date | None = None
) -> SupportPlan:
    """The consultant accepts the submitted plan, or asks the provider for changes (a remark is
    required then: it tells the provider what to change)."""
    today = today or timezone.localdate()
    plan = SupportPlan.objects.select_for_update(of=("self",)).select_related("assignment__indication").get(pk=plan.pk)
    to_status = SupportPlan.Status.ACCEPTED if accept else SupportPlan.Status.CHANGES_REQUESTED
    _ensure_allowed(plan, to_status)
    remark = remark.strip()
    if not accept and not remark:
        raise ValidationError(
            {"remark": ValidationError(_("Geef aan wat de aanbieder in het plan moet wijzigen."), code="required")}
        )
    plan.status = to_status
    plan.remark = remark
    plan.judged_on = today
    plan.judged_by = by
    plan.full_clean()
    plan.save(update_fields=["status", "remark", "judged_on", "judged_by"])
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=plan,
        client_id=plan.assignment.indication.client_id,
        summary=f"ondersteuningsplan {plan.assignment.number} versie {plan.version} {plan.get_status_display()}",
        changes={"status": to_status, "opmerking": remark},
    )
    case_changed(plan.assignment.indication.client_id, today=today)
    return plan


def open_pdf(request, plan: SupportPlan):
    """The plan's PDF, opened for `request.user`, with the read recorded in the audit trail."""
    if not plan.pdf:
        raise ValidationError(_("Deze versie van het plan heeft geen PDF."), code="no_pdf")
    handle = plan.pdf.open("rb")
    record_read(
        request,
        plan,
        client_id=plan.assignment.indication.client_id,
        summary=f"PDF ondersteuningsplan {plan.assignment.number} versie {plan.version} gedownload",
    )
    return handle
