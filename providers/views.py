from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from .selectors import provider_overview


@permission_required("providers.view_provider", raise_exception=True)
def overview(request):
    return render(request, "providers/overview.html", {"providers": provider_overview()})
