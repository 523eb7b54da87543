"""The demo's money (issue 17): every contract gets its prices per unit (converted from the 4-weekly
result tariffs), the current contracts a yearly budget, and every provider bills the last twelve
full months: one declaratie per provider, municipality and month, judged by the real service
(billing.services.submit_declaratie). Most lines are right; a small share carries one error of a
known kind, so the reconciliation, the monitor's money and the budget signals show something true.
Deterministic per seed; idempotent (a month a provider has billed is left alone, e.g. the month the
iWmo simulator billed). Then the payment run: every provider an IBAN, a batch per past month."""

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from billing import payments, services, spending
from billing.models import ContractTariff, Declaratie, PaymentBatch
from billing.types import CREDIT, DEBIT, DeclaratieIn, PrestatieIn
from indications.models import Municipality
from providers.iban import check_digits
from providers.models import Assignment, Contract, Provider

MONTHS = 12
ERROR_SHARE = 0.06
CREDIT_SHARE = 0.01
# How full each current contract's budget runs (paid in the year against its ceiling): most have
# room, some pass 80 % and one or two reach their ceiling (the budget signal).
BUDGET_FILL = (0.6, 0.7, 0.75, 0.85, 0.9, 1.1)
IDENTIFICATION = "DEMO"


def _errors(line: PrestatieIn, assignment: Assignment) -> list[PrestatieIn]:
    """One wrong variant per kind: amount, tariff, volume, period before the toewijzing, product code,
    unknown toewijzing (retourcodes 9346, 0611, 9321, 9307, 9340, 9338)."""
    before = assignment.start_date - timedelta(days=1)
    return [
        replace(line, amount_cents=line.amount_cents + 500, tariff_cents=None),
        replace(line, tariff_cents=line.tariff_cents + 100, amount_cents=(line.tariff_cents + 100) * line.volume),
        replace(line, volume=line.volume + 2, amount_cents=line.tariff_cents * (line.volume + 2)),
        replace(line, period_start=before.replace(day=1), period_end=before),
        replace(line, product_code="09X99"),
        replace(line, assignment_number="9" + line.assignment_number[1:]),
    ]


def ensure_contract_prices() -> int:
    """Every contract's prices per unit from the result tariffs (idempotent): how many were added.
    In one transaction (one commit, not one per price)."""
    with transaction.atomic():
        return sum(len(services.convert_result_tariffs(contract, by=None)) for contract in Contract.objects.all())


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


@transaction.atomic  # one commit for the year's declaraties, not one per declaratie
def ensure_demo_declaraties(*, today: date, seed: int = 2026) -> int:
    """The demo's declaraties of the last twelve full months; returns how many were submitted."""
    rng = random.Random(seed)
    ensure_contract_prices()
    prices = {
        (t.contract.provider_id, t.product_id, t.unit): t
        for t in ContractTariff.objects.select_related("contract").order_by("valid_from")
    }
    municipalities = {m.pk: m for m in Municipality.objects.all()}
    billed = set(Declaratie.objects.values_list("provider_id", "municipality_id", "period_start"))
    submitted = 0
    # The accepted debit lines by BSN, each with its sequence number: a month's credits look up the
    # earlier lines of its clients, in the order they were accepted (a list scan per line grew with
    # the square of the data: it did not finish at 277,000 clients).
    accepted_debits: dict[str, list[tuple[int, PrestatieIn]]] = defaultdict(list)
    sequence = 0
    for month in _months(today):
        last = spending.month_end(month)
        assignments = (
            Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=month), start_date__lte=last)
            .filter(care_started_on__isnull=False, care_started_on__lte=last)
            .select_related("indication__client", "product", "provider")
            .order_by("provider_id", "pk")
        )
        groups = defaultdict(list)
        for assignment in assignments:
            tariff = prices.get((assignment.provider_id, assignment.product_id, assignment.unit))
            if tariff is None or not assignment.product.iwmo_code or tariff.valid_from > month:
                continue
            unit_cents = tariff.price_cents + ((tariff.opslag_cents or 0) if assignment.indication.opslag else 0)
            line = PrestatieIn(
                bsn=assignment.indication.client.bsn,
                reference=f"{assignment.pk}-{month:%Y%m}",
                previous_reference="",
                assignment_number=assignment.number,
                product_category=assignment.product.iwmo_category,
                product_code=assignment.product.iwmo_code,
                period_start=max(month, assignment.start_date),
                period_end=min(last, assignment.end_date or last),
                volume=assignment.volume,
                unit=assignment.unit,
                tariff_cents=unit_cents,
                amount_cents=unit_cents * assignment.volume,
                debit_credit=DEBIT,
            )
            if rng.random() < ERROR_SHARE:
                line = rng.choice(_errors(line, assignment))
            else:
                accepted_debits[line.bsn].append((sequence, line))
                sequence += 1
            groups[assignment.provider, assignment.indication.client.municipality_id].append(line)
        for (provider, municipality_id), lines in groups.items():
            if (provider.pk, municipality_id, month) in billed:
                continue
            # Now and then a month also credits an earlier month's line exactly (IV091).
            earlier = sorted(
                (number, debit)
                for bsn in {item.bsn for item in lines}
                for number, debit in accepted_debits.get(bsn, ())
                if debit.period_end < month
            )
            if earlier and rng.random() < CREDIT_SHARE * len(lines):
                chosen = rng.choice(earlier)
                accepted_debits[chosen[1].bsn].remove(chosen)
                debit = chosen[1]
                credit = replace(
                    debit, reference=debit.reference + "-C", previous_reference=debit.reference, debit_credit=CREDIT
                )
                lines = [*lines, credit]
            total = sum(item.signed_cents for item in lines)
            identification = f"{IDENTIFICATION}{provider.pk:04d}{municipality_id:02d}{month:%y%m}"
            services.submit_declaratie(
                DeclaratieIn(
                    number=identification[-12:],
                    period_start=month,
                    period_end=last,
                    dagtekening=min(last + timedelta(days=5), today),
                    total_cents=abs(total),
                    total_debit_credit=CREDIT if total < 0 else DEBIT,
                    prestaties=tuple(lines),
                ),
                provider=provider,
                municipality=municipalities[municipality_id],
                channel=Declaratie.Channel.API,
                identification=identification,
                actor=None,
                today=today,
            )
            submitted += 1
    _ensure_budgets(today=today, rng=rng)
    return submitted


def _ensure_budgets(*, today: date, rng: random.Random) -> None:
    """A ceiling for this year on each current contract, sized from what its provider is expected
    to cost in the year so that the budgets run as full as BUDGET_FILL says."""
    year = today.year
    expected = spending.MoneyCube.of(year).per("provider")
    for contract in Contract.objects.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    ):
        money = expected.get(contract.provider_id)
        if money is None or not money.paid_cents or contract.budgets.filter(year=year).exists():
            continue
        fill = rng.choice(BUDGET_FILL)
        services.set_contract_budget(contract, year=year, amount_cents=round(money.paid_cents / fill), by=None)


def demo_iban(provider: Provider) -> str:
    """A Dutch account with valid check digits, derived from the provider's AGB-code (deterministic)."""
    bban = f"INGB{int(provider.agb_code):010d}"
    return f"NL{check_digits('NL', bban)}{bban}"


@transaction.atomic  # one commit for every batch and its export
def ensure_demo_payment_batches(*, today: date) -> int:
    """Every provider an IBAN (when it has none), and a payment batch for each of the demo's past
    months that has none yet: all exported except the last, which stays a concept to look at.
    Idempotent; returns how many batches were made."""
    providers = list(Provider.objects.filter(iban=""))
    for provider in providers:
        provider.iban, provider.account_holder = demo_iban(provider), provider.name[:70]
    Provider.objects.bulk_update(providers, ["iban", "account_holder"])
    active = PaymentBatch.objects.exclude(status=PaymentBatch.Status.CANCELLED)
    latest = active.order_by("-month").values_list("month", flat=True).first()
    months = [month for month in _months(today) if latest is None or month > latest]
    made = 0
    for index, month in enumerate(months):
        try:
            batch = payments.create_payment_batch(month, by=None, today=today)
        except ValidationError:  # nothing to pay up to this month
            continue
        made += 1
        if index < len(months) - 1:
            payments.export_payment_batch(batch, by=None, today=today)
    return made
