"""The monitor's bezwaren: per product and outcome, and the share decided in time (Awb 7:10)."""

from datetime import date, timedelta

from monitor.bezwaren import bezwaren_per_product
from monitor.selectors import Selection
from objections.models import BezwaarStatus
from tests.factories import IndicationFactory, get_municipality, get_product
from tests.objections.factories import BezwaarFactory

S = BezwaarStatus


def _decided(status, *, late: bool = False, **fields):
    bezwaar = BezwaarFactory(ongegrond=True, **fields)
    bezwaar.status = status
    bezwaar.decided_on = bezwaar.decision_due + timedelta(days=3 if late else -3)
    if status == S.GEGROND:
        bezwaar.herziening = IndicationFactory(vastgesteld=True, client=bezwaar.beschikking.client)
    bezwaar.save()
    return bezwaar


def test_bezwaren_per_product_and_outcome_with_the_share_decided_in_time(db, django_assert_num_queries):
    BezwaarFactory()  # open
    _decided(S.ONGEGROND)
    _decided(S.ONGEGROND, late=True)
    _decided(S.GEGROND)
    _decided(S.INGETROKKEN, late=True)  # a withdrawal is no decision: not in the share
    BezwaarFactory(beschikking__product=get_product("IB2"), beschikking__actief=True)
    year = BezwaarFactory().received_on.year
    with django_assert_num_queries(1):
        table = bezwaren_per_product(Selection(), year)
    assert table.slug == "bezwaren-per-product"
    by_product = {row[0]: row for row in table.rows}
    ib1 = by_product[get_product("IB1").name]
    labels = [column.label for column in table.columns]
    ib1_cells = dict(zip(labels, ib1, strict=True))
    assert ib1_cells["Ontvangen"] == 6
    assert (ib1_cells["In behandeling"], ib1_cells["Gegrond"], ib1_cells["Ongegrond"]) == (2, 1, 2)
    assert (ib1_cells["Ingetrokken"], ib1_cells["Beslist"], ib1_cells["Tijdig beslist"]) == (1, 3, 2)
    assert round(ib1_cells["Tijdig beslist (%)"], 1) == 66.7
    assert dict(zip(labels, by_product[get_product("IB2").name], strict=True))["Ontvangen"] == 1


def test_the_selection_filters_on_the_municipality(db):
    BezwaarFactory()
    year = BezwaarFactory().received_on.year
    elsewhere = Selection(municipality=get_municipality("Zwijndrecht"))
    assert bezwaren_per_product(elsewhere, year).rows == []
    assert bezwaren_per_product(Selection(), date(year - 1, 1, 1).year).rows == []
