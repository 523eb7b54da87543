"""The monitor follows the municipalities' membership per year (issue #15): a municipality that was
no member of the SDD in a year is absent from that year's figures (not a row of zeros) and its
inhabitants do not count in the region's total; the page says which municipalities a year covers."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from audit.models import AuditEvent
from indications.models import Municipality, Product
from monitor.forms import MonitorFilterForm
from monitor.models import Cell, CoarseCell, Population, StackingCell
from monitor.selectors import Selection, coverage, key_figures_per_year, stacking
from tests.factories import TODAY, get_municipality, staff_member

HARDINXVELD = "Hardinxveld-Giessendam"
SIX = "Alblasserdam, Dordrecht, Hendrik-Ido-Ambacht, Papendrecht, Sliedrecht, Zwijndrecht"
SEVEN = "Alblasserdam, Dordrecht, Hardinxveld-Giessendam, Hendrik-Ido-Ambacht, Papendrecht, Sliedrecht, Zwijndrecht"


def _cell(name: str, year: int, clients: int) -> Cell:
    """A cell of the cube and its coarse sum, as the refresh stores both."""
    figures = {
        "municipality": get_municipality(name),
        "product": Product.objects.get(code="IB1"),
        "delivery_form": "natura",
        "year": year,
        "period": Cell.YEAR,
        "clients": clients,
        "clients_on_reference_date": clients,
    }
    CoarseCell.objects.create(**figures)
    return Cell.objects.create(**figures, age_group="26-45", gender="V", opslag=False)


def _stacking_cell(name: str, year: int, clients: int) -> StackingCell:
    return StackingCell.objects.create(
        year=year, municipality=get_municipality(name), combination=None, clients=clients, households=clients
    )


def _inhabitants(year: int) -> dict[str, int]:
    """Population figures for all seven, Hardinxveld-Giessendam's too (as CBS has them)."""
    figures = {m.name: 10_000 for m in Municipality.objects.all()}
    figures["Dordrecht"] = 100_000
    for name, inhabitants in figures.items():
        Population.objects.create(municipality=get_municipality(name), year=year, inhabitants=inhabitants)
    return figures


@pytest.mark.parametrize("gender", [None, "V"], ids=["coarse cells", "cells"])
def test_key_figures_count_a_municipality_only_in_the_years_it_was_a_member(db, gender):
    _cell("Dordrecht", 2017, 5)
    _cell(HARDINXVELD, 2017, 3)  # before it joined on 1 January 2018: not the SDD's figures
    _cell(HARDINXVELD, 2018, 2)
    _cell("Dordrecht", 2018, 4)
    table = key_figures_per_year(Selection(gender=gender), [2017, 2018])
    assert [(row[0], row[2]) for row in table.rows] == [(2017, 5), (2018, 6)]
    hardinxveld = key_figures_per_year(
        Selection(municipality=get_municipality(HARDINXVELD), gender=gender), [2017, 2018]
    )
    assert [(row[0], row[2]) for row in hardinxveld.rows] == [(2018, 2)]  # 2017 absent, not 0


def test_the_stacking_of_2016_covers_six_municipalities_and_their_inhabitants(db):
    _inhabitants(2016)
    _stacking_cell("Dordrecht", 2016, 30)
    _stacking_cell(HARDINXVELD, 2016, 9)  # no member yet: absent
    rates, _combinations = stacking(2016)
    # Six members: Dordrecht 100,000 + five of 10,000; Hardinxveld-Giessendam's 10,000 do not count.
    assert [row[:6] for row in rates.rows] == [
        ["Dordrecht", 30, 30, 0, 100_000, 0.3],
        ["Totaal (6 gemeenten)", 30, 30, 0, 150_000, 0.2],
    ]
    assert "alleen de gemeenten die in 2016 lid waren" in rates.note


def test_the_stacking_of_2018_covers_seven_municipalities(db):
    _inhabitants(2018)
    _stacking_cell("Dordrecht", 2018, 30)
    _stacking_cell(HARDINXVELD, 2018, 6)
    rates, _combinations = stacking(2018)
    assert [row[:5] for row in rates.rows] == [
        ["Dordrecht", 30, 30, 0, 100_000],
        [HARDINXVELD, 6, 6, 0, 10_000],
        ["Totaal (7 gemeenten)", 36, 36, 0, 160_000],
    ]


def test_the_filter_refuses_a_municipality_in_a_year_before_it_joined(db):
    hardinxveld = get_municipality(HARDINXVELD)
    form = MonitorFilterForm.for_request(QueryDict(f"year=2017&municipality={hardinxveld.pk}"), today=TODAY)
    assert not form.is_valid()
    assert form.errors["municipality"] == [
        "Hardinxveld-Giessendam was in 2017 geen lid van de Sociale Dienst Drechtsteden: kies een ander jaar."
    ]
    form = MonitorFilterForm.for_request(QueryDict(f"year=2018&municipality={hardinxveld.pk}"), today=TODAY)
    assert form.is_valid(), form.errors


def test_coverage_names_the_members_per_run_of_years(db):
    runs = coverage([2016, 2017, 2018, 2019])
    assert [str(run) for run in runs] == [f"2016–2017: 6 gemeenten ({SIX})", f"2018–2019: 7 gemeenten ({SEVEN})"]
    assert [str(run) for run in coverage([2018])] == [f"2018: 7 gemeenten ({SEVEN})"]


def test_the_monitor_page_says_which_municipalities_the_figures_cover(db, client, pinned_today):
    client.force_login(staff_member(CONTRACTMANAGER, username="contractmanager-lidmaatschap"))
    page = client.get(reverse("monitor:dashboard"), {"year": "2019", "years": "4"}).content.decode()
    assert "De cijfers gaan over de gemeenten die in het jaar lid waren" in page
    assert f"2016–2017: 6 gemeenten ({SIX}); 2018–2019: 7 gemeenten ({SEVEN})." in page


def test_the_ceo_population_covers_the_years_members(db, client):
    client.force_login(staff_member(CONTRACTMANAGER, username="contractmanager-ceo-lidmaatschap"))
    url = reverse("monitor:ceo_population")
    response = client.get(url, {"year": "2017", "formaat": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    read = AuditEvent.objects.filter(action=AuditEvent.Action.READ, summary__endswith="2017")
    covered = {str(object_id) for object_id in read.values_list("object_id", flat=True)}
    assert covered == {str(m.pk) for m in Municipality.objects.exclude(name=HARDINXVELD)}
    page = client.get(url, {"year": "2017", "municipality": get_municipality(HARDINXVELD).pk, "formaat": "csv"})
    assert "geen lid van de Sociale Dienst Drechtsteden" in page.content.decode()
