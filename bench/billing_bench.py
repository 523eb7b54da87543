"""Benchmark (not a test): one declaratie of 10,000 prestaties judged by submit_declaratie against N
toewijzingen, on PostgreSQL.

    DATABASE_URL=postgres://.../sddcase_bench .venv/bin/python bench/billing_bench.py [--assignments 20000]
        [--lines 10000]

Loads (once) the toewijzingen with bench/api_load.py's loader (~50 providers), converts the
benchmark provider's tariffs, builds a declaratie of one provider over its toewijzingen and the
months before the declaratieperiode, and prints the seconds the checks and the writing take (the
declaratie is rolled back afterwards, so a rerun measures the same work). Give it a database of its own.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import load  # noqa: E402  (sets up Django)
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from billing import services  # noqa: E402
from billing.checks import last_of_month  # noqa: E402
from billing.types import DEBIT, DeclaratieIn, PrestatieIn  # noqa: E402
from indications.models import Municipality  # noqa: E402
from providers.models import Assignment, Contract, Provider  # noqa: E402


class Rollback(Exception):
    pass


def build(provider, lines: int, today: date) -> DeclaratieIn:
    period_end = today.replace(day=1) - date.resolution
    months = []
    month = period_end.replace(day=1)
    while len(months) < 12:
        months.append(month)
        month = (month - date.resolution).replace(day=1)
    assignments = list(
        Assignment.objects.filter(provider=provider)
        .select_related("indication__client", "product")
        .order_by("pk")[:lines]
    )
    prestaties = []
    for month in months:
        for assignment in assignments:
            if len(prestaties) == lines:
                break
            prestaties.append(
                PrestatieIn(
                    bsn=assignment.indication.client.bsn,
                    reference=f"B{len(prestaties):08d}",
                    previous_reference="",
                    assignment_number=assignment.number,
                    product_category=assignment.product.iwmo_category,
                    product_code=assignment.product.iwmo_code,
                    # The whole month, clamped to the toewijzing where it starts or ends in it (TR387/388).
                    period_start=max(month, min(assignment.start_date, last_of_month(month))),
                    period_end=max(
                        max(month, min(assignment.start_date, last_of_month(month))),
                        min(last_of_month(month), assignment.end_date or last_of_month(month)),
                    ),
                    volume=1,
                    unit="82",
                    tariff_cents=None,
                    amount_cents=36580,
                    debit_credit=DEBIT,
                )
            )
    total = sum(p.amount_cents for p in prestaties)
    return DeclaratieIn(
        number="BENCH1",
        period_start=period_end.replace(day=1),
        period_end=period_end,
        dagtekening=today,
        total_cents=total,
        total_debit_credit=DEBIT,
        prestaties=tuple(prestaties),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assignments", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL).")
    load(args.assignments)
    today = date.today()
    provider = (
        Provider.objects.filter(agb_code__startswith="970000").annotate(n=Count("assignments")).order_by("-n").first()
    )
    services.convert_result_tariffs(Contract.objects.filter(provider=provider).first(), by=None)
    declaratie = build(provider, args.lines, today)
    print(f"toewijzingen in the database: {Assignment.objects.count()}")
    print(f"prestaties in the declaratie: {len(declaratie.prestaties)} (provider {provider.agb_code})")
    started = time.perf_counter()
    try:
        with transaction.atomic():
            outcome = services.submit_declaratie(
                declaratie,
                provider=provider,
                municipality=Municipality.objects.first(),
                channel="iwmo",
                identification="BENCH-1",
                actor=None,
                today=today,
            )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    accepted = sum(1 for decision in outcome.decisions if decision.accepted)
    print(f"judged and stored in {seconds:.2f} s: {accepted} accepted, {len(outcome.decisions) - accepted} rejected")


if __name__ == "__main__":
    main()
