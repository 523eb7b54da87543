"""The provider's messages (start, stop, verzoek om wijziging), one way for the single endpoints
and the batch: validate the shape, find the caller's own assignment, apply the service once per
message id, and answer with a status and a body that a retry gets back unchanged.

A batch (`handle_batch`) is handled set-wise (issue 20): every message's shape is checked first,
then, in one transaction, the caller's toewijzingen of the whole batch are read and locked with
one query and the earlier answers of its message ids with one; each message is then judged and
applied in order by the same services (so a later message sees what an earlier one did), and
what they write besides the toewijzing's own UPDATE goes out together at the end: the stored
answers (one INSERT), the audit events (audit.services.collect_events), the stops' WMO301s
(iwmo.toewijzing.collect_toewijzingen) and one signal recheck for the batch's clients
(indications.hooks.collect_case_changes)."""

import contextlib
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status

from audit.services import collect_events
from indications.hooks import collect_case_changes
from indications.models import Product
from iwmo import toewijzing
from providers import services, support_plans
from providers.models import Assignment

from .errors import as_api_error, error_body, message_id_conflict, not_found
from .serializers import (
    AssignmentSerializer,
    BatchItemSerializer,
    ChangeRequestInputSerializer,
    ChangeRequestSerializer,
    StartInputSerializer,
    StopInputSerializer,
    SupportPlanInputSerializer,
    SupportPlanSerializer,
    WithdrawInputSerializer,
)

logger = logging.getLogger(__name__)

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


# The kinds whose service checks every rule before it writes anything (a stop's WMO301, which the
# XSD may refuse after the write, waits for the batch's end): in a batch they need no savepoint.
WRITES_NOTHING_WHEN_REFUSED = {"start", "stop", "start_ingetrokken", "stop_ingetrokken"}
# A refused withdrawal may have changed its (locked, shared) object before full_clean refused it.
WITHDRAWALS = {"start_ingetrokken", "stop_ingetrokken"}


def _apply(kind: str, assignment: Assignment, data: dict, client, *, locked: bool = False) -> tuple[int, dict]:
    if kind not in ("start", "stop"):  # in a batch: the starts and stops kept for its UPDATE first
        services.write_deferred_reports()
    if kind == "start":
        assignment = services.record_care_start(assignment, on=data["startdatum"], by=client, locked=locked)
        return status.HTTP_200_OK, AssignmentSerializer(assignment).data
    if kind == "stop":
        assignment = services.record_care_stop(
            assignment, on=data["einddatum"], reason=data["redenBeeindiging"], by=client, locked=locked
        )
        return status.HTTP_200_OK, AssignmentSerializer(assignment).data
    if kind in WITHDRAWALS:
        withdraw = services.withdraw_care_start if kind == "start_ingetrokken" else services.withdraw_care_stop
        return status.HTTP_200_OK, AssignmentSerializer(withdraw(assignment, by=client, locked=locked)).data
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


def _validated(kind: str, data) -> tuple[dict | None, services.MessageOutcome | None]:
    """The message's fields, or the 400 that refuses its shape (nothing was processed: not stored,
    the caller may correct and resend)."""
    serializer = INPUT[kind](data=data)
    if not serializer.is_valid():
        body = _jsonable(error_body(exceptions.ValidationError(serializer.errors)))
        return None, services.MessageOutcome(status.HTTP_400_BAD_REQUEST, body, False)
    return serializer.validated_data, None


def handle_message(client, *, kind: str, number: str, data) -> services.MessageOutcome:
    values, refused = _validated(kind, data)
    if refused is not None:
        return refused
    return _process(client, kind=kind, number=number, data=data, values=values, assignment=_own(client, number))


def _own(client, number: str) -> Assignment | None:
    """The caller's own toewijzing of this number (another provider's: none, so a 404)."""
    return (
        Assignment.objects.select_related("indication__client", "product", "provider")
        .filter(provider=client.provider, number=number)
        .first()
    )


@dataclass
class _BatchSet:
    """What a set-wise batch read once: the caller's locked toewijzingen by number, the answers."""

    assignments: dict[str, Assignment]
    messages: services.MessageBatch


def _process(
    client, *, kind: str, number: str, data, values: dict, assignment: Assignment | None, batch: _BatchSet | None = None
) -> services.MessageOutcome:
    if assignment is None:  # not processed, so not stored: the same id sent to the right number works
        return services.MessageOutcome(*not_found(), replayed=False)
    set_wise = batch is not None
    # One savepoint per message, except in a batch for the kinds that write nothing when refused.
    savepoint = contextlib.nullcontext() if set_wise and kind in WRITES_NOTHING_WHEN_REFUSED else transaction.atomic()

    def handle() -> tuple[int, dict]:
        try:
            with savepoint:
                code, body = _apply(kind, assignment, values, client, locked=set_wise)
        except DjangoValidationError as error:
            if set_wise and kind in WITHDRAWALS:  # its row is unchanged: read it again for the next
                batch.assignments.update(services.lock_own_assignments(client.provider, [number]))
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
            batch=batch.messages if set_wise else None,
        )
    except services.MessageIdReused as reused:
        return services.MessageOutcome(*message_id_conflict(reused.message_id), replayed=False)


# -- the batch ------------------------------------------------------------------------------------


@dataclass
class _Item:
    """One message of a batch after its shape was checked: `refused` when it was not valid."""

    raw: dict
    kind: str = ""
    number: str = ""
    fields: dict | None = None
    values: dict | None = None
    refused: services.MessageOutcome | None = None


def _checked(raw: dict) -> _Item:
    header = BatchItemSerializer(data=raw)
    if not header.is_valid():
        body = error_body(serializers.ValidationError(header.errors))
        return _Item(raw, refused=services.MessageOutcome(status.HTTP_400_BAD_REQUEST, body, False))
    kind, number = header.validated_data["soort"], header.validated_data["toewijzingnummer"]
    fields = {key: value for key, value in raw.items() if key not in ("soort", "toewijzingnummer")}
    values, refused = _validated(kind, fields)
    return _Item(raw, kind=kind, number=number, fields=fields, values=values, refused=refused)


def _result(item: _Item, outcome: services.MessageOutcome) -> dict:
    return {
        "berichtId": item.raw.get("berichtId"),
        "status": "geaccepteerd" if 200 <= outcome.status < 300 else "afgewezen",
        "httpStatus": outcome.status,
        "antwoord": outcome.body,
    }


def handle_batch(client, messages: list[dict]) -> list[dict]:
    """Answer every message of a batch, in order, each applied on its own (all or nothing per
    message), set-wise (see the module's docstring). Should anything but a rule fail (a database
    error, a message id another request stored meanwhile, a WMO301 the XSD refuses), the set-wise
    run is rolled back whole and the batch runs again message by message, each in a transaction of
    its own, exactly as before: every message gets the answer it would have got on its own."""
    items = [_checked(raw) for raw in messages]
    try:
        outcomes = _handle_set_wise(client, items)
    except Exception:  # noqa: BLE001 - rolled back whole; the run one by one answers each message
        logger.warning("A batch of %s messages ran again message by message", len(items), exc_info=True)
        outcomes = [
            _answer(client, item, _own(client, item.number) if item.refused is None else None) for item in items
        ]
    return [_result(item, outcome) for item, outcome in zip(items, outcomes, strict=True)]


def _answer(client, item: _Item, assignment, batch=None) -> services.MessageOutcome:
    """The outcome of one message of a batch: its shape's refusal, or what processing it gives."""
    if item.refused is not None:
        return item.refused
    return _process(
        client,
        kind=item.kind,
        number=item.number,
        data=item.fields,
        values=item.values,
        assignment=assignment,
        batch=batch,
    )


def _handle_set_wise(client, items: list[_Item]) -> list[services.MessageOutcome]:
    valid = [item for item in items if item.refused is None]
    with (
        transaction.atomic(),
        collect_case_changes(),
        collect_events(),
        toewijzing.collect_toewijzingen(),
        services.deferring_reports(),
    ):
        batch = _BatchSet(
            assignments=services.lock_own_assignments(client.provider, [item.number for item in valid]),
            messages=services.start_message_batch(client.provider, [item.values["berichtId"] for item in valid]),
        )
        outcomes = [_answer(client, item, batch.assignments.get(item.number), batch) for item in items]
        batch.messages.write()
    return outcomes
