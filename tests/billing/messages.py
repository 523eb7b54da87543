"""Hand-made WMO323 messages for the message tests (billing.wmo323 / wmo325): plain shapes, headers and bytes.
Build with `line(...)` / `declaratie(...)` to vary one value."""

from dataclasses import replace
from datetime import date

from billing import wmo323
from billing.types import CREDIT, DEBIT, DeclaratieIn, PrestatieIn
from iwmo.xml import Header
from tests.factories import bsn_for

BSN_A, BSN_B = bsn_for(101), bsn_for(102)
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
SENT_ON = date(2026, 5, 6)


def line(reference="RN001", **fields) -> PrestatieIn:
    values = {
        "bsn": BSN_A,
        "reference": reference,
        "previous_reference": "",
        "assignment_number": "20072",
        "product_category": "07",
        "product_code": "07A01",
        "period_start": APRIL[0],
        "period_end": APRIL[1],
        "volume": 4,
        "unit": "82",
        "tariff_cents": 1250,
        "amount_cents": 5000,
        "debit_credit": DEBIT,
    }
    return PrestatieIn(**{**values, **fields})


def declaratie(*prestaties: PrestatieIn, **fields) -> DeclaratieIn:
    prestaties = prestaties or (
        line("RN001"),
        line("RN002", assignment_number="20073", amount_cents=24000, volume=16, tariff_cents=1500),
        line("RN003", bsn=BSN_B, assignment_number="20074"),
    )
    total = sum(prestatie.signed_cents for prestatie in prestaties)
    values = {
        "number": "DN202604",
        "period_start": APRIL[0],
        "period_end": APRIL[1],
        "dagtekening": SENT_ON,
        "total_cents": abs(total),
        "total_debit_credit": CREDIT if total < 0 else DEBIT,
        "prestaties": tuple(prestaties),
    }
    return DeclaratieIn(**{**values, **fields})


def header(identification="D00000000001", *, sender="12345678", receiver="0505", dagtekening=SENT_ON) -> Header:
    return Header(
        message_type="WMO323",
        sender=sender,
        receiver=receiver,
        identification=identification,
        dagtekening=dagtekening,
    )


def message(decl: DeclaratieIn | None = None, **header_fields) -> bytes:
    return wmo323.build(header(**header_fields), decl or declaratie())


def credit_of(debit: PrestatieIn, reference: str) -> PrestatieIn:
    return replace(debit, reference=reference, previous_reference=debit.reference, debit_credit=CREDIT)
