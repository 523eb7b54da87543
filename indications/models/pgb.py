"""The persoonsgebonden budget (pgb): its tariffs (reference data) and, per pgb beschikking, the
budgetholder, the budget plan and the conditions of art. 2.3.6 lid 2 Wmo 2015 as checked.

The rules (what must be recorded before the vaststelling, the budget) are in indications.pgb."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .beschikking import Indication
from .constraints import tariff_period_constraints
from .reference import Product


class PgbTariff(models.Model):
    """The pgb tariff of a product per period of 4 weeks, versioned by validity period like the
    natura tariff (one in force per product per day): the budget for care bought from a professional,
    and optionally a lower one for care bought from the social network (art. 2.3.6 lid 6 Wmo 2015)."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="pgb_tariffs", verbose_name=_("product")
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    amount_per_period = models.DecimalField(_("pgb-tarief per 4 weken (professioneel)"), max_digits=9, decimal_places=2)
    informal_amount_per_period = models.DecimalField(
        _("pgb-tarief per 4 weken (sociaal netwerk)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Voor ondersteuning ingekocht bij iemand uit het sociaal netwerk; leeg: het professionele tarief."),
    )
    opslag_per_period = models.DecimalField(
        _("opslag per 4 weken"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["product__level", "valid_from"]
        verbose_name = _("pgb-tarief")
        verbose_name_plural = _("pgb-tarieven")
        constraints = tariff_period_constraints(
            "pgb_tariff", overlap_message=_("Deze periode overlapt met een ander pgb-tarief van hetzelfde product.")
        )

    def __str__(self):
        return f"pgb {self.product.code} vanaf {self.valid_from:%d-%m-%Y}: € {self.amount_per_period}"


class PgbBudget(models.Model):
    """What a pgb beschikking records besides the indication: who holds the budget, the budget plan
    and the conditions of art. 2.3.6 lid 2 Wmo 2015, each checked yes or no with a note."""

    class Holder(models.TextChoices):
        CLIENT = "client", _("de cliënt zelf")
        LEGAL = "wettelijk", _("wettelijk vertegenwoordiger")
        AUTHORISED = "gemachtigde", _("gemachtigde")

    indication = models.OneToOneField(Indication, on_delete=models.CASCADE, related_name="pgb")
    holder = models.CharField(_("budgethouder"), max_length=20, choices=Holder.choices, default=Holder.CLIENT)
    representative_name = models.CharField(_("naam vertegenwoordiger"), max_length=200, blank=True)
    representative_relation = models.CharField(
        _("relatie tot de cliënt"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld ouder, partner, bewindvoerder."),
    )
    budget_plan_received_on = models.DateField(_("budgetplan ontvangen op"), null=True, blank=True)
    # Art. 2.3.6 lid 2: (a) pgb-vaardig, (b) motivated, (c) quality made plausible. None: not yet assessed.
    able_to_manage = models.BooleanField(
        _("pgb-vaardig (a)"),
        null=True,
        help_text=_("De cliënt kan het pgb zelf of met hulp van netwerk of vertegenwoordiger beheren."),
    )
    able_to_manage_note = models.TextField(_("toelichting pgb-vaardig"), blank=True)
    motivated = models.BooleanField(
        _("gemotiveerd (b)"), null=True, help_text=_("De cliënt heeft gemotiveerd waarom hij een pgb wil.")
    )
    motivated_note = models.TextField(_("toelichting motivering"), blank=True)
    quality_plausible = models.BooleanField(
        _("kwaliteit aannemelijk (c)"),
        null=True,
        help_text=_("De ingekochte ondersteuning is veilig, doeltreffend en cliëntgericht."),
    )
    quality_note = models.TextField(_("toelichting kwaliteit"), blank=True)
    social_network = models.BooleanField(
        _("ingekocht bij het sociaal netwerk"),
        default=False,
        help_text=_("Dan geldt het (lagere) pgb-tarief voor het sociaal netwerk (art. 2.3.6 lid 6)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pgb")
        verbose_name_plural = _("pgb's")
        permissions = [("export_svb", _("Kan de pgb-lijst voor de SVB exporteren"))]

    def __str__(self):
        return f"pgb {self.indication}"

    @property
    def holder_name(self) -> str:
        """The budgetholder's name: the client, or the named representative."""
        if self.holder == self.Holder.CLIENT or not self.representative_name:
            return str(self.indication.client)
        return self.representative_name
