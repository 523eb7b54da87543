from django.db.models import Count, Q, QuerySet

from .models import Provider


def provider_overview() -> QuerySet[Provider]:
    """Providers with aggregate counts only (no client data): what contract management may see."""
    live = Q(indications__status__in=["vastgesteld", "actief"])
    return (
        Provider.objects.select_related("reference_group")
        .annotate(
            live_beschikkingen=Count("indications", filter=live),
            clients_in_care=Count("indications__client", filter=live, distinct=True),
            beschikkingen_total=Count("indications", filter=~Q(indications__status="concept")),
        )
        .order_by("reference_group__number", "name")
    )
