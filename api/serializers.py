import base64
import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict

from indications.models import Indication, Product, Tariff, person_name
from iwmo.codes import Eenheid, EenheidDeclaratie, Frequentie
from providers.codes import RedenVerzoek
from providers.models import (
    Assignment,
    AssignmentState,
    ChangeRequest,
    SupportPlan,
    SupportPlanPart,
    assignment_state_on,
)
from providers.sla import COUNT, SHOWN_FIGURES, SlaFigure


class TariffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tariff
        fields = ["valid_from", "valid_to", "amount_per_period", "opslag_per_period"]


class ProductSerializer(serializers.ModelSerializer):
    # Declared explicitly: the model fields' ranges differ per database and the schema must not.
    level = serializers.IntegerField(read_only=True)
    max_duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    tariffs = TariffSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "iwmo_category",
            "iwmo_code",
            "level",
            "requires_end_date",
            "max_duration_weeks",
            "allows_opslag",
            "tariffs",
        ]


# --------------------------------------------------------------------------------------------
# Provider API: output
# --------------------------------------------------------------------------------------------


class ClientSummarySerializer(serializers.Serializer):
    bsn = serializers.CharField()
    naam = serializers.CharField(source="full_name")
    geboortedatum = serializers.DateField(source="date_of_birth")
    gemeente = serializers.CharField(source="municipality.name")


class ResultSerializer(serializers.Serializer):
    domein = serializers.CharField(source="result.domain.name")
    resultaat = serializers.CharField(source="result.name")
    doel = serializers.CharField(source="goal")


class AssignmentSerializer(serializers.ModelSerializer):
    """A toewijzing with what the provider needs to deliver results (product, period, results and
    goals per domain, the consultant to contact)."""

    toewijzingnummer = serializers.CharField(source="number")
    beschikkingnummer = serializers.CharField(source="indication.number")
    productcategorie = serializers.CharField(source="product.iwmo_category")
    productcode = serializers.CharField(source="product.iwmo_code")
    product = serializers.CharField(source="product.code")
    opslag = serializers.BooleanField(source="indication.opslag")
    toewijzingsdatum = serializers.DateField(source="assigned_on")
    ingangsdatum = serializers.DateField(source="start_date")
    einddatum = serializers.DateField(source="end_date", allow_null=True)
    omvang = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="state", choices=AssignmentState.choices, read_only=True)
    redenWijziging = serializers.CharField(source="change_reason")
    zorgGestartOp = serializers.DateField(source="care_started_on", allow_null=True)
    zorgGestoptOp = serializers.DateField(source="care_stopped_on", allow_null=True)
    redenBeeindiging = serializers.CharField(source="stop_reason")
    client = ClientSummarySerializer(source="indication.client")
    resultaten = ResultSerializer(source="indication.results", many=True)
    primairLeefdomein = serializers.CharField(source="indication.primary_domain.name", allow_null=True, default=None)
    behandelingNodig = serializers.ChoiceField(
        source="indication.treatment_needed", choices=Indication.TreatmentNeeded.choices, allow_blank=True
    )
    dagdelenDagbestedingIB = serializers.IntegerField(
        source="indication.dagbesteding_dagdelen_ib",
        help_text=_("Dagdelen dagbesteding per week ingevuld met IB; één dagdeel telt als één uur IB."),
    )
    contactpersoon = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "toewijzingnummer",
            "beschikkingnummer",
            "productcategorie",
            "productcode",
            "product",
            "opslag",
            "toewijzingsdatum",
            "ingangsdatum",
            "einddatum",
            "omvang",
            "status",
            "redenWijziging",
            "zorgGestartOp",
            "zorgGestoptOp",
            "redenBeeindiging",
            "client",
            "resultaten",
            "primairLeefdomein",
            "behandelingNodig",
            "dagdelenDagbestedingIB",
            "contactpersoon",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "volume": {"type": "integer"},
                "eenheid": {"type": "string"},
                "frequentie": {"type": "string"},
            },
        }
    )
    def get_omvang(self, assignment) -> dict:
        # One unit of output (WJ756 82) per period of 4 weeks: result-financed IB.
        return {"volume": assignment.volume, "eenheid": assignment.unit, "frequentie": "per 4 weken"}

    @extend_schema_field({"type": "object", "properties": {"naam": {"type": "string"}, "email": {"type": "string"}}})
    def get_contactpersoon(self, assignment) -> dict:
        consultant = assignment.indication.consultant
        return {"naam": consultant.get_full_name() or consultant.username, "email": consultant.email}

    def to_representation(self, assignment) -> dict:
        """The fields above, read directly: DRF's generic walk over 21 fields and their sources costs
        more than the queries of a list page (issue 20). The declared fields stay the contract (the
        OpenAPI schema is generated from them); tests/api/test_api_speed.py checks that this gives
        exactly what the generic walk gives. A list page hands plain rows (providers.selectors.
        assignment_rows) instead of model objects: see _row_representation."""
        if isinstance(assignment, dict):
            return _row_representation(assignment)
        indication = assignment.indication
        client = indication.client
        product = assignment.product
        primary_domain = indication.primary_domain
        return {
            "toewijzingnummer": assignment.number,
            "beschikkingnummer": indication.number,
            "productcategorie": product.iwmo_category,
            "productcode": product.iwmo_code,
            "product": product.code,
            "opslag": indication.opslag,
            "toewijzingsdatum": _iso(assignment.assigned_on),
            "ingangsdatum": _iso(assignment.start_date),
            "einddatum": _iso(assignment.end_date),
            "omvang": self.get_omvang(assignment),
            "status": str(assignment.state),
            "redenWijziging": assignment.change_reason,
            "zorgGestartOp": _iso(assignment.care_started_on),
            "zorgGestoptOp": _iso(assignment.care_stopped_on),
            "redenBeeindiging": assignment.stop_reason,
            "client": {
                "bsn": client.bsn,
                "naam": client.full_name,
                "geboortedatum": _iso(client.date_of_birth),
                "gemeente": client.municipality.name,
            },
            "resultaten": [
                {"domein": result.result.domain.name, "resultaat": result.result.name, "doel": result.goal}
                for result in indication.results.all()
            ],
            "primairLeefdomein": primary_domain.name if primary_domain is not None else None,
            "behandelingNodig": indication.treatment_needed,
            "dagdelenDagbestedingIB": indication.dagbesteding_dagdelen_ib,
            "contactpersoon": self.get_contactpersoon(assignment),
        }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _row_representation(row: dict) -> dict:
    """AssignmentSerializer's answer for a row of providers.selectors.assignment_rows."""
    consultant_name = f"{row['indication__consultant__first_name']} {row['indication__consultant__last_name']}".strip()
    return {
        "toewijzingnummer": row["number"],
        "beschikkingnummer": row["indication__number"],
        "productcategorie": row["product__iwmo_category"],
        "productcode": row["product__iwmo_code"],
        "product": row["product__code"],
        "opslag": row["indication__opslag"],
        "toewijzingsdatum": _iso(row["assigned_on"]),
        "ingangsdatum": _iso(row["start_date"]),
        "einddatum": _iso(row["end_date"]),
        "omvang": {"volume": row["volume"], "eenheid": row["unit"], "frequentie": "per 4 weken"},
        "status": str(
            assignment_state_on(
                row["status"],
                row["end_date"],
                care_started_on=row["care_started_on"],
                care_stopped_on=row["care_stopped_on"],
                day=timezone.localdate(),
            )
        ),
        "redenWijziging": row["change_reason"],
        "zorgGestartOp": _iso(row["care_started_on"]),
        "zorgGestoptOp": _iso(row["care_stopped_on"]),
        "redenBeeindiging": row["stop_reason"],
        "client": {
            "bsn": row["indication__client__bsn"],
            "naam": person_name(
                row["indication__client__first_name"],
                row["indication__client__initials"],
                row["indication__client__name_prefix"],
                row["indication__client__last_name"],
            ),
            "geboortedatum": _iso(row["indication__client__date_of_birth"]),
            "gemeente": row["indication__client__municipality__name"],
        },
        "resultaten": [
            {"domein": result["result__domain__name"], "resultaat": result["result__name"], "doel": result["goal"]}
            for result in row["results"]
        ],
        "primairLeefdomein": row["indication__primary_domain__name"],
        "behandelingNodig": row["indication__treatment_needed"],
        "dagdelenDagbestedingIB": row["indication__dagbesteding_dagdelen_ib"],
        "contactpersoon": {
            "naam": consultant_name or row["indication__consultant__username"],
            "email": row["indication__consultant__email"],
        },
    }


CODE_WITH_LABEL = {
    "type": "object",
    "nullable": True,
    "properties": {"code": {"type": "string"}, "omschrijving": {"type": "string"}},
}


def _code(code: str, label: str) -> dict | None:
    """An iWmo code with its Dutch meaning, or None when there is none."""
    return {"code": code, "omschrijving": str(label)} if code else None


def _label(choices, code: str) -> str:
    """The Dutch meaning of a code of a code list, or empty for a code the list does not know."""
    return dict(choices.choices).get(code, "")


class ChangeRequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid")
    toewijzingnummer = serializers.CharField(source="assignment.number")
    product = serializers.CharField(source="requested_product.code", allow_null=True, default=None)
    einddatum = serializers.DateField(source="requested_end_date", allow_null=True)
    motivering = serializers.CharField(source="motivation")
    status = serializers.CharField()
    toelichting = serializers.CharField(source="answer_reason")
    beantwoordOp = serializers.DateTimeField(source="answered_at", allow_null=True)
    vervolgbeschikking = serializers.CharField(source="follow_up.number", allow_null=True, default=None)
    redenVerzoek = serializers.SerializerMethodField(help_text=_("WJ758: de reden van het verzoek, of null."))
    antwoord = serializers.SerializerMethodField(
        help_text=_(
            "WJ760 bij een afwijzing (1) of in onderzoek (2), met de reden van afwijzing (WJ759); null bij "
            "toekenning (zie nieuweToewijzingen) of zolang er geen antwoord is."
        )
    )
    nieuweToewijzingen = serializers.SerializerMethodField(
        help_text=_("Bij toekenning: de toewijzingnummers van de vervolgbeschikking (het antwoord is de WMO301).")
    )
    ingangsdatum = serializers.DateField(
        source="requested_start_date", allow_null=True, help_text=_("De gewenste ingangsdatum, of null.")
    )
    omvang = serializers.SerializerMethodField(
        help_text=_("De gevraagde omvang (volume, eenheid WJ756, frequentie WMO757), of null.")
    )
    budget = serializers.IntegerField(
        source="requested_budget", allow_null=True, help_text=_("Het gevraagde budget in eurocent, of null.")
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "toewijzingnummer",
            "product",
            "einddatum",
            "ingangsdatum",
            "omvang",
            "budget",
            "motivering",
            "status",
            "toelichting",
            "beantwoordOp",
            "vervolgbeschikking",
            "redenVerzoek",
            "antwoord",
            "nieuweToewijzingen",
        ]

    @extend_schema_field(CODE_WITH_LABEL)
    def get_redenVerzoek(self, request) -> dict | None:
        return _code(request.request_reason, request.get_request_reason_display())

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"verzoekAntwoord": CODE_WITH_LABEL, "redenAfwijzing": CODE_WITH_LABEL},
        }
    )
    def get_antwoord(self, request) -> dict | None:
        if not request.answer_kind:
            return None
        return {
            "verzoekAntwoord": _code(request.answer_kind, request.get_answer_kind_display()),
            "redenAfwijzing": _code(request.refusal_reason, request.get_refusal_reason_display()),
        }

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"volume": {"type": "integer"}, "eenheid": CODE_WITH_LABEL, "frequentie": CODE_WITH_LABEL},
        }
    )
    def get_omvang(self, request) -> dict | None:
        if request.requested_volume is None:
            return None
        return {
            "volume": request.requested_volume,
            "eenheid": _code(request.requested_unit, _label(EenheidDeclaratie, request.requested_unit)),
            "frequentie": _code(request.requested_frequency, _label(Frequentie, request.requested_frequency)),
        }

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_nieuweToewijzingen(self, request) -> list[str]:
        if request.follow_up is None:
            return []
        return [assignment.number for assignment in request.follow_up.assignments.all()]


class SupportPlanPartSerializer(serializers.ModelSerializer):
    domein = serializers.CharField(source="indication_result.result.domain.name")
    resultaat = serializers.CharField(source="indication_result.result.name")
    aanpak = serializers.CharField(source="approach", help_text=_("Aanpak en activiteiten voor dit resultaat."))
    stappen = serializers.CharField(source="steps", help_text=_("De geplande stappen naar het resultaat."))

    class Meta:
        model = SupportPlanPart
        fields = ["domein", "resultaat", "aanpak", "stappen"]


class SupportPlanSerializer(serializers.ModelSerializer):
    """A version of the ondersteuningsplan with the consultant's judgement."""

    id = serializers.UUIDField(source="uuid")
    toewijzingnummer = serializers.CharField(source="assignment.number")
    versie = serializers.IntegerField(source="version")
    status = serializers.ChoiceField(choices=SupportPlan.Status.choices)
    ingediendOp = serializers.DateTimeField(source="submitted_at")
    pdfSha256 = serializers.CharField(
        source="pdf_sha256", help_text=_("SHA-256 (hex) van de ontvangen PDF; leeg zonder PDF.")
    )
    pdfGrootte = serializers.IntegerField(source="pdf_size", allow_null=True, help_text=_("Bytes; leeg zonder PDF."))
    resultaten = SupportPlanPartSerializer(source="parts", many=True)
    beoordeeldOp = serializers.DateField(source="judged_on", allow_null=True)
    opmerking = serializers.CharField(
        source="remark", help_text=_("De opmerking van de consulent, bij een gevraagde wijziging: wat te wijzigen.")
    )

    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "toewijzingnummer",
            "versie",
            "status",
            "ingediendOp",
            "pdfSha256",
            "pdfGrootte",
            "resultaten",
            "beoordeeldOp",
            "opmerking",
        ]


# --------------------------------------------------------------------------------------------
# Provider API: input (shape only; the services check the rules)
# --------------------------------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """An input serializer. DRF's messages are Dutch through locale/nl, except one it does not offer
    for translation: its "No data provided" for a body of `null`."""

    @property
    def errors(self):
        errors = super().errors
        details = errors.get(api_settings.NON_FIELD_ERRORS_KEY) if isinstance(errors, dict) else None
        if details and len(details) == 1 and details[0] == "No data provided":
            detail = serializers.ErrorDetail(_("Geef een JSON-object, geen null."), code="null")
            errors = ReturnDict({api_settings.NON_FIELD_ERRORS_KEY: [detail]}, serializer=self)
        return errors


class StrictSerializer(InputSerializer):
    """Refuses fields it does not know: a typo must not silently drop data."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(_("Onbekend veld."), code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)


class MessageSerializer(StrictSerializer):
    berichtId = serializers.CharField(max_length=64, help_text=_("Uw eigen, unieke id van dit bericht (idempotentie)."))


class StartInputSerializer(MessageSerializer):
    startdatum = serializers.DateField()


class StopInputSerializer(MessageSerializer):
    einddatum = serializers.DateField()
    redenBeeindiging = serializers.CharField(max_length=2, help_text=_("Code uit iWmo-codelijst WMO588."))


class WithdrawInputSerializer(MessageSerializer):
    """Withdraw the start or stop reported earlier (iWmo StatusAanlevering 3): only the message id."""


class OmvangInputSerializer(StrictSerializer):
    """An Omvang as iWmo writes it, in the units and frequencies of our output-financed products
    (WJ756 82/83, WMO757 4/6: the same lists the WMO301 uses)."""

    volume = serializers.IntegerField(min_value=1, max_value=99_999_999)
    eenheid = serializers.ChoiceField(
        choices=Eenheid.choices,
        help_text=_("Code uit iWmo-codelijst WJ756: 82 stuks (output), 83 euro's."),
        error_messages={"invalid_choice": _("Onbekende of hier niet toegestane eenheid (WJ756): {input}.")},
    )
    frequentie = serializers.ChoiceField(
        choices=Frequentie.choices,
        help_text=_("Code uit iWmo-codelijst WMO757: 4 per maand, 6 totaal binnen de geldigheidsduur."),
        error_messages={"invalid_choice": _("Onbekende of hier niet toegestane frequentie (WMO757): {input}.")},
    )


class ChangeRequestInputSerializer(MessageSerializer):
    product = serializers.CharField(max_length=10, required=False, help_text=_("Gevraagd product, bv. IB3."))
    einddatum = serializers.DateField(required=False)
    motivering = serializers.CharField(max_length=2000)
    redenVerzoek = serializers.ChoiceField(
        choices=RedenVerzoek.choices,
        required=False,
        help_text=_("Code uit iWmo-codelijst WJ758: 1 verandering cliëntsituatie, 2 wijziging zorgplan."),
        error_messages={"invalid_choice": _("Onbekende reden verzoek (WJ758): %(input)s.")},
    )
    ingangsdatum = serializers.DateField(
        required=False, help_text=_("De gewenste ingangsdatum van de wijziging (iWmo: GewensteIngangsdatum).")
    )
    omvang = OmvangInputSerializer(
        required=False, help_text=_("De gevraagde omvang; niet samen met een budget (iWmo CD077/CD078).")
    )
    budget = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=99_999_999,
        help_text=_("Het gevraagde budget in eurocent; niet samen met een omvang (iWmo CD077/CD078)."),
    )


@extend_schema_field({"type": "string", "format": "byte"})
class Base64Field(serializers.CharField):
    """Bytes sent as base64 text (RFC 4648, no line breaks); the value is the decoded bytes."""

    default_error_messages = {"invalid_base64": _("Dit is geen geldige base64.")}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid_base64")

    def to_representation(self, value):
        return base64.b64encode(value).decode("ascii")


class SupportPlanPartInputSerializer(StrictSerializer):
    domein = serializers.CharField(max_length=100, help_text=_("Het domein, zoals de toewijzing het noemt."))
    resultaat = serializers.CharField(max_length=255, help_text=_("Het resultaat, zoals de toewijzing het noemt."))
    aanpak = serializers.CharField(max_length=10000, help_text=_("Aanpak en activiteiten voor dit resultaat."))
    stappen = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, help_text=_("De geplande stappen naar het resultaat.")
    )


class SupportPlanInputSerializer(MessageSerializer):
    pdf = Base64Field(
        required=False,
        help_text=_(
            "Het plan als PDF, base64-gecodeerd; ten hoogste 1.500.000 bytes (het hele verzoek ten hoogste 2 MiB)."
        ),
    )
    resultaten = SupportPlanPartInputSerializer(
        many=True,
        required=False,
        max_length=50,
        help_text=_("Per resultaat van de beschikking de aanpak en de stappen; als tekst gegeven: elk resultaat."),
    )


class BatchItemSerializer(InputSerializer):
    """One message of a batch: `soort` and `toewijzingnummer`, plus the fields of that message."""

    soort = serializers.ChoiceField(
        choices=["start", "stop", "wijzigingsverzoek", "start_ingetrokken", "stop_ingetrokken"],
        help_text=_(
            "start_ingetrokken / stop_ingetrokken: trek de eerder gemelde start of stop in (iWmo: WMO305/WMO307 "
            "met StatusAanlevering 3), met alleen een berichtId."
        ),
    )
    toewijzingnummer = serializers.CharField(max_length=20)


# The most messages one batch may hold. A batch is one request, answered within gunicorn's worker
# timeout (deploy/gunicorn.conf.py, GUNICORN_TIMEOUT, 30 s): 500 starts or stops take about 3-4 s
# set-wise on PostgreSQL (bench/batch_bench.py; docs/operations.md). Raise the two together.
BATCH_MAX_MESSAGES = 500


class BatchInputSerializer(StrictSerializer):
    berichten = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=BATCH_MAX_MESSAGES)


class BatchResultSerializer(serializers.Serializer):
    berichtId = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["geaccepteerd", "afgewezen"])
    httpStatus = serializers.IntegerField()
    antwoord = serializers.DictField()


class SlaQuerySerializer(StrictSerializer):
    jaar = serializers.IntegerField(min_value=2016, max_value=2100)
    periode = serializers.ChoiceField(choices=["jaar", "kwartaal", "maand"], default="jaar")


def _sla_figure_field(figure: SlaFigure) -> serializers.Field:
    if figure.unit == COUNT:
        return serializers.IntegerField()
    return serializers.FloatField(allow_null=True)  # a percentage or duration: none without data


# One field per SLA figure shown (providers.sla declares them), after the period.
SlaFiguresSerializer = type(
    "SlaFiguresSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "periode": serializers.CharField(),
        "van": serializers.DateField(),
        "tot": serializers.DateField(),
        **{figure.api_name: _sla_figure_field(figure) for figure in SHOWN_FIGURES},
        # The cliëntervaringsonderzoek is imported per year, not computed per period: the year's result.
        "clienttevredenheid": serializers.FloatField(
            allow_null=True,
            help_text="Gemiddelde score (1-10) van het cliëntervaringsonderzoek van het jaar, over alle cliënten; "
            "leeg als er geen uitslag is ingelezen.",
        ),
        "clienttevredenheidRespondenten": serializers.IntegerField(
            help_text="Aantal respondenten van het cliëntervaringsonderzoek van het jaar."
        ),
        "clienttevredenheidDoel": serializers.FloatField(
            allow_null=True, help_text="Het doel voor de gemiddelde score in dat jaar (7,5 sinds 2016)."
        ),
    },
)
