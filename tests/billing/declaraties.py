"""Hand-made declaraties for the billing tests: a toewijzing IB1 of a contracted provider running
through October 2026, its contract's unit tariffs converted from the 4-weekly tariffs (IB1: € 337,66
per 4 weken = 36580 ct per maand, opslag € 110,45 = 11965 ct), and builders of the plain shapes."""

import itertools
from dataclasses import replace
from datetime import date

from billing import services
from billing.types import CREDIT, DEBIT, DeclaratieIn, PrestatieIn
from providers.models import Contract
from tests.factories import (
    TODAY,
    AssignmentFactory,
    IndicationFactory,
    contracted_provider,
    get_municipality,
    get_product,
)

IB1_MONTH_CENTS = 36580
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
_references = itertools.count(1)
_numbers = itertools.count(1)


def billable_provider(*, by=None):
    """A contracted provider whose contract has the converted unit tariffs."""
    provider = contracted_provider()
    services.convert_result_tariffs(Contract.objects.get(provider=provider), by=by)
    return provider


def ib1_assignment(provider, *, start=date(2026, 9, 1), end=date(2027, 8, 31), **fields):
    indication = IndicationFactory(
        actief=True, product=get_product("IB1"), start_date=start, end_date=end, provider=provider
    )
    return AssignmentFactory(
        indication=indication, provider=provider, start_date=start, end_date=end, assigned_on=start, **fields
    )


def line(assignment, **fields) -> PrestatieIn:
    """A correct debit of one month IB1 (October 2026) on `assignment`."""
    values = {
        "bsn": assignment.indication.client.bsn,
        "reference": f"REF{next(_references):06d}",
        "previous_reference": "",
        "assignment_number": assignment.number,
        "product_category": assignment.product.iwmo_category,
        "product_code": assignment.product.iwmo_code,
        "period_start": OCTOBER[0],
        "period_end": OCTOBER[1],
        "volume": 1,
        "unit": "82",
        "tariff_cents": IB1_MONTH_CENTS,
        "amount_cents": IB1_MONTH_CENTS,
        "debit_credit": DEBIT,
    }
    values.update(fields)
    return PrestatieIn(**values)


def credit_of(debit: PrestatieIn, **fields) -> PrestatieIn:
    """The credit that cancels `debit` (IV091): the same line, a new reference, C."""
    return replace(
        debit,
        reference=f"REF{next(_references):06d}",
        previous_reference=debit.reference,
        debit_credit=CREDIT,
        **fields,
    )


def declaratie(*lines: PrestatieIn, period=OCTOBER, **fields) -> DeclaratieIn:
    total = sum(item.signed_cents for item in lines)
    values = {
        "number": f"D{next(_numbers):07d}",
        "period_start": period[0],
        "period_end": period[1],
        "dagtekening": TODAY,
        "total_cents": abs(total),
        "total_debit_credit": CREDIT if total < 0 else DEBIT,
        "prestaties": tuple(lines),
    }
    values.update(fields)
    return DeclaratieIn(**values)


def submit(declaratie_in: DeclaratieIn, provider, *, identification=None, channel="iwmo", today=TODAY):
    return services.submit_declaratie(
        declaratie_in,
        provider=provider,
        municipality=get_municipality(),
        channel=channel,
        identification=identification or declaratie_in.number,
        actor=None,
        today=today,
    )
