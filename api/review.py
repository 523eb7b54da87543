"""The log review's "API key used from a new address" (audit.review), registered in ApiConfig.ready():
the API owns its callers' labels ("aanbieder <AGB> (sleutel <prefix>)", api.authentication), so it
knows which audit events are a provider key's calls."""

from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef
from django.utils.translation import gettext_lazy, ngettext

from audit.models import AuditEvent
from audit.review import ReviewItem, ReviewSource

KEY_LABEL_PREFIX = "aanbieder "  # str(api.authentication.ProviderClient)


def new_addresses(viewer, since: datetime, until: datetime) -> list[ReviewItem]:
    """Per key and address: the first call in [since, until) from an address the key never used
    before `since` (one query; the index audit_event_caller_address answers the "before")."""
    calls = AuditEvent.objects.filter(actor__isnull=True, actor_label__startswith=KEY_LABEL_PREFIX)
    earlier = calls.filter(actor_label=OuterRef("actor_label"), ip_address=OuterRef("ip_address"), at__lt=since)
    rows = (
        calls.filter(at__gte=since, at__lt=until, ip_address__isnull=False)
        .values("actor_label", "ip_address")
        .annotate(first=Min("at"), calls=Count("id"))
        .filter(~Exists(earlier))
        .order_by()
    )
    return [
        ReviewItem(
            kind=NEW_ADDRESS.kind,
            key=f"{row['actor_label']}|{row['ip_address']}",
            at=row["first"],
            user_label=row["actor_label"],
            summary=ngettext(
                "API-sleutel gebruikt vanaf een nieuw adres %(ip)s (%(calls)s aanroep in deze periode)",
                "API-sleutel gebruikt vanaf een nieuw adres %(ip)s (%(calls)s aanroepen in deze periode)",
                row["calls"],
            )
            % {"ip": row["ip_address"], "calls": row["calls"]},
        )
        for row in rows
    ]


NEW_ADDRESS = ReviewSource(
    kind="api-nieuw-adres", label=gettext_lazy("API-sleutels vanaf een nieuw adres"), fetch=new_addresses, position=50
)
