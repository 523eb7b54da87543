from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("De zes cijfers uit uw authenticator-app, of een van uw herstelcodes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=12,
        help_text=_("De zes cijfers die de app nu toont."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        help_text=_("Bijvoorbeeld: telefoon kwijt, melding 2026-0142. De reden komt in de audittrail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
