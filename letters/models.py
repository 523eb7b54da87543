"""The client's letters: the municipality's letterhead, the letter templates as versioned data, and
the letters sent, each frozen once its PDF is stored (see letters.services)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def letter_storage():
    """The named storage of the letters' PDFs (settings.STORAGES["letters"]): never publicly served."""
    return storages["letters"]


class MunicipalityLetterhead(models.Model):
    """What a letter on behalf of this municipality shows: its letterhead, where bezwaar goes, who
    signs (the mandated officer, as data)."""

    municipality = models.OneToOneField(
        "indications.Municipality", on_delete=models.PROTECT, related_name="letterhead", verbose_name=_("gemeente")
    )
    sender = models.CharField(_("afzender"), max_length=200)
    postal_address = models.TextField(_("postadres"), help_text=_("Eén regel per adresregel."))
    visiting_address = models.TextField(_("bezoekadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30)
    website = models.CharField(_("website"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    place = models.CharField(_("plaats in de datumregel"), max_length=100)
    bezwaar_address = models.TextField(_("adres voor bezwaar"), help_text=_("Eén regel per adresregel."))
    signatory_name = models.CharField(_("naam ondertekenaar"), max_length=200)
    signatory_function = models.CharField(_("functie ondertekenaar"), max_length=200)
    mandate_line = models.CharField(_("mandaatregel"), max_length=300)

    class Meta:
        verbose_name = _("briefhoofd van een gemeente")
        verbose_name_plural = _("briefhoofden van gemeenten")

    def __str__(self):
        return self.sender


class LetterTemplate(models.Model):
    """The editable texts of one letter kind (for one municipality, or for all when none), as a
    version: an edit is a new version, a sent letter keeps the version it used."""

    kind = models.CharField(_("soort brief"), max_length=50, db_index=True)
    municipality = models.ForeignKey(
        "indications.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_("Leeg: geldt voor alle gemeenten zonder eigen tekst."),
    )
    version = models.PositiveIntegerField(_("versie"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )

    class Meta:
        ordering = ["kind", "municipality__name", "-version"]
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(fields=["kind", "municipality", "version"], name="lettertemplate_version_once"),
            models.UniqueConstraint(
                fields=["kind", "version"],
                condition=Q(municipality__isnull=True),
                name="lettertemplate_default_version_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} v{self.version}"


# The fields that make up what the client received: never changed once the PDF is stored.
FROZEN_FIELDS = (
    "kind",
    "client_id",
    "municipality_id",
    "template_id",
    "kenmerk",
    "letter_date",
    "subject",
    "content",
    "corrects_id",
    "about_type_id",
    "about_id",
    "pdf",
    "sha256",
)


class Letter(models.Model):
    """A letter to a client. Written with its frozen content (the texts and data as sent) in the
    transaction of the decision; its PDF is rendered once, stored and hashed, and from then on the
    letter never changes (a correction is a new letter that `corrects` this one)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("soort brief"), max_length=50)
    client = models.ForeignKey(
        "indications.Client", on_delete=models.PROTECT, related_name="letters", verbose_name=_("cliënt")
    )
    municipality = models.ForeignKey(
        "indications.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("sjabloonversie")
    )
    kenmerk = models.CharField(_("ons kenmerk"), max_length=30, unique=True)
    letter_date = models.DateField(_("datum brief"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    # Everything the PDF shows, as rendered data (letterhead, address, body, details): the letter
    # as it was sent, whatever changes in the case file, the letterhead or the template later.
    content = models.JSONField(_("inhoud"))
    about_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("over (soort)")
    )
    about_id = models.PositiveBigIntegerField(_("over (id)"), null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrigeert brief"),
    )
    pdf = models.FileField(_("PDF-bestand"), storage=letter_storage, upload_to="letters/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("opgemaakt op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["-letter_date", "-id"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        indexes = [models.Index(fields=["about_type", "about_id"], name="letter_about")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(pdf="") & Q(sha256="")) | (~Q(pdf="") & ~Q(sha256="")),
                name="letter_pdf_has_hash",
            ),
        ]

    def __str__(self):
        return f"{self.kenmerk} {self.subject}"

    def save(self, *args, **kwargs):
        """The model guard: a letter whose PDF is stored never changes (the database trigger of
        migration 0002 guards the same against a queryset update or raw SQL)."""
        if self.pk is not None:
            stored = Letter.objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored is not None and stored["sha256"]:
                changed = [name for name in FROZEN_FIELDS if stored[name] != _value(self, name)]
                if changed:
                    raise ValidationError(
                        _("Een verstuurde brief verandert niet meer; maak een correctiebrief."), code="letter_frozen"
                    )
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return bool(self.sha256)


def _value(letter: Letter, name: str):
    value = getattr(letter, name)
    return value.name if name == "pdf" else value
