from django.db.models import Count, Prefetch, Q, QuerySet

from indications.models import IndicationResult

from .models import Assignment, Provider


def provider_overview() -> QuerySet[Provider]:
    """Providers with aggregate counts only (no client data): what contract management may see."""
    live = Q(indications__status__in=["vastgesteld", "actief"])
    return (
        Provider.objects.select_related("reference_group")
        .annotate(
            live_beschikkingen=Count("indications", filter=live),
            clients_in_care=Count("indications__client", filter=live, distinct=True),
            beschikkingen_total=Count("indications", filter=Q(indications__decision_date__isnull=False)),
        )
        .order_by("reference_group__number", "name")
    )


def assignments_for(provider: Provider) -> QuerySet[Assignment]:
    """The provider's own assignments, with what the API shows, in a fixed number of queries."""
    return (
        Assignment.objects.filter(provider=provider)
        .select_related("product", "indication__client__municipality", "indication__consultant")
        .prefetch_related(
            Prefetch("indication__results", queryset=IndicationResult.objects.select_related("result__domain"))
        )
        .order_by("-start_date", "-id")
    )
