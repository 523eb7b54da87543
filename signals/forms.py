from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SignalStatus


class MoveSignalForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=[(SignalStatus.IN_PROGRESS, _("In behandeling nemen")), (SignalStatus.RESOLVED, _("Opgelost"))]
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000, widget=forms.TextInput)
