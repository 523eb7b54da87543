"""The four-eyes review of complex indications: the complexity rules and the review services.

A concept that meets any active ComplexityRule cannot be vastgesteld directly: the consultant
submits it (concept → ter_beoordeling), a team lead who is not its author approves it
(→ goedgekeurd, after which the consultant issues the beschikking) or rejects it with a motivation
(→ concept), and may ask questions first. The services enforce it; the database constraints on
Indication and Review back it up.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .decisions import partial_reasons
from .hooks import case_changed
from .ib_rules import check_ib_rules
from .models import ComplexityRule, Indication, OtherProvision, Review, ReviewQuestion
from .selectors import latest_zrm_assessment
from .workflow import lock_indication as _lock
from .workflow import move as _move

S = Indication.Status
REVIEW_PERMISSION = "indications.review_indication"


@dataclass(frozen=True)
class Finding:
    """A complexity rule that an indication meets, with the concrete reason."""

    code: str
    rule: str
    reason: str


def complexity_findings(indication: Indication, *, today: date) -> list[Finding]:
    """Every active complexity rule this indication meets, each with its reason (Dutch)."""
    findings: list[Finding] = []
    results = list(indication.results.all())
    for rule in ComplexityRule.objects.filter(is_active=True).select_related("product"):
        reason = _rule_reason(rule, indication, results, today=today)
        if reason:
            findings.append(Finding(code=rule.kind, rule=rule.name, reason=reason))
    return findings


# An afwijzing grants nothing: only these rules can make it complex (the others are about the care).
REFUSAL_RULE_KINDS = (ComplexityRule.Kind.REFUSAL, ComplexityRule.Kind.MANUAL)


def _rule_reason(rule: ComplexityRule, indication: Indication, results: list, *, today: date) -> str:
    kind = ComplexityRule.Kind
    if indication.is_refusal and rule.kind not in REFUSAL_RULE_KINDS:
        return ""
    if rule.kind == kind.REFUSAL and indication.is_refusal:
        return _("Afwijzing van de aanvraag (%(ground)s).") % {"ground": indication.get_refusal_ground_display()}
    if rule.kind == kind.PARTIAL and (reasons := partial_reasons(indication)):
        return _("Gedeeltelijke toekenning: %(reasons)s") % {"reasons": " ".join(reasons)}
    if rule.kind == kind.PRODUCT and indication.product_id == rule.product_id:
        return _("Product %(product)s.") % {"product": indication.product.name}
    if rule.kind == kind.OPSLAG and indication.opslag:
        motivation = indication.opslag_motivation.strip().rstrip(".")
        if not motivation:
            return _("Opslag, nog zonder motivering.")
        return _("Opslag: %(motivation)s.") % {"motivation": motivation}
    if rule.kind == kind.ZRM_ACUTE:
        assessment = latest_zrm_assessment(indication.client, on_or_before=today)
        scores = assessment.scores.select_related("domain") if assessment else []
        acute = [score.domain.name for score in scores if score.score == 1]
        if acute:
            return _("ZRM-score 1 op %(domains)s.") % {"domains": ", ".join(acute)}
    if rule.kind == kind.RESULT_COUNT and len(results) > rule.threshold:
        return _("%(count)s resultaten (drempel %(threshold)s).") % {"count": len(results), "threshold": rule.threshold}
    if rule.kind == kind.DURATION:
        if indication.end_date is None:
            return _("Onbepaalde looptijd.")
        weeks = (indication.end_date - indication.start_date).days / 7  # a calendar year is 52 weeks
        if weeks > rule.threshold:
            return _("Looptijd %(weeks)s weken (drempel %(threshold)s).") % {
                "weeks": f"{weeks:.0f}",
                "threshold": rule.threshold,
            }
    if rule.kind == kind.STACKING and rule.provision_kinds:
        overlapping = OtherProvision.objects.filter(client=indication.client, kind__in=rule.provision_kinds).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=indication.start_date)
        )
        if indication.end_date:
            overlapping = overlapping.filter(start_date__lte=indication.end_date)
        names = sorted({str(p.get_kind_display()) for p in overlapping})
        if names:
            return _("Stapeling met %(provisions)s.") % {"provisions": ", ".join(names)}
    if rule.kind == kind.SCALING_UP and indication.replaces_id:
        old = indication.replaces
        if indication.product.level > old.product.level:
            return _("Zwaarder product: van %(old)s naar %(new)s.") % {
                "old": old.product.name,
                "new": indication.product.name,
            }
    if rule.kind == kind.MANUAL and indication.four_eyes_requested:
        return _("De consulent vraagt om vier ogen.")
    return ""


def needs_four_eyes(indication: Indication, *, today: date) -> bool:
    return bool(complexity_findings(indication, today=today))


def open_review(indication: Indication) -> Review | None:
    return indication.reviews.filter(outcome="").order_by("-submitted_at").first()


@transaction.atomic
def submit_for_review(indication: Indication, *, by, today: date | None = None) -> Review:
    """Offer a complex concept to the team leads. The IB rules must hold already: a reviewer judges
    the content, not a broken form."""
    today = today or timezone.localdate()
    indication = _lock(indication)
    if indication.status != S.CONCEPT:
        raise ValidationError(_("Alleen een concept kan ter beoordeling worden aangeboden."), code="not_concept")
    errors = check_ib_rules(indication, today=today)
    if errors:
        raise ValidationError(errors)
    findings = complexity_findings(indication, today=today)
    if not findings:
        raise ValidationError(
            _("Deze indicatie is niet complex: stel de beschikking direct vast, of vink 'vier ogen gevraagd' aan."),
            code="not_complex",
        )
    review = Review.objects.create(
        indication=indication,
        submitted_by=by,
        submitted_at=timezone.now(),
        findings=[asdict(finding) for finding in findings],
    )
    indication.four_eyes_required = True
    indication.approved_by = None
    indication.approved_at = None
    indication.save(update_fields=["four_eyes_required", "approved_by", "approved_at", "updated_at"])
    _move(indication, S.TER_BEOORDELING, by=by, reason=" ".join(f.reason for f in findings))
    case_changed(indication.client_id, today=today)
    return review


def reviewer_refusal(user, indication: Indication, review: Review | None = None) -> ValidationError | None:
    """Why `user` may not review `indication` (None: they may). The reviewer rule, in one place: a
    team lead (REVIEW_PERMISSION) who is neither the indication's author nor the review's submitter."""
    if not user.has_perm(REVIEW_PERMISSION):
        return ValidationError(_("Alleen een teamleider kan een indicatie beoordelen."), code="not_a_reviewer")
    if user.pk in Review.authors_of(indication, review):
        return ValidationError(
            _("Vier ogen: u kunt een indicatie die u zelf hebt opgesteld niet beoordelen."), code="reviewer_is_author"
        )
    return None


def may_review(user, indication: Indication, review: Review | None = None) -> bool:
    """Whether a page offers `user` the review actions: the same rule the services enforce."""
    return reviewer_refusal(user, indication, review) is None


def _ensure_reviewer(by, indication: Indication, review: Review) -> None:
    """The reviewer rule enforced here, whatever route called."""
    refusal = reviewer_refusal(by, indication, review)
    if refusal is not None:
        raise refusal


def _open_review_locked(indication: Indication) -> Review:
    review = Review.objects.select_for_update().filter(indication=indication, outcome="").first()
    if indication.status != S.TER_BEOORDELING or review is None:
        raise ValidationError(_("Deze indicatie wacht niet op beoordeling."), code="not_in_review")
    return review


@transaction.atomic
def approve_indication(indication: Indication, *, by, motivation: str = "", today: date | None = None) -> Indication:
    indication = _lock(indication)
    review = _open_review_locked(indication)
    _ensure_reviewer(by, indication, review)
    if review.questions.filter(answered_at__isnull=True).exists():
        raise ValidationError(_("Er staat nog een vraag open bij de consulent."), code="open_question")
    now = timezone.now()
    review.reviewer, review.decided_at, review.outcome, review.motivation = by, now, Review.Outcome.APPROVED, motivation
    review.full_clean()
    review.save()
    indication.approved_by, indication.approved_at = by, now
    indication.save(update_fields=["approved_by", "approved_at", "updated_at"])
    _move(indication, S.GOEDGEKEURD, by=by, reason=motivation or _("Goedgekeurd (vier ogen)"))
    case_changed(indication.client_id, today=today or timezone.localdate())
    return indication


@transaction.atomic
def reject_indication(indication: Indication, *, by, motivation: str, today: date | None = None) -> Indication:
    indication = _lock(indication)
    review = _open_review_locked(indication)
    _ensure_reviewer(by, indication, review)
    if not motivation.strip():
        raise ValidationError({"motivation": _("Motiveer waarom de indicatie wordt teruggestuurd.")})
    review.reviewer, review.decided_at = by, timezone.now()
    review.outcome, review.motivation = Review.Outcome.REJECTED, motivation
    review.full_clean()
    review.save()
    _move(indication, S.CONCEPT, by=by, reason=motivation)
    case_changed(indication.client_id, today=today or timezone.localdate())
    return indication


@transaction.atomic
def ask_review_question(indication: Indication, *, by, question: str) -> ReviewQuestion:
    indication = _lock(indication)
    review = _open_review_locked(indication)
    _ensure_reviewer(by, indication, review)
    if not question.strip():
        raise ValidationError({"question": _("Stel een vraag.")})
    asked = ReviewQuestion.objects.create(review=review, question=question, asked_by=by, asked_at=timezone.now())
    record_event(
        actor=by, action=AuditEvent.Action.CREATE, obj=asked, client_id=indication.client_id, summary="vraag vier ogen"
    )
    return asked


@transaction.atomic
def answer_review_question(question: ReviewQuestion, *, by, answer: str) -> ReviewQuestion:
    question = ReviewQuestion.objects.select_for_update().select_related("review__indication").get(pk=question.pk)
    indication = question.review.indication
    if by.pk != indication.consultant_id:
        raise ValidationError(_("Alleen de opsteller van de indicatie beantwoordt deze vraag."), code="not_author")
    if question.answered_at is not None:
        raise ValidationError(_("Deze vraag is al beantwoord."), code="answered")
    if not answer.strip():
        raise ValidationError({"answer": _("Geef een antwoord.")})
    question.answer, question.answered_by, question.answered_at = answer, by, timezone.now()
    question.save()
    record_event(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=question,
        client_id=indication.client_id,
        summary="antwoord vier ogen",
    )
    return question


@transaction.atomic
def reopen_concept(indication: Indication, *, by, reason: str) -> Indication:
    """Back to concept after approval (to change it): the approval lapses and a new review follows."""
    indication = _lock(indication)
    if indication.status != S.GOEDGEKEURD:
        raise ValidationError(_("Alleen een goedgekeurde indicatie kan terug naar concept."), code="not_approved")
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom het concept opnieuw wordt geopend.")})
    indication.approved_by = None
    indication.approved_at = None
    indication.save(update_fields=["approved_by", "approved_at", "updated_at"])
    _move(indication, S.CONCEPT, by=by, reason=reason)
    return indication
