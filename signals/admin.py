from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import CheckRun, Signal, SignalEvent


class SignalEventInline(admin.TabularInline):
    model = SignalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    """Signals change through the checks and the worklists, never by hand here."""

    list_display = ["type", "status", "urgency", "due_date", "assigned_to", "team", "created_on"]
    list_filter = ["type", "status", "urgency", "team"]
    inlines = [SignalEventInline]


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyAdmin):
    list_display = ["check_name", "last_run_on", "last_started_at", "last_finished_at", "last_summary"]
