"""/api/v1/calamiteiten/: a provider reports a calamiteit or geweldsincident (art. 3.4 lid 1 sub c
Wmo 2015) in the care of one of its toewijzingen, and reads back its own reports with the stand of
the report to the GGD. Thin: the serializer checks shape and that the toewijzing and the client are
the provider's (a 400 that names no other provider's data), incidents.services applies the rules.
The provider also records its report to the GGD (`POST .../{id}/ggd-melding/`): the law puts that
report on the provider, so the provider says when it was made and under which kenmerk."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from incidents import selectors as incident_selectors
from incidents import services as incident_services
from incidents.models import Incident, IncidentChannel, IncidentKind
from providers.models import Assignment

from .errors import as_api_error, message_id_conflict, response_from
from .pagination import IdsFirstPageNumberPagination
from .serializers import MessageSerializer, StrictSerializer
from .views import ERRORS, MESSAGE_ERRORS, ProviderAPIMixin

# The service's field names as the API calls them.
API_FIELDS = {
    "description": "omschrijving",
    "occurred_at": "moment",
    "assignment": "toewijzingnummer",
    "reported_on": "datum",
    "reference": "kenmerk",
}


class IncidentInputSerializer(MessageSerializer):
    soort = serializers.ChoiceField(
        choices=IncidentKind.choices,
        error_messages={"invalid_choice": _("Kies calamiteit of geweld.")},
        help_text=_("calamiteit of geweld (geweldsincident)."),
    )
    toewijzingnummer = serializers.CharField(max_length=20, help_text=_("Het nummer van uw toewijzing (WMO301)."))
    bsn = serializers.RegexField(r"^[0-9]{9}$", error_messages={"invalid": _("Een BSN heeft negen cijfers.")})
    moment = serializers.DateTimeField(help_text=_("Wanneer het incident plaatsvond."))
    omschrijving = serializers.CharField(max_length=5000, help_text=_("Wat er is gebeurd."))

    def validate(self, attrs):
        """The toewijzing must be the provider's and the BSN its client's. The same answer whether
        the number is unknown or another provider's: nothing about others leaks."""
        provider = self.context["provider"]
        assignment = (
            Assignment.objects.select_related("indication__client")
            .filter(provider=provider, number=attrs["toewijzingnummer"])
            .first()
        )
        if assignment is None:
            raise serializers.ValidationError(
                {
                    "toewijzingnummer": serializers.ErrorDetail(
                        _("Onbekende toewijzing: u heeft geen toewijzing met dit nummer."), code="unknown_assignment"
                    )
                }
            )
        if assignment.indication.client.bsn != attrs["bsn"]:
            raise serializers.ValidationError(
                {"bsn": serializers.ErrorDetail(_("Dit BSN hoort niet bij deze toewijzing."), code="client_mismatch")}
            )
        attrs["assignment"] = assignment
        return attrs


class GgdReportInputSerializer(StrictSerializer):
    datum = serializers.DateField(help_text=_("De dag waarop u de calamiteit bij de GGD meldde."))
    kenmerk = serializers.CharField(max_length=60, help_text=_("Het kenmerk dat de GGD aan uw melding gaf."))


class IncidentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    berichtId = serializers.CharField(source="message_id")
    soort = serializers.CharField(source="kind")
    toewijzingnummer = serializers.CharField(source="assignment.number")
    bsn = serializers.CharField(source="client.bsn")
    moment = serializers.DateTimeField(source="occurred_at")
    omschrijving = serializers.CharField(source="description")
    gemeldOp = serializers.DateTimeField(source="reported_at")
    kanaal = serializers.CharField(source="channel")
    status = serializers.CharField()
    ggdGemeldOp = serializers.DateField(source="ggd_reported_on", allow_null=True)
    ggdKenmerk = serializers.CharField(source="ggd_reference")


def _same_content(incident: Incident, data: dict) -> bool:
    return (
        incident.kind == data["soort"]
        and incident.assignment_id == data["assignment"].pk
        and incident.occurred_at == data["moment"]
        and incident.description == data["omschrijving"].strip()
    )


def _api_error(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        error = DjangoValidationError(
            {API_FIELDS.get(field, field): items for field, items in error.error_dict.items()}
        )
    return as_api_error(error)


class IncidentViewSet(
    ProviderAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your reports of calamiteiten and geweldsincidenten (art. 3.4 Wmo 2015), newest first."""

    audit_object_type = "incidents.incident"
    serializer_class = IncidentSerializer
    pagination_class = IdsFirstPageNumberPagination
    lookup_field = "uuid"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Incident.objects.none()
        return incident_selectors.incidents_of_provider(self.request.user.provider).order_by("-reported_at", "-id")

    @extend_schema(
        request=IncidentInputSerializer,
        responses={
            201: IncidentSerializer,
            200: OpenApiResponse(IncidentSerializer, description="Dezelfde melding opnieuw: de eerste melding."),
            **MESSAGE_ERRORS,
        },
        description="Meld een calamiteit of geweldsincident bij de gemeente (art. 3.4 lid 1 sub c Wmo 2015) "
        "in de zorg van een van uw toewijzingen. De teamleider krijgt de melding direct. Melden aan de "
        "toezichthouder (GGD) blijft uw plicht; leg daarna vast wanneer dat is gebeurd met "
        "POST /api/v1/calamiteiten/{id}/ggd-melding/ (datum, kenmerk). Dezelfde melding opnieuw met "
        "hetzelfde berichtId krijgt de eerste melding terug; een "
        "andere inhoud onder een gebruikt berichtId krijgt 409.",
    )
    def create(self, request, *args, **kwargs):
        body = IncidentInputSerializer(data=request.data, context={"provider": request.user.provider})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existing = self.get_queryset().filter(message_id=data["berichtId"]).first()
        if existing is not None:
            if not _same_content(existing, data):
                return response_from(*message_id_conflict(data["berichtId"]))
            return response_from(status.HTTP_200_OK, IncidentSerializer(existing).data, replayed=True)
        try:
            incident = incident_services.report_incident(
                assignment=data["assignment"],
                kind=data["soort"],
                description=data["omschrijving"],
                occurred_at=data["moment"],
                channel=IncidentChannel.API,
                message_id=data["berichtId"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return response_from(status.HTTP_201_CREATED, IncidentSerializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(
        request=GgdReportInputSerializer,
        responses={
            200: OpenApiResponse(
                IncidentSerializer,
                description="Vastgelegd; of dezelfde melding aan de GGD opnieuw (Idempotent-Replayed).",
            ),
            **ERRORS,
        },
        description="Leg vast dat u de calamiteit of het geweldsincident bij de toezichthouder (de GGD) heeft "
        "gemeld: de datum en het kenmerk van de GGD. Alleen voor uw eigen melding (een andere: 404). De "
        "gemeente sluit daarmee het signaal van de teamleider. Dezelfde datum en hetzelfde kenmerk opnieuw "
        "krijgen de melding terug; een andere melding aan de GGD nadat die is vastgelegd is een 400 "
        "`invalid_transition`.",
    )
    @action(detail=True, methods=["post"], url_path="ggd-melding")
    def ggd_report(self, request, id=None):
        incident = self.get_object()
        body = GgdReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if incident.ggd_reported_on == data["datum"] and incident.ggd_reference == data["kenmerk"].strip():
            return response_from(status.HTTP_200_OK, IncidentSerializer(incident).data, replayed=True)
        try:
            incident_services.record_ggd_report(
                incident, reported_on=data["datum"], reference=data["kenmerk"], by=request.user
            )
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return response_from(status.HTTP_200_OK, IncidentSerializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(responses={200: IncidentSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={200: IncidentSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
