"""A worklist as a consultant has it on a busy day: many open signals of every type, and open work
in several lists (shared by the page tests and the browser test)."""

from datetime import timedelta
from itertools import cycle

from django.utils import timezone

from signals.models import Signal, SignalType, Urgency
from tests.factories import ClientFactory, MeldingFactory


def many_signals(consultant, count: int, *, client=None) -> list[Signal]:
    """`count` open signals for the consultant, of every type and urgency in turn."""
    today = timezone.localdate()
    client = client or ClientFactory()
    kinds, urgencies = cycle(SignalType.values), cycle(Urgency.values)
    first = (Signal.objects.order_by("-subject_id").values_list("subject_id", flat=True).first() or 0) + 1
    return Signal.objects.bulk_create(
        Signal(
            type=next(kinds),
            subject_id=number,
            urgency=next(urgencies),
            due_date=today + timedelta(days=number % 20),
            assigned_to=consultant,
            client=client,
            created_on=today,
        )
        for number in range(first, first + count)
    )


def open_onderzoeken(consultant, count: int) -> None:
    """`count` meldingen whose onderzoek is still running (the factories' melding has an intake)."""
    today = timezone.localdate()
    for number in range(count):
        MeldingFactory(consultant=consultant, received_on=today - timedelta(days=number % 40))
