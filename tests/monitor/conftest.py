"""A small hand-made world for the monitor, whose figures are worked out by hand in the tests.

Eight clients and ten decided beschikkingen around the refresh date TODAY (2026-11-23); the cube
is refreshed for 2024 up to 2026 (2026 up to TODAY). Tariffs are those of the data migration:
IB0 168.83 (no opslag), IB1 337.66 + opslag 110.45, IB2 732.16 + 239.50, IB3 1124.99 + 368.00.

client  gemeente     sex born        beschikkingen (product, provider, soort, from - to)
C1      Dordrecht    V   1990-06-15  b1  IB1   A eerste      2025-03-01 - 2025-06-30
                                     b10 IB1   B eerste      2026-12-01 - 2027-11-30 (vastgesteld, decided 2026-11-20)
C2      Dordrecht    M   2007-12-31  b2  IB2+o B eerste      2024-10-01 - 2025-03-30
                                     b3  IB1   B afschaling  2025-03-31 - (open)
C3      Zwijndrecht  M   1949-12-31  b4  IB1   A eerste      2024-06-01 - 2025-01-31
                                     b5  IB3+o A opschaling  2025-02-01 - 2026-01-31
C4      Dordrecht    X   1960-01-01  b6  IB0   B eerste      2024-01-15 - 2024-12-15
                                     b7  IB1   B eerste      2025-05-01 - 2025-10-31 (a heraanmelding)
C5      Sliedrecht   V   1950-01-01  b8  IB1+o A eerste      2025-11-03 - (open)
C7      Dordrecht    M   1985-01-01  b9  IB1   A eerste      2023-01-01 - (open)
C8      Dordrecht    V   1970-03-03  an ingetrokken IB1 in 2025, and C1 has a concept IB3: neither counts

A is in reference group 1 (Gehandicaptenzorg), B in group 2 (GGZ). "+o": with opslag.
Stacking: C2 and C7 live at one address (Voorstraat 10, Dordrecht); C5 has wijkverpleging (Zvw)
and lives with C6 (no IB, dagbesteding) at Kerkbuurt 1, Sliedrecht; C3 has dagbesteding (Wmo).
b3, b5, b8 and b9 have an active toewijzing. Every other client has an address of their own."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from indications.models import Client, Indication, IndicationStatus
from monitor.models import DurationAmbition, Population
from monitor.services import refresh_monitor
from providers.models import ReferenceGroup
from tests.conftest import built_once_per_module
from tests.factories import (
    TODAY,
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    OtherProvisionFactory,
    UserFactory,
    contracted_provider,
    get_municipality,
    get_product,
)

FIRST, AFSCHALING, OPSCHALING = Indication.Kind.FIRST, Indication.Kind.SCALE_DOWN, Indication.Kind.SCALE_UP
V, M, X = Client.Gender.FEMALE, Client.Gender.MALE, Client.Gender.OTHER


@dataclass
class World:
    a: object
    b: object
    clients: dict
    beschikkingen: dict


def _client(name, municipality, gender, born, street, house_number, postcode):
    return ClientFactory(
        last_name=name,
        initials=name[0] + ".",
        municipality=get_municipality(municipality),
        gender=gender,
        date_of_birth=born,
        street=street,
        house_number=house_number,
        postcode=postcode,
        city=municipality,
    )


def build_world() -> World:
    consultant = UserFactory(username="monitor-consulent")
    a = contracted_provider(name="Aanbieder A", reference_group=ReferenceGroup.objects.get(number=1))
    b = contracted_provider(name="Aanbieder B", reference_group=ReferenceGroup.objects.get(number=2))
    clients = {
        "C1": _client("Akkerman", "Dordrecht", V, date(1990, 6, 15), "Singel", "1", "3311 AB"),
        "C2": _client("Bakker", "Dordrecht", M, date(2007, 12, 31), "Voorstraat", "10", "3311 AC"),
        "C3": _client("Claassen", "Zwijndrecht", M, date(1949, 12, 31), "Kerkweg", "5", "3331 AA"),
        "C4": _client("Dekker", "Dordrecht", X, date(1960, 1, 1), "Spuiweg", "7", "3311 AD"),
        "C5": _client("Evers", "Sliedrecht", V, date(1950, 1, 1), "Kerkbuurt", "1", "3361 AA"),
        "C6": _client("Evers-Fens", "Sliedrecht", M, date(1951, 5, 5), "Kerkbuurt", "1", "3361 AA"),
        "C7": _client("Gerritsen", "Dordrecht", M, date(1985, 1, 1), "Voorstraat", "10", "3311 AC"),
        "C8": _client("Hendriks", "Dordrecht", V, date(1970, 3, 3), "Vest", "9", "3311 AE"),
    }

    def beschikking(client, product, provider, kind, start, end, *, opslag=False, status=None, decided=None):
        if status is None:
            status = IndicationStatus.BEEINDIGD if end and end < TODAY else IndicationStatus.ACTIEF
        return IndicationFactory(
            client=clients[client],
            aanvraag=None,
            consultant=consultant,
            product=get_product(product),
            provider=provider,
            kind=kind,
            start_date=start,
            end_date=end,
            opslag=opslag,
            status=status,
            decision_date=None if status == IndicationStatus.CONCEPT else decided or start - timedelta(days=7),
            results=[],
            evaluations=[],
        )

    beschikkingen = {
        "b1": beschikking("C1", "IB1", a, FIRST, date(2025, 3, 1), date(2025, 6, 30)),
        "b2": beschikking("C2", "IB2", b, FIRST, date(2024, 10, 1), date(2025, 3, 30), opslag=True),
        "b3": beschikking("C2", "IB1", b, AFSCHALING, date(2025, 3, 31), None),
        "b4": beschikking("C3", "IB1", a, FIRST, date(2024, 6, 1), date(2025, 1, 31)),
        "b5": beschikking("C3", "IB3", a, OPSCHALING, date(2025, 2, 1), date(2026, 1, 31), opslag=True),
        "b6": beschikking("C4", "IB0", b, FIRST, date(2024, 1, 15), date(2024, 12, 15)),
        "b7": beschikking("C4", "IB1", b, FIRST, date(2025, 5, 1), date(2025, 10, 31)),
        "b8": beschikking("C5", "IB1", a, FIRST, date(2025, 11, 3), None, opslag=True),
        "b9": beschikking("C7", "IB1", a, FIRST, date(2023, 1, 1), None),
        "b10": beschikking(
            "C1",
            "IB1",
            b,
            FIRST,
            date(2026, 12, 1),
            date(2027, 11, 30),
            status=IndicationStatus.VASTGESTELD,
            decided=date(2026, 11, 20),
        ),
        # Not decided: they never count.
        "concept": beschikking("C1", "IB3", a, FIRST, date(2025, 8, 1), None, status=IndicationStatus.CONCEPT),
        "ingetrokken": IndicationFactory(
            client=clients["C8"],
            aanvraag=None,
            consultant=consultant,
            product=get_product("IB1"),
            provider=a,
            start_date=date(2025, 2, 1),
            end_date=date(2025, 12, 31),
            ingetrokken=True,
            results=[],
            evaluations=[],
        ),
    }
    for name in ("b3", "b5", "b8", "b9"):
        AssignmentFactory(indication=beschikkingen[name], provider=beschikkingen[name].provider)
    OtherProvisionFactory(
        client=clients["C3"], kind="dagbesteding", start_date=date(2025, 6, 1), recorded_by=consultant
    )
    OtherProvisionFactory(
        client=clients["C5"], kind="wijkverpleging", start_date=date(2025, 10, 1), recorded_by=consultant
    )
    OtherProvisionFactory(
        client=clients["C6"], kind="dagbesteding", start_date=date(2025, 1, 1), recorded_by=consultant
    )

    for municipality, inhabitants in (("Dordrecht", 8_000), ("Sliedrecht", 2_500), ("Papendrecht", 3_000)):
        Population.objects.create(municipality=get_municipality(municipality), year=2025, inhabitants=inhabitants)
    # Zwijndrecht has a population for 2024 only: its 2025 rates cannot be computed.
    Population.objects.create(municipality=get_municipality("Zwijndrecht"), year=2024, inhabitants=4_000)
    DurationAmbition.objects.create(product=get_product("IB1"), weeks=52)
    DurationAmbition.objects.create(product=get_product("IB2"), weeks=26)
    return World(a=a, b=b, clients=clients, beschikkingen=beschikkingen)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def cube(django_db_setup, django_db_blocker) -> World:
    """The world with the monitor refreshed for 2024-2026 on TODAY, built once per module (the refresh
    compiles some forty queries) inside a transaction that is rolled back after the module's last
    test; each test runs in a savepoint within it. Tests must not change it in memory, and a module
    using it keeps tests that need an empty database elsewhere."""

    def build():
        world = build_world()
        refresh_monitor(today=TODAY, first_year=2024)
        return world

    yield from built_once_per_module(django_db_blocker, build)


class _PinnedDate(date):
    @classmethod
    def today(cls):
        return TODAY


@pytest.fixture
def pinned_today(monkeypatch):
    """The pages read the clock (timezone.localdate() in the view, date.today() in the form and the
    duration selector): pin it to TODAY so the page tests do not depend on the day they run."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr("monitor.forms.date", _PinnedDate)
    monkeypatch.setattr("monitor.selectors.date", _PinnedDate)
    return TODAY
