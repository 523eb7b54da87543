"""The demo's calamiteiten and geweldsincidenten (art. 3.4 Wmo 2015): a few reports in each state,
made by the real services (incidents.services), so that each open one carries the team lead's
signal and each reported-to-GGD one its closed signal. Deterministic per seed; idempotent (nothing
is added once the demo has incidents)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from incidents import services
from incidents.models import Incident, IncidentChannel, IncidentKind, IncidentStatus
from providers.models import Assignment

# (kind, what happened, how it was reported, the state to bring it to)
INCIDENTS = (
    (
        IncidentKind.CALAMITEIT,
        "Cliënt is tijdens de begeleiding gevallen en met de ambulance naar het ziekenhuis gebracht.",
        IncidentChannel.API,
        IncidentStatus.REPORTED,
    ),
    (
        IncidentKind.GEWELD,
        "Cliënt heeft de begeleider bij een huisbezoek met een mes bedreigd; de politie is gebeld.",
        IncidentChannel.PHONE,
        IncidentStatus.REPORTED,
    ),
    (
        IncidentKind.CALAMITEIT,
        "Medicatie is een week niet verstrekt doordat de overdracht tussen begeleiders misging.",
        IncidentChannel.API,
        IncidentStatus.GGD_REPORTED,
    ),
    (
        IncidentKind.GEWELD,
        "Huisgenoot van de cliënt sloeg de begeleider; aangifte gedaan.",
        IncidentChannel.API,
        IncidentStatus.GGD_REPORTED,
    ),
    (
        IncidentKind.CALAMITEIT,
        "Cliënt raakte vermist na een afspraak en werd de volgende dag teruggevonden.",
        IncidentChannel.PHONE,
        IncidentStatus.CLOSED,
    ),
    (
        IncidentKind.GEWELD,
        "Cliënt werd door een ex-partner mishandeld tijdens de begeleiding thuis.",
        IncidentChannel.API,
        IncidentStatus.CLOSED,
    ),
)
CLOSING_NOTE = (
    "Besproken met de aanbieder; de maatregelen uit het calamiteitenonderzoek zijn afgesproken en gecontroleerd."
)


def _at(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def ensure_demo_incidents(*, today: date, seed: int = 2026) -> int:
    """A few incidents in each state on active toewijzingen of the demo; returns how many were added."""
    if Incident.objects.exists():
        return 0
    rng = random.Random(f"{seed}-incidents")
    candidates = list(
        Assignment.objects.active_on(today)
        .filter(start_date__lte=today - timedelta(days=30))
        .select_related("indication__consultant", "provider")
        .order_by("pk")[:500]
    )
    if len(candidates) < len(INCIDENTS):
        return 0
    for (kind, description, channel, state), assignment in zip(
        INCIDENTS, rng.sample(candidates, len(INCIDENTS)), strict=True
    ):
        days_ago = rng.randint(1, 20) if state != IncidentStatus.REPORTED else rng.randint(0, 1)
        reported_on = today - timedelta(days=days_ago)
        consultant = assignment.indication.consultant
        incident = services.report_incident(
            assignment=assignment,
            kind=kind,
            description=description,
            occurred_at=_at(reported_on, 8) - timedelta(hours=rng.randint(1, 20)),
            channel=channel,
            by=consultant if channel == IncidentChannel.PHONE else None,
            message_id="" if channel == IncidentChannel.PHONE else f"DEMO-{seed}-{assignment.number}",
            now=_at(reported_on, 9),
        )
        if state == IncidentStatus.REPORTED:
            continue
        ggd_on = min(reported_on + timedelta(days=1), today)
        services.record_ggd_report(
            incident,
            reported_on=ggd_on,
            reference=f"GGD-{ggd_on:%Y}-{rng.randint(1000, 9999)}",
            by=consultant,
            today=today,
        )
        if state == IncidentStatus.CLOSED:
            services.close_incident(incident, note=CLOSING_NOTE, by=consultant, today=today)
    return len(INCIDENTS)
