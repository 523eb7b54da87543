from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only the application writes (audit events, signals): to look at, never to edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_kind", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "summary"]

    @admin.display(description=_("soort gegeven"), ordering="object_type")
    def object_kind(self, event):
        return event.object_type_display
