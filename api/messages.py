"""The provider's messages (start, stop, verzoek om wijziging), one way for the single endpoints
and the batch: validate the shape, find the caller's own assignment, apply the service once per
message id, and answer with a status and a body that a retry gets back unchanged."""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from indications.models import Product
from providers import services, support_plans
from providers.models import Assignment

from .errors import as_api_error, error_body, message_id_conflict, not_found
from .serializers import (
    AssignmentSerializer,
    ChangeRequestInputSerializer,
    ChangeRequestSerializer,
    StartInputSerializer,
    StopInputSerializer,
    SupportPlanInputSerializer,
    SupportPlanSerializer,
    WithdrawInputSerializer,
)

INPUT = {
    "start": StartInputSerializer,
    "stop": StopInputSerializer,
    "wijzigingsverzoek": ChangeRequestInputSerializer,
    "ondersteuningsplan": SupportPlanInputSerializer,
    "start_ingetrokken": WithdrawInputSerializer,
    "stop_ingetrokken": WithdrawInputSerializer,
}


def _jsonable(body) -> dict:
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def _apply(kind: str, assignment: Assignment, data: dict, client) -> tuple[int, dict]:
    if kind == "start":
        assignment = services.record_care_start(assignment, on=data["startdatum"], by=client)
        return status.HTTP_200_OK, AssignmentSerializer(assignment).data
    if kind == "stop":
        assignment = services.record_care_stop(
            assignment, on=data["einddatum"], reason=data["redenBeeindiging"], by=client
        )
        return status.HTTP_200_OK, AssignmentSerializer(assignment).data
    if kind in ("start_ingetrokken", "stop_ingetrokken"):
        withdraw = services.withdraw_care_start if kind == "start_ingetrokken" else services.withdraw_care_stop
        return status.HTTP_200_OK, AssignmentSerializer(withdraw(assignment, by=client)).data
    if kind == "ondersteuningsplan":
        plan = support_plans.submit_support_plan(
            assignment,
            pdf=data.get("pdf"),
            parts=[
                support_plans.PlanPartInput(
                    domain=part["domein"],
                    result=part["resultaat"],
                    approach=part["aanpak"],
                    steps=part.get("stappen", ""),
                )
                for part in data.get("resultaten", [])
            ],
            by=client,
        )
        return status.HTTP_201_CREATED, SupportPlanSerializer(plan).data
    product = None
    if data.get("product"):
        product = Product.objects.filter(code=data["product"]).first()
        if product is None:
            raise DjangoValidationError(
                {
                    "product": DjangoValidationError(
                        _("Onbekend product '%(code)s'.") % {"code": data["product"]}, code="unknown_product"
                    )
                }
            )
    request = services.submit_change_request(
        assignment,
        product=product,
        end_date=data.get("einddatum"),
        motivation=data["motivering"],
        reason=data.get("redenVerzoek", ""),
        start_date=data.get("ingangsdatum"),
        budget=data.get("budget"),
        **_omvang(data.get("omvang")),
        by=client,
    )
    return status.HTTP_201_CREATED, ChangeRequestSerializer(request).data


def _omvang(omvang: dict | None) -> dict:
    """The service's keywords for an Omvang of the input (none when it was not given)."""
    if not omvang:
        return {}
    return {"volume": omvang["volume"], "unit": omvang["eenheid"], "frequency": omvang["frequentie"]}


def handle_message(client, *, kind: str, number: str, data) -> services.MessageOutcome:
    serializer = INPUT[kind](data=data)
    if not serializer.is_valid():  # nothing was processed: not stored, the caller may correct and resend
        return services.MessageOutcome(
            status.HTTP_400_BAD_REQUEST, _jsonable(error_body(exceptions.ValidationError(serializer.errors))), False
        )
    values = serializer.validated_data
    assignment = (
        Assignment.objects.select_related("indication__client", "product", "provider")
        .filter(provider=client.provider, number=number)
        .first()
    )
    if assignment is None:  # not processed, so not stored: the same id sent to the right number works
        return services.MessageOutcome(*not_found(), replayed=False)

    def handle() -> tuple[int, dict]:
        try:
            with transaction.atomic():
                code, body = _apply(kind, assignment, values, client)
        except DjangoValidationError as error:
            return status.HTTP_400_BAD_REQUEST, _jsonable(error_body(as_api_error(error)))
        return code, _jsonable(body)

    try:
        return services.process_message(
            provider=client.provider,
            message_id=values["berichtId"],
            kind=kind,
            assignment=assignment,
            handle=handle,
            event_date=values.get("startdatum") or values.get("einddatum"),
            reason=values.get("redenBeeindiging", ""),
            fingerprint=services.message_fingerprint(kind=kind, number=number, fields=data),
        )
    except services.MessageIdReused as reused:
        return services.MessageOutcome(*message_id_conflict(reused.message_id), replayed=False)
