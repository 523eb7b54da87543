"""Reusable read queries of the case file. Each returns its joins, so pages run a constant number of
queries whatever the size of the data."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import (
    Aanvraag,
    Client,
    Conversation,
    Indication,
    IndicationResult,
    Intake,
    Melding,
    PlannedEvaluation,
    Product,
    Tariff,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
)
from .workflow import LIVE_STATUSES

PERIOD_DAYS = 28


def tariff_for(product: Product, on: date) -> Tariff | None:
    return (
        Tariff.objects.filter(product=product, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


@dataclass(frozen=True)
class BeschikkingCost:
    tariff: Tariff | None
    per_period: Decimal | None
    periods: int | None
    total: Decimal | None


def beschikking_cost(indication: Indication) -> BeschikkingCost:
    """The 4-weekly cost (tariff in force at the start, plus opslag) and the total expected cost
    over the whole duration, counting every started period of 4 weeks."""
    tariff = tariff_for(indication.product, indication.start_date)
    if tariff is None:
        return BeschikkingCost(None, None, None, None)
    per_period = tariff.amount_per_period
    if indication.opslag and tariff.opslag_per_period is not None:
        per_period += tariff.opslag_per_period
    if indication.end_date is None:
        return BeschikkingCost(tariff, per_period, None, None)
    days = (indication.end_date - indication.start_date).days + 1
    periods = math.ceil(days / PERIOD_DAYS)
    return BeschikkingCost(tariff, per_period, periods, per_period * periods)


def latest_zrm_assessment(client: Client, *, on_or_before: date | None = None) -> ZrmAssessment | None:
    assessments = ZrmAssessment.objects.filter(client=client)
    if on_or_before is not None:
        assessments = assessments.filter(assessed_on__lte=on_or_before)
    return (
        assessments.prefetch_related(Prefetch("scores", queryset=ZrmScore.objects.select_related("domain")))
        .order_by("-assessed_on", "-id")
        .first()
    )


def search_clients(*, bsn: str = "", name: str = "", date_of_birth: date | None = None) -> QuerySet[Client]:
    clients = Client.objects.select_related("municipality")
    if bsn:
        clients = clients.filter(bsn=bsn)
    if name:
        for part in name.split():
            clients = clients.filter(
                Q(last_name__icontains=part) | Q(first_name__icontains=part) | Q(initials__icontains=part)
            )
    if date_of_birth:
        clients = clients.filter(date_of_birth=date_of_birth)
    return clients.order_by("last_name", "first_name", "id")


def client_file(client_pk: int) -> Client:
    """The client with everything the file shows, in a fixed number of queries."""
    indications = Indication.objects.select_related("product", "provider", "consultant", "aanvraag").prefetch_related(
        Prefetch("results", queryset=IndicationResult.objects.select_related("result__domain")),
        "planned_evaluations",
        "evaluations",
    )
    meldingen = Melding.objects.select_related("consultant", "intake").prefetch_related(
        Prefetch("intake__conversations", queryset=Conversation.objects.order_by("held_on"))
    )
    return (
        Client.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("meldingen", queryset=meldingen),
            Prefetch("aanvragen", queryset=Aanvraag.objects.select_related("consultant")),
            Prefetch("indications", queryset=indications),
            Prefetch(
                "zrm_assessments",
                queryset=ZrmAssessment.objects.prefetch_related("scores").order_by("assessed_on", "id"),
            ),
        )
        .get(pk=client_pk)
    )


def zrm_history(client: Client) -> tuple[list[ZrmAssessment], list[dict]]:
    """ZRM scores over time as rows per domain and columns per assessment, from prefetched data."""
    assessments = list(client.zrm_assessments.all())
    domains = list(ZrmDomain.objects.filter(is_active=True))
    rows = []
    for domain in domains:
        scores = []
        for assessment in assessments:
            by_domain = {score.domain_id: score.score for score in assessment.scores.all()}
            scores.append(by_domain.get(domain.pk))
        if any(score is not None for score in scores):
            rows.append({"domain": domain, "scores": scores})
    return assessments, rows


def _indication_decided():
    return Indication.objects.filter(aanvraag=OuterRef("pk")).exclude(status=Indication.Status.CONCEPT)


def worklist(user, *, today: date) -> dict[str, QuerySet]:
    """The consultant's open work, each item with what the page needs to show a deadline."""
    sdd = settings.SDD
    live = Indication.objects.filter(consultant=user, status__in=LIVE_STATUSES)
    return {
        "open_onderzoeken": Intake.objects.filter(melding__consultant=user, concluded_on__isnull=True)
        .select_related("melding__client")
        .order_by("melding__received_on", "id"),
        "open_aanvragen": Aanvraag.objects.filter(consultant=user)
        .annotate(decided=Exists(_indication_decided()))
        .filter(decided=False)
        .select_related("client")
        .order_by("received_on", "id"),
        "concept_indications": Indication.objects.filter(consultant=user, status=Indication.Status.CONCEPT)
        .select_related("client", "product")
        .order_by("created_at"),
        "nazorg_due": Intake.objects.filter(
            melding__consultant=user,
            nazorg_due_on__isnull=False,
            nazorg_done_on__isnull=True,
            nazorg_due_on__lte=today + timedelta(days=sdd["WORKLIST_EVALUATION_WITHIN_DAYS"]),
        )
        .select_related("melding__client")
        .order_by("nazorg_due_on"),
        "evaluations_due": PlannedEvaluation.objects.filter(
            indication__in=live,
            evaluation__isnull=True,
            planned_on__lte=today + timedelta(days=sdd["WORKLIST_EVALUATION_WITHIN_DAYS"]),
        )
        .select_related("indication__client", "indication__product")
        .order_by("planned_on"),
        "ending_soon": live.filter(
            end_date__gte=today, end_date__lte=today + timedelta(days=sdd["WORKLIST_ENDING_WITHIN_DAYS"])
        )
        .select_related("client", "product")
        .order_by("end_date"),
    }


def indication_detail(indication_pk: int) -> Indication:
    return (
        Indication.objects.select_related(
            "client__municipality", "product", "provider", "consultant", "aanvraag", "replaces"
        )
        .prefetch_related(
            Prefetch(
                "results",
                queryset=IndicationResult.objects.select_related("result__domain").prefetch_related("sub_results"),
            ),
            Prefetch("planned_evaluations", queryset=PlannedEvaluation.objects.select_related("evaluation")),
            "status_changes__by",
            "evaluations__progress",
        )
        .get(pk=indication_pk)
    )
