"""Reference data of the case file, editable by the functioneel beheerder in the admin: municipalities,
ZRM domains, result domains and results, products with their tariffs."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constraints import tariff_period_constraints

# The SDD has carried out the Wmo 2015 for its member municipalities since the law took effect.
WMO_2015_START = date(2015, 1, 1)


class MunicipalityQuerySet(models.QuerySet):
    """Membership of the Sociale Dienst Drechtsteden: the SDD carries out the Wmo for a municipality
    from member_from up to and including member_until (open: still a member)."""

    def members_during(self, first: date, last: date) -> "MunicipalityQuerySet":
        """The municipalities that were members on at least one day from first to last (inclusive)."""
        return self.filter(Q(member_until__isnull=True) | Q(member_until__gte=first), member_from__lte=last)

    def members_on(self, day: date) -> "MunicipalityQuerySet":
        return self.members_during(day, day)

    def members_in_year(self, year: int) -> "MunicipalityQuerySet":
        return self.members_during(date(year, 1, 1), date(year, 12, 31))


class Municipality(models.Model):
    code = models.CharField(_("CBS-gemeentecode"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    member_from = models.DateField(
        _("lid vanaf"),
        default=WMO_2015_START,
        help_text=_("De eerste dag waarop de SDD de Wmo voor deze gemeente uitvoert."),
    )
    member_until = models.DateField(
        _("lid tot en met"),
        null=True,
        blank=True,
        help_text=_("De laatste dag waarop de SDD de Wmo voor deze gemeente uitvoert; leeg: nog lid."),
    )
    # The team that gets the municipality's signals, one of the teams serving it (accounts.Team
    # .municipalities); see signals.selectors.signal_team_per_municipality for when it is not set.
    signal_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team voor signalen"),
        help_text=_("Het team dat de signalen over cliënten van deze gemeente krijgt (een team van de gemeente)."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(member_until__isnull=True) | Q(member_until__gt=F("member_from")),
                name="municipality_member_until_after_from",
                violation_error_message=_("De einddatum van het lidmaatschap moet na de begindatum liggen."),
            ),
        ]

    def __str__(self):
        return self.name

    def is_member_on(self, day: date) -> bool:
        return self.member_from <= day and (self.member_until is None or day <= self.member_until)


class ZrmDomain(models.Model):
    """A life domain of the Zelfredzaamheid-Matrix."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    allows_acute_score = models.BooleanField(
        _("IB ook bij score 1 (acuut)"),
        default=False,
        help_text=_("Score 1 is alleen IB-terrein bij dagbesteding en geestelijke gezondheid."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("ZRM-domein")
        verbose_name_plural = _("ZRM-domeinen")

    def __str__(self):
        return self.name


class ResultDomain(models.Model):
    """An IB result area (resultaatgebied), covering one or more ZRM domains."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    zrm_domains = models.ManyToManyField(ZrmDomain, related_name="result_domains", verbose_name=_("ZRM-domeinen"))
    requires_any_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name=_("alleen samen met een resultaat in"),
    )
    related_provisions = models.CharField(_("samenhang met"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("IB-resultaatgebied")
        verbose_name_plural = _("IB-resultaatgebieden")

    def __str__(self):
        return self.name


class IbResult(models.Model):
    domain = models.ForeignKey(
        ResultDomain, on_delete=models.PROTECT, related_name="results", verbose_name=_("resultaatgebied")
    )
    name = models.CharField(_("resultaat"), max_length=255)

    class Meta:
        ordering = ["domain__order", "name"]
        verbose_name = _("IB-resultaat")
        verbose_name_plural = _("IB-resultaten")

    def __str__(self):
        return f"{self.domain.name}: {self.name}"


class IbSubResult(models.Model):
    result = models.ForeignKey(
        IbResult, on_delete=models.PROTECT, related_name="sub_results", verbose_name=_("resultaat")
    )
    name = models.CharField(_("subresultaat"), max_length=255)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # Seed 002: the sub-result that answers an overloaded mantelzorger (ib_rules.mantelzorg_errors).
    prevents_network_overload = models.BooleanField(
        _("voorkomt overbelasting van het netwerk"),
        default=False,
        help_text=_("Het subresultaat dat een overbelaste mantelzorger in de indicatie vraagt."),
    )

    class Meta:
        ordering = ["result_id", "order"]
        verbose_name = _("IB-subresultaat")
        verbose_name_plural = _("IB-subresultaten")

    def __str__(self):
        return self.name


class Product(models.Model):
    """An IB product (IB0 .. IB4) with its iWmo product code."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    iwmo_category = models.CharField(_("iWmo-productcategorie"), max_length=2, default="02")
    iwmo_code = models.CharField(_("iWmo-productcode"), max_length=5, blank=True)
    level = models.PositiveSmallIntegerField(
        _("zwaarte"), unique=True, help_text=_("0 = lichtst; bepaalt op- en afschaling.")
    )
    description = models.TextField(_("omschrijving"), blank=True)
    requires_end_date = models.BooleanField(_("altijd eindig"), default=False)
    max_duration_weeks = models.PositiveSmallIntegerField(_("maximale duur (weken)"), null=True, blank=True)
    allows_opslag = models.BooleanField(_("opslag mogelijk"), default=True)
    # IB4 is for young people moving from the Jeugdwet to the Wmo; the seed gives no upper bound, so
    # it is reference data: the client must be younger than this on the ingangsdatum (empty: no bound).
    age_limit = models.PositiveSmallIntegerField(
        _("leeftijdsgrens"),
        null=True,
        blank=True,
        help_text=_("De cliënt is op de ingangsdatum jonger dan deze leeftijd; leeg: geen grens."),
    )

    class Meta:
        ordering = ["level"]
        verbose_name = _("product")
        verbose_name_plural = _("producten")

    def __str__(self):
        # Every product shows its iWmo code, or that it has none (IB0: none given), never a bare name.
        return f"{self.name} ({self.iwmo_code or _('zonder productcode')})"


class Tariff(models.Model):
    """The price per client per period of 4 weeks, versioned by validity period."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="tariffs")
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    amount_per_period = models.DecimalField(_("tarief per 4 weken"), max_digits=9, decimal_places=2)
    opslag_per_period = models.DecimalField(
        _("opslag per 4 weken"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["product__level", "valid_from"]
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        constraints = tariff_period_constraints(
            "tariff", overlap_message=_("Deze periode overlapt met een ander tarief van hetzelfde product.")
        )

    def __str__(self):
        return f"{self.product.code} vanaf {self.valid_from:%d-%m-%Y}: € {self.amount_per_period}"


class CostReference(models.Model):
    """Reference costs for the IB rule of seed 002 "no IB where the extramural package costs more
    than an intramural one", versioned by validity period: the cost of the intramural package
    compared with (a beschermd-wonen or Wlz package with verblijf) per 4 weeks, and the price of one
    hour IB with which dagdelen dagbesteding filled in with IB are counted."""

    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    intramural_package = models.CharField(_("intramuraal pakket"), max_length=100)
    intramural_cost_per_period = models.DecimalField(
        _("kosten intramuraal pakket per 4 weken"), max_digits=9, decimal_places=2
    )
    ib_hour_rate = models.DecimalField(
        _("tarief per uur IB"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Waarmee een dagdeel dagbesteding ingevuld met IB als één uur IB meetelt."),
    )

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("kostenreferentie intramuraal")
        verbose_name_plural = _("kostenreferenties intramuraal")
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="cost_reference_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cost_reference_period_ordered",
                violation_error_message=_("'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen."),
            ),
        ]

    def __str__(self):
        return f"{self.intramural_package} (vanaf {self.valid_from:%d-%m-%Y})"
