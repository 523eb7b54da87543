"""Declaraties: contract prices per unit, yearly budgets, the declaraties received (WMO323 or REST)
and their prestaties with what the checks decided. Money is in eurocents, as iWmo counts it; the
paid amounts are sums over the accepted prestaties (billing.selectors), never stored totals."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from indications.models.constraints import tariff_period_constraints
from iwmo.codes import EenheidDeclaratie

from .types import CREDIT, DEBIT


class DebitCredit(models.TextChoices):
    """COD043."""

    DEBIT = DEBIT, _("debet")
    CREDIT = CREDIT, _("credit")


class ContractTariff(models.Model):
    """The price of one unit (WJ756) of a product under a contract, versioned by validity period:
    what a prestatie's amount is checked against (TR346/TR418). `opslag_cents` is added per unit for
    a toewijzing whose beschikking grants the opslag."""

    contract = models.ForeignKey(
        "providers.Contract", on_delete=models.PROTECT, related_name="unit_tariffs", verbose_name=_("contract")
    )
    product = models.ForeignKey(
        "indications.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.CharField(_("eenheid (WJ756)"), max_length=2, choices=EenheidDeclaratie.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    price_cents = models.PositiveIntegerField(_("prijs per eenheid (eurocent)"))
    opslag_cents = models.PositiveIntegerField(_("opslag per eenheid (eurocent)"), null=True, blank=True)

    class Meta:
        ordering = ["contract", "product__level", "unit", "valid_from"]
        verbose_name = _("contracttarief")
        verbose_name_plural = _("contracttarieven")
        constraints = tariff_period_constraints(
            "contract_tariff",
            overlap_message=_("Deze periode overlapt met een ander tarief van dit contract, product en eenheid."),
            key_fields=("contract", "product", "unit"),
            amount_field="price_cents",
        )

    def __str__(self):
        return f"{self.product.code} {self.get_unit_display()} vanaf {self.valid_from:%d-%m-%Y}: {self.price_cents} ct"


class ContractBudget(models.Model):
    """An optional ceiling on what a contract may cost in a calendar year."""

    contract = models.ForeignKey(
        "providers.Contract", on_delete=models.PROTECT, related_name="budgets", verbose_name=_("contract")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount_cents = models.PositiveBigIntegerField(_("budgetplafond (eurocent)"))

    class Meta:
        ordering = ["contract", "year"]
        verbose_name = _("contractbudget")
        verbose_name_plural = _("contractbudgetten")
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="contract_budget_one_per_year")]

    def __str__(self):
        return f"{self.contract} {self.year}: {self.amount_cents} ct"


class Declaratie(models.Model):
    """One declaratie as received (a WMO323 or a REST submission) with the answer it got. It is
    written once, by billing.services.submit_declaratie, in its final status."""

    class Channel(models.TextChoices):
        IWMO = "iwmo", _("iWmo (WMO323)")
        API = "api", _("REST-API")

    class Status(models.TextChoices):
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        PARTLY_ACCEPTED = "deels", _("deels geaccepteerd")
        LINES_REJECTED = "prestaties_afgekeurd", _("alle prestaties afgekeurd")
        REJECTED = "afgekeurd", _("afgekeurd als geheel")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="declaraties", verbose_name=_("aanbieder")
    )
    municipality = models.ForeignKey(
        "indications.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    number = models.CharField(_("declaratienummer"), max_length=12)
    period_start = models.DateField(_("declaratieperiode vanaf"))
    period_end = models.DateField(_("declaratieperiode tot en met"))
    dagtekening = models.DateField(_("dagtekening"))
    channel = models.CharField(_("kanaal"), max_length=4, choices=Channel.choices)
    identification = models.CharField(_("berichtidentificatie"), max_length=64)
    # SHA-256 of the content as judged: the same identification with other content is no retry.
    fingerprint = models.CharField(_("controlegetal van de inhoud"), max_length=64, editable=False)
    submitted_cents = models.BigIntegerField(_("totaal ingediend (eurocent, +debet/-credit)"))
    granted_cents = models.BigIntegerField(_("totaal toegekend (eurocent, +debet/-credit)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # WJ001 on the declaratie as a whole (empty when judged line by line), and per client by BSN.
    codes = models.JSONField(_("retourcodes declaratie"), default=list, blank=True)
    client_codes = models.JSONField(_("retourcodes per cliënt"), default=dict, blank=True)
    incoming_message = models.ForeignKey(
        "iwmo.IncomingMessage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inkomend bericht"),
    )
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("declaratie")
        verbose_name_plural = _("declaraties")
        constraints = [
            models.UniqueConstraint(fields=["provider", "identification"], name="declaratie_identification_unique"),
            # TR333: a declaratienummer once judged is used; one rejected as a whole was not judged.
            models.UniqueConstraint(
                fields=["provider", "number"],
                condition=~Q(status="afgekeurd"),
                name="declaratie_number_unique",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="declaratie_period_ordered"),
        ]
        indexes = [models.Index(fields=["provider", "period_start"], name="declaratie_provider_period")]

    def __str__(self):
        return f"{self.number} ({self.provider})"


class Prestatie(models.Model):
    """One line of a declaratie, as sent, with its decision. `provider` repeats the declaratie's so
    the database can hold the uniqueness rules per provider."""

    declaratie = models.ForeignKey(
        Declaratie, on_delete=models.PROTECT, related_name="prestaties", verbose_name=_("declaratie")
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", verbose_name=_("aanbieder")
    )
    index = models.PositiveIntegerField(_("volgnummer in de declaratie"))
    bsn = models.CharField(_("BSN"), max_length=9)
    client = models.ForeignKey(
        "indications.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cliënt"),
    )
    assignment = models.ForeignKey(
        "providers.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prestaties",
        verbose_name=_("toewijzing"),
    )
    assignment_number = models.CharField(_("toewijzingnummer (zoals ingediend)"), max_length=20)
    reference = models.CharField(_("referentienummer"), max_length=36)
    previous_reference = models.CharField(_("vorig referentienummer"), max_length=36, blank=True)
    product_category = models.CharField(_("productcategorie"), max_length=2)
    product_code = models.CharField(_("productcode"), max_length=5, blank=True)
    period_start = models.DateField(_("productperiode vanaf"))
    period_end = models.DateField(_("productperiode tot en met"))
    volume = models.PositiveIntegerField(_("geleverd volume"))
    unit = models.CharField(_("eenheid (WJ756)"), max_length=2)
    tariff_cents = models.PositiveIntegerField(_("producttarief (eurocent)"), null=True, blank=True)
    amount_cents = models.PositiveBigIntegerField(_("ingediend bedrag (eurocent)"))
    debit_credit = models.CharField(_("debet/credit"), max_length=1, choices=DebitCredit.choices)
    accepted = models.BooleanField(_("toegekend"))
    codes = models.JSONField(_("retourcodes"), default=list)
    # An accepted credit: the accepted debit it cancels (VorigReferentieNummer).
    cancels = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_by",
        verbose_name=_("crediteert debetregel"),
    )

    class Meta:
        ordering = ["declaratie", "index"]
        verbose_name = _("prestatie")
        verbose_name_plural = _("prestaties")
        constraints = [
            models.UniqueConstraint(fields=["declaratie", "index"], name="prestatie_index_unique"),
            # TR314: a ReferentieNummer accepted once is never accepted again for this provider.
            models.UniqueConstraint(
                fields=["provider", "reference"], condition=Q(accepted=True), name="prestatie_reference_unique"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="prestatie_period_ordered"),
            models.CheckConstraint(condition=Q(debit_credit__in=[DEBIT, CREDIT]), name="prestatie_debit_credit"),
            models.CheckConstraint(
                condition=Q(cancels__isnull=True) | Q(debit_credit=CREDIT, accepted=True),
                name="prestatie_only_accepted_credit_cancels",
            ),
            models.CheckConstraint(
                condition=~Q(debit_credit=CREDIT, accepted=True) | Q(cancels__isnull=False),
                name="prestatie_accepted_credit_cancels_a_debit",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "period_start"], name="prestatie_assignment_period"),
            models.Index(fields=["provider", "reference"], name="prestatie_provider_reference"),
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_debit_credit_display()})"

    @property
    def signed_cents(self) -> int:
        return -self.amount_cents if self.debit_credit == CREDIT else self.amount_cents


class FrozenBatchError(Exception):
    """A change to an exported (or cancelled) payment batch."""


class PaymentBatch(models.Model):
    """A payment run: the accepted declaraties of the months up to `month` that no earlier batch
    paid, per provider, for the financial system (CSV, XLSX) and the bank (SEPA pain.001). A concept
    may be cancelled (its declaraties are free again); once exported the batch, its lines and its
    files are frozen (billing.payments, and on PostgreSQL triggers refuse any change)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        EXPORTED = "geexporteerd", _("vastgesteld en geëxporteerd")
        CANCELLED = "geannuleerd", _("geannuleerd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    month = models.DateField(_("maand (eerste dag)"))
    # The kenmerk: the SEPA MsgId and the payment reference (BR202610-1).
    number = models.CharField(_("kenmerk"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONCEPT)
    total_cents = models.BigIntegerField(_("totaal (eurocent)"), default=0)
    transfers = models.PositiveIntegerField(_("aantal overboekingen"), default=0)
    # Providers whose declaraties were not paid in this batch (net <= 0, or no IBAN), as they stood.
    carried_over = models.JSONField(_("doorgeschoven (te verrekenen)"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geëxporteerd door"),
    )
    exported_at = models.DateTimeField(_("geëxporteerd op"), null=True, blank=True)
    execution_date = models.DateField(_("uitvoeringsdatum"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("betaalronde")
        verbose_name_plural = _("betaalrondes")
        permissions = [("manage_paymentbatch", _("Kan betaalrondes aanmaken, vaststellen en exporteren"))]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=~Q(status="geannuleerd"), name="payment_batch_one_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="payment_batch_month_first_day"),
            models.CheckConstraint(
                condition=~Q(status="geexporteerd") | Q(exported_at__isnull=False, execution_date__isnull=False),
                name="payment_batch_exported_has_date",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # An exported or cancelled batch stays as it is (the services move a concept only).
        if self.pk is not None and PaymentBatch.objects.filter(pk=self.pk).exclude(status=self.Status.CONCEPT).exists():
            raise FrozenBatchError(_("Deze betaalronde is vastgesteld of geannuleerd en verandert niet meer."))
        return super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.CONCEPT


class PaymentLine(models.Model):
    """One declaratie paid in a batch, with the amount the batch paid for it: the sum of its
    accepted prestaties (+debit, -credit) when the batch was made. A declaratie is in one batch at
    most (the unique key); the amount is what this payment record paid, frozen with the batch."""

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.CASCADE, related_name="lines", verbose_name=_("betaalronde")
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", verbose_name=_("aanbieder")
    )
    declaratie = models.OneToOneField(
        Declaratie, on_delete=models.PROTECT, related_name="payment_line", verbose_name=_("declaratie")
    )
    amount_cents = models.BigIntegerField(_("betaald bedrag (eurocent, +debet/-credit)"))
    accepted_lines = models.PositiveIntegerField(_("toegekende prestaties"))

    class Meta:
        ordering = ["batch", "provider__name", "declaratie__period_start", "declaratie__number"]
        verbose_name = _("betaalregel")
        verbose_name_plural = _("betaalregels")
        indexes = [models.Index(fields=["batch", "provider"], name="payment_line_batch_provider")]

    def __str__(self):
        return f"{self.batch} {self.declaratie}"

    def save(self, *args, **kwargs):
        self._refuse_when_frozen()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_when_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_when_frozen(self):
        if PaymentBatch.objects.filter(pk=self.batch_id).exclude(status=PaymentBatch.Status.CONCEPT).exists():
            raise FrozenBatchError(_("Deze betaalronde is vastgesteld; de regels kunnen niet meer veranderen."))


class PaymentExport(models.Model):
    """A file of an exported batch, kept as written: every download sends these bytes (the SHA-256
    proves it). Per batch one CSV, XLSX and SEPA file, and per paid provider a CSV and an XLSX."""

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("XLSX")
        SEPA = "sepa", _("SEPA (pain.001)")

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="exports", verbose_name=_("betaalronde")
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanbieder (leeg: de hele ronde)"),
    )
    kind = models.CharField(_("soort"), max_length=4, choices=Kind.choices)
    filename = models.CharField(_("bestandsnaam"), max_length=120)
    content = models.BinaryField(_("inhoud"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["batch", "provider", "kind"]
        verbose_name = _("exportbestand betaalronde")
        verbose_name_plural = _("exportbestanden betaalronde")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kind"], condition=Q(provider__isnull=True), name="payment_export_one_per_batch"
            ),
            models.UniqueConstraint(
                fields=["batch", "provider", "kind"],
                condition=Q(provider__isnull=False),
                name="payment_export_one_per_provider",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=True) | ~Q(kind="sepa"), name="payment_export_sepa_whole_batch"
            ),
        ]

    def __str__(self):
        return self.filename

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise FrozenBatchError(_("Een exportbestand wordt niet gewijzigd."))
        return super().save(*args, **kwargs)
