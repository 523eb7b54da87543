"""Every line of a WMO323 is decided once and stored: the lines an in-message condition rejects
(billing.wmo323.check_conditions) are prestaties with their codes too, written by
billing.services.submit_declaratie in the same transaction, so the reconciliation counts them."""

import itertools
from datetime import date

import pytest

from billing import selectors, wmo323
from billing.models import Declaratie, Prestatie
from iwmo.inbox import receive
from iwmo.models import IncomingMessage
from iwmo.xml import Header
from tests.billing.declaraties import IB1_MONTH_CENTS, declaratie, ib1_assignment, line
from tests.factories import TODAY, get_municipality

pytestmark = pytest.mark.django_db
_numbers = itertools.count(900_001)


def toewijzing(provider):
    """An IB1 toewijzing with a number as iWmo sends it (an integer)."""
    return ib1_assignment(provider, number=f"{next(_numbers):010d}")


def on(assignment, **fields):
    return line(assignment, assignment_number=str(int(assignment.number)), **fields)


def send(provider, decl) -> IncomingMessage:
    header = Header(
        message_type=wmo323.DECLARATIE,
        sender=provider.agb_code,
        receiver=get_municipality().code,
        identification=decl.number,
        dagtekening=TODAY,
    )
    return receive(wmo323.build(header, decl), channel=IncomingMessage.Channel.FOLDER, file_name="d.xml", today=TODAY)


def test_lines_rejected_by_a_condition_are_stored_with_their_codes(provider):
    good, other = toewijzing(provider), toewijzing(provider)
    decl = declaratie(
        on(good),
        on(other, tariff_cents=None),  # CD087: a ProductTarief unless the unit is euros (0001)
        on(other, period_start=date(2026, 10, 1), period_end=date(2026, 11, 2)),  # CS337 and TR319
    )

    incoming = send(provider, decl)

    assert incoming.status == IncomingMessage.Status.PARTLY_ACCEPTED
    stored = Declaratie.objects.get(provider=provider)
    assert stored.status == Declaratie.Status.PARTLY_ACCEPTED
    assert stored.submitted_cents == 3 * IB1_MONTH_CENTS and stored.granted_cents == IB1_MONTH_CENTS
    lines = list(Prestatie.objects.filter(declaratie=stored).order_by("index"))
    assert [(p.index, p.accepted, p.codes) for p in lines] == [
        (0, True, ["0200"]),
        (1, False, ["0001"]),
        (2, False, ["0001", "9319"]),
    ]
    assert lines[1].client_id == other.indication.client_id  # the client is known for the rejected line too
    month = selectors.reconciliation(provider, month=date(2026, 10, 1))
    assert (month.lines, month.accepted_lines, month.rejected_cents) == (3, 1, 2 * IB1_MONTH_CENTS)
    assert [(reason.code, reason.lines) for reason in month.rejected_by_code] == [("0001", 2), ("9319", 1)]


def test_a_323_whose_every_line_a_condition_rejects_is_stored_too(provider):
    assignment = toewijzing(provider)

    send(provider, declaratie(on(assignment, tariff_cents=None)))

    stored = Declaratie.objects.get(provider=provider)
    assert stored.status == Declaratie.Status.LINES_REJECTED and stored.granted_cents == 0
    assert list(stored.prestaties.values_list("accepted", "codes")) == [(False, ["0001"])]


def test_a_line_of_an_unknown_client_bsn_that_fails_the_elfproef_is_stored_as_not_judged(provider):
    assignment = toewijzing(provider)

    send(provider, declaratie(on(assignment), on(assignment, bsn="123456789", reference="REFX1")))

    rejected = Prestatie.objects.get(accepted=False)
    assert rejected.codes == ["0233"] and rejected.client_id is None and rejected.bsn == "123456789"
