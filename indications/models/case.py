"""The case before the beschikking: the client, the melding, the onderzoek (intake) with its
keukentafelgesprekken, the aanvraag, and other provisions the client has."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import (
    normalise_house_number,
    normalise_postcode,
    validate_bsn,
    validate_date_of_birth,
    validate_house_number,
    validate_phone,
    validate_postcode,
)
from .reference import Municipality

HOURS_IN_A_WEEK = 168


def person_name(first_name: str, initials: str, name_prefix: str, last_name: str) -> str:
    """A client's name as shown everywhere (Client.full_name; also for a row read with values())."""
    given = first_name or initials
    return " ".join(part for part in (given, name_prefix, last_name) if part)


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
    # Set when the file was destroyed after its retention period (indications.retention): the
    # personal data is replaced, the figures (dates, products, amounts) are kept.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)

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
        return person_name(self.first_name, self.initials, self.name_prefix, self.last_name)

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
        PHONE = "telefoon", _("telefoon")
        DESK = "balie", _("balie")
        WIJKTEAM = "wijkteam", _("wijkteam")
        PROVIDER = "aanbieder", _("aanbieder")
        GP = "huisarts", _("huisarts")
        # Inflow named in seed 000: young people from the Jeugdwet, and GGZ clients leaving a clinic.
        YOUTH_CARE = "jeugdhulp", _("jeugdhulp")
        MENTAL_HEALTH_CLINIC = "ggz_kliniek", _("GGZ / kliniek")
        OTHER = "anders", _("anders")

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

    @property
    def persoonlijk_plan_deadline(self):
        """Art. 2.3.2 lid 2 Wmo 2015: the client may hand in a persoonlijk plan "gedurende zeven dagen
        na ontvangst van de melding": the 7 calendar days after the day of the melding, so the last
        day is the melding's date + 7 (a melding on Monday the 1st: up to and including Monday the 8th)."""
        return self.received_on + timedelta(days=PERSOONLIJK_PLAN_DAYS)


# Fixed by the law (art. 2.3.2 lid 2 Wmo 2015), not by the business: no setting.
PERSOONLIJK_PLAN_DAYS = 7


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
    # How the persoonlijk plan was taken into account in the onderzoek (art. 2.3.2 lid 2 and lid 4).
    persoonlijk_plan_note = models.TextField(_("zo is het persoonlijk plan meegenomen"), blank=True)
    # The answer "niet ontvangen": recorded, so that a closed onderzoek always says which it was.
    persoonlijk_plan_not_received = models.BooleanField(_("geen persoonlijk plan ontvangen"), default=False)
    report = models.TextField(_("verslag"), blank=True)
    report_sent_on = models.DateField(_("verslag verstuurd op"), null=True, blank=True)
    conclusion = models.CharField(_("conclusie"), max_length=30, choices=Conclusion.choices, blank=True)
    referral_provision = models.CharField(_("algemene voorziening"), max_length=200, blank=True)
    other_law = models.CharField(_("andere wet"), max_length=10, choices=OtherLaw.choices, blank=True)
    concluded_on = models.DateField(_("onderzoek afgerond op"), null=True, blank=True)
    nazorg_due_on = models.DateField(_("nazorg gepland op"), null=True, blank=True)
    nazorg_done_on = models.DateField(_("nazorg uitgevoerd op"), null=True, blank=True)
    nazorg_notes = models.TextField(_("uitkomst nazorg"), blank=True)
    # Art. 2.3.2 lid 4: why an overloaded mantelzorger was offered neither respijtzorg nor support.
    mantelzorg_notes = models.TextField(
        _("aandacht voor de mantelzorger"),
        blank=True,
        help_text=_(
            "Nodig als een mantelzorger overbelast is en geen respijtzorg of mantelzorgondersteuning is aangeboden."
        ),
    )

    class Meta:
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | ~Q(conclusion=""),
                name="intake_concluded_has_conclusion",
            ),
            models.CheckConstraint(
                condition=Q(persoonlijk_plan_note="") | Q(persoonlijk_plan_received_on__isnull=False),
                name="intake_persoonlijk_plan_note_needs_plan",
            ),
            models.CheckConstraint(
                condition=Q(persoonlijk_plan_not_received=False) | Q(persoonlijk_plan_received_on__isnull=True),
                name="intake_persoonlijk_plan_received_or_not",
            ),
        ]

    def __str__(self):
        return f"Onderzoek bij {self.melding}"

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    def persoonlijk_plan_term_runs(self, today) -> bool:
        """Whether the consultant should still expect a persoonlijk plan: the onderzoek is open, no
        plan was received and the 7 days after the melding have not passed."""
        return (
            not self.is_concluded
            and self.persoonlijk_plan_received_on is None
            and not self.persoonlijk_plan_not_received
            and today <= self.melding.persoonlijk_plan_deadline
        )

    @property
    def persoonlijk_plan_answered(self) -> bool:
        """Whether the onderzoek says what became of the persoonlijk plan: not received, or received
        and how it was taken into account."""
        if self.persoonlijk_plan_not_received:
            return True
        return self.persoonlijk_plan_received_on is not None and bool(self.persoonlijk_plan_note.strip())


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


class Mantelzorger(models.Model):
    """A mantelzorger of the client, recorded in the onderzoek: art. 2.3.2 Wmo 2015 asks that the
    onderzoek looks at the care they give and at the support they need themselves (seed 004)."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("partner")
        PARENT = "ouder", _("ouder")
        CHILD = "kind", _("kind")
        RELATIVE = "familielid", _("ander familielid")
        NEIGHBOUR = "buur", _("buur")
        FRIEND = "vriend", _("vriend of kennis")
        OTHER = "anders", _("anders")

    class Task(models.TextChoices):
        HOUSEHOLD = "huishouden", _("huishouden")
        PERSONAL_CARE = "persoonlijke_verzorging", _("persoonlijke verzorging")
        SUPERVISION = "begeleiding", _("begeleiding en toezicht")
        TRANSPORT = "vervoer", _("vervoer")
        ADMINISTRATION = "administratie", _("administratie en geldzaken")
        EMOTIONAL_SUPPORT = "emotionele_steun", _("emotionele steun")
        OTHER = "anders", _("anders")

    class Load(models.TextChoices):
        NONE = "niet", _("niet belast")
        SOMEWHAT = "enigszins", _("enigszins belast")
        HEAVY = "zwaar", _("zwaar belast")
        OVERLOADED = "overbelast", _("overbelast")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="mantelzorgers")
    name = models.CharField(_("naam"), max_length=100, blank=True)
    relation = models.CharField(_("relatie tot de cliënt"), max_length=20, choices=Relation.choices)
    tasks = models.JSONField(_("taken"), default=list, blank=True)
    tasks_notes = models.CharField(_("taken (toelichting)"), max_length=300, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("uren per week"), validators=[MaxValueValidator(HOURS_IN_A_WEEK)]
    )
    load = models.CharField(_("belasting"), max_length=20, choices=Load.choices)
    lives_with_client = models.BooleanField(_("inwonend"), default=False)
    respite_offered = models.BooleanField(_("respijtzorg aangeboden"), default=False)
    support_offered = models.BooleanField(
        _("mantelzorgondersteuning aangeboden"),
        default=False,
        help_text=_("Bijvoorbeeld een verwijzing naar het mantelzorgsteunpunt van de gemeente."),
    )
    notes = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("mantelzorger")
        verbose_name_plural = _("mantelzorgers")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__lte=HOURS_IN_A_WEEK), name="mantelzorger_hours_within_a_week"
            ),
        ]

    def __str__(self):
        label = self.get_relation_display()
        return f"{self.name} ({label})" if self.name else str(label)

    @staticmethod
    def overloaded_q(prefix: str = "") -> Q:
        """At risk of overload: recorded as overbelast, or zwaar belast with at least
        SDD["MANTELZORG_INTENSIVE_HOURS"] a week (SCP's intensive mantelzorg). The one definition
        of the IB rule, the conclusion of the onderzoek and the monitor; `prefix` is the lookup
        from another model ("mantelzorgers__")."""
        return Q(**{f"{prefix}load": Mantelzorger.Load.OVERLOADED}) | Q(
            **{
                f"{prefix}load": Mantelzorger.Load.HEAVY,
                f"{prefix}hours_per_week__gte": settings.SDD["MANTELZORG_INTENSIVE_HOURS"],
            }
        )

    @property
    def is_overloaded(self) -> bool:
        """The same as overloaded_q, for one recorded mantelzorger."""
        return self.load == self.Load.OVERLOADED or (
            self.load == self.Load.HEAVY and self.hours_per_week >= settings.SDD["MANTELZORG_INTENSIVE_HOURS"]
        )

    def get_tasks_display(self) -> str:
        labels = dict(self.Task.choices)
        shown = [str(labels.get(value, value)) for value in self.tasks]
        if self.tasks_notes:
            shown.append(self.tasks_notes)
        return ", ".join(shown)


class Aanvraag(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="aanvragen")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="aanvragen")
    received_on = models.DateField(_("datum aanvraag"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="aanvragen", verbose_name=_("consulent")
    )
    # What the client asks for: the decision grants it, part of it (a lighter product, no opslag or a
    # shorter period: a gedeeltelijke toekenning) or refuses it (indications.decisions).
    requested_product = models.ForeignKey(
        "Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevraagd product"),
    )
    requested_opslag = models.BooleanField(_("opslag gevraagd"), default=False)
    requested_end_date = models.DateField(
        _("gevraagd tot en met"), null=True, blank=True, help_text=_("Leeg: geen einddatum gevraagd.")
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
    # Known cost, for the IB rule "extramural no dearer than intramural" (indications.ib_rules).
    cost_per_period = models.DecimalField(
        _("kosten per 4 weken"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Indien bekend; nodig voor de vergelijking met een intramuraal pakket."),
    )
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
