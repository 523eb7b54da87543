from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput
from indications.selectors import clients_visible_to
from providers.models import Assignment, Provider

from .models import IncidentKind, IncidentStatus


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; the value travels as ISO (jjjj-mm-ddTuu:mm)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PhoneReportForm(forms.Form):
    """A calamiteit a provider reports by phone: the consultant takes it down."""

    assignment = forms.CharField(
        label=_("Toewijzingnummer"),
        max_length=20,
        help_text=_("Vraag de aanbieder naar het nummer van de toewijzing waarbinnen het gebeurde."),
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(
        label=_("Moment van het incident"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_assignment(self) -> Assignment:
        number = self.cleaned_data["assignment"].strip()
        assignment = (
            Assignment.objects.select_related("indication__client", "provider")
            .filter(number=number, indication__client__in=clients_visible_to(self.user))
            .first()
        )
        if assignment is None:
            raise forms.ValidationError(
                _("Geen toewijzing met dit nummer bij een cliënt van uw team."), code="unknown_assignment"
            )
        return assignment


class GgdReportForm(forms.Form):
    reported_on = forms.DateField(label=_("Gemeld aan de GGD op"), widget=DateInput())
    reference = forms.CharField(label=_("Kenmerk van de GGD"), max_length=60)


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("Afsluitende notitie"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hoe is de calamiteit afgehandeld, en wat is met de aanbieder afgesproken?"),
    )


class IncidentFilterForm(forms.Form):
    """The list's selection: status, soort, aanbieder, the period in which it was reported."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("alle statussen")), *IncidentStatus.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", _("alle soorten")), *IncidentKind.choices], required=False)
    provider = forms.ModelChoiceField(
        label=_("Aanbieder"), queryset=Provider.objects.none(), required=False, empty_label=_("alle aanbieders")
    )
    reported_from = forms.DateField(label=_("Gemeld vanaf"), widget=DateInput(), required=False)
    reported_to = forms.DateField(label=_("Gemeld tot en met"), widget=DateInput(), required=False)

    def __init__(self, *args, providers, **kwargs):
        """`providers`: those of the incidents the user may see (no other provider's name shows)."""
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

    def clean(self):
        data = super().clean()
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and end < start:
            self.add_error(
                "reported_to",
                forms.ValidationError(_("De einddatum kan niet vóór de begindatum liggen."), code="end_before_start"),
            )
        return data
