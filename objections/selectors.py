"""Read queries on bezwaren: the open list of a user's clients with their joins, one bezwaar's page,
and each row's derived figures (term passed, dwangsom at risk) from its stored dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet

from indications.models import Indication
from indications.selectors import clients_visible_to

from . import deadlines
from .models import Bezwaar, BezwaarStatus, BezwaarStatusChange

JOINS = ("beschikking__client", "beschikking__product", "handled_by", "decided_by", "herziening")


def bezwaren_visible_to(user) -> QuerySet[Bezwaar]:
    """The bezwaren of the clients the user may see (another team's bezwaar is a 404)."""
    return Bezwaar.objects.filter(beschikking__client__in=clients_visible_to(user)).select_related(*JOINS)


def open_bezwaren(user) -> QuerySet[Bezwaar]:
    """The bezwaren in behandeling, the nearest decision deadline first."""
    return bezwaren_visible_to(user).filter(status=BezwaarStatus.OPEN).order_by("decision_due", "id")


def bezwaar_detail(user, bezwaar_uuid) -> QuerySet[Bezwaar]:
    return (
        bezwaren_visible_to(user)
        .filter(uuid=bezwaar_uuid)
        .prefetch_related(Prefetch("history", queryset=BezwaarStatusChange.objects.select_related("by")))
    )


def bezwaren_of(indication: Indication) -> list[Bezwaar]:
    return list(Bezwaar.objects.filter(beschikking=indication).order_by("-received_on", "-id"))


def herziening_choices(bezwaar: Bezwaar) -> QuerySet[Indication]:
    """The beschikkingen that may be the herziening of a gegrond bezwaar: this client's, decided on or
    after the bezwaar came in (made through the normal indications flow)."""
    return (
        Indication.objects.filter(client_id=bezwaar.beschikking.client_id, decision_date__gte=bezwaar.received_on)
        .exclude(pk=bezwaar.beschikking_id)
        .select_related("product")
        .order_by("-decision_date", "-id")
    )


@dataclass(frozen=True)
class Figures:
    """What a page shows about a bezwaar's terms on `today`."""

    term_passed: bool
    dwangsom_first_day: date | None
    dwangsom_days: int
    dwangsom_amount: Decimal


def figures(bezwaar: Bezwaar, *, today: date) -> Figures:
    decided_on = bezwaar.decided_on
    first_day = deadlines.dwangsom_first_day(
        due=bezwaar.decision_due, ingebrekestelling_on=bezwaar.ingebrekestelling_on
    )
    days = deadlines.dwangsom_days(first_day=first_day, until=deadlines.last_day_in_default(today, decided_on))
    return Figures(
        term_passed=(decided_on or today) > bezwaar.decision_due,
        dwangsom_first_day=first_day,
        dwangsom_days=days,
        dwangsom_amount=deadlines.dwangsom_amount(days),
    )


def with_figures(bezwaren, *, today: date) -> list[tuple[Bezwaar, Figures]]:
    return [(bezwaar, figures(bezwaar, today=today)) for bezwaar in bezwaren]


def open_bezwaren_due_by(day: date) -> QuerySet[Bezwaar]:
    """The open bezwaren whose decision is due on or before `day` (the signal engine's check)."""
    return Bezwaar.objects.filter(status=BezwaarStatus.OPEN, decision_due__lte=day)


# The outcomes a bezwaar is decided with: a withdrawal is no decision, so it does not count towards
# "decided in time".
DECIDED_ON_MERITS_OR_NOT = (BezwaarStatus.GEGROND, BezwaarStatus.ONGEGROND, BezwaarStatus.NIET_ONTVANKELIJK)


def counts_per_product(start: date, end: date, *, municipality=None, product=None, provider=None) -> QuerySet:
    """Per product of the contested beschikking: the bezwaren received from start to end, per
    outcome, and how many of the decided ones were decided by their deadline. One grouped query."""
    queryset = Bezwaar.objects.filter(received_on__range=(start, end))
    filters = {
        "beschikking__client__municipality": municipality,
        "beschikking__product": product,
        "beschikking__provider": provider,
    }
    queryset = queryset.filter(**{key: value for key, value in filters.items() if value})
    per_outcome = {f"n_{status.value}": Count("pk", filter=Q(status=status)) for status in BezwaarStatus}
    decided = Q(status__in=DECIDED_ON_MERITS_OR_NOT)
    return (
        queryset.values("beschikking__product__code", "beschikking__product__name")
        .annotate(
            total=Count("pk"),
            decided=Count("pk", filter=decided),
            in_time=Count("pk", filter=decided & Q(decided_on__lte=F("decision_due"))),
            **per_outcome,
        )
        .order_by("beschikking__product__code")
    )


def client_of_page(kwargs: dict) -> int | None:
    """The client of a page about a bezwaar (audit.hooks.page_client: a refused page's event)."""
    if "bezwaar_uuid" not in kwargs:
        return None
    return Bezwaar.objects.filter(uuid=kwargs["bezwaar_uuid"]).values_list("beschikking__client_id", flat=True).first()
