"""The monitor's figures on mantelzorg in the onderzoek, as the nightly refresh stores them: onderzoeken with a
mantelzorger, how many mantelzorgers, the share zwaar- of overbelast (at risk of overload) and of
those the share offered respijtzorg or mantelzorgondersteuning; per year and period of the melding
and per municipality. Only the municipality of the selection applies."""

from datetime import date

import pytest

from indications.models import Municipality
from monitor.mantelzorg import mantelzorg_per_municipality, mantelzorg_per_period, mantelzorg_per_year
from monitor.selectors import Selection
from monitor.services import refresh_monitor
from tests.factories import ClientFactory, MantelzorgerFactory, MeldingFactory

pytestmark = pytest.mark.django_db


def onderzoek(on: date, municipality: Municipality | None = None):
    client = ClientFactory(municipality=municipality) if municipality else ClientFactory()
    return MeldingFactory(client=client, received_on=on).intake


@pytest.fixture
def world():
    """2026, Dordrecht: three onderzoeken, two with mantelzorgers (three mantelzorgers: one overbelast
    offered respijtzorg, one zwaar belast 10 hours with nothing offered, one enigszins); Zwijndrecht:
    one onderzoek with an overbelaste mantelzorger offered ondersteuning; 2025: one onderzoek without."""
    first = onderzoek(date(2026, 1, 10))
    MantelzorgerFactory(intake=first, overbelast=True, respite_offered=True)
    MantelzorgerFactory(intake=first, load="zwaar", hours_per_week=10)
    second = onderzoek(date(2026, 2, 20))
    MantelzorgerFactory(intake=second, load="enigszins")
    onderzoek(date(2026, 3, 1))
    zwijndrecht = Municipality.objects.get(name="Zwijndrecht")
    MantelzorgerFactory(intake=onderzoek(date(2026, 1, 15), zwijndrecht), overbelast=True, support_offered=True)
    onderzoek(date(2025, 6, 1))
    refresh_monitor(today=REFRESHED_ON, first_year=2025)
    return zwijndrecht


REFRESHED_ON = date(2026, 12, 31)


def test_per_year(world):
    rows = {row[0]: row[1:] for row in mantelzorg_per_year(Selection(), [2025, 2026]).rows}
    assert rows[2025] == [1, 0, 0.0, 0, 0, None, None, None]
    # 4 onderzoeken, 3 with a mantelzorger; 4 mantelzorgers, 3 at risk (2 overbelast, 1 zwaar with 10
    # hours); of those 1 offered respijtzorg and 1 ondersteuning.
    assert rows[2026] == [4, 3, 75.0, 4, 3, 75.0, 100 / 3, 100 / 3]


def test_zwaar_belast_with_few_hours_is_not_counted_as_at_risk(world, settings):
    settings.SDD = {**settings.SDD, "MANTELZORG_INTENSIVE_HOURS": 12}
    refresh_monitor(today=REFRESHED_ON, first_year=2026)
    rows = {row[0]: row[1:] for row in mantelzorg_per_year(Selection(), [2026]).rows}
    assert rows[2026][4:] == [2, 50.0, 50.0, 50.0]


def test_only_the_selected_municipality_counts(world):
    dordrecht = Municipality.objects.get(name="Dordrecht")
    rows = {row[0]: row[1:] for row in mantelzorg_per_year(Selection(municipality=dordrecht), [2026]).rows}
    assert rows[2026] == [3, 2, 200 / 3, 3, 2, 200 / 3, 50.0, 0.0]


def test_per_municipality(world):
    rows = {row[0]: row[1:] for row in mantelzorg_per_municipality(Selection(), 2026).rows}
    assert set(rows) == {"Dordrecht", "Zwijndrecht"}
    assert rows["Zwijndrecht"] == [1, 1, 100.0, 1, 1, 100.0, 0.0, 100.0]


def test_per_period_of_four_weeks(world):
    table = mantelzorg_per_period(Selection(), 2026)
    rows = {row[0]: row[1:] for row in table.rows}
    assert len(rows) == 13
    # Period 1 (ISO weeks 1-4: 29-12-2025 up to 25-01-2026): the two onderzoeken of January.
    assert rows["2026-P01"][:5] == [2, 2, 100.0, 3, 3]
    assert rows["2026-P02"][:3] == [1, 1, 100.0]  # 20 February
    assert rows["2026-P03"][:3] == [1, 0, 0.0]  # 1 March
    assert rows["2026-P13"][0] == 0


def test_each_table_is_one_query_over_the_stored_counts_up_to_the_refresh(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        mantelzorg_per_year(Selection(), [2025, 2026])
        mantelzorg_per_period(Selection(), 2026)
        mantelzorg_per_municipality(Selection(), 2026)
    # An onderzoek after the refresh counts from the next one on; a refresh up to 31 January stops there.
    onderzoek(date(2026, 4, 1))
    assert mantelzorg_per_year(Selection(), [2026]).rows[0][1] == 4
    refresh_monitor(today=date(2026, 1, 31), first_year=2026)
    assert mantelzorg_per_year(Selection(), [2026]).rows[0][1] == 2
    assert {row[0]: row[1] for row in mantelzorg_per_period(Selection(), 2026).rows}["2026-P02"] == 0
