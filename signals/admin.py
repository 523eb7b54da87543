from django.contrib import admin

from .models import CheckRun, Signal, SignalEvent


class SignalEventInline(admin.TabularInline):
    model = SignalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    """Read-only: signals change through the checks and the worklists, never by hand here."""

    list_display = ["type", "status", "urgency", "due_date", "assigned_to", "team", "created_on"]
    list_filter = ["type", "status", "urgency", "team"]
    inlines = [SignalEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["check_name", "last_run_on", "last_started_at", "last_finished_at", "last_summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
