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


class ReviewPeriodForm(forms.Form):
    """The log review's period and whether reviewed items are shown too (GET)."""

    DEFAULT_DAYS = 30
    MAX_DAYS = 366

    since = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    toon = forms.ChoiceField(
        label=_("Tonen"),
        required=False,
        choices=[("open", _("alleen nog te beoordelen")), ("alle", _("ook beoordeelde"))],
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("De einddatum ligt vóór de begindatum."))
        elif since and until and (until - since).days >= self.MAX_DAYS:
            self.add_error("since", _("Kies een periode van ten hoogste een jaar."))
        return cleaned


class ReviewMarkForm(forms.Form):
    """Mark one item reviewed: its kind and key (hidden) and the reviewer's note."""

    kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    note = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat heeft u bekeken en wat concludeert u? Dit wordt vastgelegd."),
        error_messages={"required": _("Schrijf op wat u heeft bekeken en wat u concludeert.")},
    )
