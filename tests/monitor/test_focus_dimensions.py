"""The monitor selects on the beschikking's primary life domain and on whether treatment (Zvw) is
needed (seed 000): both are dimensions of the cube, filled by the refresh.

On the world of conftest.py: b5 (C3, IB3 + opslag, 2025 cost 17809.24) gets financiën and "waits
for treatment", b9 (C7, IB1, 2025 cost 4401.64) financiën and "no treatment"; b3 (C2) huisvesting
with treatment in place (3328.36 in 2025; C2's client count lies in b3's cell, the one started last)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import Indication
from monitor.forms import MonitorFilterForm
from monitor.models import Cell
from monitor.selectors import KEY_COLUMNS, Selection, key_figures_per_year
from monitor.services import refresh_monitor
from tests.factories import TODAY, get_result_domain, staff_member

pytestmark = pytest.mark.django_db
KEYS = [key for key, _column in KEY_COLUMNS]
T = Indication.TreatmentNeeded


@pytest.fixture
def focused(world):
    b = world.beschikkingen
    financien, huisvesting = get_result_domain("financien"), get_result_domain("huisvesting")
    for name, domain, treatment in (
        ("b5", financien, T.WAITING),
        ("b9", financien, T.NO),
        ("b3", huisvesting, T.IN_PLACE),
    ):
        Indication.objects.filter(pk=b[name].pk).update(primary_domain=domain, treatment_needed=treatment)
    refresh_monitor(today=TODAY, first_year=2024)
    return world


def figures(selection, year=2025) -> dict:
    (row,) = key_figures_per_year(selection, [year]).rows
    return dict(zip(KEYS, row[1:], strict=True))


def test_the_refresh_fills_both_dimensions(focused):
    assert Cell.objects.filter(year=2025, primary_domain=get_result_domain("financien")).exists()
    assert set(Cell.objects.filter(year=2025).values_list("treatment_needed", flat=True)) == {
        "",
        T.NO,
        T.WAITING,
        T.IN_PLACE,
    }


def test_the_monitor_selects_on_the_primary_domain(focused):
    selected = figures(Selection(primary_domain=get_result_domain("financien")))
    assert (selected["clients"], selected["cost"]) == (2, Decimal("17809.24") + Decimal("4401.64"))
    selected = figures(Selection(primary_domain=get_result_domain("huisvesting")))
    assert (selected["clients"], selected["cost"]) == (1, Decimal("3328.36"))
    assert key_figures_per_year(Selection(primary_domain=get_result_domain("justitie")), [2025]).rows == []


def test_the_monitor_selects_on_treatment_needed(focused):
    selected = figures(Selection(treatment_needed=T.WAITING))
    assert (selected["clients"], selected["cost"]) == (1, Decimal("17809.24"))
    selected = figures(Selection(treatment_needed=T.NO, primary_domain=get_result_domain("financien")))
    assert (selected["clients"], selected["cost"]) == (1, Decimal("4401.64"))
    assert key_figures_per_year(Selection(treatment_needed=T.NOT_YET), [2025]).rows == []


def test_the_filter_form_offers_both(focused):
    form = MonitorFilterForm.for_request(
        {"year": "2025", "primary_domain": str(get_result_domain("financien").pk), "treatment_needed": T.WAITING},
        today=TODAY,
    )
    assert form.is_valid(), form.errors
    selection = form.selection()
    assert selection.primary_domain.code == "financien" and selection.treatment_needed == T.WAITING
    refused = MonitorFilterForm.for_request({"year": "2025", "treatment_needed": "misschien"}, today=TODAY)
    assert not refused.is_valid() and "treatment_needed" in refused.errors


def test_the_dashboard_shows_the_selection(client, focused, pinned_today):
    client.force_login(staff_member(CONTRACTMANAGER, username="contractmanager-focus"))
    response = client.get(
        reverse("monitor:dashboard"),
        {"year": "2025", "years": "1", "treatment_needed": T.WAITING},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="primary_domain"' in html and 'name="treatment_needed"' in html
    assert "17.809,24" in html
