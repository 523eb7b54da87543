from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput
from ui.forms import DutchEmptyLabelsMixin

from .codes import RedenAfwijzingVerzoek
from .models import Provider, ReferenceGroup


class ChangeProviderForm(DutchEmptyLabelsMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Nieuwe aanbieder"), queryset=Provider.objects.filter(is_active=True))
    on = forms.DateField(label=_("Overstap per"), widget=DateInput())


class AnswerChangeRequestForm(forms.Form):
    """Toekennen (a new toewijzing, WMO301), afwijzen (WJ760 1 with a WJ759 reason) or in onderzoek
    (WJ760 2: the request stays open)."""

    GRANT, REFUSE, IN_REVIEW = "toekennen", "afwijzen", "in_onderzoek"
    decision = forms.ChoiceField(
        label=_("Antwoord"),
        choices=[(GRANT, _("Toekennen")), (REFUSE, _("Afwijzen")), (IN_REVIEW, _("In onderzoek"))],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.ChoiceField(
        label=_("Reden afwijzing"),
        choices=[("", _("kies bij afwijzen een reden")), *RedenAfwijzingVerzoek.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Toelichting voor de aanbieder"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("refusal_reason"):
            self.add_error("refusal_reason", _("Kies de reden van afwijzing (WJ759)."))
        return cleaned


class RejectAssignmentRequestForm(DutchEmptyLabelsMixin, forms.Form):
    """Rejecting a verzoek om toewijzing (WMO315): a WJ759 reason and a motivation, both required."""

    reason = forms.ChoiceField(
        label=_("Reden van afwijzing (WJ759)"), choices=[("", "---------"), *RedenAfwijzingVerzoek.choices]
    )
    motivation = forms.CharField(
        label=_("Motivering voor de aanbieder"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class JudgeSupportPlanForm(forms.Form):
    """The consultant's judgement of an ondersteuningsplan: the page's two buttons send `decision`."""

    ACCEPT, ASK_CHANGES = "accepteren", "wijziging_vragen"
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accepteren")), (ASK_CHANGES, _("Wijziging vragen"))])
    remark = forms.CharField(
        label=_("Opmerking voor de aanbieder"),
        required=False,
        max_length=4000,
        help_text=_("Verplicht bij Wijziging vragen: wat moet de aanbieder in het plan aanpassen?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SlaFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2016, max_value=2100)
    granularity = forms.ChoiceField(label=_("Periode"), choices=[("jaar", _("jaar")), ("kwartaal", _("kwartaal"))])
    part = forms.IntegerField(label=_("Welk kwartaal"), min_value=1, max_value=4, required=False)
    reference_group = forms.ModelChoiceField(
        label=_("Referentiegroep"),
        queryset=ReferenceGroup.objects.all(),
        required=False,
        empty_label=_("alle referentiegroepen"),
    )


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2016, max_value=2100)


class AnnualReviewForm(forms.Form):
    """The jaargesprek as contract management records it on the provider's dashboard."""

    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2015, max_value=2100)
    held_on = forms.DateField(label=_("Gehouden op"), widget=DateInput())
    participants = forms.CharField(
        label=_("Deelnemers"), max_length=500, help_text=_("Namen en rollen, van de gemeente en van de aanbieder.")
    )
    conclusions = forms.CharField(label=_("Conclusies over de prestaties"), widget=forms.Textarea(attrs={"rows": 4}))
    agreements = forms.CharField(
        label=_("Afspraken en verbeterpunten"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_review_on = forms.DateField(label=_("Volgend gesprek"), required=False, widget=DateInput())


# What the import page explains about the file (providers.satisfaction.import_client_satisfaction reads it).
SATISFACTION_FILE_COLUMNS = [
    (_("Aanbieder"), _("AGB-code (8 cijfers) of de naam van de aanbieder; verplicht")),
    (_("Product"), _("productcode, bijvoorbeeld IB1; leeg: alle cliënten van de aanbieder")),
    (_("Jaar"), _("het jaar van het onderzoek; verplicht")),
    (_("Respondenten"), _("aantal cliënten dat antwoordde, 0 of meer; verplicht")),
    (_("Score"), _("gemiddeld cijfer van 1 tot en met 10; verplicht")),
    (_("Positief (8-10), Neutraal (6-7), Negatief (1-5)"), _("aantallen; alle drie of geen, samen de respondenten")),
]


class SatisfactionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Uitslagen cliëntervaringsonderzoek (XLSX)"),
        help_text=_("Eén werkblad; de eerste rij bevat de kolomkoppen. Ten hoogste 2 MB."),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
