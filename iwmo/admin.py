from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from . import resend
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
    actions = ["resend_failed"]

    @admin.action(description=_("Mislukte berichten opnieuw versturen"), permissions=["resend"])
    def resend_failed(self, request, queryset):
        """Each selected mislukt message back in the queue (iwmo.resend: same BerichtIdentificatie)."""
        done, refused = 0, []
        for message in queryset.order_by("pk"):
            try:
                resend.resend_failed_message(message, by=request.user)
            except ValidationError:
                refused.append(message.identification)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(n)s bericht(en) opnieuw in de wachtrij gezet.") % {"n": done})
        if refused:
            self.message_user(
                request,
                _("Niet mislukt, dus niet opnieuw verstuurd: %(ids)s") % {"ids": ", ".join(refused)},
                messages.WARNING,
            )

    def has_resend_permission(self, request) -> bool:
        return resend.may_resend(request.user)

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
