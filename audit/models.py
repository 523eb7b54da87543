import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """An append-only record of a read, a change, a state transition or a refused API call.

    Append-only twice over: the model and its queryset refuse updates and deletes, and below the ORM
    database triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the table
    (migration 0004_append_only_triggers), so neither `_base_manager` nor raw SQL can change it."""

    class Action(models.TextChoices):
        READ = "read", _("ingezien")
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DELETE = "delete", _("verwijderd")
        TRANSITION = "transition", _("statusovergang")
        # An API call that was refused (any 4xx/5xx answer), also when it never reached a view.
        REJECTED = "rejected", _("geweigerd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    # Who acted when it was not a staff user: a provider's API client ("aanbieder <AGB>, sleutel <prefix>").
    actor_label = models.CharField(_("namens"), max_length=120, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=100)
    object_id = models.CharField(_("id van het gegeven"), max_length=64)
    client_id = models.BigIntegerField(_("cliënt (id)"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("omschrijving"), max_length=255, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")

    def __str__(self):
        return f"{self.at:%d-%m-%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")

    @property
    def object_type_display(self) -> str:
        """The kind of record in words ("cliënt" for indications.client): its model's verbose name."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type
