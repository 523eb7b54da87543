"""Break-the-glass ("toegang in noodsituatie"): a consultant reads the file of a client outside
their teams' municipalities, for a stated reason and a limited time; the team lead and the privacy
officer review every access afterwards (indications.emergency_services, audit.review)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Client


class EmergencyAccess(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("medewerker"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="emergency_accesses", verbose_name=_("cliënt")
    )
    reason = models.TextField(_("reden"))
    granted_at = models.DateTimeField(_("verleend op"))
    expires_at = models.DateTimeField(_("verloopt op"))
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("toegang in noodsituatie")
        verbose_name_plural = _("toegangen in noodsituatie")
        indexes = [models.Index(fields=["user", "client", "expires_at"], name="emergency_access_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="emergency_access_expires_after_grant"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.client.masked_bsn} ({self.granted_at:%d-%m-%Y %H:%M})"

    def is_active(self, now) -> bool:
        return self.ended_at is None and self.granted_at <= now < self.expires_at

    @property
    def closed_at(self):
        """When the access ended: by the user, or else by its expiry."""
        return self.ended_at or self.expires_at
