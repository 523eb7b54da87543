"""The nightly refresh of the monitor: idempotent, year by year, from the service, the management
command and the Celery task, and logged (Refresh, RefreshedYear, last_refresh)."""

import time
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from indications.models import IndicationStatus
from monitor import tasks
from monitor.models import CUBE_VERSION, Cell, CoarseCell, Refresh, RefreshedYear, StackingCell
from monitor.selectors import last_refresh, stale_years_shown
from monitor.services import catch_up_stale_years, refresh_monitor, stale_years
from sddcase.celery import app
from tests.factories import TODAY, ClientFactory, IndicationFactory, get_product

pytestmark = pytest.mark.django_db


def snapshot(model, **filters) -> Counter:
    """The rows as a multiset of their values, without the primary key."""
    fields = [field.attname for field in model._meta.concrete_fields if field.name != "id"]
    return Counter(model.objects.filter(**filters).values_list(*fields))


def new_client_from_2024(world):
    """One more client, in care from 2024-03-01 on: a client more in 2024, 2025 and 2026."""
    return IndicationFactory(
        client=ClientFactory(),
        aanvraag=None,
        product=get_product("IB1"),
        provider=world.a,
        start_date=date(2024, 3, 1),
        end_date=None,
        status=IndicationStatus.ACTIEF,
        decision_date=date(2024, 2, 20),
        results=[],
        evaluations=[],
    )


def clients_in(year: int) -> int:
    return sum(Cell.objects.filter(year=year, period=Cell.YEAR).values_list("clients", flat=True))


def test_refreshing_twice_gives_the_same_cells(world):
    assert not Cell.objects.exists()
    first = refresh_monitor(today=TODAY, first_year=2024)
    cells, stacking = snapshot(Cell), snapshot(StackingCell)
    assert first.cells == sum(cells.values()) > 0
    second = refresh_monitor(today=TODAY, first_year=2024)
    assert snapshot(Cell) == cells
    assert snapshot(StackingCell) == stacking
    assert second.cells == first.cells
    assert Refresh.objects.count() == 2
    assert sorted(RefreshedYear.objects.values_list("year", flat=True)) == [2024, 2025, 2026]


def test_refreshing_one_year_leaves_the_other_years_alone(world):
    refresh_monitor(today=TODAY, first_year=2024)
    before = {year: snapshot(Cell, year=year) for year in (2024, 2025, 2026)}
    refreshed_at = dict(RefreshedYear.objects.values_list("year", "refreshed_at"))
    new_client_from_2024(world)

    run = refresh_monitor(today=TODAY, first_year=2025, last_year=2025)

    assert (run.first_year, run.last_year) == (2025, 2025)
    assert snapshot(Cell, year=2024) == before[2024]
    assert snapshot(Cell, year=2026) == before[2026]
    assert snapshot(Cell, year=2025) != before[2025]
    assert (clients_in(2024), clients_in(2025), clients_in(2026)) == (4, 6 + 1, 4)  # only 2025 sees the new client
    after = dict(RefreshedYear.objects.values_list("year", "refreshed_at"))
    assert after[2024] == refreshed_at[2024]
    assert after[2025] > refreshed_at[2025]


def test_by_default_every_year_from_the_first_beschikking_up_to_today(world):
    run = refresh_monitor(today=TODAY)
    # b9, the oldest decided beschikking, starts 2023-01-01.
    assert (run.reference_date, run.first_year, run.last_year) == (TODAY, 2023, 2026)
    assert run.cells == Cell.objects.count()
    assert sorted(set(Cell.objects.values_list("year", flat=True))) == [2023, 2024, 2025, 2026]
    # A last year after today's year stops at today's year.
    run = refresh_monitor(today=TODAY, first_year=2026, last_year=2030)
    assert run.last_year == 2026
    assert not Cell.objects.filter(year__gt=2026).exists()


def test_without_any_beschikking_the_refresh_makes_no_cells(db):
    run = refresh_monitor(today=TODAY)
    assert (run.first_year, run.last_year, run.cells) == (2026, 2026, 0)
    assert not Cell.objects.exists()


def test_last_refresh_is_the_latest_run(world):
    assert last_refresh() is None
    refresh_monitor(today=TODAY - timedelta(days=1), first_year=2026)
    latest = refresh_monitor(today=TODAY, first_year=2026)
    assert last_refresh() == latest
    assert last_refresh().reference_date == TODAY


# -- stale years: never computed, or by an older release ------------------------------------------


def made_by_an_older_release(*years):
    """What an upgrade leaves: the years as an older release computed them, without the table
    this release adds (here the coarse cells, of migration 0006, stand for it)."""
    RefreshedYear.objects.filter(year__in=years).update(cube_version=CUBE_VERSION - 1)
    CoarseCell.objects.filter(year__in=years).delete()


def test_a_year_is_stale_until_this_release_computed_it(world):
    assert stale_years(TODAY) == [2023, 2024, 2025, 2026]  # the world's first beschikking is of 2023
    refresh_monitor(today=TODAY, first_year=2024)
    assert stale_years(TODAY) == [2023]
    assert set(RefreshedYear.objects.values_list("cube_version", flat=True)) == {CUBE_VERSION}
    made_by_an_older_release(2025)
    assert stale_years(TODAY) == [2023, 2025]
    assert stale_years(date(2024, 12, 31)) == [2023]  # up to the reference date's year


def test_a_new_cube_version_makes_every_year_stale(world, monkeypatch):
    refresh_monitor(today=TODAY, first_year=2023)
    assert stale_years(TODAY) == []
    monkeypatch.setattr("monitor.services.CUBE_VERSION", CUBE_VERSION + 1)
    assert stale_years(TODAY) == [2023, 2024, 2025, 2026]
    catch_up_stale_years(today=TODAY)
    assert stale_years(TODAY) == []
    assert set(RefreshedYear.objects.values_list("cube_version", flat=True)) == {CUBE_VERSION + 1}


def test_a_page_judges_its_years_by_the_last_refresh(world, django_assert_num_queries):
    assert stale_years_shown(None, [2025]) == []  # not computed at all: the page says so instead
    refresh = refresh_monitor(today=TODAY, first_year=2024)
    assert refresh.first_data_year == 2023  # found by the refresh, so a page load scans nothing
    with django_assert_num_queries(1):
        assert stale_years_shown(refresh, range(2020, 2027)) == [2023]
    made_by_an_older_release(2026)
    assert stale_years_shown(refresh, [2024, 2026]) == [2026]


def test_no_data_no_stale_years(db):
    assert stale_years(TODAY) == []
    assert catch_up_stale_years(today=TODAY) == []


def test_catching_up_recomputes_the_stale_years_most_recent_first_and_fills_the_new_table(world):
    refresh_monitor(today=TODAY, first_year=2023)
    coarse, cells = snapshot(CoarseCell), snapshot(Cell)
    made_by_an_older_release(2024, 2025)
    assert snapshot(CoarseCell) != coarse

    runs = catch_up_stale_years(today=TODAY, limit=1)
    assert [(run.first_year, run.last_year) for run in runs] == [(2025, 2025)]
    assert stale_years(TODAY) == [2024]
    runs = catch_up_stale_years(today=TODAY, limit=1)
    assert [run.first_year for run in runs] == [2024]
    assert stale_years(TODAY) == []
    assert snapshot(CoarseCell) == coarse
    assert snapshot(Cell) == cells
    assert catch_up_stale_years(today=TODAY, limit=1) == []


def test_catching_up_begins_a_year_only_when_it_ends_in_time(world, monkeypatch):
    refresh_monitor(today=TODAY, first_year=2023)
    made_by_an_older_release(2024, 2025, 2026)
    assert catch_up_stale_years(today=TODAY, until=time.monotonic(), seconds_per_year=1) == []
    assert stale_years(TODAY) == [2024, 2025, 2026]

    begun = []

    def slow_year(*, today, first_year, last_year, progress):  # a year of 500 s at national scale
        begun.append(first_year)
        return Refresh(reference_date=today, first_year=first_year, last_year=last_year, seconds=500)

    monkeypatch.setattr("monitor.services.refresh_monitor", slow_year)
    catch_up_stale_years(today=TODAY, until=time.monotonic() + 400)
    assert begun == [2026]  # the first year's pace leaves no room for a second before the moment


def test_the_nightly_task_keeps_within_its_time_limit(world, eager, pinned_today, settings, monkeypatch):
    settings.MONITOR_REFRESH_YEARS, settings.MONITOR_CATCH_UP_YEARS = 1, 3
    refresh_monitor(today=TODAY, first_year=2023)
    made_by_an_older_release(2023, 2024, 2025)
    monkeypatch.setattr(tasks, "CATCH_UP_WITHIN", 0)  # its own year already used the time
    tasks.refresh.delay().get()
    assert stale_years(TODAY) == [2023, 2024, 2025]


def test_the_nightly_task_catches_up_a_few_stale_years_after_its_own(world, eager, pinned_today, settings):
    settings.MONITOR_REFRESH_YEARS, settings.MONITOR_CATCH_UP_YEARS = 1, 2
    refresh_monitor(today=TODAY, first_year=2023)
    made_by_an_older_release(2023, 2024, 2025)

    cells = tasks.refresh.delay().get()

    assert stale_years(TODAY) == [2023]  # 2026 its own, then 2025 and 2024; 2023 the next night
    assert cells == Cell.objects.filter(year__in=[2024, 2025, 2026]).count()
    assert [(run.first_year, run.last_year) for run in Refresh.objects.order_by("id")][-3:] == [
        (2026, 2026),
        (2025, 2025),
        (2024, 2024),
    ]
    tasks.refresh.delay().get()
    assert stale_years(TODAY) == []


# -- the management command ----------------------------------------------------------------------


def test_command_refreshes_the_chosen_years_on_the_chosen_day(world):
    out = StringIO()
    call_command("refresh_monitor", "--vanaf", "2025", "--tot", "2025", "--datum", "2026-11-23", stdout=out)
    assert sorted(set(Cell.objects.values_list("year", flat=True))) == [2025]
    run = last_refresh()
    assert (run.reference_date, run.first_year, run.last_year) == (TODAY, 2025, 2025)
    assert "  2025 klaar" in out.getvalue()
    assert f"Monitor bijgewerkt: 2025-2025, {run.cells} cellen in" in out.getvalue()


def test_command_defaults_to_all_years_up_to_today(world, pinned_today):
    call_command("refresh_monitor", stdout=StringIO())
    run = last_refresh()
    assert (run.reference_date, run.first_year, run.last_year) == (TODAY, 2023, 2026)


def test_command_is_silent_at_verbosity_0(world):
    out = StringIO()
    call_command("refresh_monitor", "--vanaf", "2026", "--datum", "2026-11-23", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Refresh.objects.count() == 1


def test_command_refreshes_only_the_stale_years(world, pinned_today):
    refresh_monitor(today=TODAY, first_year=2024)
    made_by_an_older_release(2025)
    out = StringIO()
    call_command("refresh_monitor", "--verouderd", stdout=out)
    assert stale_years(TODAY) == []
    assert sorted(run.first_year for run in Refresh.objects.all()[:2]) == [2023, 2025]
    assert "Monitor bijgewerkt: 2023, 2025" in out.getvalue()
    out = StringIO()
    call_command("refresh_monitor", "--verouderd", stdout=out)
    assert "er is niets bij te werken" in out.getvalue()


@pytest.mark.parametrize(
    "arguments",
    [
        ["--vanaf", "2026", "--tot", "2025"],
        ["--vanaf", "2030"],  # after the current year: nothing to refresh, and no "up to date" log
        ["--vanaf", "2026", "--datum", "2025-06-30"],
        ["--datum", "23-11-2026"],
        ["--vanaf", "twee"],
        ["--verouderd", "--vanaf", "2025"],  # the stale years choose themselves
    ],
)
def test_command_refuses_bad_options(db, arguments):
    with pytest.raises(CommandError):
        call_command("refresh_monitor", *arguments, stdout=StringIO())
    assert not Refresh.objects.exists()


# -- the Celery task -----------------------------------------------------------------------------


def test_the_task_has_a_stable_name_in_the_beat_schedule():
    assert tasks.refresh.name == "monitor.refresh"
    assert "monitor.refresh" in app.tasks  # registered under that name once the module is imported
    assert settings.CELERY_BEAT_SCHEDULE["refresh-monitor"]["task"] == "monitor.refresh"


def test_the_nightly_task_refreshes_the_last_years(world, eager, pinned_today, settings):
    settings.MONITOR_REFRESH_YEARS, settings.MONITOR_CATCH_UP_YEARS = 2, 0
    refresh_monitor(today=TODAY, first_year=2024, last_year=2024)
    kept = snapshot(Cell, year=2024)
    new_client_from_2024(world)

    result = tasks.refresh.delay()

    run = last_refresh()
    assert (run.reference_date, run.first_year, run.last_year) == (TODAY, 2025, 2026)
    assert result.get() == run.cells == Cell.objects.filter(year__in=[2025, 2026]).count()
    assert snapshot(Cell, year=2024) == kept  # older years stay as they were computed
    assert (clients_in(2025), clients_in(2026)) == (7, 5)


def test_the_task_takes_the_number_of_years(world, eager, pinned_today, settings):
    settings.MONITOR_CATCH_UP_YEARS = 0
    assert tasks.refresh.delay(years=1).get() == Cell.objects.count()
    assert (last_refresh().first_year, last_refresh().last_year) == (2026, 2026)
    assert set(Cell.objects.values_list("year", flat=True)) == {2026}


def test_a_refresh_of_no_years_is_refused_and_not_logged(db):
    with pytest.raises(ValueError):
        refresh_monitor(today=TODAY, first_year=TODAY.year + 1)
    assert not Refresh.objects.exists()


def test_the_coarse_cells_sum_the_cells_of_each_year(world):
    refresh_monitor(today=TODAY, first_year=2024)
    for year in [2024, 2025, 2026]:
        fine = Cell.objects.filter(year=year, period=Cell.YEAR)
        coarse = CoarseCell.objects.filter(year=year, period=Cell.YEAR)
        assert sum(fine.values_list("clients", flat=True)) == sum(coarse.values_list("clients", flat=True)) > 0
    # A second refresh replaces them.
    before = snapshot(CoarseCell)
    refresh_monitor(today=TODAY, first_year=2024)
    assert snapshot(CoarseCell) == before
