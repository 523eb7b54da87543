"""The README's API example (the curl flow of provider 98030001): which toewijzing it picks, and
whether the flow succeeds on it today. The generator adds a client when it would not."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from indications.models import LIVE_STATUSES, IndicationStatus
from providers.models import Assignment, ChangeRequest, Contract

from .figures import API_EXAMPLE_PROVIDER

S = IndicationStatus


def api_example_assignment(*, today: date) -> Assignment | None:
    """The toewijzing the README's curl flow picks: the demo provider's first in the API's order
    (ingangsdatum up to today, newest first) that is not withdrawn, has no start reported and has
    not ended before today."""
    return (
        Assignment.objects.filter(provider__agb_code=API_EXAMPLE_PROVIDER, start_date__lte=today, care_started_on=None)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .filter(Q(end_date=None) | Q(end_date__gte=today))
        .select_related("indication")
        .order_by("-start_date", "-id")
        .first()
    )


def api_example_works(assignment: Assignment | None, *, today: date) -> bool:
    """Whether the README's flow succeeds on it: start today, ask for IB2 (the contract covers it, no
    request is open yet), stop today."""
    if assignment is None or assignment.status != Assignment.Status.ACTIVE:
        return False
    return (
        assignment.indication.status in LIVE_STATUSES
        and not ChangeRequest.objects.filter(assignment=assignment, status=ChangeRequest.Status.OPEN).exists()
        and Contract.objects.filter(
            Q(valid_to=None) | Q(valid_to__gte=assignment.start_date),
            provider=assignment.provider_id,
            valid_from__lte=assignment.start_date,
            products__code="IB2",
        ).exists()
    )
