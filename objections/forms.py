"""The bezwaar pages' forms: shape only; the rules are in objections.services (their errors come back
at the field through indications.forms.apply_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput
from ui.forms import DutchEmptyLabelsMixin

from .models import DECIDED_STATUSES, Bezwaar, BezwaarStatus, FiledBy

TEXTAREA = {"rows": 3}


class RegisterForm(DutchEmptyLabelsMixin, forms.Form):
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    filed_by = forms.ChoiceField(
        label=_("Ingediend door"), choices=FiledBy.choices, initial=FiledBy.CLIENT, widget=forms.RadioSelect
    )
    representative_name = forms.CharField(
        label=_("Naam vertegenwoordiger"),
        max_length=200,
        required=False,
        help_text=_("Alleen als een vertegenwoordiger of gemachtigde het bezwaar indiende."),
    )
    representative_address = forms.CharField(
        label=_("Adres vertegenwoordiger"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén regel per adresregel. Dan gaan de brieven over het bezwaar naar de vertegenwoordiger."),
    )
    grounds = forms.CharField(label=_("Gronden van het bezwaar"), widget=forms.Textarea(attrs=TEXTAREA))
    posted_on = forms.DateField(
        label=_("Op de post gedaan op"),
        required=False,
        widget=DateInput(),
        help_text=Bezwaar._meta.get_field("posted_on").help_text,
    )
    late_excusable = forms.BooleanField(
        label=_("Te laat, maar verschoonbaar (art. 6:11 Awb)"),
        required=False,
        help_text=_("Alleen bij een bezwaar na de termijn, met een motivering."),
    )
    late_motivation = forms.CharField(
        label=_("Motivering verschoonbaarheid"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    hearing = forms.BooleanField(label=_("Er is een hoorzitting"), required=False)
    hearing_on = forms.DateField(label=_("Datum hoorzitting"), required=False, widget=DateInput())
    advisory_committee = forms.BooleanField(
        label=_("Een adviescommissie adviseert"),
        required=False,
        help_text=_("Dan is de beslistermijn 12 weken in plaats van 6 (art. 7:10 lid 1 Awb)."),
    )


class ProcedureForm(forms.Form):
    hearing = forms.BooleanField(label=_("Er is een hoorzitting"), required=False)
    hearing_on = forms.DateField(label=_("Datum hoorzitting"), required=False, widget=DateInput())
    advisory_committee = RegisterForm.base_fields["advisory_committee"]


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van de verdaging"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Eenmaal met ten hoogste zes weken (art. 7:10 lid 3 Awb)."),
    )


class ConsentForm(forms.Form):
    until = forms.DateField(label=_("Uitgesteld tot"), widget=DateInput())
    note = forms.CharField(
        label=_("Instemming van de indiener"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Hoe en wanneer de indiener met verder uitstel instemde (art. 7:10 lid 4 Awb)."),
    )


class IngebrekestellingForm(forms.Form):
    received_on = forms.DateField(label=_("Ingebrekestelling ontvangen op"), widget=DateInput())


class DecisionForm(DutchEmptyLabelsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[(status.value, status.label) for status in BezwaarStatus if status in DECIDED_STATUSES],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Beslist op"), widget=DateInput())
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs=TEXTAREA))
    herziening = forms.ModelChoiceField(
        label=_("Herziene beschikking"),
        queryset=None,
        required=False,
        help_text=_(
            "Alleen bij gegrond: de nieuwe beschikking die de bestreden beschikking vervangt, opgesteld en "
            "vastgesteld via het dossier (met vier ogen waar de regels dat vragen)."
        ),
    )

    def __init__(self, *args, herzieningen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["herziening"].queryset = herzieningen
        self.fields["herziening"].empty_label = _("Geen (niet gegrond)")
