"""Calamiteiten and geweldsincidenten (art. 3.4 lid 1 sub c Wmo 2015): what a provider reported to
the municipality, and whether the report to the toezichthouder (the GGD) has been recorded."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    CALAMITEIT = "calamiteit", _("calamiteit")
    GEWELD = "geweld", _("geweldsincident")


class IncidentStatus(models.TextChoices):
    # Reported to the municipality; the report to the GGD is not yet recorded (a signal is open).
    REPORTED = "gemeld", _("gemeld, wacht op melding aan GGD")
    GGD_REPORTED = "ggd_gemeld", _("gemeld aan GGD")
    CLOSED = "afgesloten", _("afgesloten")


class IncidentChannel(models.TextChoices):
    API = "api", _("REST API (aanbieder)")
    PHONE = "telefonisch", _("telefonisch (via consulent)")


class Incident(models.Model):
    """One calamiteit or geweldsincident in the care of one toewijzing, as the provider reported it."""

    Kind = IncidentKind
    Status = IncidentStatus
    Channel = IncidentChannel

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("soort"), max_length=20, choices=IncidentKind.choices)
    description = models.TextField(_("wat is er gebeurd"))
    occurred_at = models.DateTimeField(_("moment van het incident"))
    client = models.ForeignKey("indications.Client", on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(
        "providers.Assignment", on_delete=models.PROTECT, related_name="+", verbose_name=_("toewijzing")
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", verbose_name=_("aanbieder")
    )
    reported_at = models.DateTimeField(_("gemeld op"))
    channel = models.CharField(_("kanaal"), max_length=20, choices=IncidentChannel.choices)
    # The consultant who took the phone call (empty for one through the API).
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangenomen door"),
    )
    # The provider's own id of an API report: sending it again returns the first answer.
    message_id = models.CharField(_("berichtId"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    ggd_reported_on = models.DateField(_("gemeld aan GGD op"), null=True, blank=True)
    ggd_reference = models.CharField(_("kenmerk GGD"), max_length=60, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    closing_note = models.TextField(_("afsluitende notitie"), blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("calamiteit")
        verbose_name_plural = _("calamiteiten")
        permissions = [
            # A team lead sees every incident of the clients of their teams; a consultant only those
            # of the clients whose beschikking they hold.
            ("oversee_incident", _("Kan alle calamiteiten van de teams inzien")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_at__lte=F("reported_at")), name="incident_occurred_before_report"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="incident_has_description"),
            models.CheckConstraint(
                condition=Q(status=IncidentStatus.REPORTED, ggd_reported_on__isnull=True, ggd_reference="")
                | (
                    Q(status__in=[IncidentStatus.GGD_REPORTED, IncidentStatus.CLOSED], ggd_reported_on__isnull=False)
                    & ~Q(ggd_reference="")
                ),
                name="incident_ggd_report_with_its_status",
            ),
            models.CheckConstraint(
                condition=Q(status=IncidentStatus.CLOSED, closed_on__isnull=False) & ~Q(closing_note="")
                | ~Q(status=IncidentStatus.CLOSED) & Q(closed_on__isnull=True, closing_note=""),
                name="incident_closed_with_note",
            ),
            models.CheckConstraint(
                condition=Q(channel=IncidentChannel.API, registered_by__isnull=True)
                | Q(channel=IncidentChannel.PHONE, registered_by__isnull=False),
                name="incident_phone_has_consultant",
            ),
            models.CheckConstraint(condition=Q(kind__in=IncidentKind.values), name="incident_kind_known"),
            models.CheckConstraint(condition=Q(status__in=IncidentStatus.values), name="incident_status_known"),
            models.UniqueConstraint(
                fields=["provider", "message_id"], condition=~Q(message_id=""), name="incident_message_id_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "reported_at"], name="incident_status_reported")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reported_at:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.REPORTED


class IncidentStatusChange(models.Model):
    """Append-only history of an incident: reported, reported to the GGD, closed."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="history", verbose_name=_("calamiteit")
    )
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Who acted when it was not a staff user: the provider's API client.
    by_label = models.CharField(_("namens"), max_length=120, blank=True)
    from_status = models.CharField(max_length=20, choices=IncidentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IncidentStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging calamiteit")
        verbose_name_plural = _("statuswijzigingen calamiteit")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"
