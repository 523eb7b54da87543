"""Signals: what the system itself noticed needs someone's attention, with their history."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalType(models.TextChoices):
    EVALUATION_OVERDUE = "evaluatie_te_laat", _("Evaluatie te laat")
    BESCHIKKING_EXPIRING = "beschikking_loopt_af", _("Beschikking loopt af")
    ONDERZOEK_DEADLINE = "termijn_onderzoek", _("Wettelijke termijn onderzoek (6 weken)")
    BESCHIKKING_DEADLINE = "termijn_beschikking", _("Wettelijke termijn beschikking (2 weken)")
    PRODUCT_TOO_LONG = "product_te_lang", _("IB2 of IB0 loopt te lang")
    STACKING = "zorgstapeling", _("Zorgstapeling")
    NO_START_REPORTED = "geen_start_zorg", _("Geen start zorg gemeld")
    CARE_AFTER_END = "zorg_na_einde", _("Zorg loopt door na einde beschikking")
    STOP_WITHOUT_REASON = "stop_zonder_reden", _("Stop zorg zonder reden")
    SUPPORT_PLAN_MISSING = "ondersteuningsplan_ontbreekt", _("Ondersteuningsplan ontbreekt")
    NAZORG_DUE = "nazorg", _("Nazorg na verwijzing")
    HERAANMELDING = "heraanmelding", _("Heraanmelding kort na uitstroom")
    REVIEW_WAITING = "beoordeling_wacht", _("Vier-ogenbeoordeling wacht te lang")
    YOUTH_TURNING_18 = "jeugdhulp_18", _("Jeugdhulp: 18 binnen 6 maanden, geen Wmo-melding")
    IWMO_NO_RETOUR = "iwmo_geen_retour", _("iWmo: geen retourbericht binnen 3 werkdagen")
    IWMO_REPORT_LATE = "iwmo_melding_te_laat", _("iWmo: start of stop zorg later dan 5 werkdagen gemeld")
    IWMO_REQUEST_UNANSWERED = "iwmo_verzoek_niet_beantwoord", _("iWmo: verzoek niet op tijd beantwoord")
    BEZWAAR_DEADLINE = "termijn_bezwaar", _("Beslistermijn bezwaar (Awb)")
    # Art. 3.4 Wmo 2015: a provider reported a calamiteit or geweldsincident; open until the report
    # to the GGD is recorded (incidents app).
    INCIDENT = "calamiteit", _("Calamiteit of geweld gemeld (art. 3.4 Wmo)")
    # Art. 2.3.2 lid 2 Wmo 2015: the 7 days for a persoonlijk plan run and the onderzoek has no
    # answer on it yet (signals.plan_checks); lapses with the answer or at the end of the term.
    PERSOONLIJK_PLAN = "persoonlijk_plan", _("Persoonlijk plan: termijn van 7 dagen loopt")
    # About a contract, not a client: for contract management (no client, no team, no consultant).
    BUDGET_THRESHOLD = "budgetplafond", _("Contractbudget: 80% of het plafond bereikt")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_behandeling", _("in behandeling")
    RESOLVED = "opgelost", _("opgelost")
    LAPSED = "vervallen", _("vervallen")


OPEN_STATUSES = (SignalStatus.OPEN, SignalStatus.IN_PROGRESS)
# Signals of the highest urgency from the moment they are raised, whatever their date says: a
# calamiteit goes to the GGD without delay (onverwijld, art. 3.4 lid 1 sub c Wmo 2015).
IMMEDIATE_TYPES = (SignalType.INCIDENT,)


class Urgency(models.TextChoices):
    # Ordered by weight: the worklists sort on the database value.
    OVERDUE = "1_verlopen", _("termijn verstreken")
    WARNING = "2_waarschuwing", _("termijn nadert")
    ATTENTION = "3_attentie", _("ter attentie")


# The colour of each urgency's tag (a CSS modifier: tag--verlopen, ...); the tag always says its label.
URGENCY_TONES = {Urgency.OVERDUE: "verlopen", Urgency.WARNING: "nadert", Urgency.ATTENTION: "attentie"}


class Signal(models.Model):
    """One condition on one object. Its identity is (type, subject_id, variant): the check that
    raised it finds it again on every run, so running twice never duplicates, a cleared condition
    lapses (vervallen) and a signal a user closed is not raised again for the same condition."""

    type = models.CharField(_("soort"), max_length=30, choices=SignalType.choices)
    subject_id = models.BigIntegerField(_("object-id"))
    variant = models.BigIntegerField(_("variant"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.OPEN)
    urgency = models.CharField(_("urgentie"), max_length=20, choices=Urgency.choices, default=Urgency.ATTENTION)
    due_date = models.DateField(_("uiterlijk"))
    # Who it is for: a consultant, and always the team of the client's municipality (whose team lead
    # sees escalated signals and those without a person).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("voor"),
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="signals")
    escalated_on = models.DateField(_("geëscaleerd op"), null=True, blank=True)
    # What it concerns (the client always; the rest as far as it applies).
    # Empty only for a signal about a contract (SignalType.BUDGET_THRESHOLD), which no consultant sees.
    client = models.ForeignKey(
        "indications.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="signals"
    )
    indication = models.ForeignKey(
        "indications.Indication", on_delete=models.PROTECT, null=True, blank=True, related_name="signals"
    )
    melding = models.ForeignKey(
        "indications.Melding", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aanvraag = models.ForeignKey(
        "indications.Aanvraag", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignment = models.ForeignKey(
        "providers.Assignment", on_delete=models.PROTECT, null=True, blank=True, related_name="signals"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="signals"
    )
    created_on = models.DateField(_("gesignaleerd op"))
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)

    class Meta:
        ordering = ["urgency", "due_date", "id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(fields=["type", "subject_id", "variant"], name="signal_one_per_condition"),
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | models.Q(type=SignalType.BUDGET_THRESHOLD),
                name="signal_about_a_client_unless_a_budget",
            ),
        ]
        indexes = [
            models.Index(fields=["type", "status"], name="signal_type_status"),
            models.Index(fields=["assigned_to", "status"], name="signal_assignee_status"),
            models.Index(fields=["team", "status"], name="signal_team_status"),
            models.Index(fields=["provider", "status"], name="signal_provider_status"),
        ]

    def __str__(self):
        return f"{self.get_type_display()}: {self.client_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def urgency_on(self, today: date) -> str:
        """The urgency as it stands on `today`, by the real date: a signal with a deadline (stored
        as a warning or as passed) is "termijn verstreken" only once its due date lies before
        today, "termijn nadert" from DEADLINE_WARN_DAYS before it, and "ter attentie" before that
        (an IB2 planned to run past its maximum months from now has not passed anything yet).
        Signals without a deadline (zorgstapeling, nazorg, heraanmelding) stay "ter attentie"; a
        calamiteit (IMMEDIATE_TYPES) is "termijn verstreken" from the start."""
        if self.type in IMMEDIATE_TYPES:
            return Urgency.OVERDUE
        if self.urgency == Urgency.ATTENTION or self.due_date is None:
            return Urgency.ATTENTION
        if self.due_date < today:
            return Urgency.OVERDUE
        if self.due_date <= today + timedelta(days=settings.SIGNALS["DEADLINE_WARN_DAYS"]):
            return Urgency.WARNING
        return Urgency.ATTENTION


class SignalEvent(models.Model):
    """Append-only history of a signal: raised, escalated, taken up, solved, lapsed."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SignalStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("signaalgeschiedenis")
        verbose_name_plural = _("signaalgeschiedenis")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class CheckRun(models.Model):
    """The last run of each check: the row a run locks so that two beat instances (or a worker
    retrying) never run the same check at once, and never twice on one day unless asked to."""

    check_name = models.CharField(max_length=40, primary_key=True)
    last_run_on = models.DateField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("controle-uitvoering")
        verbose_name_plural = _("controle-uitvoeringen")

    def __str__(self):
        return self.check_name
