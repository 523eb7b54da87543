"""The SLA dashboard of one provider and the SLA benchmark of contract management, on a small
hand-made world whose every figure is worked out by hand below (year 2025, "today" 2026-11-23).

Providers: N "Aanbieder Noord", O "Aanbieder Oost", Z "Aanbieder Zuid" (no data at all) in reference
group 1 (Gehandicaptenzorg); W "Aanbieder West" in group 2 (GGZ). Durations are end - start in days.

toew.  beschikking (client, kind, product)  at  from - to                status  care start / stop and messages
a0     b0 (c5 eerste IB1)                   N   2024-09-01 - 2025-02-28  ended   09-01 / 02-28; stop rcvd 03-03
a5     b5 (c5 afschaling IB0)               N   2025-03-01 - 2025-09-30  ended   03-01 / 09-30; no messages
a1     b1 (c1 eerste IB1)                   N   2025-01-10 - 2025-06-30  ended   01-10 / 06-30; start rcvd 01-17
                                                                                 (+7: on time), stop 07-08 (+8: late)
a2     b2 (c2 eerste IB2)                   N   2025-04-01 - (open)      active  04-01; start rcvd 04-09 (+8: late)
a3     b3 (c3 eerste IB1)                   N   2025-11-03 - (open)      active  no start reported (late)
a4     b4 (c4 opschaling IB3)               N   2025-07-01 - 2025-12-31  ended   07-02, start rcvd 07-03; no stop (late)
a6     b6 (c6 eerste IB1)                   N   2025-02-01 - 2025-07-31  ended   02-03 / 07-31; stop rcvd 08-07 (+7)
a7     b6 (the same beschikking)            O   2025-08-01 - 2026-01-31  ended   08-01; start rcvd 08-04
a8     b8 (c7 eerste IB0)                   O   2025-03-01 - 2025-08-31  ended   03-01 / 08-31; stop rcvd 09-05
a9     b9 (c8 eerste IB1)                   W   2025-06-01 - (open)      active  no start reported (late)

Evaluations (outcome; progress per result) and the provider whose care they evaluated (delivered_by):
e1 b1 2025-03-15 voortzetten  r1 niet behaald, r2 deels     N
e2 b1 2025-06-20 beeindigen   r1 behaald, r2 deels          N
e3 b2 2025-10-01 voortzetten  r3 behaald                    N (same day as e4, lower id)
e4 b2 2025-10-01 afschalen    r3 niet behaald               N (same day, higher id: the last one)
e5 b6 2025-05-01 voortzetten  r6 niet behaald               N
e6 b6 2025-08-01 voortzetten  r6 deels                      O (a7 started that very day)
e7 b6 2025-12-01 voortzetten  r6 behaald                    O
e8 b4 2025-09-01 herindicatie (no results assessed)         N
e9 b2 2026-01-15 voortzetten  r3 behaald                    N, but outside 2025

The pages read the figures stored by the nightly refresh (providers.services.refresh_sla_figures): the
world is built once per module with 2023, 2024 and 2025 stored on TODAY (not 2021 and 2022); tests that
read the stored figures ask for it as `refreshed`.

SLA signals: s1 geen start (a3, open, due 2025-11-17) and s2 zorg na einde (a4, in behandeling, due
2026-01-12) for N; s5 stop zonder reden (a8, open) for O. Not counted: s3 stop zonder reden of N
(opgelost) and s4 evaluatie te laat of N (open, but not an SLA type).

The clients have conspicuous names ("Privacyvlieg") so that their absence from pages and files shows."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from accounts.roles import CONSULENT, CONTRACTMANAGER
from audit.models import AuditEvent
from indications.models import Evaluation, Indication, IndicationResult, IndicationStatus, ResultProgress
from providers import selectors
from providers.figures import ProviderDashboard, benchmark_table
from providers.models import (
    AnnualReview,
    Assignment,
    CareEvent,
    Provider,
    ReferenceGroup,
    SlaFigures,
    SlaProductResults,
)
from providers.selectors import periods
from providers.services import record_annual_review, refresh_sla_figures
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.selectors import open_sla_signals, open_sla_signals_for
from tests.conftest import built_once_per_module
from tests.factories import (
    TODAY,
    ClientFactory,
    IndicationFactory,
    UserFactory,
    contracted_provider,
    get_product,
    result_in,
    staff_member,
)
from ui.tables import Link, Tag

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
YEAR = 2025
(YEAR_2025,) = periods(YEAR, "jaar")
Q1, Q2, Q3, Q4 = periods(YEAR, "kwartaal")
ENDED, ACTIVE, WITHDRAWN = Assignment.Status.ENDED, Assignment.Status.ACTIVE, Assignment.Status.WITHDRAWN
FIRST, AFSCHALING, OPSCHALING = Indication.Kind.FIRST, Indication.Kind.SCALE_DOWN, Indication.Kind.SCALE_UP
ACHIEVED, PARTLY, NOT_ACHIEVED = (
    ResultProgress.Progress.ACHIEVED,
    ResultProgress.Progress.PARTLY,
    ResultProgress.Progress.NOT_ACHIEVED,
)
CLIENT_MARK = "Privacyvlieg"


@dataclass
class World:
    n: Provider
    o: Provider
    z: Provider
    w: Provider
    clients: dict
    b: dict
    a: dict
    r: dict
    e: dict
    s: dict


def beschikking(label, client, provider, *, kind, product, start, end, consultant):
    return IndicationFactory(
        client=client,
        aanvraag=None,
        consultant=consultant,
        provider=provider,
        product=get_product(product),
        kind=kind,
        start_date=start,
        end_date=end,
        status=IndicationStatus.ACTIEF,
        decision_date=start,
        number=f"IB-DB-{label}",
        results=[],
        evaluations=[],
    )


def toewijzing(label, indication, provider, *, start, end, status, started=None, stopped=None, reason=""):
    return Assignment.objects.create(
        indication=indication,
        provider=provider,
        product=indication.product,
        assigned_on=start,
        start_date=start,
        end_date=end,
        status=status,
        number=f"TW-DB-{label}",
        care_started_on=started,
        care_stopped_on=stopped,
        stop_reason=reason,
    )


def report(assignment, kind, received: datetime, *, accepted=True):
    """A start or stop zorg message of the provider, received at `received`."""
    event = CareEvent.objects.create(
        provider=assignment.provider,
        assignment=assignment,
        message_id=f"{kind}-{assignment.number}-{received:%j%H%M}",
        kind=kind,
        event_date=assignment.start_date,
        accepted=accepted,
        response_status=200 if accepted else 400,
    )
    CareEvent.objects.filter(pk=event.pk).update(received_at=received)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=AMS)


def evaluate(indication, held_on, outcome, consultant, progress=()):
    evaluation = Evaluation.objects.create(
        indication=indication, held_on=held_on, consultant=consultant, outcome=outcome
    )
    for result, value in progress:
        ResultProgress.objects.create(evaluation=evaluation, indication_result=result, progress=value)
    return evaluation


def signal(kind, assignment, *, status=SignalStatus.OPEN, due):
    return Signal.objects.create(
        type=kind,
        subject_id=assignment.pk,
        status=status,
        urgency=Urgency.OVERDUE,
        due_date=due,
        client=assignment.indication.client,
        indication=assignment.indication,
        assignment=assignment,
        provider=assignment.provider,
        created_on=due,
        closed_on=None if status in (SignalStatus.OPEN, SignalStatus.IN_PROGRESS) else due,
    )


def build_world() -> World:
    consultant = UserFactory(username="dashboard-consulent")
    group1, group2 = ReferenceGroup.objects.get(number=1), ReferenceGroup.objects.get(number=2)
    n = contracted_provider(name="Aanbieder Noord", reference_group=group1)
    o = contracted_provider(name="Aanbieder Oost", reference_group=group1)
    z = contracted_provider(name="Aanbieder Zuid", reference_group=group1)
    w = contracted_provider(name="Aanbieder West", reference_group=group2)
    clients = {f"c{i}": ClientFactory(first_name=f"Ysolde{i}", last_name=f"{CLIENT_MARK}{i}") for i in range(1, 9)}

    def bes(label, client, provider, **fields):
        return beschikking(label, clients[client], provider, consultant=consultant, **fields)

    b = {
        "b0": bes("b0", "c5", n, kind=FIRST, product="IB1", start=date(2024, 9, 1), end=date(2025, 2, 28)),
        "b5": bes("b5", "c5", n, kind=AFSCHALING, product="IB0", start=date(2025, 3, 1), end=date(2025, 9, 30)),
        "b1": bes("b1", "c1", n, kind=FIRST, product="IB1", start=date(2025, 1, 10), end=date(2025, 6, 30)),
        "b2": bes("b2", "c2", n, kind=FIRST, product="IB2", start=date(2025, 4, 1), end=None),
        "b3": bes("b3", "c3", n, kind=FIRST, product="IB1", start=date(2025, 11, 3), end=None),
        "b4": bes("b4", "c4", n, kind=OPSCHALING, product="IB3", start=date(2025, 7, 1), end=date(2025, 12, 31)),
        "b6": bes("b6", "c6", o, kind=FIRST, product="IB1", start=date(2025, 2, 1), end=date(2026, 1, 31)),
        "b8": bes("b8", "c7", o, kind=FIRST, product="IB0", start=date(2025, 3, 1), end=date(2025, 8, 31)),
        "b9": bes("b9", "c8", w, kind=FIRST, product="IB1", start=date(2025, 6, 1), end=None),
    }
    a = {
        "a0": toewijzing(
            "a0",
            b["b0"],
            n,
            start=date(2024, 9, 1),
            end=date(2025, 2, 28),
            status=ENDED,
            started=date(2024, 9, 1),
            stopped=date(2025, 2, 28),
            reason="19",
        ),
        "a5": toewijzing(
            "a5",
            b["b5"],
            n,
            start=date(2025, 3, 1),
            end=date(2025, 9, 30),
            status=ENDED,
            started=date(2025, 3, 1),
            stopped=date(2025, 9, 30),
            reason="19",
        ),
        "a1": toewijzing(
            "a1",
            b["b1"],
            n,
            start=date(2025, 1, 10),
            end=date(2025, 6, 30),
            status=ENDED,
            started=date(2025, 1, 10),
            stopped=date(2025, 6, 30),
            reason="19",
        ),
        "a2": toewijzing("a2", b["b2"], n, start=date(2025, 4, 1), end=None, status=ACTIVE, started=date(2025, 4, 1)),
        "a3": toewijzing("a3", b["b3"], n, start=date(2025, 11, 3), end=None, status=ACTIVE),
        "a4": toewijzing(
            "a4", b["b4"], n, start=date(2025, 7, 1), end=date(2025, 12, 31), status=ENDED, started=date(2025, 7, 2)
        ),
        "a6": toewijzing(
            "a6",
            b["b6"],
            n,
            start=date(2025, 2, 1),
            end=date(2025, 7, 31),
            status=ENDED,
            started=date(2025, 2, 3),
            stopped=date(2025, 7, 31),
            reason="19",
        ),
        "a7": toewijzing(
            "a7", b["b6"], o, start=date(2025, 8, 1), end=date(2026, 1, 31), status=ENDED, started=date(2025, 8, 1)
        ),
        "a8": toewijzing(
            "a8",
            b["b8"],
            o,
            start=date(2025, 3, 1),
            end=date(2025, 8, 31),
            status=ENDED,
            started=date(2025, 3, 1),
            stopped=date(2025, 8, 31),
            reason="19",
        ),
        "a9": toewijzing("a9", b["b9"], w, start=date(2025, 6, 1), end=None, status=ACTIVE),
    }
    report(a["a0"], "stop", noon(date(2025, 3, 3)))
    report(a["a1"], "start", noon(date(2025, 1, 17)))  # start + 7: on time
    report(a["a1"], "stop", noon(date(2025, 7, 8)))  # stop + 8: late
    report(a["a2"], "start", noon(date(2025, 4, 9)))  # start + 8: late
    report(a["a4"], "start", noon(date(2025, 7, 3)))
    report(a["a6"], "stop", noon(date(2025, 8, 7)))  # stop + 7: on time
    report(a["a7"], "start", noon(date(2025, 8, 4)))
    report(a["a8"], "stop", noon(date(2025, 9, 5)))

    def result(indication, domain):
        return IndicationResult.objects.create(indication=indication, result=result_in(domain), goal="Doel")

    r = {
        "r1": result(b["b1"], "financien"),
        "r2": result(b["b1"], "sociaal-netwerk"),
        "r3": result(b["b2"], "financien"),
        "r6": result(b["b6"], "financien"),
    }
    out = Evaluation.Outcome
    e = {
        "e1": evaluate(
            b["b1"], date(2025, 3, 15), out.CONTINUE, consultant, [(r["r1"], NOT_ACHIEVED), (r["r2"], PARTLY)]
        ),
        "e2": evaluate(b["b1"], date(2025, 6, 20), out.STOP, consultant, [(r["r1"], ACHIEVED), (r["r2"], PARTLY)]),
        "e3": evaluate(b["b2"], date(2025, 10, 1), out.CONTINUE, consultant, [(r["r3"], ACHIEVED)]),
        "e4": evaluate(b["b2"], date(2025, 10, 1), out.SCALE_DOWN, consultant, [(r["r3"], NOT_ACHIEVED)]),
        "e5": evaluate(b["b6"], date(2025, 5, 1), out.CONTINUE, consultant, [(r["r6"], NOT_ACHIEVED)]),
        "e6": evaluate(b["b6"], date(2025, 8, 1), out.CONTINUE, consultant, [(r["r6"], PARTLY)]),
        "e7": evaluate(b["b6"], date(2025, 12, 1), out.CONTINUE, consultant, [(r["r6"], ACHIEVED)]),
        "e8": evaluate(b["b4"], date(2025, 9, 1), out.HERINDICATIE, consultant),
        "e9": evaluate(b["b2"], date(2026, 1, 15), out.CONTINUE, consultant, [(r["r3"], ACHIEVED)]),
    }
    s = {
        "s1": signal(SignalType.NO_START_REPORTED, a["a3"], due=date(2025, 11, 17)),
        "s2": signal(SignalType.CARE_AFTER_END, a["a4"], status=SignalStatus.IN_PROGRESS, due=date(2026, 1, 12)),
        "s3": signal(SignalType.STOP_WITHOUT_REASON, a["a5"], status=SignalStatus.RESOLVED, due=date(2025, 10, 1)),
        "s4": signal(SignalType.EVALUATION_OVERDUE, a["a2"], due=date(2025, 7, 1)),
        "s5": signal(SignalType.STOP_WITHOUT_REASON, a["a8"], due=date(2025, 8, 31)),
    }
    return World(n=n, o=o, z=z, w=w, clients=clients, b=b, a=a, r=r, e=e, s=s)


@pytest.fixture(scope="module")
def stored_world(django_db_setup, django_db_blocker) -> World:
    """The world with its SLA figures stored for 2023-2025 (as the nightly refresh on TODAY leaves them),
    built once for the module inside a transaction that is rolled back after its last test; each test
    runs in a savepoint within it, so a test may change the database but not the World in memory."""

    def build():
        world = build_world()
        refresh_sla_figures(today=TODAY, years=[2023, 2024, 2025])
        return world

    yield from built_once_per_module(django_db_blocker, build)


@pytest.fixture
def world(stored_world, db) -> World:
    return stored_world


@pytest.fixture
def refreshed(world) -> World:
    """The same world; the name says that the test reads the stored figures."""
    return world


def forget_stored_figures():
    SlaFigures.objects.all().delete()
    SlaProductResults.objects.all().delete()


@pytest.fixture
def pinned_today(monkeypatch):
    """The views read timezone.localdate(): pin it to TODAY (2026-11-23)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def by_name(rows) -> dict:
    return {row.name: row for row in rows}


def days(n: float) -> timedelta:
    return timedelta(days=n)


# ------------------------------------------------------------------------------------------------
# Selectors: flow figures and late reports
# ------------------------------------------------------------------------------------------------


def test_flow_figures_of_the_year(world):
    rows = by_name(selectors.flow_figures(YEAR_2025))
    n = rows["Aanbieder Noord"]
    # eerste starting in 2025: a1, a2, a3, a6 (a0 started in 2024); afschaling a5; opschaling a4
    assert (n.instroom, n.afschaling, n.opschaling) == (4, 1, 1)
    # overlapping 2025: c5 (a0, a5), c1, c2, c3, c4, c6
    assert n.clients == 6
    # ended in 2025: a0 (continued by a5 at N the next day: no outflow), a1 (c1), a4 (c4), a5 (c5), a6 (c6,
    # continued at another provider: outflow for N)
    assert n.uitstroom == 4
    assert n.uitstroom_percentage == pytest.approx(4 * 100 / 6)
    # ended in 2025: a0 180, a1 171, a4 183, a5 213, a6 180 days
    assert n.average_duration == days((180 + 171 + 183 + 213 + 180) / 5)
    assert n.median_duration == days(180)
    o = rows["Aanbieder Oost"]
    # a7 and a8 (both eerste); c6 and c7; a8 ended 08-31 (183 days), a7 ends in 2026
    assert (o.instroom, o.clients, o.uitstroom, o.uitstroom_percentage) == (2, 2, 1, 50.0)
    assert (o.average_duration, o.median_duration) == (days(183), days(183))
    z = rows["Aanbieder Zuid"]
    assert (z.instroom, z.clients, z.uitstroom, z.uitstroom_percentage, z.average_duration) == (0, 0, 0, None, None)


def test_flow_figures_of_a_month_for_one_provider(world):
    april = periods(YEAR, "maand")[3]
    (n,) = selectors.flow_figures(april, providers=Provider.objects.filter(pk=world.n.pk))
    # a2 starts 04-01; overlapping April: a1 (c1), a2 (c2), a5 (c5), a6 (c6); nothing ends in April
    assert (n.instroom, n.clients, n.uitstroom, n.uitstroom_percentage, n.median_duration) == (1, 4, 0, 0.0, None)


def test_a_withdrawn_toewijzing_is_no_instroom(world):
    client = ClientFactory(last_name=f"{CLIENT_MARK}9")
    indication = beschikking(
        "bx",
        client,
        world.z,
        kind=FIRST,
        product="IB1",
        start=date(2025, 5, 1),
        end=None,
        consultant=world.b["b1"].consultant,
    )
    # withdrawn before its start: services._end_assignment leaves end_date = start_date, status ingetrokken
    toewijzing("ax", indication, world.z, start=date(2025, 5, 1), end=date(2025, 5, 1), status=WITHDRAWN)
    (z,) = selectors.flow_figures(YEAR_2025, providers=Provider.objects.filter(pk=world.z.pk))
    assert (z.instroom, z.clients) == (0, 0)


def numbers(assignments) -> set[str]:
    return {assignment.number.removeprefix("TW-DB-") for assignment in assignments}


def test_late_start_reports(world):
    # a1 reported on start + 7 (on time), a2 on start + 8 (late), a3 never while active (late), a4 on time;
    # a5, a6, a8 started without a message (care_started_on only): not late; a9 (W) never reported
    assert numbers(selectors.late_start_reports(YEAR_2025, today=TODAY)) == {"a2", "a3", "a9"}
    assert numbers(selectors.late_start_reports(Q1, today=TODAY)) == set()
    assert numbers(selectors.late_start_reports(Q4, today=TODAY)) == {"a3"}


def test_a_missing_start_is_late_from_the_eighth_day(world):
    # a3 starts 2025-11-03: the cutoff is 11-10; late once today is after it
    assert numbers(selectors.late_start_reports(Q4, today=date(2025, 11, 10))) == set()
    assert numbers(selectors.late_start_reports(Q4, today=date(2025, 11, 11))) == {"a3"}
    # only while the toewijzing is active
    Assignment.objects.filter(pk=world.a["a3"].pk).update(status=ENDED, end_date=date(2025, 11, 30))
    assert numbers(selectors.late_start_reports(Q4, today=TODAY)) == set()


def test_the_local_day_of_receipt_counts(world):
    # a3 starts 2025-11-03, cutoff 11-10. 2025-11-11 00:30 in Amsterdam is 11-10 23:30 UTC: late all the same
    Assignment.objects.filter(pk=world.a["a3"].pk).update(care_started_on=date(2025, 11, 3))
    report(world.a["a3"], "start", datetime(2025, 11, 10, 23, 59, tzinfo=AMS))
    assert numbers(selectors.late_start_reports(Q4, today=TODAY)) == set()
    CareEvent.objects.filter(assignment=world.a["a3"]).delete()
    report(world.a["a3"], "start", datetime(2025, 11, 11, 0, 30, tzinfo=AMS))
    assert numbers(selectors.late_start_reports(Q4, today=TODAY)) == {"a3"}


def test_a_rejected_late_start_message_does_not_count(world):
    report(world.a["a5"], "start", noon(date(2025, 4, 1)), accepted=False)  # a5 started 03-01: a month later
    assert "a5" not in numbers(selectors.late_start_reports(Q1, today=TODAY))


def test_late_stop_reports(world):
    # stopped in 2025 after care started: a0 (stop + 3), a1 (stop + 8: late), a4 (no stop reported, ended
    # 12-31: late), a5 (no message, care_stopped_on set: not late), a6 (stop + 7: on time), a8 (O, on time)
    assert numbers(selectors.late_stop_reports(YEAR_2025, today=TODAY)) == {"a1", "a4"}
    assert numbers(selectors.late_stop_reports(Q2, today=TODAY)) == {"a1"}
    # a4 ended 2025-12-31: cutoff 2026-01-07, late once today is after it
    assert numbers(selectors.late_stop_reports(Q4, today=date(2026, 1, 7))) == set()
    assert numbers(selectors.late_stop_reports(Q4, today=date(2026, 1, 8))) == {"a4"}


def test_late_stop_reports_skip_withdrawn_and_never_started_toewijzingen(world):
    # a3 never started: ending it without a stop is no late stop
    Assignment.objects.filter(pk=world.a["a3"].pk).update(end_date=date(2025, 11, 30), status=ENDED)
    # a withdrawn toewijzing (with a care start by mistake) never counts
    Assignment.objects.filter(pk=world.a["a2"].pk).update(end_date=date(2025, 4, 1), status=WITHDRAWN)
    assert numbers(selectors.late_stop_reports(YEAR_2025, today=TODAY)) == {"a1", "a4"}


def test_late_reports_per_provider(world):
    ids = [world.n.pk, world.o.pk, world.z.pk, world.w.pk]
    late = selectors.late_reports(YEAR_2025, provider_ids=ids, today=TODAY)
    figures = {
        pk: (row["late_start_reports"], row["late_stop_reports"], row["late_reports"]) for pk, row in late.items()
    }
    assert figures == {
        world.n.pk: (2, 2, 4),  # start a2, a3; stop a1, a4
        world.o.pk: (0, 0, 0),
        world.z.pk: (0, 0, 0),
        world.w.pk: (1, 0, 1),  # start a9
    }
    # only the providers asked for
    assert list(selectors.late_reports(YEAR_2025, provider_ids=[world.w.pk], today=TODAY)) == [world.w.pk]


# ------------------------------------------------------------------------------------------------
# Selectors: evaluations and results
# ------------------------------------------------------------------------------------------------


def test_evaluations_held_with_the_delivering_provider(world):
    held = {evaluation.pk: evaluation.delivered_by for evaluation in selectors.evaluations_held(YEAR_2025)}
    e, n, o = world.e, world.n.pk, world.o.pk
    # e6 on 2025-08-01, the day a7 (O) started; e9 is in 2026
    assert held == {
        e["e1"].pk: n,
        e["e2"].pk: n,
        e["e3"].pk: n,
        e["e4"].pk: n,
        e["e5"].pk: n,
        e["e6"].pk: o,
        e["e7"].pk: o,
        e["e8"].pk: n,
    }
    only_o = selectors.evaluations_held(YEAR_2025, provider_ids=[o])
    assert {evaluation.pk for evaluation in only_o} == {e["e6"].pk, e["e7"].pk}
    assert not selectors.evaluations_held(YEAR_2025, provider_ids=[world.z.pk]).exists()


def test_a_withdrawn_toewijzing_delivers_nothing(world):
    # O's toewijzing for b1 from 2025-03-01, withdrawn: e1 (03-15) still evaluates N's care (a1)
    toewijzing("aw", world.b["b1"], world.o, start=date(2025, 3, 1), end=date(2025, 3, 1), status=WITHDRAWN)
    held = dict(selectors.evaluations_held(Q1).values_list("pk", "delivered_by"))
    assert held == {world.e["e1"].pk: world.n.pk}


def test_assessed_results_count_the_last_assessment_per_provider(world):
    assessed = {
        (row.indication_result_id, row.delivered_by): (row.evaluation_id, row.progress)
        for row in selectors.assessed_results(YEAR_2025)
    }
    r, e, n, o = world.r, world.e, world.n.pk, world.o.pk
    assert assessed == {
        (r["r1"].pk, n): (e["e2"].pk, ACHIEVED),  # first niet behaald (e1), later behaald (e2)
        (r["r2"].pk, n): (e["e2"].pk, PARTLY),
        (r["r3"].pk, n): (e["e4"].pk, NOT_ACHIEVED),  # e3 and e4 on one day: the higher id; e9 is in 2026
        (r["r6"].pk, n): (e["e5"].pk, NOT_ACHIEVED),  # at N
        (r["r6"].pk, o): (e["e7"].pk, ACHIEVED),  # at O: e6 deels, e7 behaald
    }
    only_o = selectors.assessed_results(YEAR_2025, provider_ids=[o])
    assert [(row.indication_result_id, row.progress) for row in only_o] == [(r["r6"].pk, ACHIEVED)]


def test_results_per_provider(world):
    per_provider = selectors.results_per_provider(YEAR_2025)
    # N: r1 behaald, r2 deels, r3 niet, r6 niet; O: r6 behaald
    assert {key: (row["assessed"], row["behaald"]) for key, row in per_provider.items()} == {
        world.n.pk: (4, 1),
        world.o.pk: (1, 1),
    }
    assert list(selectors.results_per_provider(YEAR_2025, provider_ids=[world.o.pk])) == [world.o.pk]


def test_results_per_provider_and_product(world):
    figures = selectors.results_per_provider_and_product(YEAR_2025)
    ib = {code: get_product(code).pk for code in ("IB0", "IB1", "IB2", "IB3")}
    n, o = world.n.pk, world.o.pk
    # only pairs with an evaluation: N's IB1 (b1, b6), IB2 (b2), IB3 (b4: e8) and O's IB1 (b6)
    assert set(figures) == {(n, ib["IB1"]), (n, ib["IB2"]), (n, ib["IB3"]), (o, ib["IB1"])}
    assert figures[(o, ib["IB1"])]["evaluations"] == 2  # e6, e7


def test_results_per_product(world):
    rows = {product.code: product for product in selectors.results_per_product(YEAR_2025, provider=world.n)}
    assert list(rows) == ["IB0", "IB1", "IB2", "IB3", "IB4"]  # every product, also without data
    ib1, ib2, ib3, ib0 = rows["IB1"], rows["IB2"], rows["IB3"], rows["IB0"]
    # IB1 at N: e1 (voortzetten), e2 (beeindigen), e5 (voortzetten); results r1 behaald, r2 deels, r6 niet
    assert (ib1.evaluations, ib1.outcome_voortzetten, ib1.outcome_beeindigen, ib1.outcome_afschalen) == (3, 2, 1, 0)
    assert (ib1.results_assessed, ib1.behaald, ib1.deels, ib1.niet_behaald) == (3, 1, 1, 1)
    assert ib1.behaald_percentage == pytest.approx(100 / 3)
    # IB2: e3 (voortzetten), e4 (afschalen); r3 last niet behaald
    assert (ib2.evaluations, ib2.outcome_voortzetten, ib2.outcome_afschalen) == (2, 1, 1)
    assert (ib2.results_assessed, ib2.behaald, ib2.niet_behaald, ib2.behaald_percentage) == (1, 0, 1, 0.0)
    # IB3: e8 herindicatie without results
    assert (ib3.evaluations, ib3.outcome_herindicatie, ib3.results_assessed, ib3.behaald_percentage) == (1, 1, 0, None)
    assert (ib0.evaluations, ib0.results_assessed, ib0.behaald_percentage) == (0, 0, None)
    o_ib1 = next(p for p in selectors.results_per_product(YEAR_2025, provider=world.o) if p.code == "IB1")
    # O: e6, e7 (voortzetten); r6 behaald
    assert (o_ib1.evaluations, o_ib1.outcome_voortzetten, o_ib1.results_assessed, o_ib1.behaald) == (2, 2, 1, 1)
    assert o_ib1.behaald_percentage == 100.0


# ------------------------------------------------------------------------------------------------
# Selectors: open SLA signals, benchmark, averages, reviews
# ------------------------------------------------------------------------------------------------


def test_open_sla_signals_per_provider(world):
    rows = by_name(open_sla_signals())
    figures = {
        name: (row.open_no_start_reported, row.open_care_after_end, row.open_stop_without_reason, row.open_sla_signals)
        for name, row in rows.items()
    }
    # N: s1 (open), s2 (in behandeling); s3 is opgelost and s4 no SLA type. O: s5
    assert figures == {
        "Aanbieder Noord": (1, 1, 0, 2),
        "Aanbieder Oost": (0, 0, 1, 1),
        "Aanbieder Zuid": (0, 0, 0, 0),
        "Aanbieder West": (0, 0, 0, 0),
    }


def test_open_sla_signals_of_a_provider_without_client_data(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        signals = list(open_sla_signals_for(world.n))
        assert [s.assignment.number for s in signals] == ["TW-DB-a3", "TW-DB-a4"]  # by due date
    assert [s.pk for s in signals] == [world.s["s1"].pk, world.s["s2"].pk]
    assert {"client_id", "indication_id"} <= signals[0].get_deferred_fields()


def test_benchmark_rows(world):
    rows = by_name(selectors.benchmark(YEAR_2025, providers=Provider.objects.all(), today=TODAY))
    assert list(rows) == ["Aanbieder Noord", "Aanbieder Oost", "Aanbieder Zuid", "Aanbieder West"]
    n, z, w = rows["Aanbieder Noord"], rows["Aanbieder Zuid"], rows["Aanbieder West"]
    assert (n.instroom, n.uitstroom, n.clients, n.late_start_reports, n.late_stop_reports, n.late_reports) == (
        4,
        4,
        6,
        2,
        2,
        4,
    )
    assert (n.open_sla_signals, n.results_assessed, n.results_behaald, n.behaald_percentage) == (2, 4, 1, 25.0)
    assert (z.results_assessed, z.behaald_percentage, z.open_sla_signals, z.late_reports) == (0, None, 0, 0)
    assert (w.instroom, w.late_start_reports, w.results_assessed) == (1, 1, 0)
    assert selectors.benchmark(YEAR_2025, providers=Provider.objects.none(), today=TODAY) == []


def test_group_averages_weigh_each_provider_the_same_and_skip_missing_values(world):
    rows = selectors.benchmark(YEAR_2025, providers=Provider.objects.filter(reference_group__number=1), today=TODAY)
    averages = selectors.group_averages(rows)
    # Z had no clients in 2025: it is left out, so the mean is over N and O
    assert averages["providers"] == 2
    assert averages["instroom"] == pytest.approx((4 + 2) / 2)
    assert averages["clients"] == pytest.approx((6 + 2) / 2)
    assert averages["late_reports"] == pytest.approx((4 + 0) / 2)
    assert averages["open_sla_signals"] == pytest.approx((2 + 1) / 2)
    # and out of the percentages and durations
    assert averages["uitstroom_percentage"] == pytest.approx((4 * 100 / 6 + 50.0) / 2)
    assert averages["behaald_percentage"] == pytest.approx((25.0 + 100.0) / 2)
    assert averages["average_duration"] == days(((180 + 171 + 183 + 213 + 180) / 5 + 183) / 2)
    assert averages["median_duration"] == days((180 + 183) / 2)
    empty = selectors.group_averages([])
    assert (empty["providers"], empty["instroom"], empty["behaald_percentage"]) == (0, None, None)


def test_annual_reviews_of_the_latest_year_first(world):
    user = UserFactory()
    for year in (2023, 2025, 2024):
        record_annual_review(
            world.n, year=year, held_on=date(year + 1, 2, 1), participants="A", conclusions="B", by=user, today=TODAY
        )
    record_annual_review(
        world.o, year=2025, held_on=date(2026, 2, 1), participants="A", conclusions="B", by=user, today=TODAY
    )
    assert [review.year for review in selectors.annual_reviews_of(world.n)] == [2025, 2024, 2023]


# ------------------------------------------------------------------------------------------------
# The stored figures: the nightly refresh and what the pages read
# ------------------------------------------------------------------------------------------------


def test_refresh_stores_every_provider_per_year_and_quarter(world):
    forget_stored_figures()
    # 3 years x 4 providers x (the year + 4 quarters) = 60 figures, x 12 months = 144 month figures;
    # 4 (provider, product) pairs in 2025
    assert refresh_sla_figures(today=TODAY, years=[2023, 2024, 2025]) == 60 + 144 + 4
    stored = SlaFigures.objects.get(provider=world.n, year=2025, quarter=0)
    assert (
        stored.instroom,
        stored.uitstroom,
        stored.clients,
        stored.late_start_reports,
        stored.late_stop_reports,
        stored.late_reports,
        stored.results_assessed,
        stored.results_behaald,
    ) == (4, 4, 6, 2, 2, 4, 4, 1)
    assert (stored.average_duration, stored.median_duration) == (pytest.approx(185.4), 180.0)  # in days
    assert (stored.behaald_percentage, stored.computed_on) == (25.0, TODAY)
    k3 = SlaFigures.objects.get(provider=world.n, year=2025, quarter=3)
    # K3: a5 (213 days) and a6 (180 days) ended
    assert (k3.uitstroom, k3.average_duration, k3.median_duration) == (2, 196.5, 196.5)
    ib1 = SlaProductResults.objects.get(provider=world.n, year=2025, product__code="IB1")
    assert (ib1.evaluations, ib1.results_assessed, ib1.behaald, ib1.deels, ib1.niet_behaald) == (3, 3, 1, 1, 1)
    # running it again replaces, it does not add
    assert refresh_sla_figures(today=TODAY, years=[2025]) == 20 + 48 + 4
    assert (SlaFigures.objects.count(), SlaProductResults.objects.count()) == (60, 4)


def test_the_nightly_monitor_refresh_stores_the_sla_figures(world):
    from monitor.services import refresh_monitor

    forget_stored_figures()
    refresh_monitor(today=TODAY, first_year=2025, last_year=2025)
    assert set(SlaFigures.objects.values_list("year", flat=True)) == {2025}
    # 4 providers x (the year + 4 quarters)
    assert SlaFigures.objects.count() == 20 and selectors.sla_figures_computed_on() == TODAY


def test_the_pages_read_the_figures_of_the_last_refresh(refreshed):
    # a new late start in 2025 at Z: not in the stored figures until the next refresh
    client = ClientFactory(last_name=f"{CLIENT_MARK}9")
    indication = beschikking(
        "bx",
        client,
        refreshed.z,
        kind=FIRST,
        product="IB1",
        start=date(2025, 5, 1),
        end=None,
        consultant=refreshed.b["b1"].consultant,
    )
    toewijzing("ax", indication, refreshed.z, start=date(2025, 5, 1), end=None, status=ACTIVE)
    z = by_name(selectors.stored_benchmark(2025, 0))["Aanbieder Zuid"]
    assert (z.instroom, z.late_start_reports) == (0, 0)
    refresh_sla_figures(today=TODAY, years=[2025])
    z = by_name(selectors.stored_benchmark(2025, 0))["Aanbieder Zuid"]
    assert (z.instroom, z.late_start_reports, z.late_reports) == (1, 1, 1)


def test_stored_benchmark(refreshed, django_assert_num_queries):
    with django_assert_num_queries(3):  # providers, stored figures, open signals
        rows = by_name(
            selectors.stored_benchmark(2025, 2, providers=Provider.objects.filter(reference_group__number=1))
        )
    assert list(rows) == ["Aanbieder Noord", "Aanbieder Oost", "Aanbieder Zuid"]
    n = rows["Aanbieder Noord"]
    # K2: a2 in, c1 out of c1, c2, c5, c6; late start a2 and late stop a1; open signals are live (s1, s2)
    assert (n.instroom, n.uitstroom, n.clients, n.late_reports, n.open_sla_signals) == (1, 1, 4, 2, 2)
    # a year never computed: no figures (None), the open signals all the same
    n = by_name(selectors.stored_benchmark(2021, 0))["Aanbieder Noord"]
    assert (n.instroom, n.late_reports, n.behaald_percentage, n.open_sla_signals) == (None, None, None, 2)


def test_stored_results_per_product_and_computed_on(refreshed):
    rows = {product.code: product for product in selectors.stored_results_per_product(refreshed.n, 2025)}
    assert [(code, p.evaluations, p.results_assessed, p.niet_behaald) for code, p in rows.items()] == [
        ("IB0", 0, 0, 0),
        ("IB1", 3, 3, 1),
        ("IB2", 2, 1, 1),
        ("IB3", 1, 0, 0),
        ("IB4", 0, 0, 0),
    ]
    assert (rows["IB0"].behaald_percentage, rows["IB3"].behaald_percentage) == (None, None)
    assert selectors.sla_figures_computed_on() == TODAY
    groups = selectors.stored_group_figures(refreshed.n, [2022, 2025])
    assert (len(groups[2022]), sorted(f.provider_id for f in groups[2025])) == (
        0,
        sorted([refreshed.n.pk, refreshed.o.pk, refreshed.z.pk]),
    )


# ------------------------------------------------------------------------------------------------
# figures: the dashboard's tables and the benchmark table
# ------------------------------------------------------------------------------------------------

DURATION_N = (180 + 171 + 183 + 213 + 180) / 5  # 185.4
YEAR_ROW_N = [4, 4, 1, 1, 6, pytest.approx(4 * 100 / 6), pytest.approx(185.4), 180.0, 2, 2, 4, 25.0]
# The group's average is over the providers with clients in 2025: N and O (Z had none).
GROUP_ROW_1 = [
    pytest.approx(v)
    for v in (
        (4 + 2) / 2,
        (4 + 1) / 2,
        1 / 2,
        1 / 2,
        (6 + 2) / 2,
        (4 * 100 / 6 + 50) / 2,
        (DURATION_N + 183) / 2,
        (180 + 183) / 2,
        2 / 2,
        2 / 2,
        (4 + 1) / 2,
        (25 + 100) / 2,
    )
]
NOTHING = [0, 0, 0, 0, 0, None, None, None, 0, 0, 0, None]
NOT_COMPUTED = [None] * 12


@pytest.fixture
def dashboard(refreshed):
    return ProviderDashboard(refreshed.n, YEAR, today=TODAY)


def test_dashboard_quarters(dashboard):
    rows = dashboard.quarters().rows
    assert [row[0] for row in rows] == [
        "2025-K1",
        "2025-K2",
        "2025-K3",
        "2025-K4",
        "Heel 2025",
        "Gemiddelde referentiegroep 2025",
    ]
    # K1: instroom a1, a6; afschaling a5; clients c1, c5, c6; a0 ended (continued); 180 days; e1: r1, r2
    assert rows[0][1:] == [2, 0, 1, 0, 3, 0.0, 180.0, 180.0, 0, 0, 2, 0.0]
    # K2: instroom a2; clients c1, c2, c5, c6; a1 left (171 days); late start a2, late stop a1; e2 (r1 behaald,
    # r2 deels) and e5 (r6 niet)
    assert rows[1][1:] == [1, 1, 0, 0, 4, 25.0, 171.0, 171.0, 1, 1, 3, pytest.approx(100 / 3)]
    # K3: opschaling a4; clients c2, c4, c5, c6; a5 (213) and a6 (180) left; e8 has no results (e6 is O's)
    assert rows[2][1:] == [0, 2, 0, 1, 4, 50.0, 196.5, 196.5, 0, 0, 0, None]
    # K4: instroom a3; clients c2, c3, c4; a4 left (183); late start a3, late stop a4; e3/e4: r3 niet
    assert rows[3][1:] == [1, 1, 0, 0, 3, pytest.approx(100 / 3), 183.0, 183.0, 1, 1, 1, 0.0]
    assert rows[4][1:] == YEAR_ROW_N
    assert rows[5][1:] == GROUP_ROW_1


def test_dashboard_trend_over_five_years(dashboard):
    rows = dashboard.trend().rows
    assert [row[0] for row in rows] == ["2021", "2022", "2023", "2024", "2025"]
    assert rows[0][1:] == rows[1][1:] == [*NOT_COMPUTED, None, None]  # not refreshed
    assert rows[2][1:] == [*NOTHING, None, None]  # refreshed, nothing happened
    # 2024: a0 started (eerste), c5 the only client, nothing ended; the group's uitstroom % is N's alone
    assert rows[3][1:] == [1, 0, 0, 0, 1, 0.0, None, None, 0, 0, 0, None, 0.0, None]
    assert rows[4][1:] == [*YEAR_ROW_N, GROUP_ROW_1[5], 62.5]


def test_dashboard_results_per_product(dashboard):
    rows = {row[0]: row[1:] for row in dashboard.results().rows}
    names = [get_product(code).name for code in ("IB0", "IB1", "IB2", "IB3", "IB4")]
    assert list(rows) == names
    # evaluations, voortzetten, afschalen, opschalen, beeindigen, herindicatie, assessed, behaald, deels, niet, %
    assert rows[names[0]] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None]
    assert rows[names[1]] == [3, 2, 0, 0, 1, 0, 3, 1, 1, 1, pytest.approx(100 / 3)]
    assert rows[names[2]] == [2, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0.0]
    assert rows[names[3]] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, None]
    assert rows[names[4]] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None]  # IB4: listed, no data


def test_dashboard_open_signals(dashboard):
    assert list(dashboard.open_signals().rows) == [
        ["Geen start zorg gemeld", "TW-DB-a3", Tag("termijn verstreken", "verlopen"), date(2025, 11, 17), "open"],
        [
            "Zorg loopt door na einde beschikking",
            "TW-DB-a4",
            Tag("termijn verstreken", "verlopen"),
            date(2026, 1, 12),
            "in behandeling",
        ],
    ]


REVIEW_FIGURES = [
    # label, N, group average (N and O; Z had no clients), N - average
    ["Instroom", 4, 3.0, 1.0],
    ["Uitstroom", 4, 2.5, 1.5],
    ["Afschaling", 1, 0.5, 0.5],
    ["Opschaling", 1, 0.5, 0.5],
    ["Cliënten", 6, 4.0, 2.0],
    ["Uitstroom %", 400 / 6, (400 / 6 + 50) / 2, 400 / 6 - (400 / 6 + 50) / 2],
    ["Gem. duur (dagen)", 185.4, 184.2, 1.2],  # N 185.4, O 183
    ["Mediane duur (dagen)", 180.0, 181.5, -1.5],
    ["Te late startmeldingen", 2, 1.0, 1.0],
    ["Te late stopmeldingen", 2, 1.0, 1.0],
    ["Beoordeelde resultaten", 4, 2.5, 1.5],
    ["Resultaten behaald %", 25.0, 62.5, -37.5],  # O 100 %, Z none
]


def approx_rows(rows):
    return [[label, *(pytest.approx(value) for value in values)] for label, *values in rows]


def test_dashboard_review_figures(dashboard):
    table = dashboard.review_figures()
    assert table.rows == approx_rows(REVIEW_FIGURES)
    assert "2 aanbieders met cliënten" in table.note


def test_benchmark_table_with_the_average_row(refreshed):
    table, rows = benchmark_table(YEAR, 0, Provider.objects.filter(reference_group__number=1), title="t")
    assert [row.name for row in rows] == ["Aanbieder Noord", "Aanbieder Oost", "Aanbieder Zuid"]
    assert [column.label for column in table.columns][-1] == "Open SLA-signalen"
    # each name links to the provider's dashboard of the year
    assert table.rows[0] == [
        Link("Aanbieder Noord", f"{dashboard_url(refreshed.n)}?year={YEAR}"),
        "Gehandicaptenzorg",
        *YEAR_ROW_N,
        2,
    ]
    # O: a7, a8; clients c6, c7; a8 left (183 days); r6 behaald; s5
    assert table.rows[1][1:] == ["Gehandicaptenzorg", 2, 1, 0, 0, 2, 50.0, 183.0, 183.0, 0, 0, 1, 100.0, 1]
    assert table.rows[2][1:] == ["Gehandicaptenzorg", *NOTHING, 0]
    assert [str(row[0]) for row in table.rows] == ["Aanbieder Noord", "Aanbieder Oost", "Aanbieder Zuid", "Gemiddelde"]
    assert table.rows[3] == ["Gemiddelde", "", *GROUP_ROW_1, pytest.approx(1.5)]  # signals (2 + 1) / 2
    empty, none = benchmark_table(YEAR, 0, Provider.objects.none(), title="t")
    assert (empty.rows, none) == ([], [])


# ------------------------------------------------------------------------------------------------
# Pages: access
# ------------------------------------------------------------------------------------------------


def dashboard_url(provider) -> str:
    return f"/aanbieders/{provider.uuid}/dashboard/"


def review_url(provider) -> str:
    return f"/aanbieders/{provider.uuid}/jaargesprek/"


def management_information_only():
    user = UserFactory(username="alleen-stuurinformatie")
    user.user_permissions.add(
        Permission.objects.get(codename="view_management_information", content_type__app_label="indications")
    )
    return user


REVIEW_POST = {
    "year": "2025",
    "held_on": "15-02-2026",
    "participants": "Contractmanager, directeur Noord",
    "conclusions": "Te veel late meldingen.",
    "agreements": "Startmeldingen binnen een week.",
    "next_review_on": "15-02-2027",
}


@pytest.fixture
def contract_manager():
    return staff_member(CONTRACTMANAGER, username="contractmanager-test", first_name="Karin", last_name="Smit")


def test_contract_manager_sees_both_pages(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    assert client.get("/aanbieders/sla/").status_code == 200
    assert client.get(dashboard_url(refreshed.n), {"year": YEAR}).status_code == 200


def test_consultant_is_refused(client, world, pinned_today):
    client.force_login(staff_member(CONSULENT))
    assert client.get("/aanbieders/sla/").status_code == 403
    assert client.get(dashboard_url(world.n)).status_code == 403
    assert client.post(review_url(world.n), REVIEW_POST).status_code == 403
    assert not AnnualReview.objects.exists()


def test_anonymous_goes_to_the_login_page(client, world):
    for url in ("/aanbieders/sla/", dashboard_url(world.n)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/?next=")
    assert client.post(review_url(world.n), REVIEW_POST).status_code == 302
    assert not AnnualReview.objects.exists()


def test_management_information_alone_views_but_records_no_review(client, refreshed, pinned_today):
    client.force_login(management_information_only())
    assert client.get("/aanbieders/sla/").status_code == 200
    page = client.get(dashboard_url(refreshed.n), {"year": YEAR})
    assert page.status_code == 200 and page.context["can_record_review"] is False
    assert "Jaargesprek over 2025 vastleggen" not in page.content.decode()
    assert client.post(review_url(refreshed.n), REVIEW_POST).status_code == 403
    assert not AnnualReview.objects.exists()


def test_an_unknown_provider_is_not_found(client, world, pinned_today, contract_manager):
    client.force_login(contract_manager)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/aanbieders/{unknown}/dashboard/").status_code == 404
    assert client.post(f"/aanbieders/{unknown}/jaargesprek/", REVIEW_POST).status_code == 404


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "", "2025.5", "-2025"])
def test_a_bad_year_is_a_form_error(client, world, pinned_today, contract_manager, year):
    client.force_login(contract_manager)
    page = client.get(dashboard_url(world.n), {"year": year})
    assert page.status_code == 200 and "year" in page.context["form"].errors and "tables" not in page.context
    sla = client.get("/aanbieders/sla/", {"year": year, "granularity": "jaar"})
    assert sla.status_code == 200 and "year" in sla.context["form"].errors and "rows" not in sla.context


@pytest.mark.parametrize(
    "query",
    [
        {"granularity": "week"},
        {"granularity": "maand", "part": 4},
        {"granularity": "kwartaal", "part": 5},
        {"granularity": "kwartaal", "part": 0},
        {"granularity": "jaar", "reference_group": 999},
    ],
)
def test_a_bad_filter_on_the_benchmark_is_a_form_error(client, world, pinned_today, contract_manager, query):
    client.force_login(contract_manager)
    page = client.get("/aanbieders/sla/", {"year": YEAR, **query})
    assert page.status_code == 200 and page.context["form"].errors and "rows" not in page.context


# ------------------------------------------------------------------------------------------------
# Pages: the benchmark
# ------------------------------------------------------------------------------------------------


def test_benchmark_page_filters(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    group1 = ReferenceGroup.objects.get(number=1).pk
    page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar", "reference_group": group1})
    assert [row.name for row in page.context["rows"]] == ["Aanbieder Noord", "Aanbieder Oost", "Aanbieder Zuid"]
    assert page.context["table"].rows[0][2:] == [*YEAR_ROW_N, 2]
    html = page.content.decode()
    assert "66,7" in html  # N's uitstroom %, 4 of 6
    assert "Cijfers berekend op 23-11-2026" in html
    assert f'href="/aanbieders/{refreshed.n.uuid}/dashboard/?year=2025"' in html
    # the second quarter: N's K2 figures (instroom a2, uitstroom c1, 4 clients, late a2 and a1)
    page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "kwartaal", "part": 2})
    assert page.context["period"].label == "2025-K2"
    n = by_name(page.context["rows"])["Aanbieder Noord"]
    assert (n.instroom, n.uitstroom, n.clients, n.late_start_reports, n.late_stop_reports) == (1, 1, 4, 1, 1)
    # all groups: W (group 2) after group 1
    page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar"})
    assert [row.name for row in page.context["rows"]][-1] == "Aanbieder West"


def test_benchmark_page_before_the_first_refresh(client, world, pinned_today, contract_manager):
    forget_stored_figures()
    client.force_login(contract_manager)
    page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar"})
    assert page.status_code == 200 and "nog niet berekend" in page.content.decode()
    n = by_name(page.context["rows"])["Aanbieder Noord"]
    assert (n.instroom, n.uitstroom_percentage, n.open_sla_signals) == (None, None, 2)  # signals are live


def test_benchmark_highlights_the_chosen_provider(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    group1 = ReferenceGroup.objects.get(number=1).pk
    query = {"year": YEAR, "granularity": "jaar", "reference_group": group1}
    plain = client.get("/aanbieders/sla/", query)
    assert plain.context["highlight"] is None and "▶" not in plain.content.decode()
    assert 'aria-current="true"' not in plain.content.decode().split("<main", 1)[1]
    page = client.get("/aanbieders/sla/", {**query, "aanbieder": str(refreshed.o.uuid)})
    assert page.context["highlight"] == "Aanbieder Oost"
    charts = page.context["charts"]
    assert len(charts) == 4
    # the chosen provider's label in each chart is marked (bold, with an arrow), the others are not
    assert all(str(chart).count("▶") == 1 and "▶ Aanbieder Oost" in str(chart) for chart in charts)
    assert 'aria-current="true">Aanbieder Oost</a>' in page.content.decode()
    # as the page says, the name opens the provider's dashboard (of the year shown)
    assert f'<th scope="row"><a href="{dashboard_url(refreshed.n)}?year={YEAR}">Aanbieder Noord</a></th>' in (
        page.content.decode()
    )
    for unknown in ("00000000-0000-4000-8000-000000000000", "geen-uuid"):
        page = client.get("/aanbieders/sla/", {**query, "aanbieder": unknown})
        assert page.status_code == 200 and page.context["highlight"] is None


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_in_a_file(rows) -> list[list]:
    """Table rows as openpyxl reads them back: an empty cell is None, a float compared approximately."""
    return [
        [
            None
            if value == ""
            else pytest.approx(value)
            if isinstance(value, float)
            else str(value)
            if isinstance(value, Link | Tag)
            else value
            for value in row
        ]
        for row in rows
    ]


def test_benchmark_csv_export(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    group1 = ReferenceGroup.objects.get(number=1).pk
    response = client.get(
        "/aanbieders/sla/",
        {"year": YEAR, "granularity": "jaar", "reference_group": group1, "export": "benchmark", "formaat": "csv"},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["Aanbieder", "Referentiegroep", "Instroom"] and rows[0][-1] == "Open SLA-signalen"
    # uitstroom % 66,7; durations in whole days (185.4 -> 185); behaald % 25,0; 2 open signals
    assert rows[1] == [
        "Aanbieder Noord",
        "Gehandicaptenzorg",
        "4",
        "4",
        "1",
        "1",
        "6",
        "66,7",
        "185",
        "180",
        "2",
        "2",
        "4",
        "25,0",
        "2",
    ]
    assert rows[3] == [
        "Aanbieder Zuid",
        "Gehandicaptenzorg",
        "0",
        "0",
        "0",
        "0",
        "0",
        "",
        "",
        "",
        "0",
        "0",
        "0",
        "",
        "0",
    ]
    # averages over N and O, rounded half up: 3, 2.5, 0.5, 0.5, 4; 58,3 %; 184.2 and 181.5 days; 1, 1, 2.5;
    # 62,5 %; 1.5 signals
    assert rows[4] == ["Gemiddelde", "", "3", "3", "1", "1", "4", "58,3", "184", "182", "1", "1", "3", "62,5", "2"]
    assert len(rows) == 5


def test_benchmark_xlsx_export_matches_the_screen(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    group1 = ReferenceGroup.objects.get(number=1).pk
    query = {"year": YEAR, "granularity": "jaar", "reference_group": group1}
    screen = client.get("/aanbieders/sla/", query).context["table"]
    response = client.get("/aanbieders/sla/", {**query, "export": "benchmark", "formaat": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert rows[0] == [str(column.label) for column in screen.columns]
    assert rows[1:] == as_in_a_file(screen.rows)
    assert rows[1][2:] == [*YEAR_ROW_N, 2]


def test_the_plain_pages_link_their_exports_without_a_year(client, world, pinned_today, contract_manager):
    """What the pages render when opened without a query (the overview links to the dashboard so)."""
    client.force_login(contract_manager)
    assert 'href="?export=benchmark&amp;formaat=csv"' in client.get("/aanbieders/sla/").content.decode()
    assert 'href="?export=sla-per-jaar&amp;formaat=csv"' in client.get(dashboard_url(world.n)).content.decode()
    overview = client.get("/aanbieders/").content.decode()
    assert f'href="/aanbieders/{world.n.uuid}/dashboard/"' in overview


def test_the_export_link_of_the_plain_benchmark_page_downloads(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    response = client.get("/aanbieders/sla/", {"export": "benchmark", "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")


def test_benchmark_page_query_count(client, refreshed, pinned_today, contract_manager, django_assert_max_num_queries):
    client.force_login(contract_manager)
    # measured 12: session, user, 2 x permissions, computed_on, providers, stored figures, open signals,
    # the reference groups of the form, and saving the session (3)
    with django_assert_max_num_queries(15):  # +1: the second factor's device (django-otp) on every request
        page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar"})
    assert len(page.context["rows"]) == 4
    # as many with more providers
    for number in range(5):
        contracted_provider(name=f"Aanbieder Extra {number}", reference_group=refreshed.n.reference_group)
    refresh_sla_figures(today=TODAY, years=[2025])
    with django_assert_max_num_queries(15):  # +1: the second factor's device (django-otp) on every request
        page = client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar"})
    assert len(page.context["rows"]) == 9


# ------------------------------------------------------------------------------------------------
# Pages: the dashboard
# ------------------------------------------------------------------------------------------------


def test_dashboard_page(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    page = client.get(dashboard_url(refreshed.n), {"year": YEAR})
    tables = page.context["tables"]
    assert list(tables) == [
        "sla-per-kwartaal",
        "sla-per-jaar",
        "resultaten-per-product",
        "open-sla-signalen",
        "jaargesprek",
        "clienttevredenheid",  # imported results of the cliëntervaringsonderzoek (tests/test_client_satisfaction.py)
    ]
    assert tables["sla-per-kwartaal"].rows[4][1:] == YEAR_ROW_N
    html = page.content.decode()
    assert "TW-DB-a3" in html and "17-11-2025" in html  # the open signal's toewijzing and due date
    assert "Jaargesprek over 2025 vastleggen" in html
    assert f"reference_group={refreshed.n.reference_group_id}&amp;aanbieder={refreshed.n.uuid}" in html
    # without a year: the current year (2026, pinned), never computed
    default = client.get(dashboard_url(refreshed.n))
    assert default.context["year"] == 2026
    assert default.context["tables"]["sla-per-kwartaal"].rows[4][1:] == NOT_COMPUTED


def test_dashboard_query_count(client, refreshed, pinned_today, contract_manager, django_assert_max_num_queries):
    client.force_login(contract_manager)
    for year in (2022, 2023, 2024):
        record_annual_review(
            refreshed.n,
            year=year,
            held_on=date(year + 1, 3, 1),
            participants="A",
            conclusions="B",
            by=UserFactory(),
            today=TODAY,
        )
    # measured 16: session, user, 2 x permissions, the provider, computed_on, the provider's stored figures,
    # its group's, the results per product, the products, the open signals, the review of the year, the
    # reviews with who recorded them, and saving the session (3); the cliëntervaringsonderzoek adds 2 (the
    # year's target, the provider's results with their products)
    with django_assert_max_num_queries(21):  # +1: the second factor's device (django-otp) on every request
        page = client.get(dashboard_url(refreshed.n), {"year": YEAR})
    assert page.status_code == 200 and len(page.context["reviews"]) == 3


class _TableCells(HTMLParser):
    """The texts of the body cells of the rendered tables, per row."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def on_screen(html: str, slug: str) -> list[list[str]]:
    """The body rows of the page's table `slug` as the user reads them."""
    block = html[html.index(f'id="tabel-{slug}"') :]
    parser = _TableCells()
    parser.feed(block[block.index("<tbody>") : block.index("</tbody>")])
    return parser.rows


def as_read(value, kind: str) -> str:
    """A number of a file as the page writes it: one decimal with a comma for percentages and decimals,
    whole numbers for counts and days, a dash for nothing (no value here reaches a thousand)."""
    if value is None or value == "":
        return "–"
    if kind == "date":  # a date cell, read back as a datetime at midnight
        assert isinstance(value, datetime) and value.time() == datetime.min.time()
        return f"{value:%d-%m-%Y}"
    if kind in ("pct", "decimal"):
        return f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)}".replace(".", ",")
    if kind in ("int", "days"):
        assert abs(value) < 1000
        return str(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))  # 196.5 days shows as 197
    return str(value)


@pytest.mark.parametrize(
    "slug", ["sla-per-kwartaal", "sla-per-jaar", "resultaten-per-product", "open-sla-signalen", "jaargesprek"]
)
def test_dashboard_exports_match_the_screen(client, refreshed, pinned_today, contract_manager, slug):
    client.force_login(contract_manager)
    url, query = dashboard_url(refreshed.n), {"year": YEAR}
    page = client.get(url, query)
    kinds = ["text", *(column.kind for column in page.context["tables"][slug].columns[1:])]
    screen = on_screen(page.content.decode(), slug)
    xlsx = read_xlsx(client.get(url, {**query, "export": slug, "formaat": "xlsx"}))
    assert xlsx[0] == [str(column.label) for column in page.context["tables"][slug].columns]
    assert [[as_read(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in xlsx[1:]] == screen
    assert (
        len(screen)
        == {
            "sla-per-kwartaal": 6,
            "sla-per-jaar": 5,
            "resultaten-per-product": 5,
            "open-sla-signalen": 2,
            "jaargesprek": 12,
        }[slug]
    )
    rows = read_csv(client.get(url, {**query, "export": slug, "formaat": "csv"}))
    assert rows[0] == xlsx[0]
    assert [[cell or "–" for cell in row] for row in rows[1:]] == screen  # the CSV writes what the page shows


def test_dashboard_csv_figures(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    url = dashboard_url(refreshed.n)
    rows = read_csv(client.get(url, {"year": YEAR, "export": "sla-per-kwartaal", "formaat": "csv"}))
    # K2: 25 % uitstroom, 171 days, 1 of 3 results behaald (33,3 %)
    assert rows[2] == ["2025-K2", "1", "1", "0", "0", "4", "25,0", "171", "171", "1", "1", "3", "33,3"]
    review = read_csv(client.get(url, {"year": YEAR, "export": "jaargesprek", "formaat": "csv"}))
    # Uitstroom %: 66,7 against (66,7 + 50) / 2 = 58,3, difference 8,3 (decimal columns, one decimal)
    assert review[6] == ["Uitstroom %", "66,7", "58,3", "8,3"]
    assert review[7] == ["Gem. duur (dagen)", "185,4", "184,2", "1,2"]


def test_the_export_link_of_the_plain_dashboard_downloads(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    response = client.get(dashboard_url(refreshed.n), {"export": "sla-per-jaar", "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")


# ------------------------------------------------------------------------------------------------
# Privacy: no client data on the pages or in the files
# ------------------------------------------------------------------------------------------------


def test_no_client_names_or_bsn_on_pages_or_in_exports(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    url = dashboard_url(refreshed.n)
    texts = [
        client.get(url, {"year": YEAR}).content.decode(),
        client.get("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar"}).content.decode(),
    ]
    slugs = ["sla-per-kwartaal", "sla-per-jaar", "resultaten-per-product", "open-sla-signalen", "jaargesprek"]
    exports = [(url, {"year": YEAR, "export": slug}) for slug in slugs]
    exports.append(("/aanbieders/sla/", {"year": YEAR, "granularity": "jaar", "export": "benchmark"}))
    for export_url, query in exports:
        rows = read_csv(client.get(export_url, {**query, "formaat": "csv"}))
        rows += read_xlsx(client.get(export_url, {**query, "formaat": "xlsx"}))
        texts.append(repr(rows))
    assert len(texts) == 8 and "TW-DB-a3" in texts[0]  # the pages do show toewijzing numbers
    for text in texts:
        assert CLIENT_MARK not in text and "Ysolde" not in text
        for person in refreshed.clients.values():
            assert person.bsn not in text


# ------------------------------------------------------------------------------------------------
# The jaargesprek: service
# ------------------------------------------------------------------------------------------------


def review(provider, user, **fields):
    data = {
        "year": 2025,
        "held_on": date(2026, 2, 15),
        "participants": "Karin Smit, directeur",
        "conclusions": "Voldoende.",
        "by": user,
        "today": TODAY,
    }
    return record_annual_review(provider, **{**data, **fields})


def test_record_annual_review(world):
    user = UserFactory()
    saved = review(
        world.n,
        user,
        participants="  Karin Smit  ",
        conclusions=" Goed. ",
        agreements=" Beter melden ",
        next_review_on=date(2027, 2, 1),
    )
    saved.refresh_from_db()
    assert (saved.year, saved.held_on, saved.next_review_on) == (2025, date(2026, 2, 15), date(2027, 2, 1))
    assert (saved.participants, saved.conclusions, saved.agreements) == ("Karin Smit", "Goed.", "Beter melden")
    # the figures of the year computed by the service from the stored figures, not given by the caller
    assert (saved.figures, saved.recorded_by) == (approx_rows(REVIEW_FIGURES), user)
    with pytest.raises(TypeError):
        review(world.o, user, figures=[["Instroom", 999, 0, 999]])
    (event,) = AuditEvent.objects.filter(object_type="providers.annualreview")
    assert (event.object_id, event.actor, event.action, event.client_id) == (str(saved.pk), user, "create", None)
    assert event.summary == "Jaargesprek 2025 met Aanbieder Noord vastgelegd"


def test_the_boundaries_of_a_valid_review(world):
    user = UserFactory()
    # the first year (2015) held on its first day; this year (2026) held today, next review the day after
    assert review(world.n, user, year=2015, held_on=date(2015, 1, 1)).pk
    assert review(world.n, user, year=2026, held_on=TODAY, next_review_on=TODAY + timedelta(days=1)).pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"year": 2014, "held_on": date(2015, 3, 1)}, "year"),
        ({"year": 2027}, "year"),  # after this year (today 2026-11-23): held_on is not compared with it
        ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
        ({"held_on": date(2024, 12, 31)}, "held_on"),  # before 2025, the year it is about
        ({"next_review_on": date(2026, 2, 15)}, "next_review_on"),  # the same day as held_on
        ({"next_review_on": date(2026, 2, 14)}, "next_review_on"),
        ({"participants": "   "}, "participants"),
        ({"conclusions": ""}, "conclusions"),
    ],
)
def test_an_invalid_review_is_refused_per_field(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        review(world.n, UserFactory(), **fields)
    assert set(refused.value.message_dict) == (field if isinstance(field, set) else {field})
    assert not AnnualReview.objects.exists()
    assert not AuditEvent.objects.filter(object_type="providers.annualreview").exists()


def test_all_errors_of_a_review_come_at_once(world):
    with pytest.raises(ValidationError) as refused:
        review(
            world.n,
            UserFactory(),
            year=2030,
            held_on=TODAY + timedelta(days=3),
            next_review_on=TODAY,
            participants="",
            conclusions=" ",
        )
    assert set(refused.value.message_dict) == {"year", "held_on", "next_review_on", "participants", "conclusions"}


def test_one_review_per_provider_and_year(world):
    user = UserFactory()
    review(world.n, user)
    with pytest.raises(ValidationError) as refused:
        review(world.n, user, held_on=date(2026, 3, 1))
    assert refused.value.message_dict == {"year": ["Het jaargesprek over 2025 met Aanbieder Noord is al vastgelegd."]}
    assert AnnualReview.objects.filter(provider=world.n, year=2025).count() == 1
    assert review(world.o, user).pk  # another provider, the same year


def test_a_duplicate_review_carries_its_code(world):
    review(world.n, UserFactory())
    with pytest.raises(ValidationError) as refused:
        review(world.n, UserFactory(), held_on=date(2026, 3, 1))
    assert refused.value.error_dict["year"][0].code == "duplicate"


def test_no_review_without_its_audit_event(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("providers.services.record_event", broken)
    with pytest.raises(RuntimeError):
        review(world.n, UserFactory())
    assert not AnnualReview.objects.exists()


def test_a_year_beyond_the_calendar_is_a_validation_error(world):
    with pytest.raises(ValidationError):
        review(world.n, UserFactory(), year=10000)


# ------------------------------------------------------------------------------------------------
# The jaargesprek: the page
# ------------------------------------------------------------------------------------------------


def test_record_a_review_on_the_dashboard(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    response = client.post(review_url(refreshed.n), REVIEW_POST)
    assert response.status_code == 302
    assert response["Location"] == f"/aanbieders/{refreshed.n.uuid}/dashboard/?year=2025"
    saved = AnnualReview.objects.get(provider=refreshed.n, year=2025)
    assert (saved.held_on, saved.next_review_on, saved.recorded_by) == (
        date(2026, 2, 15),
        date(2027, 2, 15),
        contract_manager,
    )
    # the figures as the dashboard showed them on the day (a JSON snapshot)
    assert saved.figures == approx_rows(REVIEW_FIGURES)
    html = client.get(response["Location"]).content.decode()
    assert "Het jaargesprek over 2025 is vastgelegd" in html
    assert "Contractmanager, directeur Noord" in html and "Jaargesprek 2025, gehouden op 15-02-2026" in html
    assert "Jaargesprek over 2025 vastleggen" not in html  # no second form
    # the snapshot stays as it was when the figures change
    ResultProgress.objects.filter(evaluation=refreshed.e["e5"]).update(progress=ACHIEVED)
    refresh_sla_figures(today=TODAY, years=[2025])
    saved.refresh_from_db()
    assert saved.figures[11] == ["Resultaten behaald %", 25.0, 62.5, -37.5]
    assert SlaFigures.objects.get(provider=refreshed.n, year=2025, quarter=0).behaald_percentage == 50.0  # r1, r6


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "31-12-2024"}, "held_on"),  # before 2025
        ({"held_on": "24-11-2026"}, "held_on"),  # tomorrow
        ({"next_review_on": "01-01-2026"}, "next_review_on"),
        ({"participants": ""}, "participants"),
        ({"conclusions": "  "}, "conclusions"),
        ({"held_on": "gisteren"}, "held_on"),
        ({"year": "2027"}, "year"),
        ({"year": "abc"}, "year"),
    ],
)
def test_a_bad_review_comes_back_with_its_errors(client, refreshed, pinned_today, contract_manager, changes, field):
    client.force_login(contract_manager)
    response = client.post(review_url(refreshed.n), {**REVIEW_POST, **changes})
    assert response.status_code == 400
    (message,) = response.context["review_form"].errors[field]
    assert escape(message) in response.content.decode()  # on the page, by its field
    assert not AnnualReview.objects.exists()


def test_a_second_review_of_the_year_is_refused(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    assert client.post(review_url(refreshed.n), REVIEW_POST).status_code == 302
    again = client.post(review_url(refreshed.n), {**REVIEW_POST, "conclusions": "Nog eens."})
    assert again.status_code == 400 and "year" in again.context["review_form"].errors
    assert AnnualReview.objects.get().conclusions == "Te veel late meldingen."


def test_the_refusal_of_a_second_review_is_on_the_page(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    client.post(review_url(refreshed.n), REVIEW_POST)
    again = client.post(review_url(refreshed.n), {**REVIEW_POST, "conclusions": "Nog eens."})
    assert "Het jaargesprek over 2025 met Aanbieder Noord is al vastgelegd." in again.content.decode()


def test_the_page_lists_the_most_urgent_signals_and_the_download_all(
    client, refreshed, pinned_today, contract_manager, monkeypatch
):
    monkeypatch.setattr("providers.figures.SIGNALS_ON_SCREEN", 1)
    client.force_login(contract_manager)
    url, query = dashboard_url(refreshed.n), {"year": YEAR}
    page = client.get(url, query).content.decode()
    # N has two open SLA signals: a3's (due 17-11-2025) comes first, a4's (12-01-2026) only in the download
    assert [row[1] for row in on_screen(page, "open-sla-signalen")] == ["TW-DB-a3"]
    assert "de eerste 1 van 2; de download bevat ze allemaal" in page
    rows = read_csv(client.get(url, {**query, "export": "open-sla-signalen", "formaat": "csv"}))
    assert [row[1] for row in rows[1:]] == ["TW-DB-a3", "TW-DB-a4"]


def test_the_sla_downloads_record_the_selection_and_write_real_dates(client, refreshed, pinned_today, contract_manager):
    client.force_login(contract_manager)
    group1 = ReferenceGroup.objects.get(number=1)
    response = client.get(
        "/aanbieders/sla/",
        {
            "year": YEAR,
            "granularity": "kwartaal",
            "part": 2,
            "reference_group": group1.pk,
            "export": "benchmark",
            "formaat": "xlsx",
        },
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[0] == "Selectie" and workbook.active.title.startswith("SLA-benchmark")
    facts = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if len(row) > 1 and row[0]}
    assert (facts["Jaar"], facts["Periode"], facts["Welk kwartaal"]) == (str(YEAR), "kwartaal", "2")
    assert facts["Referentiegroep"] == str(group1)
    assert facts["Cijfers van"] == datetime.combine(selectors.sla_figures_computed_on(), datetime.min.time())
    assert contract_manager.username in facts["Geëxporteerd door"]

    response = client.get(dashboard_url(refreshed.n), {"year": YEAR, "export": "open-sla-signalen", "formaat": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if len(row) > 1 and row[0]}[
        "Aanbieder"
    ] == "Aanbieder Noord"
    due = workbook.active["D2"]
    assert due.is_date and due.value == datetime(2025, 11, 17) and due.number_format == "dd-mm-yyyy"
