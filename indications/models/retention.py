"""The retention of closed client files (issue 19, "Retention"): a file closed longer than
CLIENT_FILE_RETENTION_YEARS is proposed for destruction; the functioneel beheerder reviews each
proposal, and an approved one is carried out by anonymising the file (indications.retention).
Nothing is deleted or anonymised without that review."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import Client


class DestructionStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("voorgesteld")
    APPROVED = "goedgekeurd", _("goedgekeurd")
    EXECUTED = "uitgevoerd", _("uitgevoerd (geanonimiseerd)")
    REJECTED = "afgewezen", _("afgewezen (bewaren)")
    POSTPONED = "uitgesteld", _("uitgesteld")
    # The file was opened again (a new melding or beschikking) before the proposal was carried out.
    LAPSED = "vervallen", _("vervallen")


# A proposal that still waits for a decision or for its execution: at most one per client.
OPEN_DESTRUCTION_STATUSES = (DestructionStatus.PROPOSED, DestructionStatus.APPROVED, DestructionStatus.POSTPONED)


class DestructionProposal(models.Model):
    """A proposal to destroy (anonymise) one closed client file, and the review's decision.

    The client is a PROTECT foreign key and stays set after the execution: the file is anonymised,
    not deleted (its beschikkingen, toewijzingen and declaraties keep the figures of the monitor and
    the SLA), so the anonymised client row stays and the proposal documents what happened to it."""

    Status = DestructionStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="destruction_proposals", verbose_name=_("cliënt")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DestructionStatus.choices, default=DestructionStatus.PROPOSED
    )
    closed_on = models.DateField(_("dossier gesloten sinds"))
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    proposed_at = models.DateTimeField(_("voorgesteld op"))
    postponed_until = models.DateField(_("uitgesteld tot"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
    )
    executed_at = models.DateTimeField(_("uitgevoerd op"), null=True, blank=True)
    # What the execution changed, as counts per table (never contents).
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)

    class Meta:
        ordering = ["closed_on", "id"]
        verbose_name = _("voorstel tot vernietiging")
        verbose_name_plural = _("voorstellen tot vernietiging")
        permissions = [("review_destruction", _("Kan voorstellen tot vernietiging van dossiers beoordelen"))]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status__in=["voorgesteld", "goedgekeurd", "uitgesteld"]),
                name="destruction_one_open_proposal_per_client",
                violation_error_message=_("Voor deze cliënt is al een open voorstel tot vernietiging."),
            ),
            models.CheckConstraint(
                condition=~Q(status="uitgesteld") | Q(postponed_until__isnull=False),
                name="destruction_postponed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["voorgesteld", "vervallen"])
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False) & ~Q(note="")),
                name="destruction_decision_with_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="uitgevoerd") | Q(executed_at__isnull=False),
                name="destruction_executed_has_moment",
            ),
        ]

    def __str__(self):
        return f"Vernietiging {self.client.masked_bsn} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DESTRUCTION_STATUSES


class DestructionStatusChange(models.Model):
    """Append-only history of a proposal's status."""

    proposal = models.ForeignKey(
        DestructionProposal, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("voorstel")
    )
    from_status = models.CharField(_("van"), max_length=20, choices=DestructionStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=DestructionStatus.choices)
    at = models.DateTimeField(_("moment"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("door")
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging vernietiging")
        verbose_name_plural = _("statuswijzigingen vernietiging")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"
