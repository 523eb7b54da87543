import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

agb_code_validator = RegexValidator(r"^\d{8}$", _("Een AGB-code bestaat uit precies 8 cijfers."))


class ReferenceGroup(models.Model):
    """One of the six provider reference groups (DOMAIN.md)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["number"]
        verbose_name = _("referentiegroep")
        verbose_name_plural = _("referentiegroepen")

    def __str__(self):
        return f"{self.number}. {self.name}"


class Provider(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    agb_code = models.CharField(_("AGB-code"), max_length=8, unique=True, validators=[agb_code_validator])
    reference_group = models.ForeignKey(
        ReferenceGroup, on_delete=models.PROTECT, related_name="providers", verbose_name=_("referentiegroep")
    )
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=20, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self):
        return self.name
