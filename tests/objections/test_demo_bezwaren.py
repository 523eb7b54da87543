"""The demo's bezwaren: a few in each state, made through the services, and idempotent."""

from datetime import timedelta

from accounts.roles import TEAMLEIDER
from demo.bezwaren import ensure_demo_bezwaren
from demo.figures import TEAM_LEAD
from objections.models import Bezwaar, BezwaarStatus
from tests.factories import IndicationFactory, staff_member


def test_the_demo_has_bezwaren_in_each_state(consultant, today):
    staff_member(TEAMLEIDER, username=TEAM_LEAD)
    for days_ago in (40, 35, 50, 90, 150, 200, 210, 220):
        IndicationFactory(actief=True, consultant=consultant, decision_date=today - timedelta(days=days_ago))
    first = IndicationFactory(beeindigd=True, consultant=consultant, decision_date=today - timedelta(days=260))
    IndicationFactory(
        actief=True,
        consultant=consultant,
        client=first.client,
        replaces=first,
        decision_date=today - timedelta(days=240),
    )
    assert ensure_demo_bezwaren(today=today) == 9
    statuses = set(Bezwaar.objects.values_list("status", flat=True))
    assert statuses == set(BezwaarStatus.values)
    open_ones = Bezwaar.objects.filter(status=BezwaarStatus.OPEN)
    assert open_ones.filter(extended=True).exists() and open_ones.filter(ingebrekestelling_on__isnull=False).exists()
    assert ensure_demo_bezwaren(today=today) == 0
