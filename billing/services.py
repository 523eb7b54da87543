"""Placeholder: the declaratie service is written on another branch (helper "billing"); the
integrator takes that one. The WMO323 inbox (billing.inbox) calls it by this signature."""

from datetime import date

from .types import DeclaratieIn, DeclaratieOutcome


def submit_declaratie(
    declaratie: DeclaratieIn,
    *,
    provider,
    municipality,
    channel: str,
    identification: str,
    actor,
    today: date,
    incoming_message=None,
) -> DeclaratieOutcome:
    raise NotImplementedError("billing.services.submit_declaratie is built on the branch h-billing")
