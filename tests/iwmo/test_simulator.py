"""The provider simulator (iwmo.simulator, `manage.py iwmo_simulate_provider AGB`): it answers every
WMO301 with a WMO302, reports starts (WMO305) and stops (WMO307) inside the toewijzing and in time,
all through the inbox (the real path, with its TR checks and 306/308 retours), and is idempotent."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from iwmo.models import IncomingMessage, OutgoingMessage, RetourStatus
from iwmo.simulator import simulate_provider
from providers.models import Assignment
from tests.factories import TODAY, issued_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def toewijzingen(provider, consultant):
    return [issued_assignment(provider, consultant, today=TODAY, days_ago=days) for days in (30, 20, 10)]


def by_type() -> dict[str, int]:
    counts: dict[str, int] = {}
    for message_type in IncomingMessage.objects.values_list("message_type", flat=True):
        counts[message_type] = counts.get(message_type, 0) + 1
    return counts


def test_the_simulator_answers_every_301_with_a_302_all_0200(provider, toewijzingen):
    result = simulate_provider(provider, starts=0, stops=0, today=TODAY)
    sent = OutgoingMessage.objects.filter(message_type="WMO301")
    assert result.retours == sent.count() == 3
    assert all(m.retour_status == RetourStatus.ACCEPTED for m in sent)
    assert set(IncomingMessage.objects.values_list("status", flat=True)) == {IncomingMessage.Status.ACCEPTED}


def test_the_simulator_reports_starts_and_stops_inside_the_toewijzing_in_time(provider, toewijzingen):
    """TR019/TR074/TR069: the start and stop name the toewijzing, after its ingangsdatum, not in the
    future; the reports are accepted (306/308 with 0200) and the stop's 301 gets its 302 too."""
    result = simulate_provider(provider, starts=2, stops=1, today=TODAY)
    assert (result.starts, result.stops) == (2, 1)
    started = Assignment.objects.filter(care_started_on__isnull=False).order_by("number")
    assert started.count() == 2
    for assignment in started:
        assert assignment.start_date <= assignment.care_started_on <= TODAY
        assert TODAY - assignment.care_started_on <= timedelta(days=5)
    (stopped,) = Assignment.objects.filter(care_stopped_on__isnull=False)
    assert stopped.care_started_on <= stopped.care_stopped_on <= TODAY and stopped.stop_reason == "23"
    assert {m.status for m in IncomingMessage.objects.filter(message_type__in=["WMO305", "WMO307"])} == {
        IncomingMessage.Status.ACCEPTED
    }
    assert OutgoingMessage.objects.filter(message_type="WMO306").count() == 2
    assert OutgoingMessage.objects.filter(message_type="WMO308").count() == 1
    # The stop ended the toewijzing: a fourth 301, answered in the same run.
    assert OutgoingMessage.objects.filter(message_type="WMO301").count() == 4
    assert not OutgoingMessage.objects.filter(message_type="WMO301", retour_message__isnull=True).exists()
    assert by_type() == {"WMO302": 4, "WMO305": 2, "WMO307": 1}


def test_the_simulator_is_idempotent(provider, toewijzingen):
    simulate_provider(provider, starts=2, stops=1, today=TODAY)
    before = (IncomingMessage.objects.count(), OutgoingMessage.objects.count())
    again = simulate_provider(provider, starts=2, stops=1, today=TODAY)
    assert (again.retours, again.starts, again.stops) == (0, 0, 0)
    assert (IncomingMessage.objects.count(), OutgoingMessage.objects.count()) == before


def test_the_simulator_can_reject_a_share_of_the_301s_with_9332(provider, toewijzingen):
    result = simulate_provider(provider, starts=3, stops=0, reject_every=1, today=TODAY)
    assert result.rejected_retours == 3 and result.starts == 0  # a rejected toewijzing is not started
    assert set(OutgoingMessage.objects.values_list("retour_status", flat=True)) == {RetourStatus.REJECTED}


def test_the_command_simulates_the_provider_and_refuses_an_unknown_agb(provider, toewijzingen, capsys):
    call_command("iwmo_simulate_provider", provider.agb_code, "--starts", "1", "--stops", "0")
    assert "3 WMO302 (0 met afkeur), 1 WMO305, 0 WMO307" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("iwmo_simulate_provider", "00000000")
