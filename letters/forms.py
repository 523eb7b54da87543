"""Forms of the letters' beheer pages. They check shape only; letters.services checks the texts
(syntax, placeholders) and the letterhead's rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indications.models import Municipality

from .models import LetterTemplate, MunicipalityLetterhead
from .services import LETTERHEAD_FIELDS


class MunicipalityFilterForm(forms.Form):
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("Alle gemeenten"),
        to_field_name="code",
    )


class TemplateForm(forms.Form):
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=LetterTemplate._meta.get_field("subject").max_length,
        strip=False,
        help_text=_("De onderwerpregel van de brief. U kunt plaatshouders gebruiken, zoals {{ product }}."),
    )
    body = forms.CharField(
        label=_("Tekst"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text=_(
            "De tekst na de aanhef, in HTML: <p> voor een alinea, <h2> voor een tussenkop, <strong> voor vet. "
            "De vaste delen (wat de cliënt krijgt, bezwaar, eigen bijdrage, ondertekening) voegt het systeem toe."
        ),
    )


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = MunicipalityLetterhead
        fields = LETTERHEAD_FIELDS
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "visiting_address": forms.Textarea(attrs={"rows": 2}),
            "bezwaar_address": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "sender": _("Bovenaan de brief, bijvoorbeeld: Gemeente Dordrecht."),
            "place": _("Voor de datum: Dordrecht, 3 december 2026."),
            "mandate_line": _("Boven de ondertekening, bijvoorbeeld: namens dezen."),
        }

    def _post_clean(self):
        """The model's rules are checked by letters.services.update_letterhead, not here (the form
        only checks the shape), so the instance is not changed before the service runs."""
