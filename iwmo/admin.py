from django.contrib import admin

from audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import IncomingMessage, OutgoingMessage, ProductOmvang


@admin.register(ProductOmvang)
class ProductOmvangAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The Omvang a product's toewijzing states in a WMO301 (reference data, docs/iwmo.md)."""

    list_display = ["product", "volume", "eenheid", "frequentie"]


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_type", "identification", "dagtekening", "receiver", "status", "attempts", "delivered_at"]
    list_filter = ["message_type", "status"]
    search_fields = ["identification", "receiver", "sender"]
    list_select_related = ["provider"]
    raw_id_fields = ["client", "provider", "municipality", "in_reply_to"]


@admin.register(IncomingMessage)
class IncomingMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_type", "identification", "dagtekening", "sender", "status", "channel", "received_at"]
    list_filter = ["message_type", "status", "channel"]
    search_fields = ["identification", "sender"]
    exclude = ["raw"]
    raw_id_fields = ["client", "provider", "municipality"]
