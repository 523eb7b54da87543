"""The iWmo message exchange: what we send (the outbox), what we receive (the inbox), and the
reference data that turns a toewijzing into a WMO301 (the Omvang per product)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .codes import Eenheid, Frequentie, MessageType


class ProductOmvang(models.Model):
    """How a product's toewijzing states its Omvang in a WMO301 (docs/iwmo.md, "Omvang"): data, so
    the municipality changes it in the admin, not in code. A product without a row uses the default
    (DEFAULT_OMVANG: 1 stuks (output) per maand); a product without an iWmo product code gets no
    Omvang at all (CD080: an aspecifieke toewijzing)."""

    product = models.OneToOneField(
        "indications.Product", on_delete=models.CASCADE, related_name="iwmo_omvang", verbose_name=_("product")
    )
    volume = models.PositiveIntegerField(_("volume"), default=1)
    eenheid = models.CharField(
        _("eenheid (WJ756)"), max_length=2, choices=Eenheid.choices, default=Eenheid.STUKS_OUTPUT
    )
    frequentie = models.CharField(
        _("frequentie (WMO757)"), max_length=1, choices=Frequentie.choices, default=Frequentie.PER_MAAND
    )

    class Meta:
        ordering = ["product__level"]
        verbose_name = _("iWmo-omvang van een product")
        verbose_name_plural = _("iWmo-omvang per product")
        constraints = [
            models.CheckConstraint(condition=models.Q(volume__lte=99999999), name="iwmo_omvang_volume_in_range"),
        ]

    def __str__(self):
        return f"{self.product.code}: {self.volume} {self.get_eenheid_display()} {self.get_frequentie_display()}"


class AssignmentVersion(models.Model):
    """When the current version of a toewijzing was issued (Toewijzingsdatum and -tijd of its last
    WMO301 as changed): an unchanged toewijzing repeated in a later 301 keeps them, a changed one gets
    new ones, so the provider knows which version is the latest."""

    assignment = models.OneToOneField(
        "providers.Assignment", on_delete=models.CASCADE, related_name="iwmo_version", verbose_name=_("toewijzing")
    )
    issued_at = models.DateTimeField(_("toewijzingsdatum en -tijd"))

    class Meta:
        verbose_name = _("versie van een toewijzing")
        verbose_name_plural = _("versies van toewijzingen")

    def __str__(self):
        return f"{self.assignment_id} {self.issued_at:%Y-%m-%d %H:%M:%S}"


class RetourStatus(models.TextChoices):
    """What the receiver's retour (WJ001 codes per element) said of a message we sent: 0200 on every
    element is geaccepteerd; a code other than 0200 in the header, or on every product, afgekeurd;
    some products accepted and others not, deels."""

    NONE = "geen", _("geen retour")
    ACCEPTED = "geaccepteerd", _("geaccepteerd")
    PARTLY_ACCEPTED = "deels", _("deels geaccepteerd")
    REJECTED = "afgekeurd", _("afgekeurd")


class OutgoingMessage(models.Model):
    """One message we send (the transactional outbox): written in the transaction of the change that
    causes it, then delivered by iwmo.tasks. BerichtIdentificatie (identification + dagtekening) is
    unique per sender and message type (TR056); delivery is exactly-once per it (iwmo.delivery)."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("in de wachtrij")
        DELIVERED = "afgeleverd", _("afgeleverd")
        FAILED = "mislukt", _("mislukt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_type = models.CharField(_("berichtsoort"), max_length=6, choices=MessageType.choices)
    sender = models.CharField(_("afzender"), max_length=8)
    receiver = models.CharField(_("ontvanger"), max_length=8)
    identification = models.CharField(_("identificatie"), max_length=12, blank=True)
    dagtekening = models.DateField(_("dagtekening van het bericht"))
    # Empty only for a retour to a message addressed to a municipality we do not know (S300).
    municipality = models.ForeignKey(
        "indications.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", verbose_name=_("aanbieder")
    )
    client = models.ForeignKey(
        "indications.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cliënt"),
    )
    # The toewijzingnummers this 301 was written for (the changed ones; it carries all current ones too).
    assignment_numbers = models.JSONField(_("gewijzigde toewijzingen"), default=list, blank=True)
    xml = models.TextField(_("bericht (XML)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    delivered_to = models.CharField(_("afgeleverd aan"), max_length=500, blank=True)
    in_reply_to = models.ForeignKey(
        "IncomingMessage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retours",
        verbose_name=_("antwoord op"),
    )
    # The provider's retour on this message (a WMO302 on a 301, a WMO320 on a 319; iwmo.retour_in).
    # A retour message itself gets none (a 302 is not answered).
    retour_message = models.OneToOneField(
        "IncomingMessage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heenbericht",
        verbose_name=_("retourbericht"),
    )
    retour_status = models.CharField(
        _("retourstatus"), max_length=12, choices=RetourStatus.choices, default=RetourStatus.NONE
    )
    # Per element: [{"element": "Header" | "ToegewezenProduct 42", "codes": [{"code": "0200", "betekenis": ...}]}]
    retour_codes = models.JSONField(_("retourcodes"), default=list, blank=True)
    retour_dagtekening = models.DateField(_("dagtekening van de retour"), null=True, blank=True)
    # A retour that rejected this message (wholly or in part) is on the consultant's worklist until
    # someone marks it handled, saying what was done (iwmo.retour_handling).
    retour_handled_at = models.DateTimeField(_("retour afgehandeld op"), null=True, blank=True)
    retour_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retour afgehandeld door"),
    )
    retour_handling_note = models.TextField(_("afhandeling van de retour"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("uitgaand iWmo-bericht")
        verbose_name_plural = _("uitgaande iWmo-berichten")
        permissions = [
            ("resend_outgoingmessage", _("Kan een mislukt iWmo-bericht opnieuw versturen")),
            ("handle_retour_outgoingmessage", _("Kan een afgekeurde retour op een iWmo-bericht afhandelen")),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="iwmo_out_due"),
            models.Index(fields=["client", "provider", "message_type", "status"], name="iwmo_out_client"),
            # The traffic pages read a day (a range on created_at) and a provider's days.
            models.Index(fields=["created_at"], name="iwmo_out_created"),
            models.Index(fields=["provider", "created_at"], name="iwmo_out_provider_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "message_type", "identification"],
                condition=~models.Q(identification=""),
                name="iwmo_out_identification_unique",  # TR056
            ),
        ]

    def __str__(self):
        return f"{self.message_type} {self.identification} ({self.dagtekening:%d-%m-%Y})"

    @property
    def file_name(self) -> str:
        """The idempotent file name of this message: the same message always lands in the same file."""
        return f"{self.message_type}_{self.sender}_{self.receiver}_{self.identification}_{self.dagtekening:%Y%m%d}.xml"

    @property
    def retour_rejections(self) -> list[dict]:
        """The elements of the retour with a code other than 0200 (geen opmerking), each with only
        those codes and their Dutch meaning: what the provider rejected."""
        rejected = []
        for element in self.retour_codes:
            codes = [code for code in element.get("codes", []) if code.get("code") != "0200"]
            if codes:
                rejected.append({"element": element.get("element", ""), "codes": codes})
        return rejected


class IncomingMessage(models.Model):
    """One message we received, kept as it came (the raw bytes), with what we made of it: the
    header, the status, the retourcodes per element and the retour message we sent back."""

    class Status(models.TextChoices):
        RECEIVED = "ontvangen", _("ontvangen")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        PARTLY_ACCEPTED = "deels", _("deels geaccepteerd")
        REJECTED = "afgekeurd", _("afgekeurd")

    class Channel(models.TextChoices):
        FOLDER = "map", _("map (iwmo_import)")
        HTTPS = "https", _("HTTPS")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    raw = models.BinaryField(_("bericht zoals ontvangen"))
    # SHA-256 of the raw bytes: the same bytes received again (a replayed file, a repeated upload) are
    # this message again, not a new one.
    sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, unique=True, editable=False)
    channel = models.CharField(_("kanaal"), max_length=8, choices=Channel.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    message_type = models.CharField(_("berichtsoort"), max_length=6, choices=MessageType.choices, blank=True)
    sender = models.CharField(_("afzender"), max_length=8, blank=True)
    receiver = models.CharField(_("ontvanger"), max_length=8, blank=True)
    identification = models.CharField(_("identificatie"), max_length=12, blank=True)
    dagtekening = models.DateField(_("dagtekening van het bericht"), null=True, blank=True)
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanbieder"),
    )
    municipality = models.ForeignKey(
        "indications.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    client = models.ForeignKey(
        "indications.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cliënt"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    # Per element: [{"element": "Header" | "Client" | "StartProduct 0000000042", "codes": ["9019"], "melding": ...}]
    errors = models.JSONField(_("retourcodes en fouten"), default=list, blank=True)
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inkomend iWmo-bericht")
        verbose_name_plural = _("inkomende iWmo-berichten")
        indexes = [
            models.Index(fields=["sender", "message_type", "identification"], name="iwmo_in_identification"),
            # The traffic pages read a day (a range on received_at), a provider's days and a client's messages.
            models.Index(fields=["received_at"], name="iwmo_in_received"),
            models.Index(fields=["provider", "received_at"], name="iwmo_in_provider_day"),
            models.Index(fields=["client", "received_at"], name="iwmo_in_client"),
        ]

    def __str__(self):
        return f"{self.message_type or '?'} {self.identification or '?'} ({self.get_status_display()})"

    @property
    def retour(self) -> "OutgoingMessage | None":
        return self.retours.first()
