from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from indications.models import Client, Indication, Municipality, Product, ResultDomain
from providers.models import Provider, ReferenceGroup

from .models import AgeGroup
from .selectors import Selection

FIRST_YEAR = 2015


def _ensure_member_in_year(form: forms.Form) -> None:
    """A chosen municipality was a member of the SDD in the chosen year: before it joined, the SDD
    has no figures for it (Municipality.member_from / member_until)."""
    municipality, year = form.cleaned_data.get("municipality"), form.cleaned_data.get("year")
    if municipality and year and not Municipality.objects.members_in_year(year).filter(pk=municipality.pk).exists():
        form.add_error(
            "municipality",
            _("%(municipality)s was in %(year)s geen lid van de Sociale Dienst Drechtsteden: kies een ander jaar.")
            % {"municipality": municipality.name, "year": year},
        )


class MonitorFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=FIRST_YEAR, max_value=2100)
    years = forms.IntegerField(label=_("Aantal jaren in de trend"), min_value=1, max_value=10, initial=5)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("alle gemeenten"),
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("level"), required=False, empty_label=_("alle producten")
    )
    reference_group = forms.ModelChoiceField(
        label=_("Referentiegroep"),
        queryset=ReferenceGroup.objects.all(),
        required=False,
        empty_label=_("alle referentiegroepen"),
    )
    provider = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=Provider.objects.order_by("name"),
        required=False,
        empty_label=_("alle aanbieders"),
    )
    age_group = forms.ChoiceField(
        label=_("Leeftijd"), choices=[("", _("alle leeftijden")), *AgeGroup.choices], required=False
    )
    gender = forms.ChoiceField(label=_("Geslacht"), choices=[("", _("alle")), *Client.Gender.choices], required=False)
    primary_domain = forms.ModelChoiceField(
        label=_("Primair leefdomein"),
        queryset=ResultDomain.objects.order_by("order"),
        required=False,
        empty_label=_("alle leefdomeinen"),
    )
    treatment_needed = forms.ChoiceField(
        label=_("Behandeling (Zvw) nodig"),
        choices=[("", _("alle")), *Indication.TreatmentNeeded.choices],
        required=False,
    )
    delivery_form = forms.ChoiceField(
        label=_("Leveringsvorm"),
        choices=[("", _("natura en pgb")), *Indication.DeliveryForm.choices],
        required=False,
    )

    @classmethod
    def for_request(cls, query, *, today: date):
        """Bound to the query string; the current year and five years when nothing is chosen."""
        data = query.copy()
        data.setdefault("year", str(today.year))
        data.setdefault("years", "5")
        form = cls(data)
        form.today = today
        return form

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > getattr(self, "today", date.today()).year:
            raise forms.ValidationError(_("Kies een jaar tot en met het huidige jaar."))
        return year

    def clean(self):
        data = super().clean()
        _ensure_member_in_year(self)
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            municipality=data["municipality"],
            product=data["product"],
            provider=data["provider"],
            reference_group=data["reference_group"],
            age_group=data["age_group"] or None,
            gender=data["gender"] or None,
            primary_domain=data["primary_domain"],
            treatment_needed=data["treatment_needed"] or None,
            delivery_form=data["delivery_form"] or None,
        )

    def trend_years(self) -> list[int]:
        year = self.cleaned_data["year"]
        return list(range(max(FIRST_YEAR, year - self.cleaned_data["years"] + 1), year + 1))


class CeoExportForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=FIRST_YEAR, max_value=2100)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("alle gemeenten"),
    )

    def clean(self):
        data = super().clean()
        _ensure_member_in_year(self)
        return data
