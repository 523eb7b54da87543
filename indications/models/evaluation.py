"""Periodic evaluation of a beschikking and the ZRM assessments (zelfredzaamheid-matrix)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .beschikking import Indication, IndicationResult
from .case import Client, Intake
from .reference import ZrmDomain


class Evaluation(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "voortzetten", _("voortzetten")
        SCALE_DOWN = "afschalen", _("afschalen")
        SCALE_UP = "opschalen", _("opschalen")
        STOP = "beeindigen", _("beëindigen")
        HERINDICATIE = "herindicatie", _("herindicatie")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("datum evaluatie"))
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    next_evaluation_on = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self):
        return f"Evaluatie {self.held_on:%d-%m-%Y}"


class ResultProgress(models.Model):
    class Progress(models.TextChoices):
        ACHIEVED = "behaald", _("behaald")
        PARTLY = "deels", _("deels behaald")
        NOT_ACHIEVED = "niet_behaald", _("niet behaald")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="progress")
    indication_result = models.ForeignKey(IndicationResult, on_delete=models.PROTECT, related_name="progress")
    progress = models.CharField(_("voortgang"), max_length=20, choices=Progress.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("voortgang per resultaat")
        verbose_name_plural = _("voortgang per resultaat")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indication_result"], name="progress_once_per_result"),
        ]

    def __str__(self):
        return self.get_progress_display()


class ZrmAssessment(models.Model):
    """A set of ZRM scores at a moment: from an onderzoek or from an evaluation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="zrm_assessments")
    assessed_on = models.DateField(_("datum ZRM"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="zrm_assessments")
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="zrm_assessment"
    )

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("ZRM-meting")
        verbose_name_plural = _("ZRM-metingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(intake__isnull=False) & Q(evaluation__isnull=True))
                | (Q(intake__isnull=True) & Q(evaluation__isnull=False)),
                name="zrm_linked_to_intake_or_evaluation",
            ),
        ]

    def __str__(self):
        return f"ZRM {self.assessed_on:%d-%m-%Y}"


class ZrmScore(models.Model):
    class Score(models.IntegerChoices):
        ACUTE = 1, _("1 acute problematiek")
        NOT_SELF_RELIANT = 2, _("2 niet zelfredzaam")
        LIMITED = 3, _("3 beperkt zelfredzaam")
        SUFFICIENT = 4, _("4 voldoende zelfredzaam")
        FULL = 5, _("5 volledig zelfredzaam")

    # No index of its own: zrm_score_once_per_domain (assessment, domain) serves every lookup by
    # assessment. The largest table at national scale (11 rows per assessment: 26.8 million at
    # 1,000,000 beschikkingen), where the extra index took 239 MB and slowed every insert.
    assessment = models.ForeignKey(ZrmAssessment, on_delete=models.CASCADE, related_name="scores", db_index=False)
    domain = models.ForeignKey(ZrmDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)

    class Meta:
        ordering = ["domain__order"]
        verbose_name = _("ZRM-score")
        verbose_name_plural = _("ZRM-scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="zrm_score_once_per_domain"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="zrm_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.domain_id}: {self.score}"
