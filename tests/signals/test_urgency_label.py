"""A signal's urgency label follows the real date: "termijn verstreken" only once the due date has
passed, "termijn nadert" in the week before, in distinct colours with their text, on the signals
page, the worklist and the provider's dashboard."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalType, Urgency
from signals.services import run_check
from tests.factories import IndicationFactory, get_product

pytestmark = pytest.mark.django_db

WARN = settings.SIGNALS["DEADLINE_WARN_DAYS"]


def today():
    return timezone.localdate()


def ib2_running_too_long(consultant, *, weeks_running: int):
    """An active IB2 (maximum 26 weeks) that started `weeks_running` weeks ago and is planned for a
    year: the check flags it now, its maximum lies (26 - weeks_running) weeks ahead."""
    start = today() - timedelta(weeks=weeks_running)
    indication = IndicationFactory(
        actief=True,
        consultant=consultant,
        product=get_product("IB2"),
        evaluations=[],
        start_date=start,
        end_date=start + timedelta(weeks=52),
    )
    run_check(CHECKS_BY_NAME["product_te_lang"], today=today(), force=True)
    return Signal.objects.get(type=SignalType.PRODUCT_TOO_LONG, indication=indication)


@pytest.mark.parametrize(
    ("stored", "due_in_days", "shown"),
    [
        (Urgency.OVERDUE, 60, Urgency.ATTENTION),  # the check stored "passed" for a deadline months ahead
        (Urgency.OVERDUE, WARN, Urgency.WARNING),
        (Urgency.OVERDUE, 0, Urgency.WARNING),  # due today: not passed yet
        (Urgency.OVERDUE, -1, Urgency.OVERDUE),
        (Urgency.WARNING, -3, Urgency.OVERDUE),  # a warning whose date passed since the last run
        (Urgency.WARNING, 30, Urgency.ATTENTION),
        (Urgency.ATTENTION, -30, Urgency.ATTENTION),  # no deadline (stacking, nazorg): stays for attention
    ],
)
def test_the_urgency_follows_the_due_date(stored, due_in_days, shown):
    signal = Signal(urgency=stored, due_date=today() + timedelta(days=due_in_days))
    assert signal.urgency_on(today()) == shown


def tags(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="tag tag--([a-z]+)">([^<]+)</span>', page)


def test_a_future_maximum_is_not_called_passed_on_the_signals_page_and_the_worklist(client, consultant):
    later = ib2_running_too_long(consultant, weeks_running=10)  # maximum in 16 weeks
    soon = ib2_running_too_long(consultant, weeks_running=26)  # maximum today
    assert later.urgency == soon.urgency == Urgency.OVERDUE  # as the check stores it
    client.force_login(consultant)
    for url in ("/signalen/", "/werkvoorraad/"):
        page = client.get(url).content.decode()
        assert "termijn verstreken" not in page, url
        assert sorted(tags(page)) == [("attentie", "ter attentie"), ("nadert", "termijn nadert")], url
        assert "verstreken)" not in page  # the group's heading counts none as passed
    signals_page = client.get("/signalen/")
    assert signals_page.context["groups"][0].overdue == 0


def test_signals_are_listed_by_their_urgency_on_the_day(client, consultant):
    later = ib2_running_too_long(consultant, weeks_running=10)  # stored "passed", due in 16 weeks
    stale = ib2_running_too_long(consultant, weeks_running=20)
    # stored as a warning by an earlier run, its date has passed since: it is the most urgent now
    Signal.objects.filter(pk=stale.pk).update(urgency=Urgency.WARNING, due_date=today() - timedelta(days=1))
    client.force_login(consultant)
    group = client.get("/signalen/").context["groups"][0]
    assert [signal.pk for signal in group.signals] == [stale.pk, later.pk]
    assert group.overdue == 1


def test_a_passed_maximum_has_its_own_colour(client, consultant):
    ib2_running_too_long(consultant, weeks_running=30)
    client.force_login(consultant)
    page = client.get("/signalen/").content.decode()
    assert tags(page) == [("verlopen", "termijn verstreken")]
    assert "1 verstreken" in page
