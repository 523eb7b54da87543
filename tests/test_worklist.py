"""The worklist as a person uses it all day: the day's work first, every list paged on its own,
signals summarised (handled on the signals page, where an error stands next to its row), and a
fixed number of queries whatever the size."""

import re

import pytest

from accounts.roles import CONSULENT, TEAMLEIDER
from indications import four_eyes
from indications.review_views import REVIEW_QUEUE_PAGE_SIZE
from indications.views import WORKLIST_PAGE_SIZE
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.panels import WORKLIST_URGENT_SIGNALS
from signals.views import SIGNAL_PAGE_SIZE
from tests.factories import IndicationFactory, ZrmAssessmentFactory, get_product, staff_member
from tests.html_checks import markup_problems, parse
from tests.worklist_data import many_signals, open_onderzoeken

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return staff_member(CONSULENT, username="consulent-werkvoorraad")


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant)
    return client


def heading_position(html: str, heading_id: str) -> int:
    return html.index(f'id="{heading_id}"')


def test_the_days_work_comes_before_the_signals(signed_in, consultant):
    many_signals(consultant, 40)
    open_onderzoeken(consultant, 3)
    html = signed_in.get("/werkvoorraad/").content.decode()
    signals_at = heading_position(html, "h-signalen")
    for daily in ("h-onderzoeken", "h-aanvragen", "h-concepten", "h-evaluaties", "h-aflopend", "h-nazorg"):
        assert heading_position(html, daily) < signals_at, daily


def test_signals_on_the_worklist_are_counts_per_type_and_the_most_urgent_few(signed_in, consultant):
    many_signals(consultant, 150)
    response = signed_in.get("/werkvoorraad/")
    html = response.content.decode()
    assert response.context["signal_count"] == 150
    counts = {row.type: row.total for row in response.context["signal_counts"]}
    assert sum(counts.values()) == 150 and set(counts) == set(SignalType.values)
    urgent = list(response.context["urgent_signals"])
    assert len(urgent) == WORKLIST_URGENT_SIGNALS
    assert {signal.urgency for signal in urgent} == {Urgency.OVERDUE}
    # No forms per signal here: they are handled on the signals page, linked per type.
    assert 'name="to_status"' not in html and 'name="note"' not in html
    assert f'href="/signalen/?soort={SignalType.STACKING}"' in html
    assert "Alle 150 signalen behandelen" in html
    assert markup_problems(html) == []


def test_each_list_pages_on_its_own_parameter(signed_in, consultant):
    open_onderzoeken(consultant, WORKLIST_PAGE_SIZE + 3)
    first = signed_in.get("/werkvoorraad/")
    assert len(first.context["open_onderzoeken"]) == WORKLIST_PAGE_SIZE
    assert first.context["open_onderzoeken"].paginator.count == WORKLIST_PAGE_SIZE + 3
    html = first.content.decode()
    assert 'href="?onderzoeken=2#h-onderzoeken"' in html
    second = signed_in.get("/werkvoorraad/", {"onderzoeken": 2, "evaluaties": 1})
    assert len(second.context["open_onderzoeken"]) == 3
    # Paging one list keeps the others' pages in the links.
    assert 'href="?onderzoeken=1&amp;evaluaties=1#h-onderzoeken"' in second.content.decode()
    assert signed_in.get("/werkvoorraad/", {"onderzoeken": "x"}).context["open_onderzoeken"].number == 1


def test_the_worklist_runs_a_constant_number_of_queries_with_many_signals_and_long_lists(
    signed_in, consultant, django_assert_max_num_queries
):
    many_signals(consultant, 3)
    open_onderzoeken(consultant, 2)
    with django_assert_max_num_queries(26) as small:
        signed_in.get("/werkvoorraad/")
    Signal.objects.all().delete()
    many_signals(consultant, 150)
    open_onderzoeken(consultant, 2 * WORKLIST_PAGE_SIZE)
    with django_assert_max_num_queries(26) as large:
        response = signed_in.get("/werkvoorraad/")
    assert response.context["signal_count"] == 150
    assert len(large.captured_queries) == len(small.captured_queries)


# -- the signals page ---------------------------------------------------------------------------


def test_the_signals_page_is_paged_and_filtered_by_type(signed_in, consultant):
    many_signals(consultant, 60)
    response = signed_in.get("/signalen/")
    rows = [signal for group in response.context["groups"] for signal in group.signals]
    assert len(rows) == SIGNAL_PAGE_SIZE
    assert sum(row.total for row in response.context["counts"]) == 60
    html = response.content.decode()
    assert 'href="?pagina=2"' in html
    assert markup_problems(html) == []
    stacking = signed_in.get("/signalen/", {"soort": SignalType.STACKING})
    assert {s.type for g in stacking.context["groups"] for s in g.signals} == {SignalType.STACKING}
    assert signed_in.get("/signalen/", {"soort": "onzin"}).context["kind"] is None


def test_a_refused_move_shows_its_error_next_to_its_row(signed_in, consultant):
    signals = many_signals(consultant, 30)
    signal = Signal.objects.order_by("type", "urgency", "due_date", "id")[SIGNAL_PAGE_SIZE + 1]
    response = signed_in.post("/signalen/?pagina=2", {"signaal": signal.pk, "to_status": "opgelost", "note": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["messages"]) == []  # not at the top of the page
    row = re.search(rf'<tr id="signaal-{signal.pk}" class="row--error">(.*?)</tr>', html, re.S)
    assert row and "Geef aan wat u gedaan heeft." in row.group(1)
    assert f'id="signaal-{signal.pk}_note_error"' in row.group(1)
    # The summary above the list links to the row's field.
    assert f'<a href="#signaal-{signal.pk}_note">Toelichting: Geef aan wat u gedaan heeft.</a>' in html
    assert markup_problems(html) == []
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN
    assert len(signals) == 30


def test_a_refused_move_at_the_signals_own_address_comes_back_on_the_signals_page(signed_in, consultant):
    signal = many_signals(consultant, 3)[0]
    response = signed_in.post(f"/signalen/{signal.pk}/", {"to_status": "opgelost", "note": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="signaal-{signal.pk}_note_error"' in html
    # Every row's form posts to the signals page itself, not to the address of this one signal.
    assert html.count('action="/signalen/#signaal-') == 3


def test_a_refused_move_of_a_signal_not_on_the_page_is_said_at_the_top(signed_in, consultant):
    many_signals(consultant, 30)
    signal = Signal.objects.order_by("type", "urgency", "due_date", "id")[SIGNAL_PAGE_SIZE + 1]
    response = signed_in.post(f"/signalen/{signal.pk}/", {"to_status": "opgelost", "note": ""})
    html = response.content.decode()
    assert [str(message) for message in response.context["messages"]] == ["Geef aan wat u gedaan heeft."]
    assert markup_problems(html) == []  # no summary link to a row that is not there


def test_a_move_from_the_page_returns_to_the_same_page(signed_in, consultant):
    many_signals(consultant, 30)
    signal = Signal.objects.order_by("type", "urgency", "due_date", "id")[SIGNAL_PAGE_SIZE + 1]
    response = signed_in.post(
        "/signalen/?pagina=2", {"signaal": signal.pk, "to_status": "in_behandeling", "note": "Gebeld"}
    )
    assert response.status_code == 302 and response["Location"] == "/signalen/?pagina=2"
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS


def test_every_row_has_its_own_ids(signed_in, consultant):
    many_signals(consultant, 5)
    html = signed_in.get("/signalen/").content.decode()
    ids = parse(html).ids
    assert all(ids[f"signaal-{signal.pk}_note"] == 1 for signal in Signal.objects.all())


def test_the_signals_page_runs_a_constant_number_of_queries(signed_in, consultant, django_assert_max_num_queries):
    many_signals(consultant, 2)
    with django_assert_max_num_queries(14) as small:
        signed_in.get("/signalen/")
    Signal.objects.all().delete()
    many_signals(consultant, 100)
    with django_assert_max_num_queries(14) as large:
        signed_in.get("/signalen/")
    assert len(large.captured_queries) == len(small.captured_queries)


# -- the team lead's review queue ---------------------------------------------------------------


def test_the_review_queue_is_paged_and_keeps_its_filter(client, consultant, django_assert_max_num_queries):
    team_lead = staff_member(TEAMLEIDER, username="teamleider-wachtrij")
    for _ in range(REVIEW_QUEUE_PAGE_SIZE + 2):
        scored = ZrmAssessmentFactory(scores={"financien": 2}).client
        four_eyes.submit_for_review(
            IndicationFactory(client=scored, consultant=consultant, product=get_product("IB3")), by=consultant
        )
    client.force_login(team_lead)
    response = client.get("/beoordelingen/", {"min_age_days": 0})
    assert len(response.context["reviews"]) == REVIEW_QUEUE_PAGE_SIZE
    html = response.content.decode()
    assert 'href="?min_age_days=0&amp;pagina=2"' in html
    assert len(client.get("/beoordelingen/", {"pagina": 2}).context["reviews"]) == 2
    assert markup_problems(html) == []
