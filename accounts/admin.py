from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Team

# The second factor's devices are not edited in the admin: a reset goes through
# accounts.services.reset_second_factor, with its reason in the audit trail, and a device's secret
# (the TOTP key, the herstelcodes) is never shown to anyone but its user at enrolment.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["municipalities", "members"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """A functioneel beheerder assigns roles (groups) but cannot grant superuser rights or loose
    permissions, nor change a superuser: only a superuser can."""

    def has_change_permission(self, request, obj=None):
        # Nor change a superuser's account (its password, its roles): that would be the way round.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly
