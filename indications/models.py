"""Data of the consultant's case file: reference data, and the case from melding to beschikking.

Models hold data, constraints and small derived properties; every rule and state change lives in
services.py.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .validators import (
    normalise_house_number,
    normalise_postcode,
    validate_bsn,
    validate_date_of_birth,
    validate_house_number,
    validate_phone,
    validate_postcode,
)

# --------------------------------------------------------------------------------------------
# Reference data (editable by the functioneel beheerder in the admin)
# --------------------------------------------------------------------------------------------


class Municipality(models.Model):
    code = models.CharField(_("CBS-gemeentecode"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return self.name


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
    domain = models.ForeignKey(ResultDomain, on_delete=models.PROTECT, related_name="results",
                               verbose_name=_("resultaatgebied"))
    name = models.CharField(_("resultaat"), max_length=255)

    class Meta:
        ordering = ["domain__order", "name"]
        verbose_name = _("IB-resultaat")
        verbose_name_plural = _("IB-resultaten")

    def __str__(self):
        return f"{self.domain.name}: {self.name}"


class IbSubResult(models.Model):
    result = models.ForeignKey(IbResult, on_delete=models.PROTECT, related_name="sub_results",
                               verbose_name=_("resultaat"))
    name = models.CharField(_("subresultaat"), max_length=255)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["result_id", "order"]
        verbose_name = _("IB-subresultaat")
        verbose_name_plural = _("IB-subresultaten")

    def __str__(self):
        return self.name


class Product(models.Model):
    """An IB product (IB0 .. IB3) with its iWmo product code."""

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
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="tariff_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="tariff_period_ordered",
                violation_error_message=_("'Geldig tot en met' mag niet vóór 'geldig vanaf' liggen."),
            ),
            models.CheckConstraint(condition=Q(amount_per_period__gte=0), name="tariff_amount_positive"),
        ]

    def __str__(self):
        return f"{self.product.code} vanaf {self.valid_from:%d-%m-%Y}: € {self.amount_per_period}"

    def clean(self):
        """Tariff periods of one product never overlap: exactly one tariff is in force on a day."""
        if not self.product_id or not self.valid_from:
            return
        overlapping = Tariff.objects.filter(product_id=self.product_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(_("Deze periode overlapt met een ander tarief van hetzelfde product."))


# --------------------------------------------------------------------------------------------
# The case
# --------------------------------------------------------------------------------------------


class Client(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "V", _("vrouw")
        MALE = "M", _("man")
        OTHER = "X", _("anders / onbekend")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bsn = models.CharField(_("BSN"), max_length=9, unique=True, validators=[validate_bsn])
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=100, blank=True)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100, db_index=True)
    date_of_birth = models.DateField(_("geboortedatum"), db_index=True, validators=[validate_date_of_birth])
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="clients", verbose_name=_("gemeente")
    )
    street = models.CharField(_("straat"), max_length=100, blank=True)
    house_number = models.CharField(
        _("huisnummer"),
        max_length=10,
        blank=True,
        validators=[validate_house_number],
        help_text=_("Met huisletter of toevoeging, bijvoorbeeld 12A of 12-2."),
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        # A household is the clients at one address (zorgstapeling per household, signals/checks.py).
        indexes = [models.Index(fields=["postcode", "house_number"], name="client_address")]
        permissions = [
            ("view_all_clients", _("Ziet cliënten van alle gemeenten")),
            ("search_client_for_access_log", _("Kan cliënten zoeken voor het inzagelog")),
            ("export_client_data", _("Kan een AVG-inzage-export van een cliënt maken")),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        # The validators accept '1234ab' and '12  a'; what is stored is the written form.
        self.postcode = normalise_postcode(self.postcode)
        self.house_number = normalise_house_number(self.house_number)
        self.phone = " ".join(self.phone.split())

    @property
    def full_name(self) -> str:
        given = self.first_name or self.initials
        return " ".join(part for part in (given, self.name_prefix, self.last_name) if part)

    @property
    def masked_bsn(self) -> str:
        return f"*****{self.bsn[-4:]}"

    @property
    def address(self) -> str:
        line = " ".join(part for part in (self.street, self.house_number) if part)
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (line, place) if part)


class Melding(models.Model):
    class Channel(models.TextChoices):
        TELEFOON = "telefoon", _("telefoon")
        BALIE = "balie", _("balie")
        WIJKTEAM = "wijkteam", _("wijkteam")
        AANBIEDER = "aanbieder", _("aanbieder")
        HUISARTS = "huisarts", _("huisarts")
        ANDERS = "anders", _("anders")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="meldingen")
    received_on = models.DateField(_("datum melding"))
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    question = models.CharField(_("hulpvraag (kort)"), max_length=500)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meldingen",
        verbose_name=_("consulent"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self):
        return f"Melding {self.received_on:%d-%m-%Y} ({self.client})"

    @property
    def onderzoek_deadline(self):
        """Art. 2.3.2 Wmo 2015: the onderzoek is completed within 6 weeks of the melding."""
        return self.received_on + timedelta(days=settings.SDD["ONDERZOEK_DEADLINE_DAYS"])


class Intake(models.Model):
    """The onderzoek (keukentafelgesprek) following a melding, ending in a conclusion."""

    class Conclusion(models.TextChoices):
        OWN_STRENGTH = "eigen_kracht", _("eigen kracht / netwerk volstaat")
        ALGEMENE_VOORZIENING = "algemene_voorziening", _("verwijzing naar algemene voorziening")
        OTHER_LAW = "andere_wet", _("ondersteuning vanuit andere wet")
        MAATWERK = "maatwerkvoorziening", _("maatwerkvoorziening (aanvraag)")

    # A referral elsewhere gets a nazorg call back (seed 003): did the referral work?
    REFERRAL_CONCLUSIONS = (Conclusion.ALGEMENE_VOORZIENING, Conclusion.OTHER_LAW)

    class OtherLaw(models.TextChoices):
        ZVW = "zvw", _("Zorgverzekeringswet (Zvw)")
        WLZ = "wlz", _("Wet langdurige zorg (Wlz)")
        JEUGDWET = "jeugdwet", _("Jeugdwet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    melding = models.OneToOneField(Melding, on_delete=models.PROTECT, related_name="intake")
    no_conversation_reason = models.TextField(_("reden geen gesprek"), blank=True)
    persoonlijk_plan_received_on = models.DateField(_("persoonlijk plan ontvangen op"), null=True, blank=True)
    report = models.TextField(_("verslag"), blank=True)
    report_sent_on = models.DateField(_("verslag verstuurd op"), null=True, blank=True)
    conclusion = models.CharField(_("conclusie"), max_length=30, choices=Conclusion.choices, blank=True)
    referral_provision = models.CharField(_("algemene voorziening"), max_length=200, blank=True)
    other_law = models.CharField(_("andere wet"), max_length=10, choices=OtherLaw.choices, blank=True)
    concluded_on = models.DateField(_("onderzoek afgerond op"), null=True, blank=True)
    nazorg_due_on = models.DateField(_("nazorg gepland op"), null=True, blank=True)
    nazorg_done_on = models.DateField(_("nazorg uitgevoerd op"), null=True, blank=True)
    nazorg_notes = models.TextField(_("uitkomst nazorg"), blank=True)

    class Meta:
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | ~Q(conclusion=""),
                name="intake_concluded_has_conclusion",
            ),
        ]

    def __str__(self):
        return f"Onderzoek bij {self.melding}"

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None


class Conversation(models.Model):
    """One keukentafelgesprek within an onderzoek."""

    class Place(models.TextChoices):
        HOME = "thuis", _("bij de cliënt thuis")
        OFFICE = "kantoor", _("op kantoor")
        PHONE = "telefonisch", _("telefonisch / beeldbellen")
        ELSEWHERE = "elders", _("elders")

    class Participant(models.TextChoices):
        CLIENT = "client", _("cliënt")
        MANTELZORGER = "mantelzorger", _("mantelzorger")
        CLIENTONDERSTEUNER = "clientondersteuner", _("cliëntondersteuner")
        FAMILY = "familie", _("familielid / naaste")
        REPRESENTATIVE = "vertegenwoordiger", _("wettelijk vertegenwoordiger")
        PROVIDER = "aanbieder", _("aanbieder")
        WIJKTEAM = "wijkteam", _("wijkteam")
        INTERPRETER = "tolk", _("tolk")

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="conversations")
    held_on = models.DateField(_("datum gesprek"))
    place = models.CharField(_("plaats"), max_length=20, choices=Place.choices)
    participants = models.JSONField(_("deelnemers"), default=list)
    clientondersteuning_offered = models.BooleanField(_("gratis cliëntondersteuning aangeboden"), default=False)
    persoonlijk_plan_informed = models.BooleanField(_("gewezen op recht op persoonlijk plan"), default=False)
    need_notes = models.TextField(_("hulpvraag en behoefte"), blank=True)
    own_strength_notes = models.TextField(_("eigen kracht"), blank=True)
    network_notes = models.TextField(_("sociaal netwerk"), blank=True)
    general_provisions_notes = models.TextField(_("algemene voorzieningen"), blank=True)
    other_laws_notes = models.TextField(_("andere wetten (Zvw, Wlz, Jeugdwet)"), blank=True)
    current_provisions_notes = models.TextField(_("huidige voorzieningen"), blank=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")

    def __str__(self):
        return f"Gesprek {self.held_on:%d-%m-%Y}"

    def get_participants_display(self) -> str:
        labels = dict(self.Participant.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.participants)


class Aanvraag(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="aanvragen")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="aanvragen")
    received_on = models.DateField(_("datum aanvraag"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="aanvragen", verbose_name=_("consulent")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")

    def __str__(self):
        return f"Aanvraag {self.received_on:%d-%m-%Y} ({self.client})"

    @property
    def beschikking_deadline(self):
        """Art. 2.3.5 lid 2 Wmo 2015: the beschikking follows within 2 weeks of the aanvraag."""
        return self.received_on + timedelta(days=settings.SDD["BESCHIKKING_DEADLINE_DAYS"])


class IndicationStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    TER_BEOORDELING = "ter_beoordeling", _("ter beoordeling")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")
    VASTGESTELD = "vastgesteld", _("vastgesteld")
    ACTIEF = "actief", _("actief")
    BEEINDIGD = "beeindigd", _("beëindigd")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


class Indication(models.Model):
    """An indication for IB; once vastgesteld it is the beschikking sent to the client."""

    class Kind(models.TextChoices):
        FIRST = "eerste", _("eerste indicatie")
        HERINDICATIE = "herindicatie", _("herindicatie")
        OPSCHALING = "opschaling", _("opschaling")
        AFSCHALING = "afschaling", _("afschaling")

    Status = IndicationStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("beschikkingnummer"), max_length=20, unique=True, null=True, blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="indications")
    aanvraag = models.ForeignKey(
        Aanvraag, on_delete=models.PROTECT, null=True, blank=True, related_name="indications"
    )
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
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indications",
        verbose_name=_("aanbieder"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
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
                condition=Q(status__in=["concept", "ter_beoordeling", "goedgekeurd", "ingetrokken"])
                | Q(decision_date__isnull=False),
                name="indication_decided_has_decision_date",
            ),
            # Four eyes, also in the database: a complex beschikking is never decided without the
            # approval of someone other than its author.
            models.CheckConstraint(
                condition=~(
                    Q(four_eyes_required=True)
                    & Q(status__in=["vastgesteld", "actief", "beeindigd"])
                    & Q(approved_by__isnull=True)
                ),
                name="indication_four_eyes_approved",
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
        return self.ended_on is not None and self.status in (self.Status.VASTGESTELD, self.Status.ACTIEF)

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.VASTGESTELD, self.Status.ACTIEF, self.Status.BEEINDIGD) or bool(
            self.decision_date
        )


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


class Evaluation(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "voortzetten", _("voortzetten")
        SCALE_DOWN = "afschalen", _("afschalen")
        SCALE_UP = "opschalen", _("opschalen")
        STOP = "beeindigen", _("beëindigen")
        HERINDICATIE = "herindicatie", _("herindicatie")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("datum evaluatie"))
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    next_evaluation_on = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self):
        return f"Evaluatie {self.held_on:%d-%m-%Y}"


class ResultProgress(models.Model):
    class Progress(models.TextChoices):
        ACHIEVED = "behaald", _("behaald")
        PARTLY = "deels", _("deels behaald")
        NOT_ACHIEVED = "niet_behaald", _("niet behaald")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="progress")
    indication_result = models.ForeignKey(IndicationResult, on_delete=models.PROTECT, related_name="progress")
    progress = models.CharField(_("voortgang"), max_length=20, choices=Progress.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("voortgang per resultaat")
        verbose_name_plural = _("voortgang per resultaat")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indication_result"], name="progress_once_per_result"),
        ]

    def __str__(self):
        return self.get_progress_display()


class ZrmAssessment(models.Model):
    """A set of ZRM scores at a moment: from an onderzoek or from an evaluation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="zrm_assessments")
    assessed_on = models.DateField(_("datum ZRM"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="zrm_assessments")
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="zrm_assessment"
    )

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("ZRM-meting")
        verbose_name_plural = _("ZRM-metingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(intake__isnull=False) & Q(evaluation__isnull=True))
                | (Q(intake__isnull=True) & Q(evaluation__isnull=False)),
                name="zrm_linked_to_intake_or_evaluation",
            ),
        ]

    def __str__(self):
        return f"ZRM {self.assessed_on:%d-%m-%Y}"


class ZrmScore(models.Model):
    class Score(models.IntegerChoices):
        ACUTE = 1, _("1 acute problematiek")
        NOT_SELF_RELIANT = 2, _("2 niet zelfredzaam")
        LIMITED = 3, _("3 beperkt zelfredzaam")
        SUFFICIENT = 4, _("4 voldoende zelfredzaam")
        FULL = 5, _("5 volledig zelfredzaam")

    assessment = models.ForeignKey(ZrmAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(ZrmDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)

    class Meta:
        ordering = ["domain__order"]
        verbose_name = _("ZRM-score")
        verbose_name_plural = _("ZRM-scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="zrm_score_once_per_domain"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="zrm_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.domain_id}: {self.score}"


# --------------------------------------------------------------------------------------------
# Four-eyes review
# --------------------------------------------------------------------------------------------


class ComplexityRule(models.Model):
    """A criterion that makes an indication complex: it then needs a team lead's approval.
    Rules are data: a functioneel beheerder switches them on or off and sets their thresholds."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("zwaar product")
        OPSLAG = "opslag", _("opslag")
        ZRM_ACUTE = "zrm_acuut", _("ZRM-score 1 (acuut)")
        RESULT_COUNT = "aantal_resultaten", _("meer resultaten dan de drempel")
        DURATION = "looptijd", _("looptijd boven de drempel (weken)")
        STACKING = "stapeling", _("stapeling met andere voorzieningen")
        SCALING_UP = "opschaling", _("herindicatie of opschaling naar een zwaarder product")
        MANUAL = "handmatig", _("vier ogen gevraagd door de consulent")

    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("omschrijving"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    threshold = models.PositiveIntegerField(_("drempel"), null=True, blank=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("product"))
    provision_kinds = models.JSONField(
        _("voorzieningen (bij stapeling)"), default=list, blank=True, help_text=_("Bijvoorbeeld beschermd_wonen.")
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("complexiteitsregel")
        verbose_name_plural = _("complexiteitsregels")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="product") | Q(product__isnull=False), name="complexity_product_rule_has_product"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["aantal_resultaten", "looptijd"]) | Q(threshold__isnull=False),
                name="complexity_threshold_rule_has_threshold",
            ),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One round of four-eyes review: submitted by the consultant, decided by a team lead."""

    class Outcome(models.TextChoices):
        APPROVED = "goedgekeurd", _("goedgekeurd")
        REJECTED = "afgekeurd", _("teruggestuurd")

    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="reviews")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("aangeboden op"))
    findings = models.JSONField(_("redenen voor vier ogen"), default=list)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews_done"
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(reviewer__isnull=False) & Q(decided_at__isnull=False)),
                name="review_decided_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="afgekeurd") | ~Q(motivation=""), name="review_rejection_is_motivated"
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=models.F("submitted_by")),
                name="review_reviewer_is_not_submitter",
            ),
        ]

    def __str__(self):
        return f"Beoordeling {self.indication} ({self.submitted_at:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class ReviewQuestion(models.Model):
    """A team lead's question during a review, and the consultant's answer."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="questions")
    question = models.TextField(_("vraag"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("gesteld op"))
    answer = models.TextField(_("antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("vraag bij beoordeling")
        verbose_name_plural = _("vragen bij beoordeling")

    def __str__(self):
        return self.question[:60]


class OtherProvision(models.Model):
    """A provision the client has besides IB (Wmo or another law), recorded by the consultant at
    intake or evaluation: used for the four-eyes stacking rule and for zorgstapeling."""

    class Kind(models.TextChoices):
        DAGBESTEDING = "dagbesteding", _("dagbesteding (Wmo)")
        BESCHERMD_WONEN = "beschermd_wonen", _("beschermd wonen (Wmo)")
        HUISHOUDELIJKE_ONDERSTEUNING = "huishoudelijke_ondersteuning", _("huishoudelijke ondersteuning (Wmo)")
        KORTDUREND_VERBLIJF = "kortdurend_verblijf", _("kortdurend verblijf (Wmo)")
        VERVOER = "vervoer", _("vervoer / Drechthopper (Wmo)")
        OPVANG = "opvang", _("opvang (Wmo)")
        JEUGDHULP = "jeugdhulp", _("jeugdhulp (Jeugdwet)")
        BIJSTAND = "bijstand", _("bijstand (Participatiewet)")
        REINTEGRATIE = "reintegratie", _("re-integratie (Participatiewet)")
        ZVW_BEHANDELING = "zvw_behandeling", _("behandeling / FACT (Zvw)")
        WIJKVERPLEGING = "wijkverpleging", _("wijkverpleging (Zvw)")
        WLZ = "wlz", _("zorg uit de Wlz")

    LAW_OF_KIND = {
        Kind.DAGBESTEDING: "wmo",
        Kind.BESCHERMD_WONEN: "wmo",
        Kind.HUISHOUDELIJKE_ONDERSTEUNING: "wmo",
        Kind.KORTDUREND_VERBLIJF: "wmo",
        Kind.VERVOER: "wmo",
        Kind.OPVANG: "wmo",
        Kind.JEUGDHULP: "jeugdwet",
        Kind.BIJSTAND: "participatiewet",
        Kind.REINTEGRATIE: "participatiewet",
        Kind.ZVW_BEHANDELING: "zvw",
        Kind.WIJKVERPLEGING: "zvw",
        Kind.WLZ: "wlz",
    }
    # The laws' names as they are written (capitalised), for display.
    LAW_NAMES = {"wmo": "Wmo", "wlz": "Wlz", "zvw": "Zvw", "jeugdwet": "Jeugdwet", "participatiewet": "Participatiewet"}

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="other_provisions")
    kind = models.CharField(_("voorziening"), max_length=40, choices=Kind.choices)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    notes = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("andere voorziening")
        verbose_name_plural = _("andere voorzieningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="other_provision_period_ordered",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def law(self) -> str:
        return self.LAW_OF_KIND[self.kind]
