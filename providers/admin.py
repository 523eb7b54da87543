from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin

from . import services
from .models import ApiToken, Contract, Provider, ReferenceGroup, SatisfactionTarget
from .selectors import api_tokens_expiring


@admin.register(SatisfactionTarget)
class SatisfactionTargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["from_year", "score"]


@admin.register(ReferenceGroup)
class ReferenceGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name"]


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    filter_horizontal = ["products"]


@admin.register(Provider)
class ProviderAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "agb_code", "reference_group", "is_active"]
    list_filter = ["reference_group", "is_active"]
    search_fields = ["name", "agb_code"]
    inlines = [ContractInline]


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["provider", "name", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("Een nieuwe sleutel moet na vandaag verlopen."), code="expiry_in_past")
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The functioneel beheerder issues keys (shown once) and revokes them; a key is never edited.
    The list warns about keys that expire within API_KEY_EXPIRY_WARNING_DAYS (30)."""

    form = ApiTokenForm
    list_display = ["provider", "name", "prefix", "created_at", "last_used_at", "expires_at", "state", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["provider__name", "provider__agb_code", "prefix"]
    fields = ["provider", "name", "expires_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["provider", "name", "expires_at", "last_used_at"] if obj else []

    def get_fields(self, request, obj=None):
        return [*self.fields, "last_used_at"] if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def state(self, token):
        now = timezone.now()
        if token.revoked_at is not None:
            return _("ingetrokken")
        if token.expires_at <= now:
            return _("verlopen")
        days_left = (token.expires_at - now).days
        if days_left < settings.API_KEYS["WARN_DAYS"]:
            return _("verloopt over %(days)s dagen") % {"days": days_left}
        return _("geldig")

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            expiring = list(api_tokens_expiring(now=timezone.now(), within_days=settings.API_KEYS["WARN_DAYS"]))
            for token in expiring:
                messages.warning(
                    request,
                    _(
                        "De API-sleutel %(prefix)s… (%(name)s) van %(provider)s verloopt op %(date)s: geef tijdig een "
                        "nieuwe uit en trek de oude daarna in."
                    )
                    % {
                        "prefix": token.prefix,
                        "name": token.name,
                        "provider": token.provider.name,
                        "date": date_format(timezone.localtime(token.expires_at), "j F Y"),
                    },
                )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = services.issue_api_token(obj.provider, name=obj.name, by=request.user, expires_at=obj.expires_at)
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
