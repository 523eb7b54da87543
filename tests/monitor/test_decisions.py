"""The monitor's decisions on aanvragen (issue #15): aanvragen, toekenningen, gedeeltelijke toekenningen
and afwijzingen with their grounds, from known data:

who  gemeente     asked  decided     product  outcome
A1   Dordrecht    IB1    2025-01-30  IB1      toekenning
A2   Dordrecht    IB2    2025-04-21  IB1      gedeeltelijke toekenning (a lighter product)
A3   Zwijndrecht  IB1    2025-04-28  IB1      afwijzing: eigen kracht
A4   Dordrecht    IB1    2025-05-10  IB1      afwijzing: Wlz
A5   Dordrecht    IB1    (open)
A6   Dordrecht    IB1    2025-01-05  IB1      toekenning (aanvraag 2024-12-20)

The nightly refresh stores them (DecisionCell); the tables read those."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import CONTRACTMANAGER
from indications.models import Indication
from indications.models import IndicationStatus as S
from monitor import decisions, selectors
from monitor.models import CoarseDecisionCell, DecisionCell
from monitor.selectors import Selection, ceo_population
from monitor.services import refresh_monitor
from tests.factories import (
    AanvraagFactory,
    ClientFactory,
    IndicationFactory,
    contracted_provider,
    get_municipality,
    get_product,
    staff_member,
)

pytestmark = pytest.mark.django_db

Outcome = Indication.Outcome


@pytest.fixture
def world():
    dordrecht, zwijndrecht = get_municipality("Dordrecht"), get_municipality("Zwijndrecht")
    provider = contracted_provider(name="Aanbieder A")

    def decision(municipality, asked, received, decided, outcome, ground="", last_name="Jansen"):
        client = ClientFactory(municipality=municipality, last_name=last_name)
        aanvraag = AanvraagFactory(client=client, received_on=received, requested_product=get_product(asked))
        if decided is None:
            return aanvraag
        refused = outcome == Outcome.AFWIJZING
        return IndicationFactory(
            client=client,
            aanvraag=aanvraag,
            product=get_product("IB1"),
            provider=None if refused else provider,
            status=S.AFGEWEZEN if refused else S.ACTIEF,
            outcome=outcome,
            refusal_ground=ground,
            refusal_motivation="Gemotiveerd." if outcome != Outcome.TOEKENNING else "",
            decision_date=decided,
            start_date=received if refused else date(2025, 2, 1),
            end_date=None if refused else date(2025, 12, 31),
            results=[],
            evaluations=[],
        )

    decision(dordrecht, "IB1", date(2025, 1, 20), date(2025, 1, 30), Outcome.TOEKENNING)
    decision(dordrecht, "IB2", date(2025, 4, 1), date(2025, 4, 21), Outcome.GEDEELTELIJK)
    decision(zwijndrecht, "IB1", date(2025, 4, 14), date(2025, 4, 28), Outcome.AFWIJZING, "eigen_kracht", "Afgewezen")
    decision(dordrecht, "IB1", date(2025, 5, 1), date(2025, 5, 10), Outcome.AFWIJZING, "wlz")
    decision(dordrecht, "IB1", date(2025, 6, 1), None, Outcome.TOEKENNING)
    decision(dordrecht, "IB1", date(2024, 12, 20), date(2025, 1, 5), Outcome.TOEKENNING)
    refresh_monitor(today=date(2025, 12, 31), first_year=2024)  # the tables read what it stores
    return {"provider": provider, "zwijndrecht": zwijndrecht}


GROUNDS = [ground.value for ground in Indication.RefusalGround]


def grounds(**counts):
    return [counts.get(ground, 0) for ground in GROUNDS]


def test_per_year_aanvragen_and_each_kind_of_decision_with_the_grounds(world):
    table = decisions.decisions_per_year(Selection(), [2024, 2025])
    assert [column.label for column in table.columns[:7]] == [
        "Jaar",
        "Aanvragen",
        "Besluiten",
        "Toekenningen",
        "Gedeeltelijke toekenningen",
        "Afwijzingen",
        "Afwijzingen %",
    ]
    assert table.rows == [
        [2024, 1, 0, 0, 0, 0, None, *grounds()],
        [2025, 5, 5, 2, 1, 2, 40.0, *grounds(eigen_kracht=1, wlz=1)],
    ]


def test_per_municipality_and_per_product_asked(world):
    per_municipality = decisions.decisions_in_year(Selection(), 2025, per="municipality")
    assert per_municipality.rows == [
        ["Dordrecht", 4, 4, 2, 1, 1, 25.0, *grounds(wlz=1)],
        ["Zwijndrecht", 1, 1, 0, 0, 1, 100.0, *grounds(eigen_kracht=1)],
    ]
    # The aanvragen by the product asked, the decisions by the product decided on (A2 asked IB2).
    per_product = decisions.decisions_in_year(Selection(), 2025, per="product")
    assert per_product.rows == [
        [get_product("IB1").name, 4, 5, 2, 1, 2, 40.0, *grounds(eigen_kracht=1, wlz=1)],
        [get_product("IB2").name, 1, 0, 0, 0, 0, None, *grounds()],
    ]


def test_the_selection_applies_and_a_refusal_has_no_provider(world):
    in_zwijndrecht = decisions.decisions_per_year(Selection(municipality=world["zwijndrecht"]), [2025])
    assert in_zwijndrecht.rows == [[2025, 1, 1, 0, 0, 1, 100.0, *grounds(eigen_kracht=1)]]
    of_provider = decisions.decisions_per_year(Selection(provider=world["provider"]), [2025])
    # An aanvraag has no provider (not counted), and an afwijzing none either.
    assert of_provider.rows == [[2025, None, 3, 2, 1, 0, 0.0, *grounds()]]


def test_per_period_of_four_weeks(world):
    table = decisions.decisions_per_period(Selection(), 2025)
    by_period = {row[0]: row[1:6] for row in table.rows}
    # P04 runs 24-03 .. 20-04, P05 21-04 .. 18-05: A3 is received in P04 and refused in P05.
    assert by_period["2025-P04"] == [2, 0, 0, 0, 0]
    assert by_period["2025-P05"] == [1, 3, 0, 1, 2]


def test_a_client_with_only_an_afwijzing_is_not_in_the_ceo_population(world):
    names = [row[3] for row in ceo_population(2025).rows]
    assert "Afgewezen" not in names and "Jansen" in names


def test_the_monitor_page_shows_and_exports_the_decisions(world, client, pinned_today):
    client.force_login(staff_member(CONTRACTMANAGER, username="besluiten-check"))
    url = reverse("monitor:dashboard")
    page = client.get(url, {"year": "2025", "years": "2"}).content.decode()
    assert "Aanvragen, toekenningen en afwijzingen per jaar" in page
    assert "Afgewezen: eigen kracht of sociaal netwerk volstaat" in page
    response = client.get(url, {"year": "2025", "years": "2", "export": "besluiten-per-jaar", "formaat": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = next(line for line in lines if line.startswith("Jaar;"))
    assert header.split(";")[:6] == [
        "Jaar",
        "Aanvragen",
        "Besluiten",
        "Toekenningen",
        "Gedeeltelijke toekenningen",
        "Afwijzingen",
    ]
    assert any(line.startswith("2025;5;5;2;1;2;") for line in lines)


def test_each_table_is_two_queries_over_the_stored_cells_up_to_the_refresh(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        before = decisions.decisions_per_year(Selection(), [2024, 2025]).rows
    # An aanvraag after the refresh counts from the next one on.
    AanvraagFactory(client=ClientFactory(), received_on=date(2025, 7, 1), requested_product=get_product("IB1"))
    assert decisions.decisions_per_year(Selection(), [2024, 2025]).rows == before
    refresh_monitor(today=date(2025, 12, 31), first_year=2025)
    assert decisions.decisions_per_year(Selection(), [2024, 2025]).rows[-1][1] == before[-1][1] + 1


def test_the_coarse_decision_cells_give_the_figures_of_the_cells(world, monkeypatch):
    """A selection on the municipality, product, provider or reference group reads CoarseDecisionCell
    (monitor.selectors.COARSE); it gives what the decision cells give."""

    def tables(selection):
        built = [
            decisions.decisions_per_year(selection, [2024, 2025]),
            decisions.decisions_per_period(selection, 2025),
            *(decisions.decisions_in_year(selection, 2025, per=per) for per in ("municipality", "product")),
        ]
        return [table.rows for table in built]

    provider = world["provider"]
    selections = [
        Selection(),
        Selection(municipality=world["zwijndrecht"]),
        Selection(product=get_product("IB1")),
        Selection(provider=provider),
        Selection(reference_group=provider.reference_group),
    ]
    assert CoarseDecisionCell.objects.exists()
    for selection in selections:
        coarse = tables(selection)
        with monkeypatch.context() as patched:
            patched.setattr(selectors, "COARSE", {DecisionCell: []})
            fine = tables(selection)
        assert coarse == fine, selection
    assert all(tables(Selection()))  # every table has rows
