from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput

from .models import Provider, ReferenceGroup


class ChangeProviderForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Nieuwe aanbieder"), queryset=Provider.objects.filter(is_active=True))
    on = forms.DateField(label=_("Overstap per"), widget=DateInput())


class AnswerChangeRequestForm(forms.Form):
    GRANT, REFUSE = "toekennen", "afwijzen"
    decision = forms.ChoiceField(
        label=_("Antwoord"), choices=[(GRANT, _("Toekennen")), (REFUSE, _("Afwijzen"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Toelichting voor de aanbieder"), widget=forms.Textarea(attrs={"rows": 2}))


class SlaFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2016, max_value=2100)
    granularity = forms.ChoiceField(
        label=_("Periode"), choices=[("jaar", _("jaar")), ("kwartaal", _("kwartaal")), ("maand", _("maand"))]
    )
    part = forms.IntegerField(label=_("Welk kwartaal of welke maand"), min_value=1, max_value=12, required=False)
    reference_group = forms.ModelChoiceField(
        label=_("Referentiegroep"), queryset=ReferenceGroup.objects.all(), required=False,
        empty_label=_("alle referentiegroepen"),
    )

    def clean(self):
        data = super().clean()
        if data.get("granularity") == "kwartaal" and data.get("part") and data["part"] > 4:
            self.add_error("part", _("Een jaar heeft vier kwartalen."))
        return data
