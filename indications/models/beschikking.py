"""The indication that becomes the beschikking: its status, results, planned evaluations and
status history."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .case import Aanvraag, Client
from .reference import IbResult, IbSubResult, Product, ResultDomain


class IndicationStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    TER_BEOORDELING = "ter_beoordeling", _("ter beoordeling")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")
    VASTGESTELD = "vastgesteld", _("vastgesteld")
    ACTIEF = "actief", _("actief")
    BEEINDIGD = "beeindigd", _("beëindigd")
    INGETROKKEN = "ingetrokken", _("ingetrokken")
    # The aanvraag is refused (afwijzing): a decision with a ground and a motivation, terminal; it
    # grants nothing, so it is never live or granted, has no provider, toewijzing or evaluations.
    AFGEWEZEN = "afgewezen", _("afgewezen")


# The status sets, defined once (indications.workflow re-exports them and documents what each means).
# Live: the beschikking grants care now or from its ingangsdatum.
LIVE_STATUSES = (IndicationStatus.VASTGESTELD, IndicationStatus.ACTIEF)
# Granted: the beschikking stands as decided and grants or granted care (live or ended). A withdrawn
# one is not granted: it never applied.
GRANTED_STATUSES = (*LIVE_STATUSES, IndicationStatus.BEEINDIGD)
# Before any decision: the concept and its four-eyes review.
UNDECIDED_STATUSES = (IndicationStatus.CONCEPT, IndicationStatus.TER_BEOORDELING, IndicationStatus.GOEDGEKEURD)
# The only status in which a concept's content may change.
EDITABLE_STATUSES = (IndicationStatus.CONCEPT,)
# The indication never applied (withdrawn before or after its decision): its aanvraag may lead to a new one.
VOID_STATUSES = (IndicationStatus.INGETROKKEN,)
# Refused: the decision on the aanvraag is an afwijzing. Decided (it has a decision date and meets the
# beschikking term), but it grants no care: never live, never granted.
REFUSED_STATUSES = (IndicationStatus.AFGEWEZEN,)
# Decided: a decision was taken (vastgesteld), whatever happened afterwards, so also a beschikking
# withdrawn after its decision. Only the vaststelling sets the decision date and every granted
# status requires one (indication_decided_has_decision_date), so the date is the whole test.


def decided(path: str = "") -> Q:
    """The condition "decided" on a query of indications, or through `path` from another model
    (e.g. "indications__" from a provider)."""
    return Q(**{f"{path}decision_date__isnull": False})


DECIDED = decided()


def decided_grant(path: str = "") -> Q:
    """Decided and not refused: a toekenning (whole or partial), also one withdrawn afterwards."""
    return decided(path) & ~Q(**{f"{path}outcome": DecisionOutcome.AFWIJZING})


class DecisionOutcome(models.TextChoices):
    """What the decision on the aanvraag is. The consultant chooses a refusal; whether a grant is
    whole or partial is derived by the service from what was asked (indications.decisions)."""

    TOEKENNING = "toekenning", _("toekenning")
    GEDEELTELIJK = "gedeeltelijk", _("gedeeltelijke toekenning")
    AFWIJZING = "afwijzing", _("afwijzing")


class RefusalGround(models.TextChoices):
    """The ground of an afwijzing (seed 003, the onderzoek's conclusions and the other laws)."""

    EIGEN_KRACHT = "eigen_kracht", _("eigen kracht of sociaal netwerk volstaat")
    ALGEMENE_VOORZIENING = "algemene_voorziening", _("een algemene voorziening volstaat")
    WLZ = "wlz", _("andere wet: Wet langdurige zorg (Wlz)")
    ZVW = "zvw", _("andere wet: Zorgverzekeringswet (Zvw)")
    JEUGDWET = "jeugdwet", _("andere wet: Jeugdwet")
    VERBLIJF = "verblijf", _("verblijf is noodzakelijk")
    NIET_INGEZETENE = "niet_ingezetene", _("geen ingezetene van de gemeente")


class TreatmentNeeded(models.TextChoices):
    """Seed 000: at indication, check whether treatment (Zvw) is needed besides IB."""

    NO = "nee", _("nee")
    IN_PLACE = "ja_ingezet", _("ja, behandeling is ingezet")
    WAITING = "ja_wachtlijst", _("ja, cliënt wacht op behandeling")
    NOT_YET = "ja_niet_ingezet", _("ja, nog niet ingezet of aangevraagd")


class DeliveryForm(models.TextChoices):
    """Leveringsvorm (seed 003): care in kind by a contracted provider, or a persoonsgebonden budget
    (paid through the SVB; no toewijzing to a provider, see indications.pgb)."""

    NATURA = "natura", _("zorg in natura")
    PGB = "pgb", _("persoonsgebonden budget")


class Indication(models.Model):
    """An indication for IB; once vastgesteld it is the beschikking sent to the client."""

    class Kind(models.TextChoices):
        FIRST = "eerste", _("eerste indicatie")
        HERINDICATIE = "herindicatie", _("herindicatie")
        SCALE_UP = "opschaling", _("opschaling")
        SCALE_DOWN = "afschaling", _("afschaling")

    Status = IndicationStatus
    TreatmentNeeded = TreatmentNeeded
    Outcome = DecisionOutcome
    RefusalGround = RefusalGround
    DeliveryForm = DeliveryForm

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("beschikkingnummer"), max_length=20, unique=True, null=True, blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="indications")
    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.PROTECT, null=True, blank=True, related_name="indications")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.FIRST)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("vervangt beschikking"),
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="indications")
    opslag = models.BooleanField(_("opslag"), default=False)
    opslag_motivation = models.TextField(_("motivering opslag"), blank=True)
    start_date = models.DateField(_("ingangsdatum"))
    retroactive_motivation = models.TextField(
        _("motivering terugwerkende kracht"),
        blank=True,
        help_text=_("Alleen als de ingangsdatum vóór de melding ligt en niet aansluit op een eerdere beschikking."),
    )
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    # Seed 000 (advice on focus): the one life domain the support is aimed at first, one of the
    # domains of the indication's results (the service checks it), and whether treatment is needed.
    primary_domain = models.ForeignKey(
        ResultDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("primair leefdomein"),
        help_text=_("Het leefdomein waarop de ondersteuning zich het eerst richt: een van de gekozen resultaten."),
    )
    treatment_needed = models.CharField(
        _("is behandeling (Zvw) nodig?"), max_length=20, choices=TreatmentNeeded.choices, blank=True
    )
    # Seed 002: a provider may fill in a dagbesteding indication with IB (a job- or dagbestedingscoach);
    # one dagdeel dagbesteding then counts as one hour IB, in the cost and on the beschikking.
    dagbesteding_dagdelen_ib = models.PositiveSmallIntegerField(
        _("dagdelen dagbesteding ingevuld met IB (per week)"),
        default=0,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "Eén dagdeel dagbesteding staat gelijk aan één uur individuele begeleiding (ten hoogste 10 per week)."
        ),
    )
    # The IB rules of seed 002 that data cannot always decide (ib_rules): asked only when needed.
    verblijf_motivation = models.TextField(
        _("motivering: verblijf niet noodzakelijk"),
        blank=True,
        help_text=_("Alleen als de cliënt beschermd wonen, Wlz-zorg of opvang heeft in de looptijd."),
    )
    extramural_cost_motivation = models.TextField(
        _("motivering: extramuraal niet duurder dan intramuraal"),
        blank=True,
        help_text=_("Alleen als de kosten van andere voorzieningen onbekend zijn of het pakket duurder is."),
    )
    mantelzorg_motivation = models.TextField(
        _("motivering: geen resultaat voorkomen van overbelasting"),
        blank=True,
        help_text=_(
            "Alleen als het onderzoek een overbelaste mantelzorger vastlegde en de indicatie geen resultaat "
            "op het voorkomen van overbelasting van het netwerk heeft."
        ),
    )
    delivery_form = models.CharField(
        _("leveringsvorm"),
        max_length=10,
        choices=DeliveryForm.choices,
        default=DeliveryForm.NATURA,
        help_text=_("Bij een pgb koopt de budgethouder de ondersteuning zelf in: geen aanbieder, geen toewijzing."),
    )
    # The case file's one upward reference (model level only, see indications.models and .hooks).
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indications",
        verbose_name=_("aanbieder"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    # The decision on the aanvraag. A refusal is the consultant's choice (with its ground); a grant's
    # "whole or partial" is set by the service from the aanvraag (indications.decisions), never typed.
    outcome = models.CharField(
        _("besluit"), max_length=20, choices=DecisionOutcome.choices, default=DecisionOutcome.TOEKENNING
    )
    refusal_ground = models.CharField(_("grond afwijzing"), max_length=30, choices=RefusalGround.choices, blank=True)
    refusal_motivation = models.TextField(
        _("motivering afwijzing"),
        blank=True,
        help_text=_("Bij een afwijzing: waarom; bij een gedeeltelijke toekenning: waarom het gevraagde deel niet."),
    )
    decision_date = models.DateField(_("besluitdatum"), null=True, blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="indications", verbose_name=_("consulent")
    )
    four_eyes_requested = models.BooleanField(
        _("vier ogen gevraagd"),
        default=False,
        help_text=_("Laat een teamleider meekijken, ook als de regels het niet vragen."),
    )
    four_eyes_required = models.BooleanField(_("vier ogen vereist"), default=False, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("beëindigd per"), null=True, blank=True)
    # The consultant's reason for ending it: kept with a planned end ("beëindigd per" a later day),
    # which the nightly job carries out on the day after.
    end_reason = models.TextField(_("reden beëindiging"), blank=True)
    status_reason = models.TextField(_("reden laatste statuswijziging"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("indicatie / beschikking")
        verbose_name_plural = _("indicaties / beschikkingen")
        indexes = [
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["client", "status"]),
        ]
        permissions = [
            ("issue_beschikking", _("Kan beschikkingen vaststellen")),
            ("review_indication", _("Kan indicaties beoordelen (vier ogen)")),
            ("view_review_figures", _("Kan cijfers over beoordelingen inzien")),
            ("view_management_information", _("Kan managementinformatie inzien")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="indication_end_after_start",
                violation_error_message=_("De einddatum moet na de ingangsdatum liggen."),
            ),
            models.CheckConstraint(
                # Before vaststelling there is no decision; a concept can be withdrawn before any decision.
                condition=Q(status__in=[*UNDECIDED_STATUSES, *VOID_STATUSES]) | Q(decision_date__isnull=False),
                name="indication_decided_has_decision_date",
            ),
            # Four eyes, also in the database: a complex beschikking is never decided without the
            # approval of someone other than its author.
            models.CheckConstraint(
                condition=~(
                    Q(four_eyes_required=True)
                    & Q(status__in=[*GRANTED_STATUSES, *REFUSED_STATUSES])
                    & Q(approved_by__isnull=True)
                ),
                name="indication_four_eyes_approved",
            ),
            # An afwijzing has its ground and motivation and no provider; only an afwijzing has a
            # ground and reaches afgewezen, and it never grants (live or granted).
            models.CheckConstraint(
                condition=~Q(outcome="afwijzing")
                | (~Q(refusal_ground="") & ~Q(refusal_motivation="") & Q(provider__isnull=True)),
                name="indication_refusal_complete",
                violation_error_message=_("Een afwijzing heeft een grond en een motivering en geen aanbieder."),
            ),
            models.CheckConstraint(
                condition=Q(refusal_ground="") | Q(outcome="afwijzing"),
                name="indication_ground_only_on_refusal",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="afwijzing") & ~Q(status__in=[*GRANTED_STATUSES]))
                | (~Q(outcome="afwijzing") & ~Q(status__in=[*REFUSED_STATUSES])),
                name="indication_refusal_status",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="gedeeltelijk") | ~Q(refusal_motivation=""),
                name="indication_partial_motivated",
                violation_error_message=_("Motiveer bij een gedeeltelijke toekenning waarom het gevraagde deel niet."),
            ),
            # A pgb is bought by the budgetholder: it names no provider (and so gets no toewijzing).
            models.CheckConstraint(
                condition=~Q(delivery_form="pgb") | Q(provider__isnull=True),
                name="indication_pgb_has_no_provider",
                violation_error_message=_("Een beschikking met een pgb heeft geen aanbieder."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("consultant")),
                name="indication_approver_is_not_author",
            ),
            # One aanvraag leads to one indication (its follow-ups replace it), and a beschikking has
            # one successor; a withdrawn indication makes room for a new one.
            models.UniqueConstraint(
                fields=["aanvraag"],
                condition=Q(replaces__isnull=True) & ~Q(status="ingetrokken"),
                name="indication_one_per_aanvraag",
                violation_error_message=_("Bij deze aanvraag hoort al een indicatie."),
            ),
            models.UniqueConstraint(
                fields=["replaces"],
                condition=~Q(status="ingetrokken"),
                name="indication_one_successor",
                violation_error_message=_("Deze beschikking wordt al door een andere vervangen."),
            ),
        ]

    def __str__(self):
        return self.number or f"Concept {self.product.code} ({self.client})"

    @property
    def end_is_planned(self) -> bool:
        """Ended per a day that has not passed yet: still live (vastgesteld or actief) until then."""
        return self.ended_on is not None and self.status in LIVE_STATUSES

    @property
    def is_pgb(self) -> bool:
        return self.delivery_form == DeliveryForm.PGB

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_refusal(self) -> bool:
        return self.outcome == DecisionOutcome.AFWIJZING

    @property
    def is_decided(self) -> bool:
        """A decision was taken (see DECIDED): also true of a beschikking withdrawn after it."""
        return self.decision_date is not None


class IndicationResult(models.Model):
    indication = models.ForeignKey(Indication, on_delete=models.CASCADE, related_name="results")
    result = models.ForeignKey(IbResult, on_delete=models.PROTECT, related_name="+", verbose_name=_("resultaat"))
    sub_results = models.ManyToManyField(IbSubResult, blank=True, related_name="+", verbose_name=_("subresultaten"))
    goal = models.TextField(_("concreet doel"))

    class Meta:
        ordering = ["result__domain__order", "id"]
        verbose_name = _("resultaat in beschikking")
        verbose_name_plural = _("resultaten in beschikking")
        constraints = [
            models.UniqueConstraint(
                fields=["indication", "result"],
                name="indication_result_once",
                violation_error_message=_("Kies elk resultaat maar één keer."),
            ),
        ]

    def __str__(self):
        return str(self.result)


class PlannedEvaluation(models.Model):
    indication = models.ForeignKey(Indication, on_delete=models.CASCADE, related_name="planned_evaluations")
    planned_on = models.DateField(_("geplande evaluatiedatum"), db_index=True)
    evaluation = models.OneToOneField(
        "Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="planned"
    )

    class Meta:
        ordering = ["planned_on"]
        verbose_name = _("geplande evaluatie")
        verbose_name_plural = _("geplande evaluaties")

    def __str__(self):
        return f"Evaluatie {self.planned_on:%d-%m-%Y}"


class IndicationStatusChange(models.Model):
    """Append-only history of the indication's status."""

    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=IndicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IndicationStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"
