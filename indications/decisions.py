"""The decision on an aanvraag: toekenning, gedeeltelijke toekenning or afwijzing (seed 003: "wordt de
aanvraag afgewezen. Tegen deze beslissing kan bezwaar worden aangetekend").

A pure module (no writes). The consultant chooses an afwijzing, with its ground and motivation. Whether
a grant is whole or partial is derived here from what the aanvraag asked (its product, opslag and
period), never typed: a lighter product, no opslag where it was asked, or a period that ends before
the one asked is a gedeeltelijke toekenning, which needs a motivation for the part refused. The
vaststelling (beschikking_services.issue_beschikking) stores the derived outcome.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DecisionOutcome, Indication


def partial_reasons(indication: Indication) -> list[str]:
    """What of the aanvraag the grant leaves out (Dutch, one sentence each); empty: granted in full.
    (Reads only fields, so the demo generator's rows use it too.)"""
    aanvraag = indication.aanvraag
    if aanvraag is None or indication.outcome == DecisionOutcome.AFWIJZING:
        return []
    reasons = []
    requested = aanvraag.requested_product
    if requested is not None and indication.product.level < requested.level:
        reasons.append(
            _("Lichter product dan gevraagd: %(granted)s in plaats van %(requested)s.")
            % {"granted": indication.product.name, "requested": requested.name}
        )
    if aanvraag.requested_opslag and not indication.opslag:
        reasons.append(_("Geen opslag, die wel is gevraagd."))
    wanted_end = aanvraag.requested_end_date
    if wanted_end is not None and indication.end_date is not None and indication.end_date < wanted_end:
        reasons.append(
            _("Kortere looptijd dan gevraagd: tot en met %(granted)s in plaats van %(requested)s.")
            % {"granted": f"{indication.end_date:%d-%m-%Y}", "requested": f"{wanted_end:%d-%m-%Y}"}
        )
    return reasons


def derived_outcome(indication: Indication) -> str:
    """The outcome the vaststelling stores: the refusal as chosen, a grant whole or partial as derived."""
    if indication.is_refusal:
        return DecisionOutcome.AFWIJZING
    return DecisionOutcome.GEDEELTELIJK if partial_reasons(indication) else DecisionOutcome.TOEKENNING


def decision_errors(indication: Indication) -> list[ValidationError]:
    """What stands in the way of this decision as a decision (besides the IB rules of a grant)."""
    errors: list[ValidationError] = []
    if indication.is_refusal:
        if indication.aanvraag_id is None:
            errors.append(ValidationError(_("Een afwijzing hoort bij een aanvraag."), code="refusal_without_aanvraag"))
        if not indication.refusal_ground:
            errors.append(ValidationError(_("Kies de grond van de afwijzing."), code="refusal_ground_required"))
        if not indication.refusal_motivation.strip():
            errors.append(ValidationError(_("Motiveer de afwijzing."), code="refusal_motivation_required"))
        return errors
    if partial_reasons(indication) and not indication.refusal_motivation.strip():
        errors.append(
            ValidationError(
                _(
                    "Dit is een gedeeltelijke toekenning (%(reasons)s). Motiveer waarom het gevraagde deel niet "
                    "wordt toegekend."
                )
                % {"reasons": " ".join(partial_reasons(indication))},
                code="partial_motivation_required",
            )
        )
    return errors
