"""Forms of the consultant's pages. They check shape only; the services check the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ui.forms import DutchEmptyLabelsMixin

from .models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    IbResult,
    IbSubResult,
    Indication,
    Intake,
    Mantelzorger,
    Melding,
    Municipality,
    OtherProvision,
    PgbBudget,
    Product,
    ResultDomain,
    ResultProgress,
    ZrmDomain,
    ZrmScore,
)
from .selectors import consultants_for
from .services import CLIENT_FIELDS, PGB_FIELDS, ResultInput
from .validators import normalise_house_number, normalise_postcode
from .workflow import LIVE_STATUSES


class DateInput(forms.DateInput):
    """A native date picker: the browser shows dd-mm-jjjj in Dutch, the value travels as ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for item in error.error_list:
            form.add_error(None, item)


def end_after_start(form: forms.Form, *, same_day: bool) -> None:
    """A period's end before its start is an error of the end date field (the model's check
    constraint would otherwise report it above the form, at no field)."""
    start, end = form.cleaned_data.get("start_date"), form.cleaned_data.get("end_date")
    if not (start and end):
        return
    if same_day and end < start:
        form.add_error(
            "end_date",
            ValidationError(_("De einddatum kan niet vóór de ingangsdatum liggen."), code="end_before_start"),
        )
    elif not same_day and end <= start:
        form.add_error(
            "end_date", ValidationError(_("De einddatum moet na de ingangsdatum liggen."), code="end_before_start")
        )


class ClientSearchForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=9, required=False)
    name = forms.CharField(label=_("Naam"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput())

    def clean_bsn(self):
        bsn = self.cleaned_data["bsn"].strip()
        if bsn and not (len(bsn) == 9 and bsn.isdigit()):
            raise ValidationError(_("Een BSN bestaat uit precies 9 cijfers."))
        return bsn

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("bsn", "name", "date_of_birth"))


class ClientForm(DutchEmptyLabelsMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:  # a consultant registers clients of their own teams' municipalities
            self.fields["municipality"].queryset = municipalities
        # Only the municipalities that are members of the SDD today (the service checks it too); a
        # client keeps the municipality they have.
        members = Municipality.objects.members_on(timezone.localdate()).values("pk")
        field = self.fields["municipality"]
        field.queryset = field.queryset.filter(Q(pk__in=members) | Q(pk=self.instance.municipality_id))
        self.fields["date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["postcode"].widget.attrs.update({"autocomplete": "postal-code", "placeholder": "1234 AB"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_house_number(self):
        return normalise_house_number(self.cleaned_data["house_number"])


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class MeldingForm(DutchEmptyLabelsMixin, forms.ModelForm):
    consultant = UserChoiceField(label=_("Consulent"), queryset=get_user_model().objects.none())

    class Meta:
        model = Melding
        fields = ["received_on", "channel", "question", "consultant"]
        widgets = {"received_on": DateInput(), "question": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the consulenten of a team serving the client's municipality (the service checks it too).
        self.fields["consultant"].queryset = consultants_for(client.municipality_id)


class ConversationForm(DutchEmptyLabelsMixin, forms.ModelForm):
    participants = forms.MultipleChoiceField(
        label=_("Deelnemers"), choices=Conversation.Participant.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Conversation
        fields = [
            "held_on",
            "place",
            "participants",
            "clientondersteuning_offered",
            "persoonlijk_plan_informed",
            "need_notes",
            "own_strength_notes",
            "network_notes",
            "general_provisions_notes",
            "other_laws_notes",
            "current_provisions_notes",
        ]
        widgets = {
            "held_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "need_notes",
                    "own_strength_notes",
                    "network_notes",
                    "general_provisions_notes",
                    "other_laws_notes",
                    "current_provisions_notes",
                )
            },
        }


class ZrmFieldsMixin:
    """One score field per active ZRM domain, named zrm_<code>."""

    def add_zrm_fields(self, *, required_label: str = ""):
        self.zrm_domains = list(ZrmDomain.objects.filter(is_active=True))
        choices = [("", _("niet gescoord"))] + [(str(value), label) for value, label in ZrmScore.Score.choices]
        for domain in self.zrm_domains:
            self.fields[f"zrm_{domain.code}"] = forms.TypedChoiceField(
                label=domain.name, choices=choices, coerce=int, empty_value=None, required=False
            )

    def zrm_scores(self) -> dict:
        return {domain: self.cleaned_data.get(f"zrm_{domain.code}") for domain in self.zrm_domains}

    def zrm_bound_fields(self):
        return [self[f"zrm_{domain.code}"] for domain in self.zrm_domains]


class ZrmAssessmentForm(ZrmFieldsMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Datum ZRM-meting"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_zrm_fields()


class IntakeConclusionForm(DutchEmptyLabelsMixin, forms.ModelForm):
    concluded_on = forms.DateField(label=_("Onderzoek afgerond op"), widget=DateInput())
    conclusion = forms.ChoiceField(label=_("Conclusie"), choices=Intake.Conclusion.choices, widget=forms.RadioSelect)

    class Meta:
        model = Intake
        fields = [
            "conclusion",
            "referral_provision",
            "other_law",
            "report",
            "report_sent_on",
            "no_conversation_reason",
            "mantelzorg_notes",
            "persoonlijk_plan_not_received",
            "concluded_on",
        ]
        help_texts = {
            "persoonlijk_plan_not_received": _(
                "Na de termijn van 7 dagen is het antwoord nodig. "
                "Een ontvangen plan legt u vast bij 'Persoonlijk plan'."
            ),
        }
        widgets = {
            "report": forms.Textarea(attrs={"rows": 6}),
            "no_conversation_reason": forms.Textarea(attrs={"rows": 2}),
            "mantelzorg_notes": forms.Textarea(attrs={"rows": 2}),
            "report_sent_on": DateInput(),
        }


class MantelzorgerForm(DutchEmptyLabelsMixin, forms.ModelForm):
    tasks = forms.MultipleChoiceField(
        label=_("Wat doet de mantelzorger?"),
        choices=Mantelzorger.Task.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Mantelzorger
        fields = [
            "name",
            "relation",
            "lives_with_client",
            "tasks",
            "tasks_notes",
            "hours_per_week",
            "load",
            "respite_offered",
            "support_offered",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("Optioneel.")
        self.fields["hours_per_week"].widget.attrs.update({"min": 0, "max": 168})


class MantelzorgerRemoveForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ja, deze mantelzorger is per vergissing vastgelegd"))


class PersoonlijkPlanForm(forms.Form):
    """Art. 2.3.2 lid 2 Wmo 2015: the persoonlijk plan the client handed in, and how it was used."""

    RECEIVED, NOT_RECEIVED = "ontvangen", "niet_ontvangen"

    received = forms.ChoiceField(
        label=_("Persoonlijk plan"),
        choices=[(RECEIVED, _("ontvangen")), (NOT_RECEIVED, _("niet ontvangen"))],
        initial=RECEIVED,
        required=False,
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Persoonlijk plan ontvangen op"),
        widget=DateInput(),
        required=False,
        help_text=_("Alleen als het plan is ontvangen."),
    )
    note = forms.CharField(
        label=_("Zo is het persoonlijk plan meegenomen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat de cliënt in het plan vraagt en hoe het onderzoek daarop ingaat; mag later worden aangevuld."),
    )

    def clean_received(self) -> bool:
        return self.cleaned_data.get("received") != self.NOT_RECEIVED


class NazorgForm(forms.Form):
    done_on = forms.DateField(label=_("Datum nazorggesprek"), widget=DateInput())
    notes = forms.CharField(label=_("Uitkomst: werkt de verwijzing?"), widget=forms.Textarea(attrs={"rows": 3}))


class AanvraagForm(DutchEmptyLabelsMixin, forms.ModelForm):
    class Meta:
        model = Aanvraag
        fields = ["received_on", "requested_product", "requested_opslag", "requested_end_date"]
        widgets = {"received_on": DateInput(), "requested_end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_product"].empty_label = _("Niet opgegeven")
        self.fields["requested_product"].help_text = _(
            "Wat de cliënt vraagt: een lichter product of kortere looptijd is een gedeeltelijke toekenning."
        )


class RefusalForm(DutchEmptyLabelsMixin, forms.Form):
    """The afwijzing of an aanvraag: what is refused, on which ground, and why."""

    product = forms.ModelChoiceField(label=_("Gevraagd product"), queryset=Product.objects.order_by("level"))
    refusal_ground = forms.ChoiceField(label=_("Grond van de afwijzing"), choices=Indication.RefusalGround.choices)
    refusal_motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom de aanvraag wordt afgewezen; dit staat in de beschikking."),
    )
    four_eyes_requested = forms.BooleanField(label=_("Vier ogen gevraagd"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refusal_ground"].choices = [("", _("Kies een grond")), *Indication.RefusalGround.choices]


def _grouped_result_choices():
    results = IbResult.objects.select_related("domain").order_by("domain__order", "name")
    groups: dict[str, list] = {}
    for result in results:
        groups.setdefault(result.domain.name, []).append((str(result.pk), result.name))
    return [("", _("Kies een resultaat"))] + list(groups.items())


def _sub_results_by_result() -> dict[str, list]:
    subs: dict[str, list] = {}
    for sub in IbSubResult.objects.order_by("result_id", "order"):
        subs.setdefault(str(sub.result_id), []).append((str(sub.pk), sub.name))
    return subs


class IndicationResultForm(forms.Form):
    """One result: the result, the sub-results of that result as checkboxes, and a concrete goal.
    The sub-results offered are those of the result chosen (after "Subresultaten tonen" without JavaScript)."""

    result = forms.ChoiceField(label=_("Resultaatgebied en resultaat"), required=False)
    sub_results = forms.MultipleChoiceField(
        label=_("Subresultaten"), required=False, widget=forms.CheckboxSelectMultiple
    )
    goal = forms.CharField(label=_("Concreet, meetbaar doel"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, result_choices=None, sub_results_by_result=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = result_choices or _grouped_result_choices()
        chosen = self.data.get(self.add_prefix("result")) if self.is_bound else self.initial.get("result")
        by_result = sub_results_by_result if sub_results_by_result is not None else _sub_results_by_result()
        self.fields["sub_results"].choices = by_result.get(str(chosen or ""), [])

    def clean(self):
        data = super().clean()
        if data.get("result") and not (data.get("goal") or "").strip():
            self.add_error("goal", _("Geef bij dit resultaat een concreet doel."))
        if not data.get("result") and (data.get("goal") or data.get("sub_results")):
            self.add_error("result", _("Kies het resultaat waar dit doel bij hoort."))
        return data

    def to_input(self) -> ResultInput | None:
        if not self.cleaned_data.get("result"):
            return None
        return ResultInput(
            result=self._results[int(self.cleaned_data["result"])],
            sub_results=[self._subs[int(pk)] for pk in self.cleaned_data.get("sub_results", [])],
            goal=self.cleaned_data["goal"],
        )


class BaseIndicationResultFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        results = {r.pk: r for r in IbResult.objects.select_related("domain")}
        subs = {s.pk: s for s in IbSubResult.objects.all()}
        for form in self.forms:
            form._results, form._subs = results, subs

    def get_form_kwargs(self, index):
        if not hasattr(self, "_choices"):
            self._choices = {
                "result_choices": _grouped_result_choices(),
                "sub_results_by_result": _sub_results_by_result(),
            }
        return {**super().get_form_kwargs(index), **self._choices}

    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data.get("result") for form in self.forms if form.cleaned_data.get("result")]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("Kies elk resultaat maar één keer."))
        if not chosen:
            raise ValidationError(_("Leg ten minste één resultaat vast."))

    def result_inputs(self) -> list[ResultInput]:
        return [item for item in (form.to_input() for form in self.forms) if item is not None]

    def kept_rows(self, *, add: bool = False) -> list[dict]:
        """The rows as typed (of a bound formset), plus an empty one to add a result: the initial data
        of a new, unbound formset, so nothing typed is lost and no errors are shown yet."""
        rows = [kept_input(form) for form in self.forms]
        rows = [row for row in rows if row.get("result") or (row.get("goal") or "").strip()]
        return rows + [{}] if add or not rows else rows


IndicationResultFormSet = forms.formset_factory(
    IndicationResultForm, formset=BaseIndicationResultFormSet, extra=0, min_num=1, max_num=20, validate_max=True
)


def kept_input(form: forms.Form) -> dict:
    """What was typed in a bound form, as initial data for an unbound copy of it (shown without errors)."""
    return {name: form[name].value() for name in form.fields}


CHECKED_CHOICES = [("", _("nog niet getoetst")), ("ja", _("ja, voldaan")), ("nee", _("nee, niet voldaan"))]


def _checked_field(label: str, help_text: str) -> forms.TypedChoiceField:
    """A condition of art. 2.3.6 lid 2: not yet checked (None), met (True) or not met (False)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=CHECKED_CHOICES,
        coerce=lambda value: value == "ja",
        empty_value=None,
        required=False,
    )


def _note_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicationForm(DutchEmptyLabelsMixin, forms.ModelForm):
    evaluation_date_1 = forms.DateField(label=_("Eerste evaluatie"), widget=DateInput())
    evaluation_date_2 = forms.DateField(label=_("Tweede evaluatie (optioneel)"), required=False, widget=DateInput())
    evaluation_date_3 = forms.DateField(label=_("Derde evaluatie (optioneel)"), required=False, widget=DateInput())
    # The pgb (PgbBudget): shown always (no JavaScript), kept only for leveringsvorm pgb.
    pgb_holder = forms.ChoiceField(label=_("Budgethouder"), choices=PgbBudget.Holder.choices, required=False)
    pgb_representative_name = forms.CharField(
        label=_("Naam vertegenwoordiger (budgethouder)"), max_length=200, required=False
    )
    pgb_representative_relation = forms.CharField(
        label=_("Relatie tot de cliënt"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld ouder, bewindvoerder."),
    )
    pgb_budget_plan_received_on = forms.DateField(
        label=_("Budgetplan ontvangen op"), required=False, widget=DateInput()
    )
    pgb_able_to_manage = _checked_field(
        _("Pgb-vaardig (art. 2.3.6 lid 2 sub a)"),
        _("De cliënt kan het pgb zelf, of met hulp van netwerk of vertegenwoordiger, beheren."),
    )
    pgb_able_to_manage_note = _note_field(_("Toelichting pgb-vaardig"))
    pgb_motivated = _checked_field(
        _("Gemotiveerd (art. 2.3.6 lid 2 sub b)"), _("De cliënt heeft gemotiveerd waarom hij een pgb wil.")
    )
    pgb_motivated_note = _note_field(_("Toelichting motivering"))
    pgb_quality_plausible = _checked_field(
        _("Kwaliteit aannemelijk (art. 2.3.6 lid 2 sub c)"),
        _("De cliënt maakt aannemelijk dat de ingekochte ondersteuning veilig, doeltreffend en cliëntgericht is."),
    )
    pgb_quality_note = _note_field(_("Toelichting kwaliteit"))
    pgb_social_network = forms.BooleanField(
        label=_("Ingekocht bij het sociaal netwerk"),
        required=False,
        help_text=_("Dan geldt het (lagere) pgb-tarief voor het sociaal netwerk (art. 2.3.6 lid 6)."),
    )

    class Meta:
        model = Indication
        fields = [
            "aanvraag",
            "kind",
            "replaces",
            "product",
            "opslag",
            "opslag_motivation",
            "start_date",
            "retroactive_motivation",
            "end_date",
            "primary_domain",
            "treatment_needed",
            "dagbesteding_dagdelen_ib",
            "verblijf_motivation",
            "extramural_cost_motivation",
            "mantelzorg_motivation",
            "delivery_form",
            "provider",
            "four_eyes_requested",
            "refusal_motivation",
        ]
        labels = {"refusal_motivation": _("Motivering gedeeltelijke toekenning")}
        help_texts = {
            "refusal_motivation": _(
                "Alleen als minder wordt toegekend dan gevraagd (lichter product, geen opslag of kortere looptijd): "
                "waarom het gevraagde deel niet."
            )
        }
        widgets = {
            "refusal_motivation": forms.Textarea(attrs={"rows": 2}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "opslag_motivation": forms.Textarea(attrs={"rows": 2}),
            "retroactive_motivation": forms.Textarea(attrs={"rows": 2}),
            "verblijf_motivation": forms.Textarea(attrs={"rows": 2}),
            "extramural_cost_motivation": forms.Textarea(attrs={"rows": 2}),
            "mantelzorg_motivation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanvraag"].queryset = Aanvraag.objects.filter(client=client)
        self.fields["replaces"].queryset = Indication.objects.filter(
            client=client, status__in=LIVE_STATUSES
        ).select_related("product")
        self.fields["replaces"].help_text = _("Alleen bij op- of afschaling of herindicatie.")
        self.fields["replaces"].empty_label = _("Vervangt geen beschikking")
        # The provider's model through the field's relation (Indication.provider, the case file's one
        # reference up to providers, see indications.hooks): the active providers to choose from.
        self.fields["provider"].queryset = self.fields["provider"].queryset.filter(is_active=True)
        self.fields["provider"].required = False
        # The primary domain must be one of the chosen results' domains: the service checks it.
        self.fields["primary_domain"].queryset = ResultDomain.objects.order_by("order")
        self.fields["primary_domain"].empty_label = _("Kies het leefdomein van een van de resultaten")
        self.fields["dagbesteding_dagdelen_ib"].required = False
        self.fields["delivery_form"].required = False  # empty: zorg in natura (the model's default)
        self.fields["dagbesteding_dagdelen_ib"].widget.attrs.update({"min": 0, "max": 10})
        if self.instance.pk:
            dates = [p.planned_on for p in self.instance.planned_evaluations.filter(evaluation__isnull=True)]
            for index, planned_on in enumerate(dates[:3], start=1):
                self.initial.setdefault(f"evaluation_date_{index}", planned_on)
            pgb = PgbBudget.objects.filter(indication=self.instance).first()
            if pgb is not None:
                for name in PGB_FIELDS:
                    value = getattr(pgb, name)
                    if isinstance(value, bool) and name != "social_network":
                        value = "ja" if value else "nee"
                    self.initial.setdefault(f"pgb_{name}", value)

    @property
    def main_fields(self):
        return [field for field in self if not field.name.startswith("pgb_")]

    @property
    def pgb_fields(self):
        return [field for field in self if field.name.startswith("pgb_")]

    def pgb_data(self) -> dict:
        return {name: self.cleaned_data.get(f"pgb_{name}") for name in PGB_FIELDS}

    def clean(self):
        cleaned_data = super().clean()
        end_after_start(self, same_day=False)
        return cleaned_data

    def clean_delivery_form(self):
        return self.cleaned_data.get("delivery_form") or Indication.DeliveryForm.NATURA

    def clean_dagbesteding_dagdelen_ib(self):
        return self.cleaned_data.get("dagbesteding_dagdelen_ib") or 0

    def evaluation_dates(self):
        return [
            self.cleaned_data[name]
            for name in ("evaluation_date_1", "evaluation_date_2", "evaluation_date_3")
            if self.cleaned_data.get(name)
        ]

    def indication_data(self) -> dict:
        return {**{name: self.cleaned_data.get(name) for name in self.Meta.fields}, "pgb": self.pgb_data()}


class IssueForm(forms.Form):
    decision_date = forms.DateField(label=_("Besluitdatum"), widget=DateInput())


class EndIndicationForm(forms.Form):
    ended_on = forms.DateField(label=_("Beëindigen per"), widget=DateInput())
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawIndicationForm(forms.Form):
    reason = forms.CharField(label=_("Reden van intrekking"), widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(ZrmFieldsMixin, forms.Form):
    held_on = forms.DateField(label=_("Datum evaluatie"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Evaluation.Outcome.choices, widget=forms.RadioSelect)
    next_evaluation_on = forms.DateField(label=_("Volgende evaluatie"), required=False, widget=DateInput())
    notes = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indication: Indication, **kwargs):
        super().__init__(*args, **kwargs)
        self.indication_results = list(indication.results.select_related("result__domain"))
        for item in self.indication_results:
            self.fields[f"progress_{item.pk}"] = forms.ChoiceField(
                label=_("Voortgang: %(result)s") % {"result": item.result},
                choices=[("", _("Kies de voortgang"))] + list(ResultProgress.Progress.choices),
            )
            self.fields[f"progress_note_{item.pk}"] = forms.CharField(
                label=_("Toelichting voortgang"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.add_zrm_fields()

    def progress_rows(self):
        return [
            (item, self[f"progress_{item.pk}"], self[f"progress_note_{item.pk}"]) for item in self.indication_results
        ]

    def progress(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"progress_{item.pk}"], self.cleaned_data.get(f"progress_note_{item.pk}", ""))
            for item in self.indication_results
        }


class OtherProvisionForm(DutchEmptyLabelsMixin, forms.ModelForm):
    class Meta:
        model = OtherProvision
        fields = ["kind", "start_date", "end_date", "cost_per_period", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_per_period"].widget.attrs.update({"min": 0, "step": "0.01"})

    def clean(self):
        cleaned_data = super().clean()
        end_after_start(self, same_day=True)
        return cleaned_data


class ReviewDecisionForm(forms.Form):
    APPROVE, REJECT = "goedkeuren", "terugsturen"
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(APPROVE, _("Goedkeuren")), (REJECT, _("Terugsturen naar de consulent"))],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivering (verplicht bij terugsturen)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewQuestionForm(forms.Form):
    question = forms.CharField(label=_("Vraag aan de consulent"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Antwoord"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenConceptForm(forms.Form):
    reason = forms.CharField(label=_("Waarom terug naar concept?"), widget=forms.Textarea(attrs={"rows": 2}))
