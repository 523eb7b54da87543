"""Benchmark (not a test): the monthly payment run for all providers, on PostgreSQL.

    DATABASE_URL=postgres://.../sddcase_bench .venv/bin/python bench/payrun_bench.py [--providers 50]
        [--prestaties 100000] [--credits 0.01]

Loads (once, with bulk inserts) a month of judged declaraties: --providers providers with an IBAN,
one declaratie per provider and municipality, --prestaties accepted prestaties over them and a share
of accepted credits cancelling some of them (a credit in another declaratie of the same provider).
Then times, in a transaction that is rolled back (so a rerun measures the same work): creating the
batch for the month (billing.payments.create_payment_batch) and exporting it (CSV, XLSX and SEPA
for the batch, CSV and XLSX per provider, billing.payments.export_payment_batch). Aim: under 30 s.
Give it a database of its own (migrated).
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from billing import payments  # noqa: E402
from billing.models import Declaratie, PaymentExport, Prestatie  # noqa: E402
from billing.types import CREDIT, DEBIT  # noqa: E402
from indications.models import Municipality  # noqa: E402
from providers.iban import check_digits  # noqa: E402
from providers.models import Provider, ReferenceGroup  # noqa: E402

AGB_PREFIX = "9500"
MONTH = date(2026, 9, 1)
MONTH_END = date(2026, 9, 30)
TODAY = date(2026, 10, 15)
AMOUNT = 36580


class Rollback(Exception):
    pass


def _providers(count: int) -> list[Provider]:
    existing = list(Provider.objects.filter(agb_code__startswith=AGB_PREFIX).order_by("agb_code"))
    if len(existing) >= count:
        return existing[:count]
    group = ReferenceGroup.objects.order_by("number").first()
    made = []
    for number in range(len(existing), count):
        agb = f"{AGB_PREFIX}{number:04d}"
        bban = f"RABO{int(agb):010d}"
        made.append(
            Provider(
                name=f"Bench aanbieder {number:02d}",
                agb_code=agb,
                reference_group=group,
                iban=f"NL{check_digits('NL', bban)}{bban}",
                bic="RABONL2U" if number % 2 else "",
            )
        )
    Provider.objects.bulk_create(made)
    return list(Provider.objects.filter(agb_code__startswith=AGB_PREFIX).order_by("agb_code"))[:count]


def _declaratie(provider, municipality, number: str, lines: int) -> Declaratie:
    return Declaratie(
        provider=provider,
        municipality=municipality,
        number=number,
        period_start=MONTH,
        period_end=MONTH_END,
        dagtekening=MONTH_END + timedelta(days=3),
        channel=Declaratie.Channel.IWMO,
        identification=f"BENCH-{number}",
        fingerprint="0" * 64,
        submitted_cents=lines * AMOUNT,
        granted_cents=lines * AMOUNT,
        status=Declaratie.Status.ACCEPTED,
    )


def _prestatie(declaratie, index: int, reference: str, **fields) -> Prestatie:
    values = {
        "declaratie": declaratie,
        "provider_id": declaratie.provider_id,
        "index": index,
        "bsn": "999990019",
        "assignment_number": f"{index:010d}",
        "reference": reference,
        "product_category": "07",
        "product_code": "07A01",
        "period_start": MONTH,
        "period_end": MONTH_END,
        "volume": 1,
        "unit": "82",
        "tariff_cents": AMOUNT,
        "amount_cents": AMOUNT,
        "debit_credit": DEBIT,
        "accepted": True,
        "codes": ["0200"],
    }
    values.update(fields)
    return Prestatie(**values)


def load(provider_count: int, prestaties: int, credit_share: float) -> None:
    """A month of declaraties for the bench providers (skipped when it is there)."""
    providers = _providers(provider_count)
    if Declaratie.objects.filter(provider__in=providers, period_start=MONTH).exists():
        return
    municipalities = list(Municipality.objects.order_by("pk"))
    per_declaratie = max(1, prestaties // (len(providers) * len(municipalities)))
    with transaction.atomic():
        declaraties = Declaratie.objects.bulk_create(
            [
                _declaratie(provider, municipality, f"B{provider.agb_code[-4:]}{municipality.pk:02d}", per_declaratie)
                for provider in providers
                for municipality in municipalities
            ]
        )
        debits = Prestatie.objects.bulk_create(
            [
                _prestatie(declaratie, index, f"D{declaratie.pk}-{index}")
                for declaratie in declaraties
                for index in range(per_declaratie)
            ],
            batch_size=5000,
        )
        # The credits: one declaratie per provider cancelling a share of its debits exactly.
        credit_declaraties = Declaratie.objects.bulk_create(
            [_declaratie(provider, municipalities[0], f"C{provider.agb_code[-4:]}", 0) for provider in providers]
        )
        by_provider = {declaratie.provider_id: declaratie for declaratie in credit_declaraties}
        step = max(1, round(1 / credit_share)) if credit_share else 0
        credits = [
            _prestatie(
                by_provider[debit.provider_id],
                number,
                f"C{debit.pk}",
                previous_reference=debit.reference,
                debit_credit=CREDIT,
                cancels=debit,
            )
            for number, debit in enumerate(debits[::step] if step else [])
        ]
        Prestatie.objects.bulk_create(credits, batch_size=5000)
    connection.cursor().execute("ANALYZE billing_prestatie; ANALYZE billing_declaratie")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=50)
    parser.add_argument("--prestaties", type=int, default=100_000)
    parser.add_argument("--credits", type=float, default=0.01)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL).")
    started = time.perf_counter()
    load(args.providers, args.prestaties, args.credits)
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    month_lines = Prestatie.objects.filter(declaratie__period_start=MONTH, accepted=True)
    print(
        f"{Provider.objects.filter(agb_code__startswith=AGB_PREFIX).count()} providers, "
        f"{Declaratie.objects.filter(period_start=MONTH).count()} declaraties, "
        f"{month_lines.count()} accepted prestaties ({month_lines.filter(debit_credit=CREDIT).count()} credits)"
    )
    try:
        with transaction.atomic():
            started = time.perf_counter()
            batch = payments.create_payment_batch(MONTH, by=None, today=TODAY)
            created = time.perf_counter() - started
            started = time.perf_counter()
            payments.export_payment_batch(batch, by=None, today=TODAY)
            exported = time.perf_counter() - started
            files = list(PaymentExport.objects.filter(batch=batch).values_list("kind", "content"))
            raise Rollback
    except Rollback:
        pass
    size = sum(len(content) for _kind, content in files)
    print(f"batch {batch.number}: {batch.transfers} transfers, {batch.total_cents / 100:,.2f} euro")
    print(f"create batch: {created:.2f} s")
    print(f"export ({len(files)} files, {size / 1024:.0f} KiB): {exported:.2f} s")
    print(f"payment run total: {created + exported:.2f} s (aim: under 30 s)")


if __name__ == "__main__":
    main()
