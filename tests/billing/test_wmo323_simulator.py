"""The provider simulator bills monthly: after its regieberichten it sends one WMO323 per
municipality for the last full month, for the toewijzingen it started, through the real inbox
(here with a stand-in for billing.services.submit_declaratie, built on another branch), reads the
WMO325s it gets back, and sends nothing new the second time. A seeded share of its lines carries an
error of a known kind."""

import random
from datetime import date
from decimal import Decimal

import pytest

from billing import services, simulator, wmo323
from billing.types import DeclaratieOutcome, PrestatieDecision
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.simulator import simulate_provider
from iwmo.xml import parse_message
from providers.models import Assignment
from tests.billing.messages import declaratie, line
from tests.factories import TODAY, issued_assignment

pytestmark = pytest.mark.django_db

BILLED_ON = date(2026, 12, 4)  # after TODAY (23 November): November is the month billed


@pytest.fixture
def started(provider, consultant):
    """Three toewijzingen whose start the simulator reports on TODAY (in November)."""
    for days in (60, 40, 10):
        issued_assignment(provider, consultant, today=TODAY, days_ago=days)
    simulate_provider(provider, starts=3, stops=0, today=TODAY)
    assert IncomingMessage.objects.filter(message_type="WMO323").count() == 0  # October: nothing started
    return Assignment.objects.filter(provider=provider).order_by("number")


@pytest.fixture
def service(monkeypatch):
    """Accepts a line of a toewijzing of ours with the amount volume x the simulator's price."""
    calls = []

    def stand_in(declaratie, *, prejudged=None, **kwargs):
        calls.append(declaratie)
        numbers = {int(n) for n in Assignment.objects.values_list("number", flat=True)}
        decisions = []
        for index, line_ in enumerate(declaratie.prestaties):
            if prejudged and index in prejudged:  # rejected by an in-message condition
                decisions.append(PrestatieDecision(index, False, tuple(prejudged[index])))
                continue
            ours = int(line_.assignment_number) in numbers
            decisions.append(PrestatieDecision(index, ours, ("0200",) if ours else ("9338",)))
        granted = sum(p.signed_cents for d, p in zip(decisions, declaratie.prestaties, strict=True) if d.accepted)
        return DeclaratieOutcome(
            (), tuple(decisions), submitted_cents=declaratie.signed_total_cents, granted_cents=granted
        )

    monkeypatch.setattr(services, "submit_declaratie", stand_in)
    return calls


def sent_323() -> wmo323.Declaratiebericht:
    (incoming,) = IncomingMessage.objects.filter(message_type="WMO323")
    message_type, root = parse_message(bytes(incoming.raw), expected=("WMO323",))
    return wmo323.read(message_type, root)


def test_the_simulator_bills_last_month_for_what_it_started_and_reads_the_325(
    provider, started, service, xsd_dir, monkeypatch
):
    monkeypatch.setattr(simulator, "ERROR_SHARE", 0.0)
    result = simulate_provider(provider, starts=0, stops=0, today=BILLED_ON)
    message = sent_323()
    decl = message.declaratie
    assert (decl.period_start, decl.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert message.header.identification == "S3202611" + message.header.receiver
    assert [int(p.assignment_number) for p in decl.prestaties] == [int(a.number) for a in started]
    for prestatie, assignment in zip(decl.prestaties, started, strict=True):
        assert prestatie.bsn == assignment.indication.client.bsn
        assert prestatie.period_start == max(date(2026, 11, 1), assignment.start_date)  # TR387
        assert prestatie.period_end == date(2026, 11, 30)  # TR388: the toewijzing runs on
        assert (prestatie.product_category, prestatie.product_code) == (
            assignment.product.iwmo_category,
            assignment.product.iwmo_code,
        )
        price = simulator.monthly_price_cents(assignment.product, prestatie.period_start)
        assert (prestatie.unit, prestatie.tariff_cents, prestatie.amount_cents) == (
            "82",
            price,
            prestatie.volume * price,
        )
    found = wmo323.check_conditions(decl, dagtekening=BILLED_ON, client_bsns=message.client_bsns)
    assert found.declaratie == [] and found.prestaties == {} and found.clients == {}
    (answer,) = simulator.read_answers(provider)
    assert answer.declaratie_identification == message.header.identification
    assert answer.rejected == () and answer.granted_cents == decl.signed_total_cents
    assert result.statuses["WMO325 afgewezen prestaties"] == 0
    assert result.statuses["WMO325 toegekend (centen)"] == answer.granted_cents
    assert not [label for label in result.statuses if label.startswith("WMO323 regel met fout")]


def test_lines_with_errors_are_rejected_in_the_325(provider, started, service, monkeypatch):
    monkeypatch.setattr(simulator, "ERROR_SHARE", 1.0)  # every line has an error of a known kind
    result = simulate_provider(provider, starts=0, stops=0, today=BILLED_ON)
    decl = sent_323().declaratie
    errors = {k: v for k, v in result.statuses.items() if k.startswith("WMO323 regel met fout")}
    assert sum(errors.values()) == 3
    # The stand-in catches an unknown toewijzingnummer (9338), the conditions a repeated
    # ReferentieNummer (8021, on both lines); a wrong amount or product code is the real service's.
    references = [p.reference for p in decl.prestaties]
    expected = {p.reference: ("9338",) for p in decl.prestaties if int(p.assignment_number) >= 999_000_000}
    expected |= {reference: ("8021",) for reference in references if references.count(reference) > 1}
    (answer,) = simulator.read_answers(provider)
    assert {r.prestatie.reference: r.codes for r in answer.rejected} == expected
    assert result.statuses["WMO325 afgewezen prestaties"] == len(answer.rejected)


def test_a_second_run_bills_nothing_new(provider, started, service):
    simulate_provider(provider, starts=0, stops=0, today=BILLED_ON)
    before = (IncomingMessage.objects.count(), OutgoingMessage.objects.count())
    simulate_provider(provider, starts=0, stops=0, today=BILLED_ON)
    assert (IncomingMessage.objects.count(), OutgoingMessage.objects.count()) == before and len(service) == 1


def test_the_price_is_the_4_weekly_tariff_times_13_over_12(products):
    tariff = simulator.tariff_for(products["IB1"], BILLED_ON)
    expected = (tariff.amount_per_period * 100 * 13 / 12).quantize(Decimal(1))
    assert simulator.monthly_price_cents(products["IB1"], BILLED_ON) == int(expected)


def test_a_seeded_share_of_lines_has_an_error_of_a_known_kind():
    lines = [line(f"RN{i:03d}", assignment_number=str(30000 + i)) for i in range(400)]

    class Result:
        def __init__(self):
            self.statuses = {}

    first, second = Result(), Result()
    one = simulator._with_errors(lines, rng=random.Random(7), result=first)
    two = simulator._with_errors(lines, rng=random.Random(7), result=second)
    assert one == two and first.statuses == second.statuses  # deterministic per seed
    changed = [(a, b) for a, b in zip(lines, one, strict=True) if a != b]
    assert 20 <= len(changed) <= 60  # about ERROR_SHARE of 400
    assert set(first.statuses) == {f"WMO323 regel met fout ({kind})" for kind in simulator.ERROR_KINDS}
    found = wmo323.check_conditions(declaratie(*one), dagtekening=date(2026, 5, 6))
    repeated = first.statuses["WMO323 regel met fout (referentie)"]
    assert sum(1 for codes in found.prestaties.values() if ("8021", "") in codes) == 2 * repeated


def test_the_simulator_now_and_then_credits_an_earlier_month_exactly(provider, started, monkeypatch):
    """With the real service: November billed, then December with a credit for every accepted
    November debit (CREDIT_SHARE 1): each credit cancels its debit (IV091) and is accepted."""
    from billing.models import Prestatie

    monkeypatch.setattr(simulator, "ERROR_SHARE", 0.0)
    simulate_provider(provider, starts=0, stops=0, today=BILLED_ON, seed=3)
    november = list(Prestatie.objects.filter(provider=provider, accepted=True, debit_credit="D"))
    assert november

    monkeypatch.setattr(simulator, "CREDIT_SHARE", 1.0)
    result = simulate_provider(provider, starts=0, stops=0, today=date(2027, 1, 5), seed=3)

    credits = Prestatie.objects.filter(provider=provider, debit_credit="C")
    assert result.statuses["WMO323 creditregels"] == len(november) == credits.count()
    assert all(credit.accepted for credit in credits)
    assert {credit.cancels_id for credit in credits} == {debit.pk for debit in november}


def test_the_same_seed_gives_the_same_credits_and_errors():
    """The draws of a month are a function of the seed: the same seed, the same lines."""
    lines = [line(f"RN{n:03d}") for n in range(200)]

    def draw(seed):
        return simulator._with_errors(lines, rng=random.Random(seed), result=_Result())

    assert draw(5) == draw(5) and draw(5) != draw(6)


class _Result:
    def __init__(self):
        self.statuses = {}


def test_the_command_passes_its_seed(provider, monkeypatch):
    from django.core.management import call_command

    from iwmo.management.commands import iwmo_simulate_provider as command
    from iwmo.simulator import Simulation

    seeds = []

    def fake(provider_, **kwargs):
        seeds.append(kwargs["seed"])
        return Simulation()  # the real result, every count 0

    monkeypatch.setattr(command, "simulate_provider", fake)
    call_command("iwmo_simulate_provider", provider.agb_code, "--seed", "42", stdout=open("/dev/null", "w"))
    assert seeds == [42]
