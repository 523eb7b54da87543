"""SLA figures per provider, on a small hand-made data set whose answers are known."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from indications.models import Indication, IndicationStatus, Product
from providers.models import Assignment, CareEvent, Provider
from providers.selectors import benchmark, periods
from tests.factories import ClientFactory, IndicationFactory, contracted_provider

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def make(provider, client, *, kind, product, start, end, status):
    indication = IndicationFactory(
        client=client,
        kind=kind,
        product=Product.objects.get(code=product),
        start_date=start,
        end_date=end,
        status=IndicationStatus.ACTIEF,
        decision_date=start,
        number=f"IB-T-{start:%Y%m%d}-{client.pk}",
    )
    return Assignment.objects.create(
        indication=indication,
        provider=provider,
        product=indication.product,
        assigned_on=start,
        start_date=start,
        end_date=end,
        status=status,
        number=f"T{indication.pk:09d}",
    )


def start_report(assignment, received_on: date):
    event = CareEvent.objects.create(
        provider=assignment.provider,
        assignment=assignment,
        message_id=f"m{assignment.pk}",
        kind="start",
        event_date=assignment.start_date,
        accepted=True,
        response_status=200,
    )
    CareEvent.objects.filter(pk=event.pk).update(received_at=datetime.combine(received_on, datetime.min.time(), AMS))


@pytest.fixture
def provider():
    p = contracted_provider(name="Meetbaar")
    c1, c2, c3, c4 = (ClientFactory() for _ in range(4))
    ended, active = Assignment.Status.ENDED, Assignment.Status.ACTIVE
    first, down, up = Indication.Kind.FIRST, Indication.Kind.SCALE_DOWN, Indication.Kind.SCALE_UP
    a1 = make(p, c1, kind=first, product="IB1", start=date(2026, 2, 1), end=date(2026, 5, 31), status=ended)
    make(p, c2, kind=first, product="IB1", start=date(2025, 6, 1), end=date(2026, 3, 31), status=ended)
    a3 = make(p, c2, kind=down, product="IB0", start=date(2026, 4, 1), end=date(2026, 12, 31), status=active)
    make(p, c3, kind=first, product="IB1", start=date(2026, 10, 1), end=None, status=active)
    make(p, c4, kind=up, product="IB3", start=date(2026, 3, 1), end=date(2026, 8, 31), status=ended)
    start_report(a1, date(2026, 2, 3))  # on time
    start_report(a3, date(2026, 4, 20))  # late
    other = contracted_provider(name="Ander")
    make(other, ClientFactory(), kind=first, product="IB1", start=date(2026, 1, 5), end=None, status=active)
    return p


def figures_of(period, **provider):
    (row,) = benchmark(period, providers=Provider.objects.filter(**provider), today=date(2026, 11, 23))
    return row


def test_year_figures(provider):
    (year,) = periods(2026, "jaar")
    row = figures_of(year, pk=provider.pk)
    assert (row.instroom, row.afschaling, row.opschaling) == (2, 1, 1)
    assert row.uitstroom == 2  # c1 and c4; c2 continued the next day with IB0
    assert row.clients == 4
    assert row.uitstroom_percentage == pytest.approx(50.0)
    assert row.average_duration == timedelta(days=(119 + 303 + 183) / 3)
    assert row.median_duration == timedelta(days=183)
    assert row.late_start_reports == 2  # a3 reported late, c3 never reported


def test_quarter_figures(provider):
    q1, q2, q3, q4 = periods(2026, "kwartaal")
    rows = {label: figures_of(p, pk=provider.pk) for label, p in (("q1", q1), ("q2", q2), ("q4", q4))}
    assert (rows["q1"].instroom, rows["q1"].opschaling, rows["q1"].uitstroom) == (1, 1, 0)
    assert (rows["q2"].afschaling, rows["q2"].uitstroom) == (1, 1)  # c1 left in May
    assert (rows["q4"].instroom, rows["q4"].clients) == (1, 2)


def test_months_and_other_providers(provider):
    months = periods(2026, "maand")
    assert len(months) == 12 and months[1].end == date(2026, 2, 28)
    other = figures_of(months[0], name="Ander")
    assert (other.instroom, other.clients, other.uitstroom) == (1, 1, 0)
    assert other.median_duration is None


def test_contract_management_page_and_the_providers_own_figures(client, provider):
    from rest_framework.test import APIClient

    from accounts.roles import CONSULENT, CONTRACTMANAGER
    from providers.services import issue_api_token, refresh_sla_figures
    from tests.factories import staff_member

    client.force_login(staff_member(CONTRACTMANAGER))
    page = client.get("/aanbieders/sla/", {"year": 2026, "granularity": "jaar"})
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.pk == provider.pk)
    assert row.uitstroom is None  # the page reads the stored figures: not computed yet
    assert "nog niet berekend" in page.content.decode()

    refresh_sla_figures(today=date(2026, 11, 23), years=[2026])
    page = client.get("/aanbieders/sla/", {"year": 2026, "granularity": "jaar"})
    row = next(r for r in page.context["rows"] if r.pk == provider.pk)
    assert (row.uitstroom, row.clients, row.late_start_reports) == (2, 4, 2)  # as test_year_figures
    invalid = client.get("/aanbieders/sla/", {"year": 2026, "granularity": "kwartaal", "part": 5})
    assert invalid.status_code == 200 and "part" in invalid.context["form"].errors and "rows" not in invalid.context
    client.force_login(staff_member(CONSULENT))
    assert client.get("/aanbieders/sla/").status_code == 403

    _token, key = issue_api_token(provider, name="sla", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    quarters = api.get("/api/v1/sla/", {"jaar": 2026, "periode": "kwartaal"}).json()
    assert [q["periode"] for q in quarters] == ["2026-K1", "2026-K2", "2026-K3", "2026-K4"]
    assert (quarters[1]["afschaling"], quarters[1]["uitstroom"]) == (1, 1)
    assert api.get("/api/v1/sla/", {"jaar": "twee"}).status_code == 400
