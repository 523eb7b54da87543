from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput

from .models import Provider


class ChangeProviderForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Nieuwe aanbieder"), queryset=Provider.objects.filter(is_active=True))
    on = forms.DateField(label=_("Overstap per"), widget=DateInput())


class AnswerChangeRequestForm(forms.Form):
    GRANT, REFUSE = "toekennen", "afwijzen"
    decision = forms.ChoiceField(
        label=_("Antwoord"), choices=[(GRANT, _("Toekennen")), (REFUSE, _("Afwijzen"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Toelichting voor de aanbieder"), widget=forms.Textarea(attrs={"rows": 2}))
