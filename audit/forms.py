from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .export import FORMATS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditExportForm(forms.Form):
    since = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    bsn = forms.CharField(label=_("BSN"), max_length=9, required=False)
    format = forms.ChoiceField(
        label=_("Formaat"), choices=[(fmt, fmt.upper() if fmt == "csv" else "JSON lines") for fmt in FORMATS]
    )

    def clean_bsn(self):
        bsn = self.cleaned_data["bsn"].strip()
        if bsn and not (len(bsn) == 9 and bsn.isdigit()):
            raise ValidationError(_("Een BSN bestaat uit precies 9 cijfers."))
        return bsn

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("De einddatum ligt vóór de begindatum."))
        return cleaned
