"""The REST API. Thin: serializers check shape, services (via api.messages) apply the rules."""

import datetime

import django_filters
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from indications.models import Product
from providers.models import Assignment, AssignmentState, ChangeRequest, Provider, SupportPlan
from providers.selectors import (
    assignment_row,
    assignment_rows,
    assignments_for,
    in_care_on,
    overall_score,
    periods,
    satisfaction_of,
    satisfaction_target,
    sla_figures_of_periods,
    startable_on,
    state_conditions,
)
from providers.sla import SHOWN_FIGURES
from ui.reporting import data_freshness, reporting_reads

from .authentication import ProviderClient, ProviderTokenAuthentication
from .errors import response_from
from .messages import handle_batch, handle_message
from .pagination import IdsFirstPageNumberPagination
from .serializers import (
    AssignmentSerializer,
    BatchInputSerializer,
    BatchResultSerializer,
    ChangeRequestInputSerializer,
    ChangeRequestSerializer,
    ProductSerializer,
    SlaFiguresSerializer,
    SlaQuerySerializer,
    StartInputSerializer,
    StopInputSerializer,
    SupportPlanInputSerializer,
    SupportPlanSerializer,
    WithdrawInputSerializer,
)
from .throttling import PerTokenThrottle

ERRORS = {
    400: OpenApiResponse(
        description="Ongeldige invoer: per veld een code en een Nederlandse melding; ook "
        "ongeldige JSON, te diep geneste JSON en onbekende parameters."
    ),
    401: OpenApiResponse(
        description="Geen, een onbekende of een ingetrokken API-sleutel; `key_expired` voor een verlopen sleutel."
    ),
    404: OpenApiResponse(description="Niet gevonden (ook: een toewijzing van een andere aanbieder)."),
    413: OpenApiResponse(description="Het verzoek is groter dan de API aanneemt."),
    415: OpenApiResponse(description="De inhoud is geen JSON (Content-Type: application/json)."),
    429: OpenApiResponse(description="Te veel verzoeken; zie Retry-After."),
}
MESSAGE_ERRORS = dict(
    sorted(
        {
            **ERRORS,
            409: OpenApiResponse(
                description="`bericht_id_conflict`: dit berichtId is al gebruikt voor een ander bericht."
            ),
        }.items()
    )
)


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The IB products with their tariffs per validity period (reference data)."""

    audit_object_type = "indications.product"
    authentication_classes = [ProviderTokenAuthentication, SessionAuthentication]
    queryset = Product.objects.prefetch_related("tariffs").order_by("level")
    serializer_class = ProductSerializer
    lookup_field = "code"
    pagination_class = None


class IsProviderClient(permissions.BasePermission):
    message = _("Deze API is voor aanbieders met een API-sleutel.")

    def has_permission(self, request, view):
        return isinstance(request.user, ProviderClient)


class ProviderAPIMixin:
    """Provider API: key authentication, per-key throttling, and no unknown query parameter (a typo
    in a filter must not silently return everything). Every call, also one refused before it gets
    here, is in the audit trail (api.middleware); `audit_object_type` names what it is about."""

    authentication_classes = [ProviderTokenAuthentication]
    permission_classes = [IsProviderClient]
    throttle_classes = [PerTokenThrottle]
    audit_object_type = "providers.assignment"
    query_parameters: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions and throttling first
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters())
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [serializers.ErrorDetail(_("Onbekende parameter."), code="unknown_parameter")]
                    for name in unknown
                }
            )

    def allowed_query_parameters(self) -> set[str]:
        allowed = set(self.query_parameters)
        if getattr(self, "action", None) == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
            if self.paginator is not None:
                allowed.add(self.paginator.page_query_param)
        return allowed


# The status filter: a toewijzing's real state, and two views on today.
IN_CARE, STARTABLE = "actief", "startbaar"
STATUS_FILTER_CHOICES = [
    *AssignmentState.choices,
    (IN_CARE, _("actief: vandaag van kracht en de zorg is gestart")),
    (STARTABLE, _("startbaar: toegewezen en vandaag te starten")),
]


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_FILTER_CHOICES,
        method="filter_status",
        help_text="De echte stand van de toewijzing (toegewezen, gestart, gestopt, beeindigd, ingetrokken); "
        "`actief`: vandaag van kracht en de zorg is gestart; `startbaar`: toegewezen en vandaag "
        "van kracht, dus de start zorg kan met de datum van vandaag worden gemeld.",
    )
    product = django_filters.CharFilter(field_name="product__code")
    ingangsdatum_vanaf = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    ingangsdatum_tot = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Assignment
        fields = ["status", "product", "ingangsdatum_vanaf", "ingangsdatum_tot"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == IN_CARE:
            return queryset.filter(in_care_on(today))
        if value == STARTABLE:
            return queryset.filter(startable_on(today))
        return queryset.filter(state_conditions(today)[value])


def _message_schema(input_serializer, output, description):
    return extend_schema(
        request=input_serializer, responses={200: output, 201: output, **MESSAGE_ERRORS}, description=description
    )


class AssignmentViewSet(ProviderAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Your toewijzingen (iWmo WMO301), newest first; another provider's are never visible."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    pagination_class = IdsFirstPageNumberPagination
    lookup_field = "number"
    lookup_url_kwarg = "toewijzingnummer"
    lookup_value_regex = r"[0-9A-Za-z-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Assignment.objects.none()
        return assignments_for(self.request.user.provider)

    def filter_queryset(self, queryset):
        # The filters are the list's (initial() refuses them as unknown parameters elsewhere): a detail
        # read or a message need not build a FilterSet to find one row (issue 20: ~1 ms a request), nor
        # does a list page that asks for no filter (the FilterSet, its form and their deep copies).
        if self.action != "list" or not set(self.request.query_params) & set(self.filterset_class.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def page_rows(self, queryset, ids):
        """A list page as plain values (IdsFirstPageNumberPagination): AssignmentSerializer shows a row
        as it shows an assignment."""
        return assignment_rows(queryset, ids)

    def retrieve(self, request, *args, **kwargs):
        # A detail read as a list page reads its rows: plain values, no model objects (issue 20). No
        # docstring: the schema's description stays the viewset's.
        row = assignment_row(self.get_queryset(), kwargs[self.lookup_url_kwarg])
        if row is None:
            raise Http404
        return Response(self.get_serializer(row).data)

    def _message(self, request, kind, toewijzingnummer):
        outcome = handle_message(request.user, kind=kind, number=toewijzingnummer, data=request.data)
        return response_from(outcome.status, outcome.body, replayed=outcome.replayed)

    @_message_schema(
        StartInputSerializer,
        AssignmentSerializer,
        "Start zorg (WMO305). Stuurt u hetzelfde bericht opnieuw met hetzelfde berichtId, dan krijgt "
        "u het eerste antwoord terug; een ander bericht met een gebruikt berichtId krijgt 409.",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, toewijzingnummer=None):
        return self._message(request, "start", toewijzingnummer)

    @_message_schema(
        StopInputSerializer, AssignmentSerializer, "Stop zorg (WMO307) met een reden beëindiging uit WMO588."
    )
    @action(detail=True, methods=["post"])
    def stop(self, request, toewijzingnummer=None):
        return self._message(request, "stop", toewijzingnummer)

    @_message_schema(
        WithdrawInputSerializer,
        AssignmentSerializer,
        "Trek de eerder gemelde start zorg in (iWmo: WMO305 met StatusAanlevering 3). Alleen zolang er geen "
        "stop zorg is gemeld: trek die dan eerst in.",
    )
    @action(detail=True, methods=["post"], url_path="start/intrekken")
    def withdraw_start(self, request, toewijzingnummer=None):
        return self._message(request, "start_ingetrokken", toewijzingnummer)

    @_message_schema(
        WithdrawInputSerializer,
        AssignmentSerializer,
        "Trek de eerder gemelde stop zorg in (iWmo: WMO307 met StatusAanlevering 3). De zorg loopt weer; "
        "had de stop de toewijzing beëindigd, dan krijgt die haar einddatum van vóór de stop terug en "
        "stuurt de gemeente een nieuwe toewijzing (WMO301).",
    )
    @action(detail=True, methods=["post"], url_path="stop/intrekken")
    def withdraw_stop(self, request, toewijzingnummer=None):
        return self._message(request, "stop_ingetrokken", toewijzingnummer)

    @_message_schema(
        ChangeRequestInputSerializer,
        ChangeRequestSerializer,
        "Verzoek om wijziging (WMO317): een ander product en/of een andere einddatum.",
    )
    @action(detail=True, methods=["post"], url_path="wijzigingsverzoeken")
    def change_request(self, request, toewijzingnummer=None):
        return self._message(request, "wijzigingsverzoek", toewijzingnummer)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: SupportPlanSerializer(many=True), **ERRORS},
        description="De versies van het ondersteuningsplan van deze toewijzing, nieuwste eerst, met het oordeel "
        "van de consulent (geaccepteerd, of wijziging gevraagd met de opmerking).",
    )
    @extend_schema(
        methods=["POST"],
        request=SupportPlanInputSerializer,
        responses={201: SupportPlanSerializer, **MESSAGE_ERRORS},
        description="Dien (een nieuwe versie van) het ondersteuningsplan in: een PDF (base64, ten hoogste "
        "1.500.000 bytes) en/of per resultaat van de beschikking de aanpak en de geplande stappen; als tekst "
        "gegeven, dan voor elk resultaat. Een versie die nog niet is beoordeeld, wordt vervangen. Het plan is "
        "uiterlijk SDD_SUPPORT_PLAN_TERM_DAYS dagen (standaard 42) na de gemelde start zorg ingediend, en na "
        "een gevraagde wijziging binnen evenveel dagen opnieuw. Hetzelfde bericht met hetzelfde berichtId "
        "krijgt het eerste antwoord terug.",
    )
    @action(detail=True, methods=["get", "post"], url_path="ondersteuningsplan")
    def support_plan(self, request, toewijzingnummer=None):
        if request.method == "POST":
            return self._message(request, "ondersteuningsplan", toewijzingnummer)
        assignment = self.get_object()
        plans = (
            SupportPlan.objects.filter(assignment=assignment)
            .select_related("assignment")
            .prefetch_related("parts__indication_result__result__domain")
            .order_by("-version")
        )
        return Response(SupportPlanSerializer(plans, many=True).data)


class ChangeRequestViewSet(ProviderAPIMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your verzoeken om wijziging and the municipality's answers: a grant shows the new toewijzingen
    (nieuweToewijzingen, as the WMO301 would), a refusal or in onderzoek the WJ760 answer with its
    WJ759 reason (as the WMO319 would)."""

    serializer_class = ChangeRequestSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    audit_object_type = "providers.changerequest"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChangeRequest.objects.none()
        return (
            ChangeRequest.objects.filter(assignment__provider=self.request.user.provider)
            .select_related("assignment", "requested_product", "follow_up")
            .prefetch_related("follow_up__assignments")
            .order_by("-created_at", "-id")
        )


class BatchViewSet(ProviderAPIMixin, viewsets.GenericViewSet):
    """Many messages at once; each is applied on its own (all or nothing per message) and answered."""

    serializer_class = BatchInputSerializer
    audit_object_type = "providers.careevent"

    @extend_schema(
        request=inline_serializer("Batch", fields={"berichten": serializers.ListField(child=serializers.DictField())}),
        responses={
            200: inline_serializer("BatchAntwoord", fields={"resultaten": BatchResultSerializer(many=True)}),
            **MESSAGE_ERRORS,
        },
        description="Elk bericht heeft `soort` (start, stop, wijzigingsverzoek, start_ingetrokken, "
        "stop_ingetrokken), `toewijzingnummer`, `berichtId` en de velden van dat bericht; een intrekking "
        "(iWmo: StatusAanlevering 3) heeft alleen het berichtId. Het antwoord geeft per bericht geaccepteerd "
        "of afgewezen met de reden.",
    )
    def create(self, request):
        batch = BatchInputSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        results = handle_batch(request.user, batch.validated_data["berichten"])
        return Response({"resultaten": results}, status=status.HTTP_200_OK)


class SlaView(ProviderAPIMixin, APIView):
    """Your own SLA figures per period (the same figures contract management sees), with the year's
    cliëntervaringsonderzoek."""

    audit_object_type = "providers.provider"
    query_parameters = ("jaar", "periode")

    @extend_schema(
        parameters=[
            SlaQuerySerializer,
            OpenApiParameter(
                "X-Data-Freshness",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                description="Tot wanneer de cijfers bijgewerkt zijn (ISO 8601): ze komen van de leesreplica, "
                "die iets achter kan lopen; zonder replica het tijdstip van het antwoord.",
            ),
        ],
        responses={200: SlaFiguresSerializer(many=True), **ERRORS},
    )
    @reporting_reads
    def get(self, request):
        query = SlaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        own = Provider.objects.filter(pk=request.user.provider.pk)
        year = query.validated_data["jaar"]
        respondents, score = overall_score(satisfaction_of(request.user.provider, year))
        target = satisfaction_target(year)
        satisfaction = {
            "clienttevredenheid": float(score) if score is not None else None,
            "clienttevredenheidRespondenten": respondents,
            "clienttevredenheidDoel": float(target) if target is not None else None,
        }
        rows = []
        freshness = data_freshness() or timezone.now()
        shown = periods(year, query.validated_data["periode"])
        for period, answer in zip(shown, sla_figures_of_periods(shown, providers=own), strict=True):
            figures = answer.rows[0]
            if answer.stored and answer.computed_on:
                # Stored figures are as fresh as the night they were computed: the start of that
                # day is a safe lower bound (the refresh runs after midnight).
                computed = timezone.make_aware(datetime.datetime.combine(answer.computed_on, datetime.time.min))
                freshness = min(freshness, computed)
            rows.append(
                {
                    "periode": period.label,
                    "van": period.start,
                    "tot": period.end,
                    **{figure.api_name: figure.api_value(getattr(figures, figure.name)) for figure in SHOWN_FIGURES},
                    **satisfaction,
                }
            )
        response = Response(SlaFiguresSerializer(rows, many=True).data)
        response["X-Data-Freshness"] = timezone.localtime(freshness).isoformat(timespec="seconds")
        return response
