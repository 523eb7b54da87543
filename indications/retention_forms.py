"""The form of the destruction review. It checks shape only; indications.retention checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput

APPROVE, POSTPONE, REJECT = "goedkeuren", "uitstellen", "afwijzen"


class DestructionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (APPROVE, _("Goedkeuren: het dossier wordt geanonimiseerd")),
            (POSTPONE, _("Uitstellen tot een datum")),
            (REJECT, _("Afwijzen: het dossier blijft bewaard")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies goedkeuren, uitstellen of afwijzen.")},
    )
    until = forms.DateField(
        label=_("Uitstellen tot"),
        required=False,
        widget=DateInput(),
        help_text=_("Alleen bij uitstellen: het voorstel komt op deze datum terug."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Verplicht: waarom u zo besluit (bijvoorbeeld de categorie van de selectielijst)."),
        error_messages={"required": _("Geef een toelichting bij uw besluit.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == POSTPONE and not cleaned.get("until") and "until" not in self.errors:
            self.add_error("until", _("Kies de datum tot wanneer u uitstelt."))
        return cleaned
