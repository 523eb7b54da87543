"""The letters of the case file's decisions, issued in the decision's own transaction through the
case-file hooks (registered in letters.apps): toekenning or wijziging at the vaststelling of a grant,
afwijzing at the vaststelling of a refusal, beëindiging and intrekking when a beschikking ends or is
withdrawn; and the verslag van het onderzoek (art. 2.3.2 lid 8 Wmo 2015), sent by the consultant.

What a letter says of the decision is taken from the indication here, as plain data: the product,
what it is for, the results per life domain with their concrete goals, the period, the provider or
the pgb, the evaluation moment. Never the cost, the tariff, internal deadlines or the full BSN.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indications import hooks
from indications.codes import RedenWijziging
from indications.models import Indication, IndicationStatus, Intake
from indications.selectors import persoonlijk_plan_text

from . import kinds
from .models import Letter
from .services import dutch_date, issue_letter

# More placeholders of a decision letter from a higher app, registered at its start-up (objections:
# a herziening that follows a bezwaar says so). Each returns plain data for the indication.
DecisionValues = Callable[[Indication], Mapping[str, str | bool]]
_value_sources: list[DecisionValues] = []


def register_decision_values(source: DecisionValues) -> DecisionValues:
    """Register a source of extra placeholders (once; a re-registration at start-up is ignored)."""
    if source not in _value_sources:
        _value_sources.append(source)
    return source


def _product(indication: Indication) -> str:
    name = indication.product.name
    return f"{name} met opslag" if indication.opslag else name


def decision_values(indication: Indication) -> dict:
    """The placeholders of a decision letter's text."""
    provider = indication.provider
    values = {
        "product": _product(indication),
        "product_description": indication.product.description,
        "start_date": dutch_date(indication.start_date),
        "end_date": dutch_date(indication.end_date),
        "provider": provider.name if provider is not None else "",
        "pgb": indication.is_pgb,
        "partial_motivation": indication.refusal_motivation if not indication.is_refusal else "",
        "refusal_ground": indication.get_refusal_ground_display(),
        "refusal_motivation": indication.refusal_motivation if indication.is_refusal else "",
        "ended_on": dutch_date(indication.ended_on),
        "end_reason": indication.end_reason,
        "withdrawal_reason": indication.status_reason,
        "indication_number": indication.number or "",
        "replaces_number": indication.replaces.number if indication.replaces_id else "",
        "bezwaar_received_on": "",
    }
    for source in _value_sources:
        values.update(source(indication))
    return values


def decision_details(indication: Indication) -> dict:
    """The decision's parts the letter lists (beschikking toekenning and wijziging)."""
    results = [
        {
            "domain": str(result.result.domain),
            "result": result.result.name,
            "sub_results": [sub.name for sub in result.sub_results.all()],
            "goal": result.goal,
        }
        for result in indication.results.select_related("result__domain").prefetch_related("sub_results")
    ]
    evaluation = indication.planned_evaluations.order_by("planned_on").first()
    return {
        "indication_number": indication.number or "",
        "product": _product(indication),
        "product_code": indication.product.code,
        "product_description": indication.product.description,
        "results": results,
        "start_date": dutch_date(indication.start_date),
        "end_date": dutch_date(indication.end_date),
        "pgb": indication.is_pgb,
        "provider": indication.provider.name if indication.provider_id else "",
        "evaluation": dutch_date(evaluation.planned_on) if evaluation else "",
    }


def _issue(kind: str, indication: Indication, *, by, today: date, render: bool = True) -> Letter:
    client = indication.client
    values = decision_values(indication)
    if kind not in (kinds.TOEKENNING, kinds.WIJZIGING):
        values["bezwaar_received_on"] = ""  # only the herziening itself follows the bezwaar (Awb 6:19)
    return issue_letter(
        kind,
        client=client,
        municipality=client.municipality,
        values=values,
        details=decision_details(indication),
        by=by,
        about=indication,
        today=today,
        render=render,
    )


def _has_letter(indication: Indication, kind: str) -> bool:
    return Letter.objects.filter(
        about_type=ContentType.objects.get_for_model(indication), about_id=indication.pk, kind=kind
    ).exists()


def decision_kind(indication: Indication) -> str:
    """The kind of the letter of the vaststelling: afwijzing, wijziging (it replaces a beschikking)
    or toekenning."""
    if indication.is_refusal:
        return kinds.AFWIJZING
    return kinds.WIJZIGING if indication.replaces_id else kinds.TOEKENNING


def on_vaststelling(vaststelling: hooks.Vaststelling) -> None:
    """hooks.beschikking_issued / beschikking_refused: the beschikking's letter."""
    indication = vaststelling.indication
    _issue(decision_kind(indication), indication, by=vaststelling.by, today=vaststelling.today)


def issue_decision_letter(indication: Indication, *, by, render: bool = True) -> Letter:
    """The letter of a vaststelling that was written without the services (the demo's generated
    history), dated on its decision date."""
    return _issue(decision_kind(indication), indication, by=by, today=indication.decision_date, render=render)


def on_beschikking_ended(end: hooks.BeschikkingEnd) -> None:
    """hooks.beschikking_ended: the letter of a beëindiging or intrekking. None for a concept that is
    withdrawn (nothing was decided), for a beschikking replaced by a new one (the wijziging's letter
    says it), and none twice (a planned end carried out by the nightly job was announced already)."""
    indication = end.indication
    if not indication.is_decided:
        return
    if end.reason == RedenWijziging.VERWIJDERD or indication.status == IndicationStatus.INGETROKKEN:
        kind = kinds.INTREKKING
    else:
        if indication.replaced_by.exclude(status=IndicationStatus.INGETROKKEN).exists():
            return
        kind = kinds.BEEINDIGING
    if not _has_letter(indication, kind):
        _issue(kind, indication, by=end.by, today=end.today)


@transaction.atomic
def issue_verslag(intake: Intake, *, by, today: date | None = None) -> Letter:
    """Send the verslag van het onderzoek to the client (art. 2.3.2 lid 8 Wmo 2015): the report as
    recorded at the conclusion of the onderzoek."""
    intake = Intake.objects.select_related("melding__client__municipality").get(pk=intake.pk)
    if intake.concluded_on is None or not intake.report.strip():
        raise ValidationError(_("Het onderzoek is nog niet afgerond met een verslag."), code="verslag_not_ready")
    client = intake.melding.client
    return issue_letter(
        kinds.VERSLAG,
        client=client,
        municipality=client.municipality,
        values={
            "report": intake.report,
            "concluded_on": dutch_date(intake.concluded_on),
            "persoonlijk_plan": persoonlijk_plan_text(intake),
        },
        by=by,
        about=intake,
        today=today,
    )
