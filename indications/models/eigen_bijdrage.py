"""The eigen bijdrage (client's contribution) for IB as reference data: per period whether IB is
subject to it and the abonnementstarief, and the exemptions that apply in that period.

Seed 000: the SDD had made IB free; on 1 December 2020 the eigen bijdrage was reintroduced. The
municipality reports the start and end of the voorziening; the CAK computes and collects the
amount (the abonnementstarief is a maximum set nationally). The obligation of a client is derived
from the granted beschikkingen and these periods (indications.eigen_bijdrage), never stored.
"""

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Deferrable, Q
from django.utils.translation import gettext_lazy as _

from .constraints import DateRange, PostgresExclusionConstraint
from .reference import Product


class EigenBijdrageExemption(models.Model):
    """A kind of exemption, evaluated by the code through its rule code with the parameters here.
    Exemptions the CAK decides (a low income, a partner's situation) are not kept: the CAK computes
    the amount from the income data it has."""

    class Rule(models.TextChoices):
        AGE_BELOW = "leeftijd_onder", _("cliënt jonger dan een leeftijd")
        PRODUCT = "product", _("product uitgezonderd")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    rule = models.CharField(_("regel"), max_length=20, choices=Rule.choices)
    age = models.PositiveSmallIntegerField(
        _("leeftijd"), null=True, blank=True, help_text=_("Bij 'cliënt jonger dan een leeftijd': de leeftijd.")
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
        help_text=_("Bij 'product uitgezonderd': het product zonder eigen bijdrage."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vrijstelling eigen bijdrage")
        verbose_name_plural = _("vrijstellingen eigen bijdrage")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule="leeftijd_onder") | Q(age__isnull=False),
                name="exemption_age_rule_has_age",
                violation_error_message=_("Geef de leeftijd op."),
            ),
            models.CheckConstraint(
                condition=~Q(rule="product") | Q(product__isnull=False),
                name="exemption_product_rule_has_product",
                violation_error_message=_("Kies het product."),
            ),
        ]

    def __str__(self):
        return self.name


class EigenBijdrageRule(models.Model):
    """Whether IB is subject to the eigen bijdrage in a period (inclusive at both ends, no end:
    open-ended), the abonnementstarief per month and the exemptions of that period."""

    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    is_due = models.BooleanField(
        _("eigen bijdrage verschuldigd"), help_text=_("Uit: IB is in deze periode vrij van eigen bijdrage.")
    )
    amount_per_month = models.DecimalField(
        _("abonnementstarief per maand"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Het landelijke maximum dat het CAK int; alleen als de eigen bijdrage verschuldigd is."),
    )
    exemptions = models.ManyToManyField(
        EigenBijdrageExemption, blank=True, related_name="rules", verbose_name=_("vrijstellingen")
    )
    source = models.TextField(_("bron"), blank=True, help_text=_("Het besluit of de bron van deze periode."))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("regel eigen bijdrage")
        verbose_name_plural = _("regels eigen bijdrage")
        permissions = [("export_cak", _("Kan de CAK-export van de eigen bijdrage maken"))]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="eigen_bijdrage_rule_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="eigen_bijdrage_rule_period_ordered",
                violation_error_message=_("'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen."),
            ),
            models.CheckConstraint(
                condition=Q(is_due=False, amount_per_month__isnull=True)
                | Q(is_due=True, amount_per_month__isnull=False, amount_per_month__gte=0),
                name="eigen_bijdrage_rule_amount_when_due",
                violation_error_message=_(
                    "Geef het abonnementstarief op als de eigen bijdrage verschuldigd is, en alleen dan."
                ),
            ),
            # One rule per day; the service (indications.eigen_bijdrage) checks it on every database.
            PostgresExclusionConstraint(
                name="eigen_bijdrage_rules_do_not_overlap",
                expressions=[
                    (
                        DateRange(
                            "valid_from", "valid_until", RangeBoundary(inclusive_lower=True, inclusive_upper=True)
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Deze periode overlapt met een andere regel eigen bijdrage."),
            ),
        ]

    def __str__(self):
        state = _("verschuldigd") if self.is_due else _("vrij")
        return f"{_('Eigen bijdrage')} {state} vanaf {self.valid_from:%d-%m-%Y}"


class CakExport(models.Model):
    """One export of the eigen-bijdrage obligations for the CAK: the period it covered, so that the
    next export can start where this one ended (who exported it is also in the audit trail)."""

    period_from = models.DateField(_("periode vanaf"))
    period_to = models.DateField(_("periode tot en met"))
    rows = models.PositiveIntegerField(_("aantal regels"), default=0)
    exported_at = models.DateTimeField(_("geëxporteerd op"), auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("geëxporteerd door")
    )

    class Meta:
        ordering = ["-exported_at", "-id"]
        verbose_name = _("CAK-export eigen bijdrage")
        verbose_name_plural = _("CAK-exports eigen bijdrage")

    def __str__(self):
        return f"CAK-export {self.period_from:%d-%m-%Y} t/m {self.period_to:%d-%m-%Y}"
