from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import IncomingMessage, OutgoingMessage, ProductOmvang


@admin.register(ProductOmvang)
class ProductOmvangAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The Omvang a product's toewijzing states in a WMO301 (reference data, docs/iwmo.md)."""

    list_display = ["product", "volume", "eenheid", "frequentie"]


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "message_type",
        "identification",
        "dagtekening",
        "receiver",
        "status",
        "attempts",
        "delivered_at",
        "retour_status",
        "retour_dagtekening",
    ]
    list_filter = ["message_type", "status", "retour_status"]
    search_fields = ["identification", "receiver", "sender"]
    list_select_related = ["provider"]
    raw_id_fields = ["client", "provider", "municipality", "in_reply_to", "retour_message"]
    readonly_fields = ["retourcodes"]

    @admin.display(description=_("retourcodes met betekenis"))
    def retourcodes(self, message: OutgoingMessage) -> str:
        """The provider's WJ001 codes per element, with their Dutch meaning (iwmo.retour_in)."""
        if not message.retour_codes:
            return "-"
        return format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            (
                (row["element"], "; ".join(f"{c['code']} {c['betekenis']}" for c in row["codes"]))
                for row in message.retour_codes
            ),
        )


@admin.register(IncomingMessage)
class IncomingMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_type", "identification", "dagtekening", "sender", "status", "channel", "received_at"]
    list_filter = ["message_type", "status", "channel"]
    search_fields = ["identification", "sender"]
    exclude = ["raw"]
    raw_id_fields = ["client", "provider", "municipality"]
