"""The generator: one client's whole history at a time, a chunk of clients per transaction.

Rows are built in memory for a chunk of clients and written by `writer` in one transaction per
chunk, so memory stays flat at any size. No services and no per-row save(): the generator only builds
histories the services would have accepted (tests/test_demo.py checks them against the services'
rules): ZRM scores that justify every result, IB2 bounded, no two live beschikkingen of one client
overlapping, statuses that agree with the dates, a team lead's approval wherever an active complexity
rule applies, evaluations whose outcomes match what follows. The provider side mirrors
providers/services.py: a toewijzing per vastgestelde beschikking (ended, withdrawn or handed over as
the services do it), start and stop reports (WMO305/307 with a WMO588 reason), overstap and verzoeken
om wijziging. Timestamps lie on the historic dates. Audit events are not generated: nobody read or
changed these files.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from billing.models import PaymentBatch
from indications.models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    Indication,
    IndicationResult,
    IndicationStatusChange,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    PlannedEvaluation,
    Product,
    QualitySample,
    ResultProgress,
    Review,
    ReviewQuestion,
    Tariff,
    ZrmAssessment,
    ZrmScore,
)
from letters.services import rendering_deferred

from .api_example import api_example_assignment, api_example_works
from .beschikkingen import BeschikkingMixin
from .bezwaren import ensure_demo_bezwaren
from .bulkload import BULK_FROM, bulk_load
from .bulkload import restore as restore_held_back
from .clients import ClientsMixin, valid_bsns
from .decisions import DecisionMixin
from .declaraties import ensure_demo_declaraties, ensure_demo_payment_batches
from .figures import API_EXAMPLE, CHUNK, DEMO_USERS, SCENARIOS, YOUTH_SHARE, Plan
from .incidents import ensure_demo_incidents
from .iwmo_traffic import ensure_iwmo_traffic
from .letters import ensure_demo_letters
from .mantelzorg import MantelzorgMixin
from .ondersteuningsplannen import SupportPlanMixin
from .onderzoeken import OnderzoekMixin
from .people import ensure_demo_providers, ensure_demo_satisfaction, ensure_demo_teams, ensure_demo_users
from .quality import ensure_quality_checks
from .reference import Reference, load_reference
from .rows import Rows
from .timestamps import Clock
from .toewijzingen import ToewijzingMixin
from .writer import WRITTEN, write_chunk


class Generator(
    ClientsMixin, OnderzoekMixin, MantelzorgMixin, BeschikkingMixin, DecisionMixin, ToewijzingMixin, SupportPlanMixin
):
    """One seeded random stream for the whole run: the same seed and size give the same demo."""

    def __init__(self, *, rng: random.Random, today: date, reference: Reference, trajectories: int | None = None):
        self.rng, self.today, self.ref = rng, today, reference
        self.trajectories = trajectories
        self.tz = timezone.get_current_timezone() if settings.USE_TZ else None
        self.nazorg_days = settings.SDD["NAZORG_AFTER_DAYS"]
        self.zrm_names = {z.pk: z.name for z in reference.zrm_domains}
        # The worklist scenarios belong to the named consultant, in a municipality of the team.
        self.scenario_municipality = next(
            (m for m in reference.municipalities if reference.consultants[m.pk][0].username == DEMO_USERS[0][0]),
            reference.municipalities[0],
        )

    # -- small helpers ------------------------------------------------------------------------

    def _days(self, low: int, high: int, plan: Plan | None = None, fixed: int | None = None) -> timedelta:
        if plan is not None and plan.forced and fixed is not None:
            return timedelta(days=fixed)
        return timedelta(days=self.rng.randint(low, high))

    def _at(self, day: date, hour: int | None = None) -> datetime:
        return Clock(self.rng, self.tz).at(day, hour)

    def _tariff(self, product: Product, day: date) -> Tariff | None:
        for tariff in self.ref.tariffs.get(product.pk, []):
            if tariff.valid_from <= day and (tariff.valid_to is None or tariff.valid_to >= day):
                return tariff
        return None

    def _weighted_sample(self, weights: dict, k: int) -> list:
        pool, chosen = dict(weights), []
        while pool and len(chosen) < k:
            item = self.rng.choices(list(pool), weights=list(pool.values()))[0]
            chosen.append(item)
            del pool[item]
        return chosen

    def client_history(self, rows: Rows, bsn: str, scenario: Plan | None = None) -> None:
        rng, today = self.rng, self.today
        first_day = today - timedelta(days=scenario.melding_ago) if scenario else self._first_melding_day()
        if scenario:
            youth = scenario.youth
        else:  # the step at 18: a few come in from the Jeugdwet (IB4 from 2017)
            youth = "step" if rng.random() < YOUTH_SHARE else ""
        state = self.new_client(rows, bsn, first_day, scenario=scenario is not None, youth=youth)
        if youth:
            self._jeugdhulp(rows, state, first_day)
        if scenario and scenario.stage == "geen_melding":
            return  # jeugdhulp known, no melding yet: the signal jeugdhulp_18
        day = first_day
        if scenario:
            trajectories = 1
        elif self.trajectories:  # a benchmark's longer histories: 1..N returns, evenly
            trajectories = rng.randint(1, self.trajectories)
        else:
            trajectories = rng.choices([1, 2, 3], weights=[74, 21, 5])[0]
        for number in range(trajectories):
            plan = scenario or self._plan(day)
            ended = self.trajectory(rows, state, day, plan, repeat=number > 0)
            if ended is None or state.gone:
                return
            day = ended + timedelta(days=rng.randint(30, 540))  # a heraanmelding after outflow
            if day >= today:
                return


# Case data, children first. Models of other apps that point into it are deleted before it.
CASE_MODELS = [
    PaymentBatch,  # its lines point into the declaraties; its files point to it and are no case data
    QualitySample,  # its checks and answers point into the case data and go first
    ReviewQuestion,
    Review,
    ResultProgress,
    PlannedEvaluation,
    ZrmScore,
    ZrmAssessment,
    Evaluation,
    IndicationStatusChange,
    IndicationResult.sub_results.through,
    IndicationResult,
    Indication,
    Aanvraag,
    OtherProvision,
    Conversation,
    Mantelzorger,
    Intake,
    Melding,
    Client,
]


def reset_demo_case_data() -> None:
    """Delete all case data (not reference data, users, teams or providers): one DELETE per table, one
    TRUNCATE of them all on PostgreSQL.
    Audit events stay: they are append-only by design. Database sequences continue, so beschikking
    numbers are never reused."""
    order = list(CASE_MODELS)
    grew = True
    while grew:
        grew = False
        for model in apps.get_models(include_auto_created=True):
            if model not in order and any(
                f.is_relation and f.related_model in order for f in model._meta.concrete_fields
            ):
                order.insert(0, model)
                grew = True
    tables = [connection.ops.quote_name(model._meta.db_table) for model in order]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one TRUNCATE (without RESTART IDENTITY): millions of rows at once
            # Rows written earlier in this transaction still have deferred foreign-key checks pending,
            # which TRUNCATE refuses ("pending trigger events"): run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            restore_held_back()  # what a load that died had lifted: cheapest now the tables are empty
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


@dataclass
class DemoSummary:
    clients: int = 0
    meldingen: int = 0
    indications: int = 0
    evaluations: int = 0
    reviews: int = 0
    consultants: int = 0
    skipped: bool = False
    api_example_added: bool = False  # a client added so that the README's API example can run today
    users: list = field(default_factory=list)


class DemoRandom(random.Random):
    """random.Random with cheaper randint and choice (one random() call instead of the rejection
    sampling of getrandbits): the generator calls them about a hundred times per client."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        """random.Random.choices without its checks for the generator's one weighted pick (same result)."""
        if weights is None or cum_weights is not None or k != 1:
            return super().choices(population, weights, cum_weights=cum_weights, k=k)
        cumulative = list(accumulate(weights))
        return [population[bisect_right(cumulative, self.random() * (cumulative[-1] + 0.0), 0, len(cumulative) - 1)]]


# The generator of the running load, set before worker processes fork so that they inherit it.
_RUNNING: dict = {}


def _generate_chunk(task: tuple[int, list[str], list[Plan]]) -> tuple[int, int, int, int, int]:
    """Generate and write one chunk of clients in its own transaction. Each chunk has its own random
    stream (seed, existing clients, chunk number), so the output does not depend on the number of
    workers nor on the order in which they finish."""
    number, bsns, scenarios = task
    generator = _RUNNING["generator"]
    generator.rng = DemoRandom(f"{_RUNNING['seed']}-{_RUNNING['existing']}-{number}")
    rows = Rows()
    for bsn in bsns:
        generator.client_history(rows, bsn, scenarios.pop(0) if scenarios else None)
    generator.add_support_plans(rows)
    with transaction.atomic():
        write_chunk(rows)
    return len(bsns), len(rows.meldingen), len(rows.indications), len(rows.evaluations), len(rows.reviews)


def _tasks(clients: int, existing: int, taken: set[str]):
    """(chunk number, its BSNs, its worklist scenarios) for every chunk, lazily."""
    bsns = (bsn for bsn in valid_bsns() if bsn not in taken)
    to_make, number = clients - existing, 0
    while to_make > 0:
        size = min(CHUNK, to_make)
        scenarios = [API_EXAMPLE, *SCENARIOS] if existing == 0 and number == 0 else []
        yield number, [next(bsns) for _ in range(size)], scenarios
        to_make -= size
        number += 1


def default_workers() -> int:
    """Processes that generate chunks side by side: one per core on PostgreSQL; SQLite has one writer."""
    return (os.cpu_count() or 1) if connection.vendor == "postgresql" else 1


def generate_demo(
    *,
    clients: int,
    today: date,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    trajectories: int | None = None,
    workers: int = 1,
    bulk: bool | None = None,
) -> DemoSummary:
    """Top the case load up to `clients` clients. Idempotent: when they exist nothing is added (the demo
    users are still ensured). progress(added, total) is called after every chunk. `trajectories`
    (for benchmarks) lets each client come back up to that many times instead of the usual 1-3.
    `workers` > 1 generates chunks in that many forked processes (PostgreSQL only). `bulk` lifts the
    case tables' foreign keys, unique constraints and secondary indexes during the load and re-creates
    them after it (demo.bulkload; PostgreSQL only); by default from BULK_FROM new clients."""
    summary = DemoSummary(users=ensure_demo_users())
    existing = Client.objects.count()
    consultants_by_team = ensure_demo_teams(clients=max(clients, existing))
    summary.consultants = sum(len(users) for users in consultants_by_team.values())
    if clients:
        ensure_demo_satisfaction(ensure_demo_providers(), today=today)
    if existing >= clients:
        summary.skipped, summary.clients = True, existing
        if clients:  # clients=0 asks for the users only
            _ensure_api_example(summary, today=today, seed=seed, consultants_by_team=consultants_by_team)
            ensure_quality_checks(today=today, seed=seed)
            _ensure_after_clients(today=today, seed=seed)
        return summary
    reference = load_reference(ensure_demo_providers(), consultants_by_team)
    _RUNNING.update(
        generator=Generator(rng=DemoRandom(seed), today=today, reference=reference, trajectories=trajectories),
        seed=seed,
        existing=existing,
    )
    total = clients - existing
    tasks = _tasks(clients, existing, taken=set(Client.objects.values_list("bsn", flat=True)))
    with bulk_load(WRITTEN, enabled=total >= BULK_FROM if bulk is None else bulk):
        if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.imap(_generate_chunk, tasks)
                _count(summary, done, total, progress)
        else:
            _count(summary, map(_generate_chunk, tasks), total, progress)
    _RUNNING.clear()
    _ensure_api_example(summary, today=today, seed=seed, consultants_by_team=consultants_by_team)
    ensure_quality_checks(today=today, seed=seed)
    _ensure_after_clients(today=today, seed=seed)
    return summary


def _ensure_after_clients(*, today: date, seed: int) -> None:
    """What the demo builds on its clients' history, each part idempotent: the iWmo traffic and the
    money, the letters of the decisions, bezwaren against some of them, calamiteiten."""
    _ensure_traffic_and_money(today=today, seed=seed)
    ensure_demo_letters()
    with rendering_deferred():  # their letters render on first download, like most demo letters
        ensure_demo_bezwaren(today=today)
    ensure_demo_incidents(today=today, seed=seed)


def _ensure_traffic_and_money(*, today: date, seed: int) -> None:
    """The declaraties of the demo's last twelve months on contracts that have their prices per
    unit, then the iWmo messages (the simulated providers also bill their last month): in that order,
    because a declaratieperiode before a provider's previous one is refused (TR318, 8214). The
    declaraties ensure the contracts' prices per unit first (ensure_contract_prices)."""
    ensure_demo_declaraties(today=today, seed=seed)
    ensure_iwmo_traffic(today=today)
    ensure_demo_payment_batches(today=today)


def _count(summary: DemoSummary, done, total: int, progress) -> None:
    for added, meldingen, indications, evaluations, reviews in done:
        summary.clients += added
        summary.meldingen += meldingen
        summary.indications += indications
        summary.evaluations += evaluations
        summary.reviews += reviews
        if progress:
            progress(summary.clients, total)


def _ensure_api_example(summary: DemoSummary, *, today: date, seed: int, consultants_by_team: dict) -> None:
    """On any day, the README's curl flow finds a toewijzing it can start: when the one it would pick
    is used up (started by an earlier run of the flow) or cannot take the flow, one client is added
    whose toewijzing starts today (the newest, so the first the flow picks)."""
    if api_example_works(api_example_assignment(today=today), today=today):
        return
    generator = Generator(
        rng=DemoRandom(f"{seed}-api-{today.isoformat()}"),
        today=today,
        reference=load_reference(ensure_demo_providers(), consultants_by_team),
    )
    taken = set(Client.objects.values_list("bsn", flat=True))
    rows = Rows()
    generator.client_history(rows, next(bsn for bsn in valid_bsns() if bsn not in taken), API_EXAMPLE)
    generator.add_support_plans(rows)
    with transaction.atomic():
        write_chunk(rows)
    summary.api_example_added = True
