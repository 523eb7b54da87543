"""The selection of the CAK export of the eigen bijdrage. It checks shape only; the obligations
come from indications.eigen_bijdrage."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .eigen_bijdrage import MUTATIONS, RUNNING
from .forms import DateInput
from .models import Municipality


class CakExportForm(forms.Form):
    period_from = forms.DateField(label=_("Periode vanaf"), widget=DateInput())
    period_to = forms.DateField(label=_("Periode tot en met"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Welke regels"),
        choices=[
            (MUTATIONS, _("mutaties: start of einde van de eigen bijdrage in de periode")),
            (RUNNING, _("alle eigen bijdragen die in de periode lopen")),
        ],
        initial=MUTATIONS,
    )
    since_last_export = forms.BooleanField(
        label=_("Ook wat sinds de vorige export is gewijzigd of ingetrokken"),
        required=False,
        help_text=_("Bij mutaties: beschikkingen die na de vorige export zijn gewijzigd, ook buiten de periode."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("alle gemeenten"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("De einddatum mag niet vóór de begindatum liggen."))
        return cleaned
