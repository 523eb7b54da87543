"""Quality checks on issued beschikkingen, after the fact: the checklist (reference data), the
sample a team lead draws, a check per sampled beschikking and an answer per checklist question."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .beschikking import Indication


class QualityQuestion(models.Model):
    """A question of the quality checklist. Questions are data: the functioneel beheerder adds them,
    orders them and switches them off (an answered question is never deleted, only deactivated)."""

    text = models.CharField(_("vraag"), max_length=300)
    guidance = models.TextField(_("toelichting voor de beoordelaar"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("vraag kwaliteitscontrole")
        verbose_name_plural = _("vragen kwaliteitscontrole")

    def __str__(self):
        return self.text


class QualitySample(models.Model):
    """A random sample of beschikkingen decided in a period, N per consultant of the team lead's
    teams. The seed and the method are kept, so the same draw can be repeated on the same data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("getrokken door")
    )
    drawn_at = models.DateTimeField(_("getrokken op"))
    period_start = models.DateField(_("besluitdatum vanaf"))
    period_end = models.DateField(_("besluitdatum tot en met"))
    per_consultant = models.PositiveSmallIntegerField(_("aantal per consulent"))
    seed = models.CharField(_("startwaarde (seed)"), max_length=64)
    method = models.CharField(_("methode"), max_length=200)

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("steekproef kwaliteitscontrole")
        verbose_name_plural = _("steekproeven kwaliteitscontrole")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="quality_sample_period_in_order"
            ),
            models.CheckConstraint(condition=Q(per_consultant__gte=1), name="quality_sample_size_positive"),
        ]

    def __str__(self):
        return f"Steekproef {self.period_start:%d-%m-%Y} t/m {self.period_end:%d-%m-%Y}"


class QualityCheck(models.Model):
    """The check of one sampled beschikking. A beschikking is sampled at most once."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "afgerond", _("afgerond")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sample = models.ForeignKey(
        QualitySample, on_delete=models.PROTECT, related_name="checks", verbose_name=_("steekproef")
    )
    indication = models.OneToOneField(
        Indication, on_delete=models.PROTECT, related_name="quality_check", verbose_name=_("beschikking")
    )
    # The consultant whose work is checked, as at the draw (the beschikking's consultant).
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("consulent")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordelaar"),
    )
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    conclusion = models.TextField(_("conclusie"), blank=True)

    class Meta:
        ordering = ["sample", "consultant", "indication__decision_date", "id"]
        verbose_name = _("kwaliteitscontrole")
        verbose_name_plural = _("kwaliteitscontroles")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(reviewer__isnull=False) & Q(completed_at__isnull=False)),
                name="quality_check_done_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=models.F("consultant")),
                name="quality_check_reviewer_is_not_consultant",
            ),
        ]

    def __str__(self):
        return f"Kwaliteitscontrole {self.indication.number or self.indication_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class QualityAnswer(models.Model):
    """The reviewer's answer to one checklist question for one check."""

    class Verdict(models.TextChoices):
        MEETS = "voldoet", _("voldoet")
        FAILS = "voldoet_niet", _("voldoet niet")
        NOT_APPLICABLE = "nvt", _("n.v.t.")

    quality_check = models.ForeignKey(
        QualityCheck, on_delete=models.CASCADE, related_name="answers", verbose_name=_("kwaliteitscontrole")
    )
    question = models.ForeignKey(
        QualityQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("vraag")
    )
    verdict = models.CharField(_("oordeel"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        verbose_name = _("antwoord kwaliteitscontrole")
        verbose_name_plural = _("antwoorden kwaliteitscontrole")
        constraints = [
            models.UniqueConstraint(fields=["quality_check", "question"], name="quality_answer_once_per_question"),
            models.CheckConstraint(
                condition=~Q(verdict="voldoet_niet") | ~Q(note=""), name="quality_answer_failure_is_explained"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.get_verdict_display()}"
