"""The REST API. Thin: serializers check shape, services (via api.messages) apply the rules."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.services import record_request
from indications.models import Product
from providers.models import Assignment, AssignmentState, ChangeRequest, Provider
from providers.selectors import STATE_CONDITIONS, assignments_for, benchmark, in_care_on, periods, startable_on

from .authentication import ProviderClient, ProviderTokenAuthentication
from .errors import error_body, response_from
from .messages import handle_message
from .pagination import IdsFirstPageNumberPagination
from .serializers import (
    AssignmentSerializer,
    BatchInputSerializer,
    BatchItemSerializer,
    BatchResultSerializer,
    ChangeRequestInputSerializer,
    ChangeRequestSerializer,
    ProductSerializer,
    SlaFiguresSerializer,
    SlaQuerySerializer,
    StartInputSerializer,
    StopInputSerializer,
)
from .throttling import PerTokenThrottle

ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: per veld een code en een Nederlandse melding."),
    401: OpenApiResponse(description="Geen of een onbekende API-sleutel."),
    404: OpenApiResponse(description="Niet gevonden (ook: een toewijzing van een andere aanbieder)."),
    429: OpenApiResponse(description="Te veel verzoeken; zie Retry-After."),
}


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The IB products with their tariffs per validity period (reference data)."""

    authentication_classes = [ProviderTokenAuthentication, SessionAuthentication]
    queryset = Product.objects.prefetch_related("tariffs").order_by("level")
    serializer_class = ProductSerializer
    lookup_field = "code"
    pagination_class = None


class IsProviderClient(permissions.BasePermission):
    message = "Deze API is voor aanbieders met een API-sleutel."

    def has_permission(self, request, view):
        return isinstance(request.user, ProviderClient)


class ProviderAPIMixin:
    """Provider API: key authentication, per-key throttling, and every call in the audit trail."""

    authentication_classes = [ProviderTokenAuthentication]
    permission_classes = [IsProviderClient]
    throttle_classes = [PerTokenThrottle]
    audit_object_type = "providers.assignment"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(request, "user", None), ProviderClient):
            reading = request.method in permissions.SAFE_METHODS
            record_request(
                request,
                action=AuditEvent.Action.READ if reading else AuditEvent.Action.CREATE,
                object_type=self.audit_object_type,
                object_id=str(kwargs.get(getattr(self, "lookup_url_kwarg", None) or "pk", "") or ""),
                summary=f"API {request.method} {request.path} → {response.status_code}",
            )
        return response


# The status filter: a toewijzing's real state, and two views on today.
IN_CARE, STARTABLE = "actief", "startbaar"
STATUS_FILTER_CHOICES = [
    *AssignmentState.choices,
    (IN_CARE, _("actief: vandaag van kracht en de zorg is gestart")),
    (STARTABLE, _("startbaar: toegewezen en vandaag te starten")),
]


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_FILTER_CHOICES, method="filter_status",
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
        return queryset.filter(STATE_CONDITIONS[value])


def _message_schema(input_serializer, output, description):
    return extend_schema(request=input_serializer, responses={200: output, 201: output, **ERRORS},
                         description=description)


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

    def _message(self, request, kind, toewijzingnummer):
        outcome = handle_message(request.user, kind=kind, number=toewijzingnummer, data=request.data)
        return response_from(outcome.status, outcome.body, replayed=outcome.replayed)

    @_message_schema(StartInputSerializer, AssignmentSerializer,
                     "Start zorg (WMO305). Herhaalt u een berichtId, dan krijgt u het eerste antwoord terug.")
    @action(detail=True, methods=["post"])
    def start(self, request, toewijzingnummer=None):
        return self._message(request, "start", toewijzingnummer)

    @_message_schema(StopInputSerializer, AssignmentSerializer,
                     "Stop zorg (WMO307) met een reden beëindiging uit WMO588.")
    @action(detail=True, methods=["post"])
    def stop(self, request, toewijzingnummer=None):
        return self._message(request, "stop", toewijzingnummer)

    @_message_schema(ChangeRequestInputSerializer, ChangeRequestSerializer,
                     "Verzoek om wijziging (WMO317): een ander product en/of een andere einddatum.")
    @action(detail=True, methods=["post"], url_path="wijzigingsverzoeken")
    def change_request(self, request, toewijzingnummer=None):
        return self._message(request, "wijzigingsverzoek", toewijzingnummer)


class ChangeRequestViewSet(ProviderAPIMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
                           viewsets.GenericViewSet):
    """Your verzoeken om wijziging and the municipality's answers (WMO319)."""

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
            .order_by("-created_at", "-id")
        )


class BatchViewSet(ProviderAPIMixin, viewsets.GenericViewSet):
    """Many messages at once; each is applied on its own (all or nothing per message) and answered."""

    serializer_class = BatchInputSerializer
    audit_object_type = "providers.careevent"

    @extend_schema(
        request=inline_serializer("Batch", fields={"berichten": serializers.ListField(child=serializers.DictField())}),
        responses={200: inline_serializer("BatchAntwoord", fields={"resultaten": BatchResultSerializer(many=True)}),
                   **ERRORS},
        description="Elk bericht heeft `soort` (start, stop, wijzigingsverzoek), `toewijzingnummer`, `berichtId` "
        "en de velden van dat bericht. Het antwoord geeft per bericht geaccepteerd of afgewezen met de reden.",
    )
    def create(self, request):
        batch = BatchInputSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        results = []
        for item in batch.validated_data["berichten"]:
            header = BatchItemSerializer(data=item)
            if not header.is_valid():
                body = error_body(serializers.ValidationError(header.errors))
                results.append({"berichtId": item.get("berichtId"), "status": "afgewezen", "httpStatus": 400,
                                "antwoord": body})
                continue
            kind = header.validated_data["soort"]
            fields = {key: value for key, value in item.items() if key not in ("soort", "toewijzingnummer")}
            outcome = handle_message(request.user, kind=kind, number=header.validated_data["toewijzingnummer"],
                                     data=fields)
            results.append({
                "berichtId": item.get("berichtId"),
                "status": "geaccepteerd" if 200 <= outcome.status < 300 else "afgewezen",
                "httpStatus": outcome.status,
                "antwoord": outcome.body,
            })
        return Response({"resultaten": results}, status=status.HTTP_200_OK)



def _days(duration):
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


class SlaView(ProviderAPIMixin, APIView):
    """Your own SLA figures per period (the same figures contract management sees)."""

    audit_object_type = "providers.provider"

    @extend_schema(parameters=[SlaQuerySerializer], responses={200: SlaFiguresSerializer(many=True), **ERRORS})
    def get(self, request):
        query = SlaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        own = Provider.objects.filter(pk=request.user.provider.pk)
        rows = []
        for period in periods(query.validated_data["jaar"], query.validated_data["periode"]):
            figures = benchmark(period, providers=own)[0]
            rows.append({
                "periode": period.label, "van": period.start, "tot": period.end,
                "instroom": figures.instroom, "uitstroom": figures.uitstroom, "afschaling": figures.afschaling,
                "opschaling": figures.opschaling, "clienten": figures.clients,
                "uitstroomPercentage": figures.uitstroom_percentage,
                "gemiddeldeDuurDagen": _days(figures.average_duration),
                "medianeDuurDagen": _days(figures.median_duration),
                "teLateStartmeldingen": figures.late_start_reports,
                "teLateStopmeldingen": figures.late_stop_reports,
            })
        return Response(SlaFiguresSerializer(rows, many=True).data)
