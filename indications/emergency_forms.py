"""The request for a break-the-glass access: the BSN and the reason. It checks shape only; the
rules are indications.emergency_services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .emergency_services import REASON_MIN_LENGTH


class EmergencyAccessForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=9)
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Waarom hebt u dit dossier nu nodig, bijvoorbeeld een crisismelding? Ten minste %(min)d tekens. "
            "De teamleider en de privacyfunctionaris zien deze reden terug."
        )
        % {"min": REASON_MIN_LENGTH},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bsn"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
