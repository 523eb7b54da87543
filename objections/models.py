"""A bezwaar (Awb hoofdstuk 6 and 7) against a beschikking, its deadlines as stored dates (computed by
objections.deadlines in the services, so the signal checks and lists compare columns) and its
append-only status history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BezwaarStatus(models.TextChoices):
    OPEN = "open", _("in behandeling")
    GEGROND = "gegrond", _("gegrond")
    ONGEGROND = "ongegrond", _("ongegrond")
    NIET_ONTVANKELIJK = "niet_ontvankelijk", _("niet-ontvankelijk")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


# Every decided state is final: a decided bezwaar moves nowhere (objections.services.ALLOWED_MOVES).
DECIDED_STATUSES = (
    BezwaarStatus.GEGROND,
    BezwaarStatus.ONGEGROND,
    BezwaarStatus.NIET_ONTVANKELIJK,
    BezwaarStatus.INGETROKKEN,
)


class FiledBy(models.TextChoices):
    CLIENT = "client", _("de cliënt zelf")
    REPRESENTATIVE = "vertegenwoordiger", _("een vertegenwoordiger of gemachtigde")


class Bezwaar(models.Model):
    Status = BezwaarStatus
    FiledBy = FiledBy

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beschikking = models.ForeignKey(
        "indications.Indication",
        on_delete=models.PROTECT,
        related_name="bezwaren",
        verbose_name=_("bestreden beschikking"),
    )
    received_on = models.DateField(_("ontvangen op"))
    posted_on = models.DateField(
        _("op de post gedaan op"),
        null=True,
        blank=True,
        help_text=_("Alleen bij een brief die na de termijn binnenkwam: de datum van het poststempel (art. 6:9 Awb)."),
    )
    filed_by = models.CharField(_("ingediend door"), max_length=20, choices=FiledBy.choices, default=FiledBy.CLIENT)
    representative_name = models.CharField(_("naam vertegenwoordiger"), max_length=200, blank=True)
    representative_address = models.TextField(
        _("adres vertegenwoordiger"),
        blank=True,
        help_text=_("Eén regel per adresregel. De brieven over het bezwaar gaan dan naar de vertegenwoordiger."),
    )
    grounds = models.TextField(_("gronden van het bezwaar"))
    # The date of the contested letter (the beschikking's decision date until letters exist), kept so
    # that the deadlines do not move when the beschikking changes later.
    letter_date = models.DateField(_("datum van de brief"))
    bezwaartermijn_end = models.DateField(_("einde bezwaartermijn"))
    filed_in_time = models.BooleanField(_("tijdig ingediend"))
    late_excusable = models.BooleanField(_("termijnoverschrijding verschoonbaar"), default=False)
    late_motivation = models.TextField(_("motivering verschoonbaarheid"), blank=True)
    hearing = models.BooleanField(_("hoorzitting"), default=False)
    hearing_on = models.DateField(_("datum hoorzitting"), null=True, blank=True)
    advisory_committee = models.BooleanField(_("adviescommissie adviseert"), default=False)
    decision_due = models.DateField(_("uiterste beslisdatum"))
    extended = models.BooleanField(_("verdaagd"), default=False)
    extension_reason = models.TextField(_("reden verdaging"), blank=True)
    consent_until = models.DateField(_("uitgesteld met instemming tot"), null=True, blank=True)
    consent_note = models.TextField(_("toelichting instemming"), blank=True)
    ingebrekestelling_on = models.DateField(_("ingebrekestelling ontvangen op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=BezwaarStatus.choices, default=BezwaarStatus.OPEN)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    decision_motivation = models.TextField(_("motivering beslissing"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    # Gegrond: the new beschikking that replaces the contested one, made through the normal
    # indications flow (concept, four eyes, vaststelling); never written from here.
    herziening = models.ForeignKey(
        "indications.Indication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("herziene beschikking"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bezwaren", verbose_name=_("behandelaar")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["decision_due", "id"]
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        indexes = [models.Index(fields=["status", "decision_due"])]
        permissions = [("decide_bezwaar", _("Kan op bezwaren beslissen"))]
        constraints = [
            # One bezwaar in behandeling per beschikking: a second letter is added to its grounds.
            models.UniqueConstraint(
                fields=["beschikking"], condition=Q(status=BezwaarStatus.OPEN), name="bezwaar_one_open_per_beschikking"
            ),
            models.CheckConstraint(
                name="bezwaar_representative_named",
                condition=~Q(filed_by=FiledBy.REPRESENTATIVE) | ~Q(representative_name=""),
            ),
            models.CheckConstraint(name="bezwaar_has_grounds", condition=~Q(grounds="")),
            models.CheckConstraint(
                name="bezwaar_excused_with_motivation", condition=Q(late_excusable=False) | ~Q(late_motivation="")
            ),
            models.CheckConstraint(
                name="bezwaar_hearing_date_needs_hearing", condition=Q(hearing=True) | Q(hearing_on=None)
            ),
            models.CheckConstraint(
                name="bezwaar_extended_with_reason", condition=Q(extended=False) | ~Q(extension_reason="")
            ),
            models.CheckConstraint(
                name="bezwaar_received_after_letter", condition=Q(received_on__gte=models.F("letter_date"))
            ),
            models.CheckConstraint(
                name="bezwaar_decided_has_date_and_decider",
                condition=(Q(status=BezwaarStatus.OPEN) & Q(decided_on=None))
                | (~Q(status=BezwaarStatus.OPEN) & Q(decided_on__isnull=False) & Q(decided_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="bezwaar_gegrond_has_herziening",
                condition=~Q(status=BezwaarStatus.GEGROND) | Q(herziening__isnull=False),
            ),
            models.CheckConstraint(
                name="bezwaar_decision_motivated", condition=Q(status=BezwaarStatus.OPEN) | ~Q(decision_motivation="")
            ),
        ]

    def __str__(self):
        return str(_("Bezwaar tegen %(beschikking)s")) % {"beschikking": self.beschikking.number}

    @property
    def is_open(self) -> bool:
        return self.status == BezwaarStatus.OPEN


class BezwaarStatusChange(models.Model):
    """One move of a bezwaar's status (append-only): from, to, when, who, why."""

    bezwaar = models.ForeignKey(
        Bezwaar, on_delete=models.CASCADE, related_name="history", verbose_name=_("bezwaarschrift")
    )
    from_status = models.CharField(_("van"), max_length=20, choices=BezwaarStatus.choices)
    to_status = models.CharField(_("naar"), max_length=20, choices=BezwaarStatus.choices)
    at = models.DateTimeField(_("moment"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door"))
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging bezwaar")
        verbose_name_plural = _("statuswijzigingen bezwaar")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
