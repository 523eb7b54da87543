from django.contrib import admin

from .models import (
    ComplexityRule,
    IbResult,
    IbSubResult,
    Municipality,
    Product,
    ResultDomain,
    Tariff,
    ZrmDomain,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(ZrmDomain)
class ZrmDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "allows_acute_score", "is_active"]
    list_editable = ["order", "is_active"]


class IbSubResultInline(admin.TabularInline):
    model = IbSubResult
    extra = 1


@admin.register(IbResult)
class IbResultAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    list_filter = ["domain"]
    inlines = [IbSubResultInline]


class IbResultInline(admin.TabularInline):
    model = IbResult
    extra = 0
    show_change_link = True


@admin.register(ResultDomain)
class ResultDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    filter_horizontal = ["zrm_domains", "requires_any_of"]
    inlines = [IbResultInline]


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 1


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "iwmo_code", "level", "requires_end_date", "max_duration_weeks", "allows_opslag"]
    inlines = [TariffInline]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["product", "valid_from", "valid_to", "amount_per_period", "opslag_per_period"]
    list_filter = ["product"]


@admin.register(ComplexityRule)
class ComplexityRuleAdmin(admin.ModelAdmin):
    """The four-eyes criteria: the functioneel beheerder switches them on/off and sets thresholds."""

    list_display = ["name", "kind", "is_active", "threshold", "product"]
    list_editable = ["is_active", "threshold"]
    list_filter = ["kind", "is_active"]
