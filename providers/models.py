import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import RedenAfwijzingVerzoek, RedenVerzoek, VerzoekAntwoord
from .iban import compact, validate_iban

agb_code_validator = RegexValidator(r"^\d{8}$", _("Een AGB-code bestaat uit precies 8 cijfers."))
bic_validator = RegexValidator(
    r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("Een BIC bestaat uit 8 of 11 letters en cijfers (bijvoorbeeld ABNANL2A).")
)


class ReferenceGroup(models.Model):
    """One of the six provider reference groups (DOMAIN.md)."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name = models.CharField(_("naam"), max_length=100)

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
    # The account the payment run transfers the declaraties to (billing.payments, SEPA pain.001).
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[bic_validator])
    account_holder = models.CharField(_("tenaamstelling rekening"), max_length=70, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self):
        return self.name

    def clean(self):
        # Stored without spaces and in capitals, as the SEPA file sends it.
        self.iban, self.bic = compact(self.iban), compact(self.bic)


class Contract(models.Model):
    """Which IB products a provider may deliver, and when."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("aanbieder")
    )
    products = models.ManyToManyField("indications.Product", related_name="contracts", verbose_name=_("producten"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "valid_from"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="contract_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.provider} vanaf {self.valid_from:%d-%m-%Y}"


class AssignmentState(models.TextChoices):
    """Where a toewijzing really stands, from its stored status and the provider's reports: what the
    pages and the API show. The stored status only says whether it is still in force."""

    TOEGEWEZEN = "toegewezen", _("toegewezen")  # in force, the provider has not reported the start
    GESTART = "gestart", _("gestart")  # in force, care started
    GESTOPT = "gestopt", _("gestopt")  # the provider reported the stop
    BEEINDIGD = "beeindigd", _("beëindigd")  # ended by the municipality without a stop report
    INGETROKKEN = "ingetrokken", _("ingetrokken")  # withdrawn: it never applied


def _active_status_on(day) -> models.Q:
    """Stored as actief and its end date (if any) not yet passed on `day`."""
    return models.Q(status=Assignment.Status.ACTIVE) & (models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


def _ended_status_on(day) -> models.Q:
    """Stored as beëindigd, or still stored as actief while its end date has passed on `day` (the
    nightly providers.services.end_lapsed_assignments has not caught up with it yet)."""
    return models.Q(status=Assignment.Status.ENDED) | models.Q(status=Assignment.Status.ACTIVE, end_date__lt=day)


class AssignmentQuerySet(models.QuerySet):
    """Toewijzingen by their status on a day, derived from the dates: a toewijzing whose end date
    has passed is beëindigd whether or not the nightly job has stored that yet."""

    def active_on(self, day) -> "AssignmentQuerySet":
        return self.filter(_active_status_on(day))

    def ended_on(self, day) -> "AssignmentQuerySet":
        return self.filter(_ended_status_on(day))

    def with_status_on(self, day) -> "AssignmentQuerySet":
        """Annotated with `status_on`: the status (Assignment.Status) on `day`."""
        return self.annotate(
            status_on=models.Case(
                models.When(_ended_status_on(day), then=models.Value(Assignment.Status.ENDED.value)),
                default=models.F("status"),
                output_field=models.CharField(),
            )
        )


class Assignment(models.Model):
    """A toewijzing (iWmo WMO301): the beschikking's product assigned to the provider.

    The stored `status` is kept current by the services and by the nightly end_lapsed_assignments;
    read it through status_on(day) / state_on(day), or the queryset's active_on / ended_on /
    with_status_on, so that a toewijzing whose end date has passed is beëindigd also before that job ran."""

    class Status(models.TextChoices):
        ACTIVE = "actief", _("actief")
        ENDED = "beeindigd", _("beëindigd")
        WITHDRAWN = "ingetrokken", _("ingetrokken")

    State = AssignmentState

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("toewijzingnummer"), max_length=20, unique=True)
    indication = models.ForeignKey("indications.Indication", on_delete=models.PROTECT, related_name="assignments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assignments")
    product = models.ForeignKey("indications.Product", on_delete=models.PROTECT, related_name="+")
    volume = models.PositiveSmallIntegerField(_("omvang"), default=1)
    unit = models.CharField(_("eenheid (WJ756)"), max_length=2, default="82")
    assigned_on = models.DateField(_("toewijzingsdatum"))
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    change_reason = models.CharField(_("reden wijziging (WMO002)"), max_length=2, blank=True)
    care_started_on = models.DateField(_("zorg gestart op"), null=True, blank=True)
    care_stopped_on = models.DateField(_("zorg gestopt op"), null=True, blank=True)
    stop_reason = models.CharField(_("reden beëindiging (WMO588)"), max_length=2, blank=True)
    # The day the start and the stop were received, by either channel (REST API or WMO305/307): the
    # iWmo term of 5 werkdagen after the date reported is judged on it (signal iwmo_melding_te_laat).
    care_start_reported_on = models.DateField(_("start zorg ontvangen op"), null=True, blank=True)
    care_stop_reported_on = models.DateField(_("stop zorg ontvangen op"), null=True, blank=True)
    # What the stop did to the toewijzing's end, so that withdrawing the stop (StatusAanlevering 3)
    # takes exactly that back: whether it set the end, and the end it had before (empty: none).
    stop_set_end = models.BooleanField(_("einde gezet door de stop"), default=False)
    end_date_before_stop = models.DateField(_("einddatum vóór de stop"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    # The conditions of the queryset methods, for filters across relations and in Q objects.
    active_condition = staticmethod(_active_status_on)
    ended_condition = staticmethod(_ended_status_on)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        indexes = [
            models.Index(fields=["provider", "status", "start_date"]),
            # The API's list order, for an index-only count-off of a page's ids (api/pagination.py).
            models.Index(fields=["provider", "-start_date", "-id"], name="assignment_provider_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(care_stopped_on__isnull=True)
                | (
                    models.Q(care_started_on__isnull=False) & models.Q(care_stopped_on__gte=models.F("care_started_on"))
                ),
                name="assignment_stop_after_start",
            ),
        ]

    def __str__(self):
        return self.number

    def status_on(self, day) -> str:
        """The status on `day`: beëindigd once the end date has passed, also while still stored as actief."""
        return assignment_status_on(self.status, self.end_date, day)

    def state_on(self, day) -> str:
        """The real state on `day` (AssignmentState); providers.selectors.state_conditions says the same in SQL."""
        return assignment_state_on(
            self.status,
            self.end_date,
            care_started_on=self.care_started_on,
            care_stopped_on=self.care_stopped_on,
            day=day,
        )

    @property
    def state(self) -> str:
        """The real state today (what the pages and the API show)."""
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return AssignmentState(self.state).label


def assignment_status_on(status: str, end_date, day) -> str:
    """Assignment.status_on from the stored values (also for a row read with values())."""
    if status == Assignment.Status.ACTIVE and end_date is not None and end_date < day:
        return Assignment.Status.ENDED
    return status


def assignment_state_on(status: str, end_date, *, care_started_on, care_stopped_on, day) -> str:
    """Assignment.state_on from the stored values (also for a row read with values())."""
    status = assignment_status_on(status, end_date, day)
    if status == Assignment.Status.WITHDRAWN:
        return AssignmentState.INGETROKKEN
    if care_stopped_on is not None:
        return AssignmentState.GESTOPT
    if status == Assignment.Status.ENDED:
        return AssignmentState.BEEINDIGD
    if care_started_on is not None:
        return AssignmentState.GESTART
    return AssignmentState.TOEGEWEZEN


class CareEvent(models.Model):
    """A message from a provider's system (start, stop, verzoek om wijziging), kept with the answer
    it got so that a retry with the same message id returns that answer and changes nothing."""

    class Kind(models.TextChoices):
        START = "start", _("start zorg")
        STOP = "stop", _("stop zorg")
        CHANGE_REQUEST = "wijzigingsverzoek", _("verzoek om wijziging")
        SUPPORT_PLAN = "ondersteuningsplan", _("ondersteuningsplan")
        START_WITHDRAWN = "start_ingetrokken", _("start zorg ingetrokken")
        STOP_WITHDRAWN = "stop_ingetrokken", _("stop zorg ingetrokken")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="care_events")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="care_events"
    )
    message_id = models.CharField(_("bericht-id"), max_length=64)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    event_date = models.DateField(_("datum"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=2, blank=True)
    accepted = models.BooleanField(_("geaccepteerd"))
    response_status = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    # SHA-256 of the message's canonical content (services.message_fingerprint): the same id with
    # another content is a conflict, not a retry. Empty for messages stored before it was kept.
    fingerprint = models.CharField(
        _("vingerafdruk van het bericht"), max_length=64, blank=True, default="", editable=False
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("zorgbericht")
        verbose_name_plural = _("zorgberichten")
        constraints = [
            models.UniqueConstraint(fields=["provider", "message_id"], name="care_event_message_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.message_id}"


class ChangeRequest(models.Model):
    """A verzoek om wijziging (iWmo WMO317): the provider asks for another product or end date."""

    class Status(models.TextChoices):
        OPEN = "open", _("in behandeling")
        GRANTED = "toegekend", _("toegekend")
        REFUSED = "afgewezen", _("afgewezen")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="change_requests")
    requested_product = models.ForeignKey(
        "indications.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_end_date = models.DateField(_("gevraagde einddatum"), null=True, blank=True)
    # A WMO317's GewensteIngangsdatum (of its NieuwProduct, else of its TeWijzigenProduct): the proposed
    # start of the follow-up when the request is granted (services.answer_change_request).
    requested_start_date = models.DateField(_("gewenste ingangsdatum"), null=True, blank=True)
    # The Omvang or the Budget (in eurocent, LDT_Budget) a WMO317 asks for, as asked: our products
    # have a fixed Omvang (iwmo.ProductOmvang), so they are shown to the consultant, not applied.
    requested_volume = models.PositiveIntegerField(_("gevraagde omvang: volume"), null=True, blank=True)
    requested_unit = models.CharField(_("gevraagde omvang: eenheid (WJ756)"), max_length=2, blank=True)
    requested_frequency = models.CharField(_("gevraagde omvang: frequentie (WMO757)"), max_length=1, blank=True)
    requested_budget = models.PositiveIntegerField(_("gevraagd budget (eurocent)"), null=True, blank=True)
    motivation = models.TextField(_("motivering"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer_reason = models.TextField(_("toelichting op het antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    follow_up = models.ForeignKey(
        "indications.Indication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # WJ758: the provider's reason (REST: optional; a WMO317 always has it).
    request_reason = models.CharField(
        _("reden verzoek"), max_length=1, choices=RedenVerzoek.choices, blank=True, default=""
    )
    # WJ760 of the last answer that was not a grant ("2" in onderzoek keeps the request open).
    answer_kind = models.CharField(
        _("soort antwoord"), max_length=1, choices=VerzoekAntwoord.choices, blank=True, default=""
    )
    # WJ759: why it was refused.
    refusal_reason = models.CharField(
        _("reden afwijzing"), max_length=1, choices=RedenAfwijzingVerzoek.choices, blank=True, default=""
    )
    # The iWmo references of a request that came in as a WMO317 (empty for one through the REST API):
    # the provider's ReferentieAanbieder (TR347), the message's identification and the inbox row's id.
    reference = models.CharField(_("referentie aanbieder"), max_length=36, blank=True, default="")
    message_identification = models.CharField(_("identificatie WMO317"), max_length=12, blank=True, default="")
    incoming_message_id = models.PositiveBigIntegerField(_("inkomend bericht"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verzoek om wijziging")
        verbose_name_plural = _("verzoeken om wijziging")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_product__isnull=False) | models.Q(requested_end_date__isnull=False),
                name="change_request_asks_something",
            ),
            models.CheckConstraint(  # CD077/CD078: an Omvang or a Budget, not both
                condition=models.Q(requested_volume__isnull=True) | models.Q(requested_budget__isnull=True),
                name="change_request_omvang_or_budget",
            ),
        ]

    def __str__(self):
        return f"Verzoek om wijziging {self.assignment}"

    @property
    def can_be_answered(self) -> bool:
        """Only an open request is answered (services.answer_change_request refuses any other)."""
        return self.status == self.Status.OPEN

    @property
    def requested_budget_euros(self) -> Decimal | None:
        return None if self.requested_budget is None else Decimal(self.requested_budget) / 100


class AssignmentRequest(models.Model):
    """A verzoek om toewijzing (iWmo WMO315): a provider asks the municipality for a toewijzing of
    one product for a client (one row per AangevraagdProduct; the standard answers each on its own,
    Processen_WMO "Proces beoordelen"). It is granted by the toewijzing of that provider that the
    normal route (melding, onderzoek, aanvraag, beschikking, vaststelling) creates, and rejected with
    a WJ759 reason (answered by a WMO319). `reference` is the provider's ReferentieAanbieder: unique
    per provider (TR347), echoed in the WMO301 or WMO319 that answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("in behandeling")
        GRANTED = "toegekend", _("toegekend")
        REJECTED = "afgewezen", _("afgewezen")

    # The allowed moves (services.answer_assignment_request and the grant by a toewijzing).
    ALLOWED_STATUS_CHANGES = {Status.OPEN: {Status.GRANTED, Status.REJECTED}}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="assignment_requests", verbose_name=_("aanbieder")
    )
    # Empty when the BSN is not a client of ours (docs/iwmo-parts/v315.md): the consultant rejects it.
    client = models.ForeignKey(
        "indications.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_requests",
        verbose_name=_("cliënt"),
    )
    bsn = models.CharField(_("BSN"), max_length=9)
    reference = models.CharField(_("referentie aanbieder"), max_length=36)
    # The product as asked (ProductCategorie / ProductCode) and ours when it maps to one.
    product_category = models.CharField(_("productcategorie"), max_length=2, blank=True)
    product_code = models.CharField(_("productcode"), max_length=5, blank=True)
    product = models.ForeignKey(
        "indications.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField(_("gevraagde ingangsdatum"))
    end_date = models.DateField(_("gevraagde einddatum"), null=True, blank=True)
    volume = models.PositiveIntegerField(_("omvang: volume"), null=True, blank=True)
    unit = models.CharField(_("omvang: eenheid (WJ756)"), max_length=2, blank=True)
    frequency = models.CharField(_("omvang: frequentie (WMO757)"), max_length=1, blank=True)
    # WJ758 (reden verzoek) belongs to the WMO317; a WMO315 carries none, so this stays empty for it.
    reason = models.CharField(_("reden verzoek (WJ758)"), max_length=1, blank=True)
    comment = models.TextField(_("toelichting van de aanbieder"), blank=True)
    referrer = models.CharField(_("verwijzer"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    rejection_reason = models.CharField(
        _("reden afwijzing (WJ759)"), max_length=1, choices=RedenAfwijzingVerzoek.choices, blank=True
    )
    motivation = models.TextField(_("motivering van het antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_request",
        verbose_name=_("toewijzing"),
    )
    # The iWmo message it came in (iwmo.IncomingMessage: a higher layer, so by its identity, not a key).
    message_type = models.CharField(_("berichtsoort"), max_length=6, blank=True)
    message_identification = models.CharField(_("identificatie van het bericht"), max_length=12, blank=True)
    message_dagtekening = models.DateField(_("dagtekening van het bericht"), null=True, blank=True)
    message_uuid = models.UUIDField(_("inkomend bericht"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verzoek om toewijzing")
        verbose_name_plural = _("verzoeken om toewijzing")
        constraints = [
            models.UniqueConstraint(fields=["provider", "reference"], name="assignment_request_reference_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="afgewezen") | ~models.Q(rejection_reason=""),
                name="assignment_request_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="toegekend") | models.Q(assignment__isnull=False),
                name="assignment_request_grant_has_assignment",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status"], name="assignment_request_open")]

    def __str__(self):
        return f"Verzoek om toewijzing {self.reference} van {self.provider}"

    @property
    def can_be_answered(self) -> bool:
        return self.status == self.Status.OPEN


def private_storage():
    """The storage of files with client data (settings.STORAGES["private"]): no public URL."""
    return storages["private"]


def support_plan_path(plan: "SupportPlan", filename: str) -> str:
    return f"ondersteuningsplannen/{plan.assignment.uuid}/versie-{plan.version}-{plan.pdf_sha256[:16]}.pdf"


class SupportPlan(models.Model):
    """The provider's ondersteuningsplan for a toewijzing (seed 002: drawn up by the provider with the
    client, based on the results of the beschikking, and part of the definitive beschikking). Each
    submission is a new version: a PDF and/or a text per result of the beschikking. The consultant
    accepts it or asks for changes (with a remark); an unjudged version that a newer one replaces is
    vervangen. providers.support_plans holds the rules and the status table."""

    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("ingediend")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        CHANGES_REQUESTED = "wijziging_gevraagd", _("wijziging gevraagd")
        SUPERSEDED = "vervangen", _("vervangen door een nieuwere versie")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="support_plans", verbose_name=_("toewijzing")
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("ingediend op"))
    submitted_by = models.ForeignKey(
        "ApiToken",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend met API-sleutel"),
    )
    pdf = models.FileField(
        _("plan (PDF)"), storage=private_storage, upload_to=support_plan_path, max_length=200, blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 van de PDF"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("grootte van de PDF (bytes)"), null=True, blank=True)
    judged_on = models.DateField(_("beoordeeld op"), null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    remark = models.TextField(_("opmerking van de consulent"), blank=True)

    class Meta:
        ordering = ["assignment", "-version"]
        verbose_name = _("ondersteuningsplan")
        verbose_name_plural = _("ondersteuningsplannen")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "version"], name="support_plan_version_once"),
            models.CheckConstraint(
                condition=~models.Q(status="wijziging_gevraagd") | ~models.Q(remark=""),
                name="support_plan_changes_have_a_remark",
            ),
            models.CheckConstraint(
                condition=models.Q(pdf="") | models.Q(pdf_sha256__regex=r"^[0-9a-f]{64}$"),
                name="support_plan_pdf_has_its_hash",
            ),
        ]

    def __str__(self):
        return f"Ondersteuningsplan {self.assignment} versie {self.version}"

    @property
    def can_be_judged(self) -> bool:
        """Only a submitted version is judged (support_plans.judge_support_plan refuses any other)."""
        return self.status == self.Status.SUBMITTED


class SupportPlanPart(models.Model):
    """The provider's plan for one result of the beschikking: the approach and activities, and the
    planned steps towards the result."""

    plan = models.ForeignKey(
        SupportPlan, on_delete=models.CASCADE, related_name="parts", verbose_name=_("ondersteuningsplan")
    )
    indication_result = models.ForeignKey(
        "indications.IndicationResult", on_delete=models.PROTECT, related_name="+", verbose_name=_("resultaat")
    )
    approach = models.TextField(_("aanpak en activiteiten"))
    steps = models.TextField(_("geplande stappen"), blank=True)

    class Meta:
        ordering = ["plan", "indication_result__result__domain__order", "indication_result_id"]
        verbose_name = _("plan per resultaat")
        verbose_name_plural = _("plannen per resultaat")
        constraints = [
            models.UniqueConstraint(fields=["plan", "indication_result"], name="support_plan_part_once_per_result"),
        ]

    def __str__(self):
        return f"{self.plan}: {self.indication_result}"


def api_key_expiry():
    """A new key's end of validity: API_KEY_LIFETIME_DAYS (default 365) from now."""
    return timezone.now() + timedelta(days=settings.API_KEYS["LIFETIME_DAYS"])


class ApiToken(models.Model):
    """A provider organisation's API key. Only a hash is stored; the key is shown once. A key works
    until it expires (401 key_expired afterwards) or is revoked, whichever comes first."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("aanbieder")
    )
    name = models.CharField(_("omschrijving"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"), default=api_key_expiry)

    class Meta:
        ordering = ["provider", "-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        permissions = [("manage_api_tokens", _("Kan API-sleutels van aanbieders uitgeven en intrekken"))]

    def __str__(self):
        return f"{self.provider}: {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class AnnualReview(models.Model):
    """The jaargesprek: contract management reviews a provider's performance over a year with the
    provider (PDCA, at least once a year). The figures discussed are kept as they were on the day,
    so the record still shows them after later reports change the live figures."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="annual_reviews")
    year = models.PositiveSmallIntegerField(_("jaar"))
    held_on = models.DateField(_("gehouden op"))
    participants = models.CharField(_("deelnemers"), max_length=500)
    conclusions = models.TextField(_("conclusies over de prestaties"))
    agreements = models.TextField(_("afspraken en verbeterpunten"), blank=True)
    next_review_on = models.DateField(_("volgend gesprek"), null=True, blank=True)
    figures = models.JSONField(_("besproken cijfers"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "-year"]
        verbose_name = _("jaargesprek")
        verbose_name_plural = _("jaargesprekken")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="annual_review_once_per_year"),
            models.CheckConstraint(condition=models.Q(year__gte=2015), name="annual_review_year_wmo_2015"),
        ]

    def __str__(self):
        return f"Jaargesprek {self.provider} {self.year}"


class SlaFiguresColumns(models.Model):
    """The stored SLA figure columns (providers.sla.SLA_FIGURES), shared by the year/quarter and
    the month rows."""

    instroom = models.PositiveIntegerField(default=0)
    uitstroom = models.PositiveIntegerField(default=0)
    afschaling = models.PositiveIntegerField(default=0)
    opschaling = models.PositiveIntegerField(default=0)
    clients = models.PositiveIntegerField(default=0)
    uitstroom_percentage = models.FloatField(null=True)
    average_duration = models.FloatField(null=True, help_text="days")
    median_duration = models.FloatField(null=True, help_text="days")
    late_start_reports = models.PositiveIntegerField(default=0)
    late_stop_reports = models.PositiveIntegerField(default=0)
    results_assessed = models.PositiveIntegerField(default=0)
    results_behaald = models.PositiveIntegerField(default=0)
    behaald_percentage = models.FloatField(null=True)
    computed_on = models.DateField()

    class Meta:
        abstract = True

    @property
    def late_reports(self) -> int:
        return self.late_start_reports + self.late_stop_reports


class SlaFigures(SlaFiguresColumns):
    """A provider's SLA figures over a year (quarter 0) or one of its quarters, as the nightly
    refresh computed them with providers.selectors.benchmark: the dashboard and the benchmark
    page read these rows, so they load at once also on the national data set."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sla_figures")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(help_text="0 = the whole year, 1-4 = a quarter")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "quarter"], name="sla_figures_once_per_period"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="sla_figures_quarter_0_to_4"),
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="sla_figures_period")]

    def __str__(self):
        return f"SLA {self.provider_id} {self.year}/{self.quarter}"


class SlaMonthFigures(SlaFiguresColumns):
    """A provider's SLA figures over one month, stored by the same nightly refresh (the provider's
    SLA API per month reads them for a closed month)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sla_month_figures")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(help_text="1-12")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "month"], name="sla_month_figures_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="sla_month_figures_month_1_to_12"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="sla_month_figures_period")]

    def __str__(self):
        return f"SLA {self.provider_id} {self.year}-{self.month:02d}"


class SlaProductResults(models.Model):
    """Per provider, year and IB product: the evaluations of its care (per outcome) and the results
    assessed (providers.selectors.results_per_product), as the nightly refresh computed them."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sla_product_results")
    year = models.PositiveSmallIntegerField()
    product = models.ForeignKey("indications.Product", on_delete=models.CASCADE, related_name="+")
    evaluations = models.PositiveIntegerField(default=0)
    outcome_voortzetten = models.PositiveIntegerField(default=0)
    outcome_afschalen = models.PositiveIntegerField(default=0)
    outcome_opschalen = models.PositiveIntegerField(default=0)
    outcome_beeindigen = models.PositiveIntegerField(default=0)
    outcome_herindicatie = models.PositiveIntegerField(default=0)
    results_assessed = models.PositiveIntegerField(default=0)
    behaald = models.PositiveIntegerField(default=0)
    deels = models.PositiveIntegerField(default=0)
    niet_behaald = models.PositiveIntegerField(default=0)
    behaald_percentage = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year", "product"], name="sla_product_results_once"),
        ]

    def __str__(self):
        return f"Resultaten {self.provider_id} {self.year} {self.product_id}"


class SatisfactionTarget(models.Model):
    """The target for the average score of the cliëntervaringsonderzoek, from a year on (seed 003:
    "De doelstelling is een 7,5 gemiddeld"); the target of a year is the one with the latest
    `from_year` up to that year."""

    from_year = models.PositiveSmallIntegerField(_("vanaf jaar"), unique=True)
    score = models.DecimalField(_("doelscore"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["from_year"]
        verbose_name = _("doel cliënttevredenheid")
        verbose_name_plural = _("doelen cliënttevredenheid")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=10), name="satisfaction_target_1_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.score} vanaf {self.from_year}"


class SatisfactionImport(models.Model):
    """One uploaded XLSX file of cliëntervaringsonderzoek results (all its rows or none)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    rows = models.PositiveIntegerField(_("regels"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import cliëntervaringsonderzoek")
        verbose_name_plural = _("imports cliëntervaringsonderzoek")

    def __str__(self):
        return f"Import CEO {self.file_name}"


class ClientSatisfaction(models.Model):
    """The cliëntervaringsonderzoek result of a provider over a year, for one IB product or (product
    empty) for all its clients: the respondents, their average score (1-10) and how many answered
    positive (8-10), neutral (6-7) and negative (1-5), as seed 003 reports the KTV. A re-import of
    the same provider, product and year replaces the row."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="satisfaction")
    product = models.ForeignKey(
        "indications.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    respondents = models.PositiveIntegerField(_("respondenten"))
    score = models.DecimalField(_("gemiddelde score"), max_digits=4, decimal_places=2)
    positive = models.PositiveIntegerField(_("positief (8-10)"), null=True, blank=True)
    neutral = models.PositiveIntegerField(_("neutraal (6-7)"), null=True, blank=True)
    negative = models.PositiveIntegerField(_("negatief (1-5)"), null=True, blank=True)
    source = models.ForeignKey(SatisfactionImport, on_delete=models.PROTECT, related_name="results")

    class Meta:
        ordering = ["provider", "year", "product"]
        verbose_name = _("cliënttevredenheid")
        verbose_name_plural = _("cliënttevredenheid")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "product", "year"],
                condition=models.Q(product__isnull=False),
                name="client_satisfaction_once_per_product",
            ),
            models.UniqueConstraint(
                fields=["provider", "year"],
                condition=models.Q(product__isnull=True),
                name="client_satisfaction_once_per_provider",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=10), name="client_satisfaction_score_1_to_10"
            ),
        ]

    def __str__(self):
        return f"CEO {self.provider_id} {self.year} {self.product_id or '-'}"
