"""Reusable read queries of the case file. Each returns its joins, so pages run a constant number of
queries whatever the size of the data."""

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Aanvraag,
    Client,
    Conversation,
    CostReference,
    EmergencyAccess,
    Indication,
    IndicationResult,
    Intake,
    Mantelzorger,
    Melding,
    Municipality,
    PgbTariff,
    PlannedEvaluation,
    Product,
    Review,
    ReviewQuestion,
    Tariff,
    ZrmAssessment,
    ZrmDomain,
    ZrmScore,
    own_work_of,
)
from .workflow import DECIDED, LIVE_STATUSES, VOID_STATUSES

PERIOD_DAYS = 28

# The permission that makes someone a consulent: doing the onderzoek. Team leads hold it as well;
# contract managers and the functioneel beheerder do not (a superuser is not a consulent by that).
CASE_WORK_PERMISSION = ("indications", "change_intake")
# The permission to see every client (the functioneel beheerder, management information).
SEE_ALL_CLIENTS = "indications.view_all_clients"


def municipalities_of(user) -> QuerySet[Municipality]:
    """The municipalities the user works for, through their teams."""
    if user.has_perm(SEE_ALL_CLIENTS):
        return Municipality.objects.all()
    return Municipality.objects.filter(teams__members=user).distinct()


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients a user may see: those of the municipalities of the user's teams. A lazy queryset:
    use it as a subquery (`client__in=...`) or filter it further; never test it for truth (`qs or
    ...` loads every row)."""
    if user.has_perm(SEE_ALL_CLIENTS):
        return Client.objects.all()
    return Client.objects.filter(municipality__in=municipalities_of(user))


def active_emergency_accesses(user, *, now=None) -> QuerySet[EmergencyAccess]:
    """The user's break-the-glass accesses in force now: granted, not ended, not expired."""
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=user, ended_at__isnull=True, granted_at__lte=now, expires_at__gt=now)


def emergency_access_to(user, client_pk: int, *, now=None) -> EmergencyAccess | None:
    """The user's access in force to the client's file (the latest), if any."""
    return active_emergency_accesses(user, now=now).filter(client_id=client_pk).order_by("-expires_at").first()


def clients_readable_by(user, *, now=None) -> QuerySet[Client]:
    """The clients whose file the user may READ: those visible to them (clients_visible_to) and those
    of their break-the-glass accesses in force. For read-only pages only; every write stays within
    clients_visible_to."""
    if user.has_perm(SEE_ALL_CLIENTS):
        return Client.objects.all()
    granted = active_emergency_accesses(user, now=now).filter(client=OuterRef("pk"))
    return Client.objects.filter(Q(municipality__in=municipalities_of(user)) | Exists(granted))


def consultants_for(municipality) -> QuerySet:
    """The users who may be the consulent of a client of this municipality: active, with the
    consulent role's permission through a group or directly, in a team that serves the municipality."""
    app_label, codename = CASE_WORK_PERMISSION
    holds = Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename) | Q(
        user_permissions__content_type__app_label=app_label, user_permissions__codename=codename
    )
    eligible = get_user_model().objects.filter(holds, is_active=True, teams__municipalities=municipality)
    return get_user_model().objects.filter(pk__in=eligible.values("pk")).order_by("first_name", "last_name", "username")


def indication_of_aanvraag(aanvraag: Aanvraag) -> Indication | None:
    """The indication the aanvraag led to (not a withdrawn one, not a follow-up that replaces it)."""
    return Indication.objects.filter(aanvraag=aanvraag, replaces__isnull=True).exclude(status__in=VOID_STATUSES).first()


def follow_ups_of(outer_ref: str = "pk") -> QuerySet[Indication]:
    """The follow-ups of the beschikking at `OuterRef(outer_ref)`: the indications that replace it,
    not withdrawn ones. For `Exists(...)` in a query over beschikkingen."""
    return Indication.objects.filter(replaces=OuterRef(outer_ref)).exclude(status=Indication.Status.INGETROKKEN)


def aanvragen_with_indication() -> QuerySet[Aanvraag]:
    """Aanvragen annotated with the uuid of the indication each led to (None: still to be drawn up)."""
    led_to = Indication.objects.filter(aanvraag=OuterRef("pk"), replaces__isnull=True).exclude(status__in=VOID_STATUSES)
    return Aanvraag.objects.annotate(indication_uuid=Subquery(led_to.values("uuid")[:1]))


def tariff_for(product: Product, on: date) -> Tariff | None:
    return (
        Tariff.objects.filter(product=product, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def pgb_tariff_for(product: Product, on: date) -> PgbTariff | None:
    """The pgb tariff of the product in force on a day."""
    return (
        PgbTariff.objects.filter(product=product, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def cost_reference_for(on: date) -> CostReference | None:
    """The cost reference (intramural package, IB hour rate) in force on a day."""
    return (
        CostReference.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def dagdelen_cost_per_period(indication: Indication) -> Decimal | None:
    """Dagdelen dagbesteding filled in with IB count as hours IB (seed 002): per week, so 4 times per
    period, at the hour rate of the cost reference. None when there is no cost reference."""
    if not indication.dagbesteding_dagdelen_ib:
        return Decimal(0)
    reference = cost_reference_for(indication.start_date)
    if reference is None:
        return None
    return reference.ib_hour_rate * indication.dagbesteding_dagdelen_ib * 4


@dataclass(frozen=True)
class BeschikkingCost:
    # The natura tariff, or for a pgb the pgb tariff (see is_pgb): per_period is then the budget.
    tariff: Tariff | PgbTariff | None
    per_period: Decimal | None
    periods: int | None
    total: Decimal | None
    # Of per_period: the dagdelen dagbesteding filled in with IB, counted as hours IB.
    dagdelen_per_period: Decimal = Decimal(0)
    is_pgb: bool = False


def pgb_amount_per_period(tariff: PgbTariff, *, social_network: bool, opslag: bool) -> Decimal:
    """The pgb budget per 4 weeks from a pgb tariff: the tariff for the social network where the
    care is bought there and one is set (art. 2.3.6 lid 6 Wmo 2015), else the professional one;
    plus the opslag when granted and set."""
    amount = tariff.amount_per_period
    if social_network and tariff.informal_amount_per_period is not None:
        amount = tariff.informal_amount_per_period
    if opslag and tariff.opslag_per_period is not None:
        amount += tariff.opslag_per_period
    return amount


def beschikking_cost(indication: Indication) -> BeschikkingCost:
    """The 4-weekly cost (tariff in force at the start, plus opslag, plus the dagdelen dagbesteding
    filled in with IB as hours) and the total expected cost over the whole duration, counting every
    started period of 4 weeks. For a pgb it is the budget: the pgb tariff in force at the start
    (pgb_amount_per_period) times the same periods."""
    if indication.is_pgb:
        tariff = pgb_tariff_for(indication.product, indication.start_date)
        if tariff is None:
            return BeschikkingCost(None, None, None, None, is_pgb=True)
        pgb = getattr(indication, "pgb", None) if indication.pk else None
        per_period = pgb_amount_per_period(
            tariff, social_network=bool(pgb and pgb.social_network), opslag=indication.opslag
        )
        dagdelen = Decimal(0)
    else:
        tariff = tariff_for(indication.product, indication.start_date)
        if tariff is None:
            return BeschikkingCost(None, None, None, None)
        per_period = tariff.amount_per_period
        if indication.opslag and tariff.opslag_per_period is not None:
            per_period += tariff.opslag_per_period
        dagdelen = dagdelen_cost_per_period(indication) or Decimal(0)
        per_period += dagdelen
    if indication.end_date is None:
        return BeschikkingCost(tariff, per_period, None, None, dagdelen, is_pgb=indication.is_pgb)
    days = (indication.end_date - indication.start_date).days + 1
    periods = math.ceil(days / PERIOD_DAYS)
    return BeschikkingCost(tariff, per_period, periods, per_period * periods, dagdelen, is_pgb=indication.is_pgb)


def latest_zrm_assessment(client: Client, *, on_or_before: date | None = None) -> ZrmAssessment | None:
    assessments = ZrmAssessment.objects.filter(client=client)
    if on_or_before is not None:
        assessments = assessments.filter(assessed_on__lte=on_or_before)
    return (
        assessments.prefetch_related(Prefetch("scores", queryset=ZrmScore.objects.select_related("domain")))
        .order_by("-assessed_on", "-id")
        .first()
    )


def search_clients(
    *, within: QuerySet[Client], bsn: str = "", name: str = "", date_of_birth: date | None = None
) -> QuerySet[Client]:
    """Search within the clients the user may see (see clients_visible_to)."""
    clients = within.select_related("municipality")
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
    )  # The toewijzingen are the provider domain's: its panel adds them (indications.panels).
    meldingen = Melding.objects.select_related("consultant", "intake").prefetch_related(
        Prefetch("intake__conversations", queryset=Conversation.objects.order_by("held_on"))
    )
    return (
        Client.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("meldingen", queryset=meldingen),
            Prefetch("aanvragen", queryset=aanvragen_with_indication().select_related("consultant")),
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
    return Indication.objects.filter(DECIDED, aanvraag=OuterRef("pk"))


_latest_review = Review.objects.filter(indication=OuterRef("pk")).order_by("-submitted_at", "-id")


def worklist(user, *, today: date) -> dict[str, QuerySet]:
    """The consultant's open work, each item with what the page needs to show a deadline. (The
    verzoeken om wijziging of providers are added by the providers' worklist panel.)"""
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
        # Concepts (with the latest review's outcome: "afgekeurd" means returned), approved ones
        # waiting to be vastgesteld, and those with a team lead, with their unanswered questions.
        "concept_indications": Indication.objects.filter(
            consultant=user, status__in=[Indication.Status.CONCEPT, Indication.Status.GOEDGEKEURD]
        )
        .annotate(last_review_outcome=Subquery(_latest_review.values("outcome")[:1]))
        .select_related("client", "product")
        .order_by("created_at"),
        "in_review": Indication.objects.filter(consultant=user, status=Indication.Status.TER_BEOORDELING)
        .annotate(
            open_questions=Count(
                "reviews__questions", filter=Q(reviews__outcome="", reviews__questions__answered_at__isnull=True)
            )
        )
        .select_related("client", "product")
        .order_by("updated_at"),
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
            "client__municipality",
            "product",
            "provider",
            "consultant",
            "aanvraag",
            "replaces",
            "approved_by",
            "primary_domain",
        )
        .prefetch_related(
            Prefetch(
                "results",
                queryset=IndicationResult.objects.select_related("result__domain").prefetch_related("sub_results"),
            ),
            Prefetch("planned_evaluations", queryset=PlannedEvaluation.objects.select_related("evaluation")),
            "status_changes__by",
            "evaluations__progress",
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("submitted_by", "reviewer").prefetch_related(
                    Prefetch("questions", queryset=ReviewQuestion.objects.select_related("asked_by"))
                ),
            ),
        )  # The toewijzingen are the provider domain's: its panel adds them (indications.panels).
        .get(pk=indication_pk)
    )


def review_queue(user, *, team=None, min_age_days: int | None = None, now=None) -> QuerySet[Review]:
    """Open reviews a team lead may take: not their own, within the clients they may see, oldest
    first, with everything the queue shows side by side (a fixed number of queries)."""
    now = now or timezone.now()
    reviews = (
        Review.objects.filter(outcome="", indication__client__in=clients_visible_to(user))
        .exclude(own_work_of(user))
        .select_related("indication__client", "indication__product", "indication__consultant", "submitted_by")
        .prefetch_related(
            Prefetch(
                "indication__results",
                queryset=IndicationResult.objects.select_related("result__domain").prefetch_related("sub_results"),
            ),
            Prefetch(
                "indication__client__zrm_assessments",
                queryset=ZrmAssessment.objects.order_by("-assessed_on", "-id").prefetch_related("scores__domain"),
            ),
            "questions",
        )
        .order_by("submitted_at")
    )
    if team is not None:
        reviews = reviews.filter(indication__consultant__teams=team)
    if min_age_days:
        reviews = reviews.filter(submitted_at__lte=now - timedelta(days=min_age_days))
    return reviews


@dataclass(frozen=True)
class ReviewFigures:
    consultant: object
    reviewed: int
    approved: int
    approval_rate: float | None
    median_wait_hours: float | None


def review_figures(*, since=None, team=None) -> list[ReviewFigures]:
    """Per consultant: reviews decided, approval rate and median waiting time (submitted → decided)."""
    decided = Review.objects.exclude(outcome="").select_related("submitted_by")
    if since is not None:
        decided = decided.filter(decided_at__gte=since)
    if team is not None:
        decided = decided.filter(submitted_by__teams=team)
    by_consultant: dict = {}
    for review in decided.only("submitted_by", "submitted_at", "decided_at", "outcome").order_by("submitted_by_id"):
        by_consultant.setdefault(review.submitted_by, []).append(review)
    figures = []
    for consultant, reviews in by_consultant.items():
        approved = sum(1 for review in reviews if review.outcome == Review.Outcome.APPROVED)
        waits = [(review.decided_at - review.submitted_at).total_seconds() / 3600 for review in reviews]
        figures.append(
            ReviewFigures(
                consultant=consultant,
                reviewed=len(reviews),
                approved=approved,
                approval_rate=approved / len(reviews) if reviews else None,
                median_wait_hours=statistics.median(waits) if waits else None,
            )
        )
    return sorted(figures, key=lambda figure: str(figure.consultant))


# --------------------------------------------------------------------------------------------
# Mantelzorgers
# --------------------------------------------------------------------------------------------


def unsupported_overloaded_mantelzorgers(intake: Intake) -> list[Mantelzorger]:
    """The onderzoek's mantelzorgers at risk of overload who were offered neither respijtzorg nor
    mantelzorgondersteuning (art. 2.3.2 lid 4: the onderzoek must then say why)."""
    return list(
        Mantelzorger.objects.filter(intake=intake)
        .filter(Mantelzorger.overloaded_q())
        .filter(respite_offered=False, support_offered=False)
    )


def overloaded_mantelzorgers_of(aanvraag: Aanvraag | None) -> list[Mantelzorger]:
    """The mantelzorgers at risk of overload recorded in the onderzoek that led to this aanvraag
    (none without an aanvraag or an onderzoek): what the IB rule and the concept form's hint read."""
    if aanvraag is None or aanvraag.intake_id is None:
        return []
    return list(Mantelzorger.objects.filter(intake_id=aanvraag.intake_id).filter(Mantelzorger.overloaded_q()))


def persoonlijk_plan_text(intake) -> str:
    """What the verslag van het onderzoek says about the persoonlijk plan (art. 2.3.2 lid 2 Wmo
    2015): received on which day and how it was taken into account, or not received; empty while
    nothing is recorded. A value for the verslag letter (letters.decision_letters.issue_verslag)."""
    if intake.persoonlijk_plan_received_on is not None:
        text = _("U heeft op %(date)s een persoonlijk plan ingeleverd.") % {
            "date": f"{intake.persoonlijk_plan_received_on:%d-%m-%Y}"
        }
        note = intake.persoonlijk_plan_note.strip()
        return f"{text} {_('Zo hebben wij het in het onderzoek meegenomen:')} {note}" if note else text
    if intake.persoonlijk_plan_not_received:
        return _("U heeft geen persoonlijk plan ingeleverd.")
    return ""


def bsn_of_client(client_id) -> RawSQL | Subquery:
    """The client's BSN as a subquery, for the audit trail's events (read inside their INSERT, so it
    costs no query of its own), or correlated to an expression (OuterRef("client_id"), the export's
    old events). For an id it is written out rather than built from a queryset: a batch of events
    (audit.services.collect_events) holds one per event, and compiling a queryset's subquery per
    event cost more than the batch's INSERT itself (about 2.4 s of 12.6 s for 2,000 WMO301s, profiled)."""
    if not isinstance(client_id, int):
        return Subquery(Client.objects.filter(pk=client_id).values("bsn")[:1])
    quote = connection.ops.quote_name
    table, bsn, pk = Client._meta.db_table, Client._meta.get_field("bsn").column, Client._meta.pk.column
    return RawSQL(
        f"SELECT {quote(table)}.{quote(bsn)} FROM {quote(table)} WHERE {quote(table)}.{quote(pk)} = %s",
        (client_id,),
        output_field=CharField(),
    )


def bsns_of_clients(client_ids) -> dict[int, str]:
    """{client id: BSN} of these clients in one query: the BSNs of a batch of audit events
    (audit.hooks.person_identifiers), read before its INSERT in the same transaction."""
    return dict(Client.objects.filter(pk__in=set(client_ids)).order_by().values_list("pk", "bsn"))


def client_of_page(kwargs: dict) -> int | None:
    """The client a case-file page is about, by its URL arguments (audit.hooks.page_client): a
    client, a beschikking, an onderzoek or an aanvraag. One query, only for a refused page."""
    if "client_uuid" in kwargs:
        found = Client.objects.filter(uuid=kwargs["client_uuid"]).values_list("pk", flat=True)
    elif "indication_uuid" in kwargs:
        found = Indication.objects.filter(uuid=kwargs["indication_uuid"]).values_list("client_id", flat=True)
    elif "intake_uuid" in kwargs:
        found = Intake.objects.filter(uuid=kwargs["intake_uuid"]).values_list("melding__client_id", flat=True)
    elif "aanvraag_uuid" in kwargs:
        found = Aanvraag.objects.filter(uuid=kwargs["aanvraag_uuid"]).values_list("client_id", flat=True)
    else:
        return None
    return found.first()
