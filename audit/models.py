import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def mask_bsn(bsn: str) -> str:
    return f"*****{bsn[-4:]}" if bsn else ""


# Each action of the trail as its NEN 7513 action code and outcome: the one table that maps them.
# A refused call keeps code R unless its recorder names the attempted action (see services._append).
NEN_ACTIONS = {
    "read": ("R", "success"),
    "create": ("C", "success"),
    "update": ("U", "success"),
    "delete": ("D", "success"),
    "transition": ("U", "success"),
    "rejected": ("R", "refused"),
    "search": ("S", "success"),
    "export": ("P", "success"),
    "transfer": ("T", "success"),
}


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
        # A search or filter over client data: who looked for which BSN or name, and how many hits.
        SEARCH = "search", _("gezocht")
        # An export or print of data (the audit trail's own export for the SIEM among them).
        EXPORT = "export", _("geëxporteerd")
        # Data sent to another system (an iWmo message to a provider).
        TRANSFER = "transfer", _("verstrekt")

    class NenAction(models.TextChoices):
        """The NEN 7513 action code (table 1 of the standard: the kind of handling)."""

        CREATE = "C", _("creëren")
        READ = "R", _("raadplegen")
        UPDATE = "U", _("wijzigen")
        DELETE = "D", _("verwijderen")
        SEARCH = "S", _("zoeken")
        EXPORT = "P", _("afdrukken/exporteren")
        TRANSFER = "T", _("verstrekken")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("geslaagd")
        REFUSED = "refused", _("geweigerd")

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
    # The network access point (NEN 7513): the caller's address as audit.services.client_ip gives it.
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    # NEN 7513 fields (migration 0007). Filled centrally in audit.services._append; the database
    # defaults let a raw INSERT (a test, a restore) still append.
    nen_action = models.CharField(_("actiecode"), max_length=1, choices=NenAction.choices, db_default="R")
    outcome = models.CharField(_("resultaat"), max_length=10, choices=Outcome.choices, db_default="success")
    actor_role = models.CharField(_("rol"), max_length=200, blank=True, db_default="")
    purpose = models.CharField(_("reden van inzage"), max_length=120, blank=True, db_default="")
    system_id = models.CharField(_("systeem"), max_length=100, blank=True, db_default="")
    # The person concerned by their BSN: stored whole so that it can be searched, shown masked.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, db_index=True, db_default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The log review's "API key from a new address": has this caller used this address before?
            models.Index(fields=["actor_label", "ip_address", "at"], name="audit_event_caller_address"),
        ]
        permissions = [
            ("export_auditevent", _("Mag de audittrail exporteren (NEN 7513, voor de SIEM)")),
            # The privacy officer's log review (audit.review): every kind of item.
            ("review_log", _("Mag de logbeoordeling doen (privacy-functionaris)")),
            # A team lead's part of it: the kinds a source offers team leads, for their teams.
            ("review_team_log", _("Mag de logbeoordeling van de eigen teams doen")),
        ]
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
    def masked_bsn(self) -> str:
        """The BSN as every page and export shows it (as indications.Client.masked_bsn does)."""
        return mask_bsn(self.bsn)

    @property
    def object_type_display(self) -> str:
        """The kind of record in words ("cliënt" for indications.client): its model's verbose name."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


class RetentionPermit(models.Model):
    """While a row exists, the append-only trigger lets DELETE through for events older than its
    cutoff, and for nothing else; UPDATE and TRUNCATE stay refused. Only
    audit.retention.remove_expired_events writes one, inside the transaction of its delete, and removes
    it again before that transaction commits: no other session ever sees it (PostgreSQL), and
    SQLite has one writer at a time. At most one row (id 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    cutoff = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_retention_permit_single_row")]
        verbose_name = _("bewaartermijnvergunning")

    def __str__(self):
        return f"verwijderen vóór {self.cutoff:%d-%m-%Y %H:%M}"


class ReviewMark(models.Model):
    """An item of the log review (audit.review) marked as reviewed, with the reviewer's note. An item
    is (kind, key): the source's kind and its stable key. Marked once; the mark itself is audited."""

    kind = models.CharField(_("soort"), max_length=40)
    key = models.CharField(_("sleutel"), max_length=200)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("beoordeeld door")
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), auto_now_add=True)
    note = models.TextField(_("notitie"))

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("beoordeeld logitem")
        verbose_name_plural = _("beoordeelde logitems")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="review_mark_once_per_item"),
            models.CheckConstraint(condition=~models.Q(note=""), name="review_mark_has_note"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"


class ReviewSettings(models.Model):
    """The thresholds of the log review as data (one row, pk 1): how many client files a user may
    open in a day before it is an item, and the office hours outside which access is an item."""

    files_per_day = models.PositiveIntegerField(
        _("dossiers per dag"),
        default=40,
        help_text=_("Een medewerker die op één dag meer verschillende dossiers opent, komt op de lijst."),
    )
    office_hours_start = models.PositiveSmallIntegerField(
        _("kantoortijd vanaf (uur)"), default=7, help_text=_("Toegang vóór dit uur telt als buiten kantooruren.")
    )
    office_hours_end = models.PositiveSmallIntegerField(
        _("kantoortijd tot (uur)"), default=19, help_text=_("Toegang vanaf dit uur telt als buiten kantooruren.")
    )
    weekend_is_outside = models.BooleanField(
        _("weekend is buiten kantooruren"), default=True, help_text=_("Zaterdag en zondag tellen helemaal mee.")
    )

    class Meta:
        verbose_name = _("instellingen logbeoordeling")
        verbose_name_plural = _("instellingen logbeoordeling")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="review_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(office_hours_start__lt=models.F("office_hours_end"), office_hours_end__lte=24),
                name="review_settings_office_hours_in_order",
                violation_error_message=_("De kantoortijd moet eindigen na het begin, uiterlijk om 24 uur."),
            ),
            models.CheckConstraint(
                condition=models.Q(files_per_day__gte=1),
                name="review_settings_threshold_positive",
                violation_error_message=_("Kies ten minste 1 dossier per dag."),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ReviewSettings":
        """The row, or the defaults when nobody has saved one (not written: a read stays a read)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
