from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, Contract, Provider, ReferenceGroup


@admin.register(ReferenceGroup)
class ReferenceGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    filter_horizontal = ["products"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "agb_code", "reference_group", "is_active"]
    list_filter = ["reference_group", "is_active"]
    search_fields = ["name", "agb_code"]
    inlines = [ContractInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The functioneel beheerder issues keys (shown once) and revokes them; a key is never edited."""

    list_display = ["provider", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["provider__name", "provider__agb_code", "prefix"]
    fields = ["provider", "name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["provider", "name"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = services.issue_api_token(obj.provider, name=obj.name, by=request.user)
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request,
            _("Nieuwe API-sleutel (wordt maar één keer getoond, geef hem veilig door): %(key)s") % {"key": key},
        )

    @admin.action(description=_("Geselecteerde API-sleutels intrekken"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_api_token(token, by=request.user)
        messages.success(request, _("%(count)s sleutel(s) ingetrokken.") % {"count": queryset.count()})
