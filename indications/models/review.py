"""Four-eyes review: the complexity rules that require it, the review and its questions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .beschikking import Indication
from .reference import Product


class ComplexityRule(models.Model):
    """A criterion that makes an indication complex: it then needs a team lead's approval.
    Rules are data: a functioneel beheerder switches them on or off and sets their thresholds."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("zwaar product")
        OPSLAG = "opslag", _("opslag")
        ZRM_ACUTE = "zrm_acuut", _("ZRM-score 1 (acuut)")
        RESULT_COUNT = "aantal_resultaten", _("meer resultaten dan de drempel")
        DURATION = "looptijd", _("looptijd boven de drempel (weken)")
        STACKING = "stapeling", _("stapeling met andere voorzieningen")
        SCALING_UP = "opschaling", _("herindicatie of opschaling naar een zwaarder product")
        MANUAL = "handmatig", _("vier ogen gevraagd door de consulent")
        REFUSAL = "afwijzing", _("afwijzing van de aanvraag")
        PARTIAL = "gedeeltelijk", _("gedeeltelijke toekenning")

    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("omschrijving"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    threshold = models.PositiveIntegerField(_("drempel"), null=True, blank=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("product"))
    provision_kinds = models.JSONField(
        _("voorzieningen (bij stapeling)"), default=list, blank=True, help_text=_("Bijvoorbeeld beschermd_wonen.")
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("complexiteitsregel")
        verbose_name_plural = _("complexiteitsregels")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="product") | Q(product__isnull=False), name="complexity_product_rule_has_product"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["aantal_resultaten", "looptijd"]) | Q(threshold__isnull=False),
                name="complexity_threshold_rule_has_threshold",
            ),
        ]

    def __str__(self):
        return self.name


# The four-eyes rule's "own work": a review of an indication the user wrote or submitted. One list of
# fields, read by the Python check (Review.is_own_work_of) and by the review queue's query (own_work_of).
REVIEW_AUTHOR_FIELDS = ("indication__consultant", "submitted_by")


def own_work_of(user) -> Q:
    """The reviews that are the user's own work (the queue leaves them out)."""
    condition = Q()
    for field in REVIEW_AUTHOR_FIELDS:
        condition |= Q(**{field: user})
    return condition


class Review(models.Model):
    """One round of four-eyes review: submitted by the consultant, decided by a team lead."""

    class Outcome(models.TextChoices):
        APPROVED = "goedgekeurd", _("goedgekeurd")
        REJECTED = "afgekeurd", _("teruggestuurd")

    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="reviews")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("aangeboden op"))
    findings = models.JSONField(_("redenen voor vier ogen"), default=list)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews_done"
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(reviewer__isnull=False) & Q(decided_at__isnull=False)),
                name="review_decided_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="afgekeurd") | ~Q(motivation=""), name="review_rejection_is_motivated"
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=models.F("submitted_by")),
                name="review_reviewer_is_not_submitter",
            ),
        ]

    def __str__(self):
        return f"Beoordeling {self.indication} ({self.submitted_at:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @staticmethod
    def authors_of(indication, review: "Review | None" = None) -> set:
        """The ids of the users whose own work this is, read along REVIEW_AUTHOR_FIELDS (before a
        review exists: the fields through the indication only)."""
        ids = set()
        for field in REVIEW_AUTHOR_FIELDS:
            *path, last = field.split("__")
            if path and path[0] == "indication":
                obj, path = indication, path[1:]
            elif review is None:
                continue
            else:
                obj = review
            for step in path:
                obj = getattr(obj, step)
            ids.add(getattr(obj, f"{last}_id"))
        return ids


class ReviewQuestion(models.Model):
    """A team lead's question during a review, and the consultant's answer."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="questions")
    question = models.TextField(_("vraag"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("gesteld op"))
    answer = models.TextField(_("antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("vraag bij beoordeling")
        verbose_name_plural = _("vragen bij beoordeling")

    def __str__(self):
        return self.question[:60]
