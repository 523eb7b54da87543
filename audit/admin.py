from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services as audit_services
from .models import AuditEvent, ReviewMark, ReviewSettings


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


class AuditedAdminMixin:
    """For a ModelAdmin of reference data (tariffs, products, complexity rules, ...): every add,
    change and delete in the admin, its inlines' rows and its changelist's editable columns
    included, records an audit event in the admin's own transaction, with who and the changed fields."""

    def save_model(self, request, obj, form, change):
        changes = audit_services.form_changes(form)
        super().save_model(request, obj, form, change)
        if not change or changes:
            action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
            audit_services.record_admin_edit(request, obj, action=action, changes=changes)

    def delete_model(self, request, obj):
        audit_services.record_admin_edit(request, obj, action=AuditEvent.Action.DELETE)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_services.record_admin_edit(request, obj, action=AuditEvent.Action.DELETE)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        deleted = {id(row) for row in formset.deleted_forms}
        edits = []
        for row in formset.forms:
            if id(row) in deleted:
                if row.instance.pk is not None:
                    audit_services.record_admin_edit(request, row.instance, action=AuditEvent.Action.DELETE)
            elif row.has_changed():
                adding = row.instance._state.adding
                edits.append(
                    (
                        row,
                        AuditEvent.Action.CREATE if adding else AuditEvent.Action.UPDATE,
                        audit_services.form_changes(row),
                    )
                )
        super().save_formset(request, form, formset, change)
        for row, action, changes in edits:
            if row.instance.pk is not None:
                audit_services.record_admin_edit(request, row.instance, action=action, changes=changes)


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The log review's thresholds (one row; audit.review_sources reads them)."""

    list_display = ["__str__", "files_per_day", "office_hours_start", "office_hours_end", "weekend_is_outside"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReviewSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(ReviewMark)
class ReviewMarkAdmin(ReadOnlyAdmin):
    """What was reviewed, by whom, with which note (marked on the log review page only)."""

    list_display = ["reviewed_at", "kind", "key", "reviewed_by", "note"]
    list_filter = ["kind"]
