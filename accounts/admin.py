from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Team
from .roles import ROLE_PERMISSIONS

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


admin.site.unregister(Group)

CODE_OWNED_ROLE_NOTICE = _(
    "De rechten van deze rol staan in de code (accounts/roles.py) en worden bij elke migratie (manage.py "
    "migrate) opnieuw gezet: een wijziging hier zou dan ongedaan worden gemaakt. Daarom zijn de naam en de "
    "rechten hier niet te wijzigen; vraag een ontwikkelaar om de rol in de code aan te passen."
)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The roles (accounts/roles.py) own their permissions in code: sync_roles sets them again at every
    migrate. Their change page says so and shows name and permissions read-only, instead of letting an
    administrator's edit be undone silently. Other groups stay editable."""

    @staticmethod
    def is_code_owned(obj) -> bool:
        return obj is not None and obj.name in ROLE_PERMISSIONS

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.is_code_owned(obj):
            readonly += ["name", "permissions"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        if not self.is_code_owned(obj):
            return super().get_fieldsets(request, obj)
        return [(None, {"fields": ["name", "permissions"], "description": CODE_OWNED_ROLE_NOTICE})]
