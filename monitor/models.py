"""Reference data for the monitor (population, duration ambition) and its figures: the cube of
measures per period and cell that the nightly refresh computes from the case data, so the pages
sum a few thousand rows instead of scanning every beschikking of five years."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeGroup(models.TextChoices):
    UNDER_18 = "0-17", _("jonger dan 18")
    FROM_18 = "18-25", _("18 – 25")
    FROM_26 = "26-45", _("26 – 45")
    FROM_46 = "46-65", _("46 – 65")
    FROM_66 = "66-75", _("66 – 75")
    OVER_75 = "76+", _("ouder dan 75")


# The lowest age of each group, in the order above.
AGE_GROUP_FROM = {
    AgeGroup.UNDER_18: 0,
    AgeGroup.FROM_18: 18,
    AgeGroup.FROM_26: 26,
    AgeGroup.FROM_46: 46,
    AgeGroup.FROM_66: 66,
    AgeGroup.OVER_75: 76,
}


class Population(models.Model):
    """Inhabitants per municipality on 1 January of a year (CBS), for rates per 1,000 inhabitants."""

    municipality = models.ForeignKey(
        "indications.Municipality", on_delete=models.PROTECT, related_name="population", verbose_name=_("gemeente")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    inhabitants = models.PositiveIntegerField(_("inwoners"))

    class Meta:
        ordering = ["municipality__name", "year"]
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")
        permissions = [
            ("export_ceo_population", _("Kan de populatie voor het cliëntervaringsonderzoek exporteren")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_once_per_year"),
            models.CheckConstraint(condition=models.Q(inhabitants__gt=0), name="population_positive"),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}: {self.inhabitants}"


class DurationAmbition(models.Model):
    """The policy ambition for the duration of a beschikking of a product, in weeks."""

    product = models.OneToOneField(
        "indications.Product", on_delete=models.PROTECT, related_name="duration_ambition", verbose_name=_("product")
    )
    weeks = models.PositiveSmallIntegerField(_("ambitie trajectduur (weken)"))

    class Meta:
        ordering = ["product__level"]
        verbose_name = _("ambitie trajectduur")
        verbose_name_plural = _("ambities trajectduur")
        constraints = [models.CheckConstraint(condition=models.Q(weeks__gt=0), name="duration_ambition_positive")]

    def __str__(self):
        return f"{self.product}: {self.weeks} weken"


class CubeDimensions(models.Model):
    """The dimensions the monitor filters on, shared by the cube's tables (Selection.cells)."""

    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, null=True, related_name="+")
    reference_group = models.ForeignKey(
        "providers.ReferenceGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices)
    gender = models.CharField(max_length=1)
    opslag = models.BooleanField()
    # The beschikking's primary life domain and whether treatment (Zvw) is needed (seed 000);
    # null / blank where the beschikking does not record them.
    primary_domain = models.ForeignKey(
        "indications.ResultDomain", on_delete=models.CASCADE, null=True, related_name="+"
    )
    treatment_needed = models.CharField(max_length=20, blank=True, default="")
    # Leveringsvorm (seed 003): zorg in natura or pgb (Indication.DeliveryForm).
    delivery_form = models.CharField(max_length=10, default="natura")

    class Meta:
        abstract = True


# The fields of CoarseDimensions.
COARSE_DIMENSIONS = frozenset({"municipality", "product", "provider", "reference_group", "delivery_form"})


class CoarseStepDimensions(models.Model):
    """The dimensions of the coarse tables (CoarseCell, CoarseDurationCell, CoarseWaitingCell,
    CoarseDecisionCell): the sums of the cube's tables over every other dimension, which the refresh
    stores beside them so that a page whose selection and grouping use only these reads a few rows
    instead of all cells (monitor.selectors.stored). Nullable as a step without them has them."""

    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, null=True, related_name="+")
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, null=True, related_name="+")
    # The provider's reference group (as in every table of the cube): no more rows than without it.
    reference_group = models.ForeignKey(
        "providers.ReferenceGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class CoarseDimensions(CoarseStepDimensions):
    """The coarse dimensions with the leveringsvorm (blank for a step without it), which a decision
    cell lacks."""

    delivery_form = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        abstract = True


class CellMeasures(models.Model):
    """The measures of one period (a calendar year, or one of its 13 periods of 4 weeks)."""

    YEAR = 0

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField(help_text="0: the whole year; 1-13: the periods of 4 weeks")
    clients = models.PositiveIntegerField(default=0)
    clients_on_reference_date = models.PositiveIntegerField(default=0)
    instroom = models.PositiveIntegerField(default=0)
    heraanmeldingen = models.PositiveIntegerField(default=0)
    uitstroom = models.PositiveIntegerField(default=0)
    afschaling = models.PositiveIntegerField(default=0)
    opschaling = models.PositiveIntegerField(default=0)
    care_days = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    ended = models.PositiveIntegerField(default=0)
    ended_days = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}/{self.period}"


class Cell(CubeDimensions, CellMeasures):
    """The measures of one period for one combination of the filters. Every client is counted in
    exactly one cell per period (the cell of the beschikking that started last), so client counts
    add up over any selection of cells."""

    class Meta:
        indexes = [models.Index(fields=["period", "year"], name="monitor_cell_period")]


class CoarseCell(CoarseDimensions, CellMeasures):
    """The cells summed per period, municipality, product, provider (and its reference group) and
    leveringsvorm."""

    class Meta:
        indexes = [models.Index(fields=["period", "year"], name="monitor_coarsecell_period")]


class StopCell(models.Model):
    """The clients whose care stopped in a calendar month (a provider's stop report, a switch of
    provider or a change excepted), of them those who ended it themselves (reden 21), per
    municipality and product; product null counts each client once over all products. Read by the
    stops after the eigen bijdrage (monitor.eigen_bijdrage, seed 001)."""

    year = models.PositiveSmallIntegerField()
    month = models.DateField(help_text="the month's first day")
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, null=True, related_name="+")
    clients = models.PositiveIntegerField()
    by_client = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"], name="monitor_stopcell_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.municipality_id}/{self.product_id}: {self.clients}"


class ChannelCell(models.Model):
    """The meldingen received in a year per channel and municipality (meldingen per channel)."""

    year = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    meldingen = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "municipality", "channel"], name="channel_cell_once")]

    def __str__(self):
        return f"{self.year} {self.municipality_id} {self.channel}: {self.meldingen}"


class DurationMeasures(models.Model):
    """How many beschikkingen that ended in a year lasted `days` days."""

    year = models.PositiveSmallIntegerField()
    days = models.PositiveIntegerField()
    ended = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}: {self.ended} x {self.days} days"


class DurationCell(CubeDimensions, DurationMeasures):
    """The beschikkingen that ended in a year, per combination of the year's dimensions (as in Cell)
    and per duration in days: the median duration is read from these counts, because a median
    cannot be summed from the cells and the beschikkingen table is too large to scan per page."""

    class Meta:
        indexes = [models.Index(fields=["year"], name="monitor_durationcell_year")]


class CoarseDurationCell(CoarseDimensions, DurationMeasures):
    """The duration cells summed per municipality, product, provider (and its reference group),
    leveringsvorm and duration."""

    class Meta:
        indexes = [models.Index(fields=["year"], name="monitor_coarseduration_year")]


class StepDimensions(models.Model):
    """The period and dimensions of the stored steps of a case (WaitingCell, DecisionCell): period 0
    is the calendar year, 1-13 its periods of 4 weeks; the monitor's dimensions, with the ones a step
    may not have (an onderzoek or aanvraag has no provider) null or blank, so that a selection on one
    of them leaves such steps out."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, null=True, related_name="+")
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, null=True, related_name="+")
    reference_group = models.ForeignKey(
        "providers.ReferenceGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices)
    gender = models.CharField(max_length=1)
    primary_domain = models.ForeignKey(
        "indications.ResultDomain", on_delete=models.CASCADE, null=True, related_name="+"
    )
    treatment_needed = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        abstract = True


class WaitingMeasures(models.Model):
    """How many of a step of the funnel waited `days` days."""

    step = models.CharField(max_length=12)
    days = models.IntegerField()
    number = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.step} {self.year}/{self.period}: {self.number} x {self.days} days"


class WaitingCell(StepDimensions, WaitingMeasures):
    """The steps of the funnel (monitor.waiting.STEPS) completed in a period, per cell and waiting
    time in days: the waiting-time tables are read from these counts, as the median duration is
    from DurationCell. Period 0 is the calendar year, 1-13 its periods of 4 weeks (which may begin
    in the year before). A dimension a step does not have is null or blank (the onderzoek has no
    product or provider), so a selection on it leaves the step out."""

    delivery_form = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_waitingcell_year")]


class CoarseWaitingCell(CoarseDimensions, WaitingMeasures):
    """The waiting cells summed per step, period, municipality, product, provider (and its reference
    group), leveringsvorm and waiting time."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_coarsewaiting_year")]


class MunicipalityWaitingCell(WaitingMeasures):
    """The waiting cells summed per step, period, municipality and waiting time: what the region's
    or a municipality's waiting times per year and per period read."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_muniwaiting_year")]


class ProductWaitingCell(WaitingMeasures):
    """The waiting cells summed per step, period, product and waiting time: what the waiting times
    per product read for the region or a product."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_productwaiting_year")]


class ProviderWaitingCell(WaitingMeasures):
    """The waiting cells summed per step, period, provider (with its reference group) and waiting
    time: what the waiting times per provider read for the region, a provider or a reference group."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, null=True, related_name="+")
    reference_group = models.ForeignKey(
        "providers.ReferenceGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_providerwaiting_year")]


class MoneyCell(models.Model):
    """Expected and paid cents of one month per provider, product and municipality
    (billing.spending.MoneyCube, expected up to the refresh's reference date): the money tables
    and the budgets' use are read from these rows instead of the year's toewijzingen and
    declaratie lines. The municipality is the client's for expected, the declaratie's for paid."""

    year = models.PositiveSmallIntegerField()
    month = models.DateField()
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, null=True, related_name="+")
    expected_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["year"], name="monitor_moneycell_year")]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.expected_cents} / {self.paid_cents}"


class MantelzorgCell(models.Model):
    """The onderzoeken of one period (0: the calendar year, 1-13 its periods of 4 weeks) per
    municipality, counted on the date of the melding, with their mantelzorgers (monitor.mantelzorg's
    figures): each onderzoek is in one cell per period, so every count adds up over municipalities."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    onderzoeken = models.PositiveIntegerField()
    with_mantelzorger = models.PositiveIntegerField()
    mantelzorgers = models.PositiveIntegerField()
    overloaded = models.PositiveIntegerField()
    respite = models.PositiveIntegerField()
    support = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_mantelzorgcell_year")]

    def __str__(self):
        return f"{self.year}/{self.period}: {self.onderzoeken}"


class ProviderBillingCell(models.Model):
    """A provider's declaratie lines of a year, the rejected ones and those rejected for billing
    beyond the toewijzing (billing.spending.billing_counts), as the nightly refresh counted them."""

    year = models.PositiveSmallIntegerField()
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="+")
    lines = models.PositiveIntegerField()
    rejected = models.PositiveIntegerField()
    beyond = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "provider"], name="provider_billing_once_per_year")]

    def __str__(self):
        return f"{self.year} {self.provider_id}: {self.rejected}/{self.lines}"


class DecisionMeasures(models.Model):
    """How many aanvragen came in, or decisions were taken, with the decision's outcome and ground
    of refusal (shared by DecisionCell and its coarse table)."""

    class Kind(models.TextChoices):
        AANVRAAG = "aanvraag"
        DECISION = "besluit"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    outcome = models.CharField(max_length=20, blank=True, default="")
    refusal_ground = models.CharField(max_length=30, blank=True, default="")
    number = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.kind} {self.year}/{self.period}: {self.number}"


class DecisionCell(StepDimensions, DecisionMeasures):
    """The aanvragen received and the decisions on aanvragen taken in one period (0: the calendar
    year, 1-13 its periods of 4 weeks) per combination of the monitor's dimensions (the age group on
    the year's last day) and, for a decision, its outcome and ground of refusal (monitor.decisions).
    An aanvraag's product is the one asked; it has no provider, reference group, primary domain or
    need of treatment (null or blank), so a selection on one of those leaves the aanvragen out."""

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_decisioncell_year")]


class CoarseDecisionCell(CoarseStepDimensions, DecisionMeasures):
    """The decision cells summed per period, municipality, product, provider and its reference
    group (a DecisionCell has no leveringsvorm)."""

    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "period"], name="monitor_coarsedecision_year")]


class StackingCell(models.Model):
    """Clients with IB and stacking on a year's reference date, per municipality and combination
    (signals.checks.describe_stacking's mask); combination null: the municipality's totals, whose
    households count each address once whatever the combinations in it."""

    year = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey("indications.Municipality", on_delete=models.CASCADE, related_name="+")
    combination = models.PositiveIntegerField(null=True)
    clients = models.PositiveIntegerField()
    households = models.PositiveIntegerField()
    across_laws = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["year", "municipality"], name="monitor_stacking_year")]

    def __str__(self):
        return f"{self.year} {self.municipality_id}: {self.clients}"


# The version of what the refresh stores of a year (YEAR_TABLES in monitor.services and what goes
# into them). Raise it by one in a release that adds such a table or changes what one holds: every
# year computed by an older release is then stale, the page says so and the nightly task recomputes
# those years (monitor.services.catch_up_stale_years). 1: the release that introduced the version;
# the years computed before it may lack the tables of migrations 0005-0009; 2: ProductWaitingCell
# (migration 0011).
CUBE_VERSION = 2


class RefreshedYear(models.Model):
    """A year of the cube, when it was last computed and by which CUBE_VERSION; its row is locked
    while the year is replaced, so two refreshes of one year run one after the other."""

    year = models.PositiveSmallIntegerField(unique=True)
    refreshed_at = models.DateTimeField(null=True)
    cube_version = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return str(self.year)


class Refresh(models.Model):
    """One run of the refresh: when, up to which day, how long, how many cells."""

    started_at = models.DateTimeField(auto_now_add=True)
    reference_date = models.DateField()
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # The year of the first granted beschikking when it ran: where the stale years start (the page
    # reads it here instead of scanning the beschikkingen on every load).
    first_data_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.reference_date}: {self.first_year}-{self.last_year}"
