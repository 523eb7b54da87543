"""Quality checks after the fact on issued beschikkingen (seed 000: "kwaliteitsmonitoring van de
indicatiestelling", "stelselmatige kwaliteitscontroles").

A team lead draws a random sample: N beschikkingen per consultant of the lead's teams, among those
decided (vastgesteld) in a period, never one already sampled and never the lead's own. The draw is
reproducible: each consultant's candidates are ordered by id and sampled with a generator seeded by
the sample's seed and the consultant's id, and the seed and method are stored on the sample. The
lead answers the checklist (voldoet / voldoet niet / n.v.t. with a note) per sampled beschikking and
completes the check; the findings per consultant per quarter (of the decision date) follow.
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .models import DECIDED, Indication, QualityAnswer, QualityCheck, QualityQuestion, QualitySample

QUALITY_PERMISSION = "indications.review_indication"
MAX_PER_CONSULTANT = 25
METHOD = "random.Random(f'{seed}-{consultant_id}').sample over kandidaten op id, per consulent"
Verdict = QualityAnswer.Verdict


# --------------------------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------------------------


def consultants_of_lead(lead) -> QuerySet:
    """The colleagues in the lead's teams whose work the lead may check (never the lead)."""
    return get_user_model().objects.filter(teams__in=lead.teams.all()).exclude(pk=lead.pk).distinct()


def active_questions() -> QuerySet:
    return QualityQuestion.objects.filter(is_active=True).order_by("order", "id")


def candidates(*, lead, period_start: date, period_end: date) -> QuerySet:
    """Beschikkingen the lead may draw: decided in the period by a consultant of the lead's teams,
    not sampled before."""
    return Indication.objects.filter(
        DECIDED,
        decision_date__gte=period_start,
        decision_date__lte=period_end,
        consultant__in=consultants_of_lead(lead),
        quality_check__isnull=True,
    )


def checks_for(lead) -> QuerySet:
    """The checks of the lead's teams' consultants, with what a list of them shows."""
    return QualityCheck.objects.filter(consultant__in=consultants_of_lead(lead)).select_related(
        "sample", "consultant", "reviewer", "indication__client", "indication__product"
    )


def open_checks(lead) -> QuerySet:
    return checks_for(lead).filter(status=QualityCheck.Status.OPEN).order_by("sample__drawn_at", "consultant", "id")


@dataclass
class QuestionFigure:
    meets: int = 0
    applicable: int = 0  # voldoet + voldoet niet: n.v.t. does not count

    @property
    def share(self) -> float | None:
        return 100 * self.meets / self.applicable if self.applicable else None


@dataclass
class FindingsRow:
    consultant: object
    quarter: date
    checks_done: int
    questions: dict[int, QuestionFigure] = field(default_factory=dict)

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)


def quarter_label(day: date) -> str:
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def findings(lead, *, since: date | None = None) -> list[FindingsRow]:
    """Per consultant of the lead's teams and per quarter of the decision date: the completed checks
    and, per checklist question, how often the beschikking met it (of the answers that applied).
    Two aggregate queries, whatever the number of checks."""
    done = checks_for(lead).filter(status=QualityCheck.Status.DONE)
    if since is not None:
        done = done.filter(indication__decision_date__gte=since)
    counts = (
        done.annotate(quarter=TruncQuarter("indication__decision_date"))
        .values("consultant", "quarter")
        .annotate(checks=Count("id"))
        .order_by()
    )
    answers = (
        QualityAnswer.objects.filter(quality_check__in=done)
        .annotate(quarter=TruncQuarter("quality_check__indication__decision_date"))
        .values("quality_check__consultant", "quarter", "question")
        .annotate(
            meets=Count("id", filter=Q(verdict=Verdict.MEETS)),
            applicable=Count("id", filter=~Q(verdict=Verdict.NOT_APPLICABLE)),
        )
        .order_by()
    )
    users = get_user_model().objects.in_bulk({row["consultant"] for row in counts})
    rows = {
        (row["consultant"], _as_date(row["quarter"])): FindingsRow(
            consultant=users[row["consultant"]], quarter=_as_date(row["quarter"]), checks_done=row["checks"]
        )
        for row in counts
    }
    for row in answers:
        key = (row["quality_check__consultant"], _as_date(row["quarter"]))
        rows[key].questions[row["question"]] = QuestionFigure(meets=row["meets"], applicable=row["applicable"])
    return sorted(rows.values(), key=lambda row: (str(row.consultant.get_full_name() or row.consultant), row.quarter))


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------


def draw_sample(
    *,
    by,
    period_start: date,
    period_end: date,
    per_consultant: int,
    seed: str = "",
    today: date | None = None,
) -> QualitySample:
    """Draw `per_consultant` beschikkingen per consultant of `by`'s teams among those decided in the
    period and not sampled before; every consultant with fewer gets all of theirs. Reproducible:
    the same seed on the same candidates gives the same beschikkingen."""
    today = today or timezone.localdate()
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("De einddatum ligt vóór de begindatum.")
    if period_start > today:
        errors["period_start"] = _("De periode begint in de toekomst.")
    if not 1 <= per_consultant <= MAX_PER_CONSULTANT:
        errors["per_consultant"] = _("Kies een aantal van 1 tot en met %(max)s.") % {"max": MAX_PER_CONSULTANT}
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        errors["seed"] = _("De startwaarde is te lang (ten hoogste 64 tekens).")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _draw(by=by, period_start=period_start, period_end=period_end, size=per_consultant, seed=seed)
    except IntegrityError as error:
        # Another lead drew one of these beschikkingen at the same moment: nothing was written.
        raise ValidationError(
            _("Een van deze beschikkingen is zojuist door een ander getrokken. Trek opnieuw.")
        ) from error


def pick(candidate_ids: list[int], *, seed: str, consultant_id: int, size: int) -> list[int]:
    """The reproducible choice of one consultant's beschikkingen (the documented METHOD)."""
    ordered = sorted(candidate_ids)
    return sorted(random.Random(f"{seed}-{consultant_id}").sample(ordered, min(size, len(ordered))))


def _draw(*, by, period_start: date, period_end: date, size: int, seed: str) -> QualitySample:
    per_consultant: dict[int, list[int]] = {}
    rows = candidates(lead=by, period_start=period_start, period_end=period_end).values_list("consultant_id", "id")
    for consultant_id, indication_id in rows:
        per_consultant.setdefault(consultant_id, []).append(indication_id)
    if not per_consultant:
        raise ValidationError(
            _("Er zijn in deze periode geen vastgestelde beschikkingen van uw teams die nog niet getrokken zijn.")
        )
    sample = QualitySample(
        drawn_by=by,
        drawn_at=timezone.now(),
        period_start=period_start,
        period_end=period_end,
        per_consultant=size,
        seed=seed,
        method=METHOD,
    )
    sample.full_clean()
    sample.save()
    picked = [
        (consultant_id, indication_id)
        for consultant_id in sorted(per_consultant)
        for indication_id in pick(per_consultant[consultant_id], seed=seed, consultant_id=consultant_id, size=size)
    ]
    QualityCheck.objects.bulk_create(
        QualityCheck(sample=sample, indication_id=indication_id, consultant_id=consultant_id)
        for consultant_id, indication_id in picked
    )
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=sample,
        summary="steekproef kwaliteitscontrole",
        changes={
            "period": [period_start.isoformat(), period_end.isoformat()],
            "per_consultant": size,
            "seed": seed,
            "indications": [indication_id for _consultant, indication_id in picked],
        },
    )
    return sample


@dataclass(frozen=True)
class AnswerInput:
    verdict: str
    note: str = ""


def _lock_check(check: QualityCheck, *, by) -> QualityCheck:
    check = QualityCheck.objects.select_for_update().select_related("indication").get(pk=check.pk)
    if not check.is_open:
        raise ValidationError(_("Deze kwaliteitscontrole is al afgerond."))
    if by.pk == check.consultant_id:
        raise ValidationError(_("U kunt uw eigen beschikking niet controleren."))
    if not by.has_perm(QUALITY_PERMISSION) or not consultants_of_lead(by).filter(pk=check.consultant_id).exists():
        raise ValidationError(_("U mag de beschikkingen van deze consulent niet controleren."))
    return check


@transaction.atomic
def record_answers(
    check: QualityCheck, *, by, answers: dict[int, AnswerInput], conclusion: str = "", complete: bool = False
) -> QualityCheck:
    """Record the answer to every active checklist question (a "voldoet niet" with a note), replacing
    earlier answers; with `complete` the check is completed in the same transaction."""
    check = _lock_check(check, by=by)
    questions = list(active_questions())
    errors: dict[str, list[str]] = {}
    valid = set(Verdict.values)
    for question in questions:
        answer = answers.get(question.pk)
        key = f"question_{question.pk}"
        if answer is None or answer.verdict not in valid:
            errors[key] = [_("Beantwoord deze vraag: voldoet, voldoet niet of n.v.t.")]
        elif answer.verdict == Verdict.FAILS and not answer.note.strip():
            errors[f"note_{question.pk}"] = [_("Licht toe waarom de beschikking hier niet aan voldoet.")]
    unknown = set(answers) - {question.pk for question in questions}
    if unknown:
        errors["__all__"] = [_("Een antwoord hoort bij een vraag die niet (meer) op de checklist staat.")]
    if errors:
        raise ValidationError(errors)
    before = {a.question_id: a.verdict for a in check.answers.all()}
    check.answers.all().delete()
    QualityAnswer.objects.bulk_create(
        QualityAnswer(
            quality_check=check,
            question=question,
            verdict=answers[question.pk].verdict,
            note=answers[question.pk].note.strip(),
        )
        for question in questions
    )
    check.conclusion = conclusion.strip()
    check.reviewer = by
    if complete:
        check.status, check.completed_at = QualityCheck.Status.DONE, timezone.now()
    check.full_clean()
    check.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION if complete else AuditEvent.Action.UPDATE,
        obj=check,
        client_id=check.indication.client_id,
        summary="kwaliteitscontrole afgerond" if complete else "kwaliteitscontrole beantwoord",
        changes={
            "answers": {str(q.pk): [before.get(q.pk), answers[q.pk].verdict] for q in questions},
            **({"status": [QualityCheck.Status.OPEN, QualityCheck.Status.DONE]} if complete else {}),
        },
    )
    return check


@transaction.atomic
def complete_check(check: QualityCheck, *, by) -> QualityCheck:
    """Complete a check whose every active question has an answer."""
    check = _lock_check(check, by=by)
    answered = set(check.answers.values_list("question_id", flat=True))
    if not set(active_questions().values_list("pk", flat=True)) <= answered:
        raise ValidationError(_("Beantwoord eerst alle vragen van de checklist."))
    check.status, check.reviewer, check.completed_at = QualityCheck.Status.DONE, by, timezone.now()
    check.full_clean()
    check.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=check,
        client_id=check.indication.client_id,
        summary="kwaliteitscontrole afgerond",
        changes={"status": [QualityCheck.Status.OPEN, QualityCheck.Status.DONE]},
    )
    return check
