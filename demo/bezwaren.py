"""The demo's bezwaren (Awb): a few in each state, registered, followed and decided through
objections.services on the days they happened, so that the open list shows deadlines near and
passed, a running dwangsom, and the monitor counts every outcome."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from indications.models import GRANTED_STATUSES, Indication
from objections import services
from objections.models import Bezwaar

from .figures import TEAM_LEAD

GROUNDS = (
    "Ik heb meer uren begeleiding nodig dan toegekend; mijn schulden zijn nog niet op orde.",
    "De einddatum is te vroeg: mijn situatie is over een half jaar niet anders.",
    "Bij het onderzoek is geen rekening gehouden met mijn persoonlijk plan.",
    "Mijn vertegenwoordiger was niet bij het gesprek en de verslaglegging klopt niet.",
)


def _candidates(today: date, *, oldest: int, newest: int, taken: set[int]) -> Indication | None:
    """A granted beschikking decided between `oldest` and `newest` days ago, without a bezwaar."""
    return (
        Indication.objects.filter(
            status__in=GRANTED_STATUSES,
            decision_date__range=(today - timedelta(days=oldest), today - timedelta(days=newest)),
        )
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )


def _register(beschikking: Indication, *, after: int, n: int, today: date, **extra) -> Bezwaar:
    received_on = beschikking.decision_date + timedelta(days=after)
    return services.register_bezwaar(
        beschikking,
        by=beschikking.consultant,
        received_on=received_on,
        grounds=GROUNDS[n % len(GROUNDS)],
        today=today,
        **extra,
    )


def _herziening_case(today: date, taken: set[int]) -> tuple[Indication, Indication] | None:
    """A beschikking replaced by a later one (an op- or afschaling): the bezwaar against the first
    was gegrond, and the later one, made through the normal flow, is its herziening."""
    later = (
        Indication.objects.filter(
            status__in=GRANTED_STATUSES, replaces__decision_date__isnull=False, decision_date__lte=today
        )
        .exclude(replaces_id__in=taken)
        .select_related("replaces")
        .order_by("pk")
    )
    for herziening in later[:50]:
        if (herziening.decision_date - herziening.replaces.decision_date).days >= 10:
            return herziening.replaces, herziening
    return None


def _plans(today: date):
    """Each case: (oldest, newest days since the decision), days to the bezwaar, and what follows."""
    return [
        ((60, 25), 20, {}, None),  # open, in time, decision due in weeks
        ((42, 30), 14, {"hearing": True, "hearing_on": today + timedelta(days=5)}, None),  # open, hoorzitting planned
        ((70, 40), 21, {"advisory_committee": True}, None),  # open, adviescommissie: 12 weeks
        ((100, 80), 30, {}, "extend"),  # open, deferred once (7:10 lid 3)
        ((200, 120), 20, {}, "ingebrekestelling"),  # open, term passed, dwangsom running
        ((300, 150), 20, {}, "ongegrond"),
        ((300, 150), 60, {}, "niet_ontvankelijk"),  # late, not excusable
        ((300, 150), 15, {"filed_by": "vertegenwoordiger", "representative_name": "mr. J. de Wit"}, "ingetrokken"),
    ]


def _follow(bezwaar: Bezwaar, step: str | None, *, lead, today: date) -> None:
    if step == "extend":
        services.extend_decision_term(
            bezwaar,
            by=bezwaar.handled_by,
            reason="Medisch advies nodig.",
            today=bezwaar.received_on + timedelta(days=7),
        )
    elif step == "ingebrekestelling":
        services.record_ingebrekestelling(
            bezwaar, by=bezwaar.handled_by, received_on=bezwaar.decision_due + timedelta(days=3), today=today
        )
    elif step in services.DECISIONS:
        decided_on = min(bezwaar.decision_due - timedelta(days=3), today)
        services.DECISIONS[step](
            bezwaar, by=lead, motivation="Na heroverweging en hoorzitting.", decided_on=decided_on, today=today
        )


@transaction.atomic
def ensure_demo_bezwaren(*, today: date) -> int:
    """A few bezwaren in each state. Idempotent: nothing happens when bezwaren exist. Returns how many."""
    if Bezwaar.objects.exists():
        return 0
    lead = get_user_model().objects.filter(username=TEAM_LEAD).first()
    if lead is None:
        return 0
    taken: set[int] = set()
    for n, ((oldest, newest), after, extra, step) in enumerate(_plans(today)):
        beschikking = _candidates(today, oldest=oldest, newest=newest, taken=taken)
        if beschikking is None or beschikking.decision_date + timedelta(days=after) > today:
            continue
        taken.add(beschikking.pk)
        try:
            with transaction.atomic():
                _follow(_register(beschikking, after=after, n=n, today=today, **extra), step, lead=lead, today=today)
        except ValidationError:  # a demo world too small or too young for this case
            continue
    case = _herziening_case(today, taken)
    if case is not None:
        contested, herziening = case
        try:
            with transaction.atomic():
                bezwaar = _register(contested, after=5, n=0, today=today)
                services.declare_gegrond(
                    bezwaar,
                    by=lead,
                    motivation="Gegrond: de begeleiding wordt aangepast.",
                    herziening=herziening,
                    decided_on=herziening.decision_date,
                    today=today,
                )
        except ValidationError:
            pass
    return Bezwaar.objects.count()
