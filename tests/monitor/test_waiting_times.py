"""The funnel and its waiting times (seed 000: aanvragen against toekenningen; seed 004: "een te
lange doorlooptijd tussen de aanvraag, de toekenning en de beschikbaarheid van hulp"): melding to
onderzoek afgerond (6 weeks), aanvraag to beschikking (2 weeks), toewijzing to start of care (the
SLA's term), counted in the period the step was completed, with known dates:

step         who  gemeente     product aanbieder from        to          days
onderzoek    M1   Dordrecht                      2025-01-06  2025-01-16  10
             M2   Dordrecht                      2025-02-03  2025-03-31  56 (late)
             M3   Zwijndrecht                    2025-03-03  2025-04-14  42 (just in time)
             M5   Dordrecht                      2024-12-01  2025-01-05  35 (counts in 2025)
             M4   Dordrecht                      2025-05-01  (open: not counted)
beschikking  I1   Dordrecht    IB1     A         2025-01-20  2025-01-30  10
             I2   Dordrecht    IB2     B         2025-04-01  2025-04-21  20 (late)
             I3   Zwijndrecht  IB1     A         2025-04-14  2025-04-28  14 (just in time)
             I4   Dordrecht    IB1     A         2025-05-01  (concept: not counted)
start zorg   T1   (I1)                 A         2025-02-01  2025-02-11  10
             T2   (I2)                 B         2025-05-01  2025-05-31  30 (late)
             T3   (I3)                 A         2025-05-01  (not started: not counted)

The nightly refresh stores the steps per period, cell and waiting time (WaitingCell); the tables read
those, so each test refreshes first."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import Indication, IndicationStatus, TreatmentNeeded
from monitor import selectors
from monitor.models import (
    COARSE_DIMENSIONS,
    CoarseWaitingCell,
    MunicipalityWaitingCell,
    ProductWaitingCell,
    ProviderWaitingCell,
    WaitingCell,
)
from monitor.periods import four_week_periods
from monitor.selectors import Selection
from monitor.services import refresh_monitor
from tests.factories import (
    AanvraagFactory,
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    MeldingFactory,
    contracted_provider,
    get_municipality,
    get_product,
    staff_member,
)

pytestmark = pytest.mark.django_db

ONDERZOEK = "Melding → onderzoek afgerond (termijn 42 dagen)"
BESCHIKKING = "Aanvraag → beschikking (termijn 14 dagen)"
START = "Toewijzing → start zorg (termijn 14 dagen)"


@pytest.fixture
def funnel():
    dordrecht, zwijndrecht = get_municipality("Dordrecht"), get_municipality("Zwijndrecht")
    a, b = contracted_provider(name="Aanbieder A"), contracted_provider(name="Aanbieder B")
    for municipality, received, concluded in [
        (dordrecht, date(2025, 1, 6), date(2025, 1, 16)),
        (dordrecht, date(2025, 2, 3), date(2025, 3, 31)),
        (zwijndrecht, date(2025, 3, 3), date(2025, 4, 14)),
        (dordrecht, date(2024, 12, 1), date(2025, 1, 5)),
        (dordrecht, date(2025, 5, 1), None),
    ]:
        MeldingFactory(
            client=ClientFactory(municipality=municipality),
            received_on=received,
            intake__concluded_on=concluded,
            intake__conclusion="maatwerkvoorziening" if concluded else "",
        )

    def beschikking(municipality, product, provider, received, decided):
        client = ClientFactory(municipality=municipality)
        return IndicationFactory(
            client=client,
            aanvraag=AanvraagFactory(client=client, received_on=received),
            product=get_product(product),
            provider=provider,
            status=IndicationStatus.ACTIEF if decided else IndicationStatus.CONCEPT,
            decision_date=decided,
            number=None,
            start_date=date(2025, 2, 1) if decided else date(2025, 6, 1),
            end_date=date(2025, 12, 31),
            results=[],
            evaluations=[],
        )

    i1 = beschikking(dordrecht, "IB1", a, date(2025, 1, 20), date(2025, 1, 30))
    i2 = beschikking(dordrecht, "IB2", b, date(2025, 4, 1), date(2025, 4, 21))
    i3 = beschikking(zwijndrecht, "IB1", a, date(2025, 4, 14), date(2025, 4, 28))
    beschikking(dordrecht, "IB1", a, date(2025, 5, 1), None)
    for indication, assigned, started in [
        (i1, date(2025, 2, 1), date(2025, 2, 11)),
        (i2, date(2025, 5, 1), date(2025, 5, 31)),
        (i3, date(2025, 5, 1), None),
    ]:
        AssignmentFactory(
            indication=indication,
            provider=indication.provider,
            assigned_on=assigned,
            start_date=indication.start_date,
            care_started_on=started,
        )
    refresh_monitor(today=REFRESHED_ON, first_year=2024)
    return {"a": a, "b": b, "zwijndrecht": zwijndrecht, "i1": i1}


REFRESHED_ON = date(2025, 12, 31)


def test_per_year_the_count_the_median_and_the_share_within_the_term(funnel, django_assert_num_queries):
    with django_assert_num_queries(1):  # one grouped query over the stored steps
        table = selectors.waiting_times_per_year(Selection(), [2024, 2025])
    # 2024 has no completed step; onderzoek 10, 35, 42, 56: median 38.5, 3 of 4 within 42 days.
    assert table.rows == [
        [2025, ONDERZOEK, 4, 38.5, 3, 75.0],
        [2025, BESCHIKKING, 3, 14.0, 2, pytest.approx(66.67, abs=0.01)],
        [2025, START, 2, 20.0, 1, 50.0],
    ]


def test_per_municipality_product_and_provider(funnel):
    per_municipality = selectors.waiting_times(Selection(), 2025, per="municipality").rows
    assert per_municipality == [
        ["Dordrecht", ONDERZOEK, 3, 35.0, 2, pytest.approx(66.67, abs=0.01)],
        ["Dordrecht", BESCHIKKING, 2, 15.0, 1, 50.0],
        ["Dordrecht", START, 2, 20.0, 1, 50.0],
        ["Zwijndrecht", ONDERZOEK, 1, 42.0, 1, 100.0],
        ["Zwijndrecht", BESCHIKKING, 1, 14.0, 1, 100.0],
    ]
    # The onderzoek has no product or provider: it is not in those tables.
    ib1, ib2 = get_product("IB1").name, get_product("IB2").name
    assert selectors.waiting_times(Selection(), 2025, per="product").rows == [
        [ib1, BESCHIKKING, 2, 12.0, 2, 100.0],
        [ib1, START, 1, 10.0, 1, 100.0],
        [ib2, BESCHIKKING, 1, 20.0, 0, 0.0],
        [ib2, START, 1, 30.0, 0, 0.0],
    ]
    assert [row[:3] for row in selectors.waiting_times(Selection(), 2025, per="provider").rows] == [
        ["Aanbieder A", BESCHIKKING, 2],
        ["Aanbieder A", START, 1],
        ["Aanbieder B", BESCHIKKING, 1],
        ["Aanbieder B", START, 1],
    ]


def test_the_filters_select_the_steps(funnel):
    # A product (or provider) leaves out the onderzoek, which has none.
    assert selectors.waiting_times_per_year(Selection(product=get_product("IB1")), [2025]).rows == [
        [2025, BESCHIKKING, 2, 12.0, 2, 100.0],
        [2025, START, 1, 10.0, 1, 100.0],
    ]
    assert selectors.waiting_times_per_year(Selection(provider=funnel["b"]), [2025]).rows == [
        [2025, BESCHIKKING, 1, 20.0, 0, 0.0],
        [2025, START, 1, 30.0, 0, 0.0],
    ]
    assert selectors.waiting_times_per_year(Selection(municipality=funnel["zwijndrecht"]), [2025]).rows == [
        [2025, ONDERZOEK, 1, 42.0, 1, 100.0],
        [2025, BESCHIKKING, 1, 14.0, 1, 100.0],
    ]


def test_per_period_of_four_weeks(funnel):
    spans = four_week_periods(2025)

    def label(day):
        return next(span.label for span in spans if span.start <= day <= span.end)

    rows = selectors.waiting_times_per_period(Selection(), 2025).rows
    # The onderzoeken concluded on 5 and 16 January (35 and 10 days), 31 March (56) and 14 April (42).
    expected: dict = {}
    for day, days in [
        (date(2025, 1, 5), 35),
        (date(2025, 1, 16), 10),
        (date(2025, 3, 31), 56),
        (date(2025, 4, 14), 42),
    ]:
        expected.setdefault(label(day), []).append(days)
    assert {row[0]: (row[2], row[3]) for row in rows if row[1] == ONDERZOEK} == {
        period: (len(days), sum(days) / len(days) if len(days) == 2 else days[0]) for period, days in expected.items()
    }
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)


def test_the_sla_term_for_the_start_of_care_is_a_setting(funnel, settings):
    settings.SDD = {**settings.SDD, "CARE_START_TERM_DAYS": 30}
    rows = selectors.waiting_times_per_year(Selection(), [2025]).rows
    assert rows[-1] == [2025, "Toewijzing → start zorg (termijn 30 dagen)", 2, 20.0, 2, 100.0]


def test_the_page_shows_the_waiting_times_with_a_chart_and_exports(funnel, client, pinned_today):
    client.force_login(staff_member(CONTRACTMANAGER, username="wachttijd-check"))
    url = reverse("monitor:dashboard")
    page = client.get(url, {"year": "2025", "years": "2"}).content.decode()
    assert "Mediane wachttijd per stap per jaar (dagen)" in page
    assert "Doorlooptijden per aanbieder in 2025" in page
    response = client.get(
        url, {"year": "2025", "years": "2", "export": "doorlooptijden-per-jaar", "formaat": "csv", "publicatie": "1"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    # For publication every count of this small world is below 8: geheim, and so are its medians.
    assert lines[1].split(";")[2:] == ["geheim"] * 4


def test_every_waiting_table_is_one_query_over_the_stored_steps(funnel, django_assert_num_queries):
    with django_assert_num_queries(4):
        selectors.waiting_times_per_period(Selection(), 2025)
        selectors.waiting_times(Selection(), 2025, per="municipality")
        selectors.waiting_times(Selection(), 2025, per="product")
        selectors.waiting_times(Selection(), 2025, per="provider")


@pytest.mark.parametrize("name", ["", "municipality", "product", "provider"])
def test_the_coarse_waiting_cells_give_the_figures_of_the_cells(funnel, monkeypatch, name):
    chosen = {
        "": {},
        "municipality": {"municipality": get_municipality("Dordrecht")},
        "product": {"product": get_product("IB1")},
        "provider": {"provider": funnel["a"]},
    }[name]

    def waiting(selection):
        return [
            selectors.waiting_times_per_year(selection, [2024, 2025]).rows,
            selectors.waiting_times_per_period(selection, 2025).rows,
            *(selectors.waiting_times(selection, 2025, per=per).rows for per in selectors.WAITING_PER),
        ]

    assert CoarseWaitingCell.objects.exists() and MunicipalityWaitingCell.objects.exists()
    assert ProductWaitingCell.objects.exists() and ProviderWaitingCell.objects.exists()
    coarse = waiting(Selection(**chosen))
    only_coarse = [(CoarseWaitingCell, COARSE_DIMENSIONS)]
    for levels in ([], only_coarse):
        with monkeypatch.context() as patched:
            patched.setattr(selectors, "COARSE", {WaitingCell: levels})
            assert waiting(Selection(**chosen)) == coarse
    assert all(coarse[:2])


def test_the_tables_show_the_last_refresh_until_the_next(funnel):
    before = selectors.waiting_times_per_year(Selection(), [2025]).rows
    funnel["i1"].assignments.update(care_started_on=date(2025, 2, 2))  # 1 day instead of 10
    assert selectors.waiting_times_per_year(Selection(), [2025]).rows == before
    cells = WaitingCell.objects.count()
    refresh_monitor(today=REFRESHED_ON, first_year=2024)
    assert WaitingCell.objects.count() == cells  # the year replaced, not added to
    assert selectors.waiting_times_per_year(Selection(), [2025]).rows[-1] == [2025, START, 2, 15.5, 1, 50.0]


def test_steps_after_the_reference_date_wait_for_a_later_refresh(funnel):
    refresh_monitor(today=date(2025, 3, 31), first_year=2025)
    # Up to 31 March: the onderzoeken of 5 and 16 January and 31 March, beschikking I1, start T1.
    assert [row[1:3] for row in selectors.waiting_times_per_year(Selection(), [2025]).rows] == [
        [ONDERZOEK, 3],
        [BESCHIKKING, 1],
        [START, 1],
    ]


def test_a_beschikking_dimension_leaves_out_the_onderzoek(funnel):
    Indication.objects.filter(provider=funnel["b"]).update(treatment_needed=TreatmentNeeded.WAITING)
    refresh_monitor(today=REFRESHED_ON, first_year=2025)
    # I2 (20 days) and its toewijzing T2 (30 days) wait for treatment; the onderzoek records no such thing.
    assert selectors.waiting_times_per_year(Selection(treatment_needed=TreatmentNeeded.WAITING), [2025]).rows == [
        [2025, BESCHIKKING, 1, 20.0, 0, 0.0],
        [2025, START, 1, 30.0, 0, 0.0],
    ]
    assert selectors.waiting_times_per_year(Selection(treatment_needed=TreatmentNeeded.NO), [2025]).rows == []
    assert selectors.waiting_times_per_year(Selection(delivery_form="natura"), [2025]).rows[0][1] == BESCHIKKING


def test_the_age_group_is_the_one_on_the_years_last_day(funnel):
    client = funnel["i1"].client
    client.__class__.objects.update(date_of_birth=date(1940, 1, 1))
    # 18 on 31 December 2025, so 17 when the step was completed in January.
    client.__class__.objects.filter(pk=client.pk).update(date_of_birth=date(2007, 12, 31))
    refresh_monitor(today=REFRESHED_ON, first_year=2025)
    rows = selectors.waiting_times_per_year(Selection(age_group="18-25"), [2025]).rows
    assert rows == [[2025, BESCHIKKING, 1, 10.0, 1, 100.0], [2025, START, 1, 10.0, 1, 100.0]]
    assert selectors.waiting_times_per_year(Selection(age_group="0-17"), [2025]).rows == []


def test_a_refresh_on_new_years_day_before_the_first_iso_week_stores_the_year_so_far(funnel):
    # 1 January 2027 is a Friday: period 1 of 2027 begins on 4 January.
    refresh_monitor(today=date(2027, 1, 1), first_year=2027)
    assert not WaitingCell.objects.filter(year=2027).exists()
    assert selectors.waiting_times_per_period(Selection(), 2027).rows == []
