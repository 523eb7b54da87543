"""sla_figures(): stored figures for a closed period, live for the open one (issue 20).

The data set is the hand-made one of tests/test_sla.py (its `provider` fixture), plus a second
provider, so the stored rows of several providers are read at once."""

import datetime
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from indications.models import Indication
from providers.models import Assignment, Provider, SlaFigures, SlaMonthFigures
from providers.selectors import Period, benchmark, periods, sla_figures, sla_figures_of_periods
from providers.services import issue_api_token, refresh_sla_figures
from providers.sla import SLA_FIGURES
from tests.factories import ClientFactory, contracted_provider
from tests.test_sla import make, provider  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def two(provider):  # noqa: F811
    other = contracted_provider(name="Ander")
    make(
        other,
        ClientFactory(),
        kind=Indication.Kind.FIRST,
        product="IB1",
        start=date(2026, 3, 10),
        end=date(2026, 8, 20),
        status=Assignment.Status.ENDED,
    )
    return Provider.objects.filter(pk__in=[provider.pk, other.pk])


def closed_periods(year: int, today: date) -> list[Period]:
    return [p for g in ("jaar", "kwartaal", "maand") for p in periods(year, g) if p.end < today]


def values(rows) -> dict:
    return {row.pk: {f.name: f.stored_value(getattr(row, f.name)) for f in SLA_FIGURES} for row in rows}


def test_stored_figures_equal_the_live_ones_for_every_month_quarter_and_year(two):
    refresh_sla_figures(today=TODAY, years=[2026])
    checked = closed_periods(2026, TODAY)
    assert len(checked) == 3 + 10  # K1-K3 and January-October; the year and K4 are open
    for period in checked:
        answer = sla_figures(period, providers=two, today=TODAY)
        assert answer.stored and answer.computed_on == TODAY
        assert values(answer.rows) == values(benchmark(period, providers=two, today=TODAY)), period.label


def test_a_closed_year_is_read_from_the_stored_figures():
    later = date(2027, 1, 5)
    p = contracted_provider(name="Jaar")
    make(
        p,
        ClientFactory(),
        kind=Indication.Kind.FIRST,
        product="IB1",
        start=date(2026, 2, 1),
        end=date(2026, 6, 30),
        status=Assignment.Status.ENDED,
    )
    own = Provider.objects.filter(pk=p.pk)
    refresh_sla_figures(today=later, years=[2026])
    for period in closed_periods(2026, later):
        answer = sla_figures(period, providers=own, today=later)
        assert answer.stored
        assert values(answer.rows) == values(benchmark(period, providers=own, today=later)), period.label
    assert values(sla_figures(periods(2026, "jaar")[0], providers=own, today=later).rows)[p.pk]["uitstroom"] == 1


def test_the_current_period_is_live(two):
    refresh_sla_figures(today=TODAY, years=[2026])
    november = periods(2026, "maand")[10]
    SlaMonthFigures.objects.filter(month=11).update(instroom=999)  # would show if it were read
    answer = sla_figures(november, providers=two, today=TODAY)
    assert not answer.stored
    assert values(answer.rows) == values(benchmark(november, providers=two, today=TODAY))
    assert all(row.instroom != 999 for row in answer.rows)


def test_a_closed_period_not_stored_yet_is_live(two):
    quarter = periods(2026, "kwartaal")[1]
    answer = sla_figures(quarter, providers=two, today=TODAY)
    assert not answer.stored and answer.computed_on == TODAY
    assert values(answer.rows) == values(benchmark(quarter, providers=two, today=TODAY))
    # one provider stored, the other not: live for both, never a provider missing
    refresh_sla_figures(today=TODAY, years=[2026])
    SlaFigures.objects.filter(year=2026, quarter=2, provider__name="Ander").delete()
    answer = sla_figures(quarter, providers=two, today=TODAY)
    assert not answer.stored and len(answer.rows) == 2


def test_the_stored_read_is_two_queries(two, django_assert_num_queries):
    refresh_sla_figures(today=TODAY, years=[2026])
    with django_assert_num_queries(3):  # the providers, their stored figures, the open SLA signals
        sla_figures(periods(2026, "maand")[3], providers=two, today=TODAY)


def test_twelve_stored_months_are_read_in_the_queries_of_one(two, django_assert_num_queries):
    refresh_sla_figures(today=TODAY, years=[2025])
    months = periods(2025, "maand")
    with django_assert_num_queries(3):  # the providers, the stored rows of all twelve, the open signals
        answers = sla_figures_of_periods(months, providers=two, today=TODAY)
    assert [answer.stored for answer in answers] == [True] * 12
    for period, answer in zip(months, answers, strict=True):
        assert values(answer.rows) == values(sla_figures(period, providers=two, today=TODAY).rows), period.label
    assert len({id(row) for answer in answers for row in answer.rows}) == 12 * 2  # a row object per period


def test_periods_mixed_stored_open_and_unstored_each_get_their_own_answer(two):
    refresh_sla_figures(today=TODAY, years=[2026])
    shown = [*periods(2026, "maand")[9:], *periods(2025, "kwartaal")[:1], *periods(2026, "jaar")]
    answers = sla_figures_of_periods(shown, providers=two, today=TODAY)
    # October is stored; November and December are open; 2025 was not refreshed; the year 2026 is open
    assert [answer.stored for answer in answers] == [True, False, False, False, False]
    for period, answer in zip(shown, answers, strict=True):
        assert values(answer.rows) == values(benchmark(period, providers=two, today=TODAY)), period.label


def test_the_refresh_is_idempotent(two):
    first = refresh_sla_figures(today=TODAY, years=[2026])
    columns = ("provider", "month", "instroom", "uitstroom", "clients")
    before = sorted(SlaMonthFigures.objects.values_list(*columns))
    assert refresh_sla_figures(today=TODAY, years=[2026]) == first
    assert sorted(SlaMonthFigures.objects.values_list(*columns)) == before
    providers = Provider.objects.count()
    assert SlaMonthFigures.objects.count() == providers * 12 and SlaFigures.objects.count() == providers * 5


def add_providers(n: int, first: int = 0):
    for i in range(first, first + n):
        make(
            contracted_provider(name=f"Extra {i}"),
            ClientFactory(),
            kind=Indication.Kind.FIRST,
            product="IB2",
            start=date(2026, 4, 1),
            end=date(2026, 9, 30),
            status=Assignment.Status.ENDED,
        )


def computed(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT")]


def test_the_refresh_is_set_wise(two):
    add_providers(2)
    with CaptureQueriesContext(connection) as few:
        refresh_sla_figures(today=TODAY, years=[2026])
    add_providers(6, first=2)
    with CaptureQueriesContext(connection) as many:
        refresh_sla_figures(today=TODAY, years=[2026])
    # one computation per period for all providers; only the INSERT batches grow with the rows
    # (SQLite splits a bulk_create by its limit of query parameters)
    assert len(computed(many)) == len(computed(few))
    assert SlaMonthFigures.objects.filter(year=2026).count() == Provider.objects.count() * 12


def api_for(provider_row):
    _token, key = issue_api_token(provider_row, name="sla", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


@pytest.mark.parametrize("periode", ["jaar", "kwartaal", "maand"])
def test_the_api_answer_is_byte_identical_before_and_after_the_refresh(provider, periode):  # noqa: F811
    today = timezone.localdate()
    api = api_for(provider)
    year = today.year - 1  # a closed year
    live = api.get("/api/v1/sla/", {"jaar": year, "periode": periode}).content
    refresh_sla_figures(today=today, years=[year])
    assert SlaMonthFigures.objects.filter(year=year).exists()
    assert api.get("/api/v1/sla/", {"jaar": year, "periode": periode}).content == live
    this_year = api.get("/api/v1/sla/", {"jaar": 2026, "periode": periode}).content
    refresh_sla_figures(today=today, years=[2026])
    assert api.get("/api/v1/sla/", {"jaar": 2026, "periode": periode}).content == this_year


def test_the_api_reads_a_stored_month_in_bounded_queries(provider, django_assert_max_num_queries):  # noqa: F811
    today = timezone.localdate()
    refresh_sla_figures(today=today, years=[2026])
    api = api_for(provider)
    with django_assert_max_num_queries(12 * 3 + 15):  # 3 per stored month; the open month live (~8)
        assert api.get("/api/v1/sla/", {"jaar": 2026, "periode": "maand"}).status_code == 200


def test_the_api_reads_the_stored_months_of_a_closed_year_in_the_queries_of_the_year(provider):  # noqa: F811
    today = timezone.localdate()
    year = today.year - 1
    refresh_sla_figures(today=today, years=[year])
    api = api_for(provider)
    api.get("/api/v1/sla/", {"jaar": year})  # the key's first use writes its last use (once per interval)
    counts = {}
    for periode in ("jaar", "kwartaal", "maand"):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/sla/", {"jaar": year, "periode": periode}).status_code == 200
        counts[periode] = len(queries)
    assert counts["maand"] == counts["kwartaal"] == counts["jaar"]


def test_the_api_says_how_fresh_stored_figures_are(provider):  # noqa: F811
    today = timezone.localdate()
    api = api_for(provider)
    year = today.year - 1  # a closed year: every period stored after the refresh
    before = api.get("/api/v1/sla/", {"jaar": year, "periode": "kwartaal"})
    live_freshness = datetime.datetime.fromisoformat(before["X-Data-Freshness"])
    assert live_freshness > timezone.now() - datetime.timedelta(minutes=5)  # computed live: now
    computed_on = today - datetime.timedelta(days=3)
    refresh_sla_figures(today=computed_on, years=[year])
    after = api.get("/api/v1/sla/", {"jaar": year, "periode": "kwartaal"})
    freshness = datetime.datetime.fromisoformat(after["X-Data-Freshness"])
    assert timezone.localtime(freshness).date() == computed_on and timezone.localtime(freshness).hour == 0
