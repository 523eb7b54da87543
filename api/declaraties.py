"""/api/v1/declaraties/: a provider's declaratie as JSON, the same content as a WMO323, judged by
the same service (billing.services.submit_declaratie) and answered with the same decisions a WMO325
would carry; and the provider's own declaraties (list, detail). Its own module: the serializers and
the view of one endpoint family, which would push views.py and serializers.py past 500 lines."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets

from billing import selectors as billing_selectors
from billing import services as billing_services
from billing.models import Declaratie
from billing.types import CREDIT, DEBIT, DeclaratieIn, PrestatieIn
from indications.models import Municipality
from iwmo.codes import RETOURCODE_LABEL, EenheidDeclaratie

from .errors import message_id_conflict, response_from
from .serializers import StrictSerializer
from .views import ERRORS, MESSAGE_ERRORS, ProviderAPIMixin

DEBIT_CREDIT = [(DEBIT, _("debet")), (CREDIT, _("credit"))]
MAX_PRESTATIES = 10_000
BSN = r"^[0-9]{9}$"


def _choice(choices, label):
    return serializers.ChoiceField(
        choices=choices,
        error_messages={"invalid_choice": _("Onbekende waarde voor %(label)s: %%(input)s.") % {"label": label}},
    )


class PeriodSerializer(StrictSerializer):
    begindatum = serializers.DateField()
    einddatum = serializers.DateField()

    def validate(self, attrs):
        if attrs["einddatum"] < attrs["begindatum"]:
            raise serializers.ValidationError(
                {"einddatum": serializers.ErrorDetail(_("De einddatum ligt vóór de begindatum."), code="period_order")}
            )
        return attrs


class PrestatieInputSerializer(StrictSerializer):
    bsn = serializers.RegexField(BSN, error_messages={"invalid": _("Een BSN heeft negen cijfers.")})
    referentienummer = serializers.CharField(max_length=36)
    vorigReferentienummer = serializers.CharField(max_length=36, required=False, allow_blank=True, default="")
    toewijzingnummer = serializers.CharField(max_length=20)
    productcategorie = serializers.RegexField(r"^[0-9]{2}$", error_messages={"invalid": _("Twee cijfers (WMO020).")})
    productcode = serializers.CharField(max_length=5, required=False, allow_blank=True, default="")
    productperiode = PeriodSerializer()
    geleverdVolume = serializers.IntegerField(min_value=0, max_value=99_999_999)
    eenheid = _choice(EenheidDeclaratie.choices, "eenheid (WJ756)")
    productTarief = serializers.IntegerField(
        min_value=0,
        max_value=99_999_999,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Tarief per eenheid in eurocent (optioneel)."),
    )
    bedrag = serializers.IntegerField(min_value=0, max_value=99_999_999_999, help_text=_("In eurocent."))
    debetCredit = _choice(DEBIT_CREDIT, "debet/credit (COD043)")


class DeclaratieInputSerializer(StrictSerializer):
    berichtId = serializers.CharField(
        max_length=64, help_text=_("Uw eigen, unieke id van deze declaratie (idempotentie).")
    )
    gemeente = serializers.RegexField(
        r"^[0-9]{4}$",
        help_text=_("CBS-gemeentecode van de gemeente die u declareert."),
        error_messages={"invalid": _("Een CBS-gemeentecode heeft vier cijfers.")},
    )
    declaratienummer = serializers.CharField(max_length=12)
    declaratieperiode = PeriodSerializer(help_text=_("Eén kalendermaand."))
    dagtekening = serializers.DateField()
    totaalBedrag = serializers.IntegerField(min_value=0, max_value=999_999_999_999, help_text=_("In eurocent."))
    debetCredit = _choice(DEBIT_CREDIT, "debet/credit (COD043)")
    prestaties = PrestatieInputSerializer(many=True, allow_empty=False, max_length=MAX_PRESTATIES)

    def validate_gemeente(self, value):
        municipality = Municipality.objects.filter(code=value).first()
        if municipality is None:
            raise serializers.ValidationError(_("Onbekende gemeentecode."), code="unknown_municipality")
        return municipality

    def to_declaratie(self) -> DeclaratieIn:
        data = self.validated_data
        return DeclaratieIn(
            number=data["declaratienummer"],
            period_start=data["declaratieperiode"]["begindatum"],
            period_end=data["declaratieperiode"]["einddatum"],
            dagtekening=data["dagtekening"],
            total_cents=data["totaalBedrag"],
            total_debit_credit=data["debetCredit"],
            prestaties=tuple(
                PrestatieIn(
                    bsn=line["bsn"],
                    reference=line["referentienummer"],
                    previous_reference=line["vorigReferentienummer"],
                    assignment_number=line["toewijzingnummer"],
                    product_category=line["productcategorie"],
                    product_code=line["productcode"],
                    period_start=line["productperiode"]["begindatum"],
                    period_end=line["productperiode"]["einddatum"],
                    volume=line["geleverdVolume"],
                    unit=line["eenheid"],
                    tariff_cents=line["productTarief"],
                    amount_cents=line["bedrag"],
                    debit_credit=line["debetCredit"],
                )
                for line in data["prestaties"]
            ),
        )


class RetourcodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    melding = serializers.CharField()


def _codes(codes) -> list[dict]:
    return [{"code": code, "melding": str(RETOURCODE_LABEL.get(code, ""))} for code in codes]


class PrestatieOutputSerializer(serializers.Serializer):
    volgnummer = serializers.IntegerField(source="index")
    referentienummer = serializers.CharField(source="reference")
    toegekend = serializers.BooleanField(source="accepted")
    retourcodes = serializers.SerializerMethodField()

    @extend_schema_field(RetourcodeSerializer(many=True))
    def get_retourcodes(self, prestatie):
        return _codes(prestatie.codes)


class ClientCodesSerializer(serializers.Serializer):
    bsn = serializers.CharField()
    retourcodes = RetourcodeSerializer(many=True)


class DeclaratieSerializer(serializers.Serializer):
    """A declaratie with its answer: the codes on the whole (then no line was judged, 0233), per
    client and per prestatie, and the submitted and granted totals (eurocent, credit negative)."""

    id = serializers.UUIDField(source="uuid")
    berichtId = serializers.CharField(source="identification")
    declaratienummer = serializers.CharField(source="number")
    gemeente = serializers.CharField(source="municipality.code")
    declaratieperiode = serializers.SerializerMethodField()
    dagtekening = serializers.DateField()
    status = serializers.CharField()
    ontvangenOp = serializers.DateTimeField(source="received_at")
    totaalIngediend = serializers.IntegerField(source="submitted_cents")
    totaalToegekend = serializers.IntegerField(source="granted_cents")
    retourcodes = serializers.SerializerMethodField()
    clienten = serializers.SerializerMethodField()
    prestaties = PrestatieOutputSerializer(many=True)

    @extend_schema_field(PeriodSerializer)
    def get_declaratieperiode(self, declaratie):
        return {"begindatum": declaratie.period_start, "einddatum": declaratie.period_end}

    @extend_schema_field(RetourcodeSerializer(many=True))
    def get_retourcodes(self, declaratie):
        return _codes(declaratie.codes)

    @extend_schema_field(ClientCodesSerializer(many=True))
    def get_clienten(self, declaratie):
        return [{"bsn": bsn, "retourcodes": _codes(codes)} for bsn, codes in sorted(declaratie.client_codes.items())]


class DeclaratieSummarySerializer(DeclaratieSerializer):
    """A declaratie in the list: its answer without the prestaties, with their counts."""

    prestaties = None
    aantalPrestaties = serializers.IntegerField(source="line_count")
    aantalToegekend = serializers.IntegerField(source="accepted_count")


class DeclaratieViewSet(
    ProviderAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your declaraties (iWmo WMO323 as JSON) and their answers (as a WMO325 would give them)."""

    audit_object_type = "billing.declaratie"
    lookup_field = "uuid"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Declaratie.objects.none()
        rows = billing_selectors.declaraties_of(self.request.user.provider)
        if self.action == "list":
            return billing_selectors.with_line_counts(rows)
        return rows.prefetch_related("prestaties")

    def get_serializer_class(self):
        if self.action == "create":
            return DeclaratieInputSerializer
        return DeclaratieSummarySerializer if self.action == "list" else DeclaratieSerializer

    @extend_schema(
        request=DeclaratieInputSerializer,
        responses={
            201: DeclaratieSerializer,
            200: OpenApiResponse(DeclaratieSerializer, description="Dezelfde declaratie opnieuw: het eerste antwoord."),
            **MESSAGE_ERRORS,
        },
        description="Dien een declaratie in (de inhoud van een WMO323; bedragen in eurocent). Elke prestatie "
        "wordt beoordeeld tegen uw toewijzingen en het contracttarief; het antwoord geeft per prestatie "
        "toegekend of afgewezen met de retourcodes (WJ001), zoals een WMO325. Dezelfde declaratie opnieuw "
        "met hetzelfde berichtId krijgt het eerste antwoord terug; een andere inhoud onder een gebruikt "
        "berichtId krijgt 409.",
    )
    def create(self, request, *args, **kwargs):
        body = DeclaratieInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        provider = request.user.provider
        declaratie = body.to_declaratie()
        message_id = body.validated_data["berichtId"]
        if billing_services.is_other_content(declaratie, provider=provider, identification=message_id):
            return response_from(*message_id_conflict(message_id))
        replayed = Declaratie.objects.filter(provider=provider, identification=message_id).exists()
        billing_services.submit_declaratie(
            declaratie,
            provider=provider,
            municipality=body.validated_data["gemeente"],
            channel=Declaratie.Channel.API,
            identification=message_id,
            actor=request.user,
            today=timezone.localdate(),
        )
        stored = self.get_queryset().get(identification=message_id)
        return response_from(
            status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
            DeclaratieSerializer(stored).data,
            replayed=replayed,
        )

    @extend_schema(responses={200: DeclaratieSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={200: DeclaratieSummarySerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
