from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from audit.admin import AuditedAdminMixin

from . import eigen_bijdrage, tariffs
from .membership import membership_change_errors
from .models import (
    ComplexityRule,
    CostReference,
    EigenBijdrageExemption,
    EigenBijdrageRule,
    IbResult,
    IbSubResult,
    Municipality,
    PgbTariff,
    Product,
    QualityQuestion,
    ResultDomain,
    Tariff,
    ZrmDomain,
)


class MunicipalityForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["code", "name", "member_from", "member_until", "signal_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The signal team is one of the teams serving the municipality (set those on the team first).
        field = self.fields["signal_team"]
        serving = field.queryset.filter(municipalities=self.instance) if self.instance.pk else field.queryset.none()
        field.queryset = serving

    def clean(self):
        data = super().clean()
        errors = membership_change_errors(
            self.instance, member_from=data.get("member_from"), member_until=data.get("member_until")
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MunicipalityForm
    list_display = ["name", "code", "member_from", "member_until", "signal_team"]


@admin.register(ZrmDomain)
class ZrmDomainAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "order", "allows_acute_score", "is_active"]
    list_editable = ["order", "is_active"]


class IbSubResultInline(admin.TabularInline):
    model = IbSubResult
    extra = 1


@admin.register(IbResult)
class IbResultAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "domain"]
    list_filter = ["domain"]
    inlines = [IbSubResultInline]


class IbResultInline(admin.TabularInline):
    model = IbResult
    extra = 0
    show_change_link = True


@admin.register(ResultDomain)
class ResultDomainAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    filter_horizontal = ["zrm_domains", "requires_any_of"]
    inlines = [IbResultInline]


class TariffInlineFormSet(forms.BaseInlineFormSet):
    """A product's tariff rows are checked together (indications.tariffs): two rows of one save may
    not overlap each other, nor a stored tariff, while an edited row's old period no longer counts."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        periods, replacing = [], []
        for row in self.forms:
            if row.instance.pk is not None:
                replacing.append(row.instance.pk)
            data = getattr(row, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("valid_from"):
                continue
            periods.append(tariffs.TariffPeriod(data["valid_from"], data.get("valid_to")))
        try:
            tariffs.validate_tariff_periods(self.instance, periods, replacing=replacing)
        except ValidationError as error:
            raise ValidationError(error.messages, code="tariff_overlap") from None


class TariffInline(admin.TabularInline):
    model = Tariff
    formset = TariffInlineFormSet
    extra = 1


class TariffForm(forms.ModelForm):
    class Meta:
        model = Tariff
        fields = ["product", "valid_from", "valid_to", "amount_per_period", "opslag_per_period"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and cleaned.get("valid_from") and not self.has_error("valid_to"):
            period = tariffs.TariffPeriod(cleaned["valid_from"], cleaned.get("valid_to"))
            try:
                tariffs.validate_tariff_periods(cleaned["product"], [period], replacing=[self.instance.pk])
            except ValidationError as error:
                self.add_error("valid_from", error)
        return cleaned


@admin.register(Product)
class ProductAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "iwmo_code",
        "level",
        "requires_end_date",
        "max_duration_weeks",
        "allows_opslag",
        "age_limit",
    ]
    inlines = [TariffInline]


@admin.register(Tariff)
class TariffAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = TariffForm
    list_display = ["product", "valid_from", "valid_to", "amount_per_period", "opslag_per_period"]
    list_filter = ["product"]


class PgbTariffForm(forms.ModelForm):
    class Meta:
        model = PgbTariff
        fields = [
            "product",
            "valid_from",
            "valid_to",
            "amount_per_period",
            "informal_amount_per_period",
            "opslag_per_period",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and cleaned.get("valid_from") and not self.has_error("valid_to"):
            period = tariffs.TariffPeriod(cleaned["valid_from"], cleaned.get("valid_to"))
            try:
                tariffs.validate_tariff_periods(
                    cleaned["product"], [period], replacing=[self.instance.pk], model=PgbTariff
                )
            except ValidationError as error:
                self.add_error("valid_from", error)
        return cleaned


@admin.register(PgbTariff)
class PgbTariffAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The pgb tariffs per product and period (the budget of a pgb beschikking, indications.selectors)."""

    form = PgbTariffForm
    list_display = ["product", "valid_from", "valid_to", "amount_per_period", "informal_amount_per_period"]
    list_filter = ["product"]


@admin.register(CostReference)
class CostReferenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The intramural package and the hour rate the IB cost rule compares with (indications.ib_rules)."""

    list_display = ["intramural_package", "valid_from", "valid_to", "intramural_cost_per_period", "ib_hour_rate"]


@admin.register(ComplexityRule)
class ComplexityRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The four-eyes criteria: the functioneel beheerder switches them on/off and sets thresholds."""

    list_display = ["name", "kind", "is_active", "threshold", "product"]
    list_editable = ["is_active", "threshold"]
    list_filter = ["kind", "is_active"]


@admin.register(QualityQuestion)
class QualityQuestionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The quality checklist: the functioneel beheerder adds, orders and switches off questions."""

    list_display = ["text", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]


class EigenBijdrageRuleForm(forms.ModelForm):
    class Meta:
        model = EigenBijdrageRule
        fields = ["valid_from", "valid_until", "is_due", "amount_per_month", "exemptions", "source"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("valid_from") and not self.has_error("valid_until"):
            try:
                eigen_bijdrage.validate_rule_period(
                    cleaned["valid_from"], cleaned.get("valid_until"), replacing=self.instance.pk
                )
            except ValidationError as error:
                self.add_error("valid_from", error)
        return cleaned


@admin.register(EigenBijdrageRule)
class EigenBijdrageRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The periods of the eigen bijdrage for IB (indications.eigen_bijdrage): one rule per day."""

    form = EigenBijdrageRuleForm
    list_display = ["valid_from", "valid_until", "is_due", "amount_per_month"]
    filter_horizontal = ["exemptions"]


@admin.register(EigenBijdrageExemption)
class EigenBijdrageExemptionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The kinds of exemption from the eigen bijdrage, each evaluated by its rule code."""

    list_display = ["name", "code", "rule", "age", "product", "is_active"]
    list_filter = ["rule", "is_active"]
