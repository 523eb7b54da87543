"""A caseload for the benchmarks (not a test): N clients, each with one active beschikking and its
toewijzing, bulk-created and numbered, spread over the given providers. Imported by the benchmark
scripts after they have set up Django (bench/iwmo_bench.py, bench/batch_bench.py)."""

from datetime import timedelta

from django.db import connection

from indications.models import (
    Aanvraag,
    Client,
    IbResult,
    Indication,
    IndicationResult,
    IndicationStatus,
    Municipality,
    Product,
)
from providers.models import Assignment
from providers.numbering import reserve_assignment_numbers
from tests.factories import bsn_for


def bulk_caseload(clients: int, today, *, providers, consultant, tag: str, results: int = 0) -> list[Assignment]:
    """The toewijzingen of `clients` new Dordrecht clients (IB1, started 30 days ago, a year long),
    the n-th at providers[n % len(providers)]; `results` IB results per beschikking; `tag` keeps
    the names and beschikking numbers of one run apart from another's. ANALYZE on PostgreSQL."""
    municipality = Municipality.objects.get(name="Dordrecht")
    product = Product.objects.get(code="IB1")
    offset = Client.objects.count()
    run = f"{offset:06d}"
    start = today - timedelta(days=30)
    new_clients = Client.objects.bulk_create(
        Client(
            bsn=bsn_for(offset + n),
            initials="J.",
            first_name="Jan",
            last_name=f"{tag}{run}-{n}",
            date_of_birth=start.replace(year=1975),
            gender=Client.Gender.MALE,
            municipality=municipality,
            street="Voorstraat",
            house_number=str(1 + n),
            postcode="3311 AA",
            city="Dordrecht",
        )
        for n in range(clients)
    )
    aanvragen = Aanvraag.objects.bulk_create(
        Aanvraag(client=client, received_on=start - timedelta(days=14), consultant=consultant) for client in new_clients
    )
    indications = Indication.objects.bulk_create(
        Indication(
            client=client,
            aanvraag=aanvraag,
            product=product,
            provider=providers[n % len(providers)],
            consultant=consultant,
            status=IndicationStatus.ACTIEF,
            start_date=start,
            end_date=start + timedelta(days=364),
            decision_date=start - timedelta(days=5),
            number=f"IB-{tag[:1].upper()}{run}-{n:06d}",
        )
        for n, (client, aanvraag) in enumerate(zip(new_clients, aanvragen, strict=True))
    )
    if results:
        chosen = list(IbResult.objects.select_related("domain").order_by("pk")[:results])
        IndicationResult.objects.bulk_create(
            IndicationResult(indication=indication, result=result, goal=f"Doel {result.name}")
            for indication in indications
            for result in chosen
        )
    numbers = reserve_assignment_numbers(clients)
    assignments = Assignment.objects.bulk_create(
        Assignment(
            indication=indication,
            provider=indication.provider,
            product=product,
            number=number,
            assigned_on=start,
            start_date=start,
            end_date=indication.end_date,
        )
        for indication, number in zip(indications, numbers, strict=True)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return assignments
