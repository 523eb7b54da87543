"""The step at 18 (seed 003): a client with current jeugdhulp whose 18th birthday is within six
months and who has no Wmo melding yet is a signal for the team, so that support can continue at 18.
Raised from exactly six months before the birthday (not the day before), overdue after the birthday,
lapsed when a melding is registered, the jeugdhulp ends, or three months after the birthday."""

from datetime import date, timedelta

import pytest

from accounts.models import Team
from indications import onderzoek_services
from indications.models import Melding, OtherProvision
from signals.checks import CHECKS_BY_NAME, add_months
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.services import run_check
from tests.factories import TODAY, ClientFactory, MeldingFactory, OtherProvisionFactory

pytestmark = pytest.mark.django_db

BIRTHDAY_18 = add_months(TODAY, 6)  # 23-05-2027: exactly six months after TODAY
BORN = add_months(BIRTHDAY_18, -18 * 12)
JEUGDHULP = OtherProvision.Kind.JEUGDHULP


def run(today: date):
    return run_check(CHECKS_BY_NAME["jeugdhulp_18"], today=today, force=True)


def youth(*, born: date = BORN, **provision) -> OtherProvision:
    """A client born on `born` with jeugdhulp since a year before TODAY (open-ended)."""
    fields = {"kind": JEUGDHULP, "start_date": TODAY - timedelta(days=365), **provision}
    return OtherProvisionFactory(client=ClientFactory(date_of_birth=born), **fields)


def open_signals() -> list[Signal]:
    return list(Signal.objects.filter(type=SignalType.YOUTH_TURNING_18, status=SignalStatus.OPEN))


def test_the_check_is_registered_with_its_dutch_label():
    assert CHECKS_BY_NAME["jeugdhulp_18"].type == SignalType.YOUTH_TURNING_18
    assert SignalType.YOUTH_TURNING_18.label == "Jeugdhulp: 18 binnen 6 maanden, geen Wmo-melding"


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(date(2026, 11, 23), 6) == date(2027, 5, 23)
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)
    assert add_months(date(2008, 2, 29), 18 * 12) == date(2026, 2, 28)


def test_raised_six_months_before_the_18th_birthday_not_the_day_before(consultant):
    provision = youth()
    assert run(TODAY - timedelta(days=1)).created == 0
    assert run(TODAY).created == 1
    (signal,) = open_signals()
    assert (signal.subject_id, signal.client, signal.due_date) == (provision.pk, provision.client, BIRTHDAY_18)
    assert signal.urgency == Urgency.WARNING
    assert signal.assigned_to is None  # for the team, no one person
    assert signal.team == Team.objects.get(name="Team Dordrecht")


def test_overdue_the_day_after_the_birthday(consultant):
    youth()
    run(BIRTHDAY_18)
    assert open_signals()[0].urgency == Urgency.WARNING
    run(BIRTHDAY_18 + timedelta(days=1))
    assert open_signals()[0].urgency == Urgency.OVERDUE


def test_raised_after_the_birthday_it_is_overdue_at_once(consultant):
    youth()
    run(BIRTHDAY_18 + timedelta(days=1))
    assert open_signals()[0].urgency == Urgency.OVERDUE


def test_lapses_three_months_after_the_birthday(consultant):
    youth()
    last_day = add_months(BIRTHDAY_18, 3)
    assert run(last_day).created == 1
    assert run(last_day + timedelta(days=1)).lapsed == 1
    assert open_signals() == []


def test_lapses_when_a_melding_is_registered(consultant):
    provision = youth()
    run(TODAY)
    onderzoek_services.register_melding(
        client=provision.client,
        received_on=TODAY,
        channel=Melding.Channel.YOUTH_CARE,
        question="Overgang naar de Wmo bij 18 jaar",
        consultant=consultant,
        by=consultant,
        today=TODAY,
    )
    # The service rechecked the client at once.
    assert open_signals() == []
    assert Signal.objects.get(type=SignalType.YOUTH_TURNING_18).status == SignalStatus.LAPSED


def test_a_melding_since_the_jeugdhulp_started_means_the_wmo_knows(consultant):
    provision = youth(start_date=TODAY - timedelta(days=800))
    MeldingFactory(client=provision.client, received_on=TODAY - timedelta(days=700))  # after the start
    assert run(TODAY).created == 0


def test_a_melding_before_the_jeugdhulp_counts_only_within_the_lookback(consultant, settings):
    provision = youth(start_date=TODAY - timedelta(days=30))
    melding = MeldingFactory(client=provision.client, received_on=add_months(TODAY, -12))
    assert run(TODAY).created == 0  # within the last 12 months
    melding.received_on = add_months(TODAY, -12) - timedelta(days=1)
    melding.save(update_fields=["received_on"])
    assert run(TODAY).created == 1


def test_not_for_ended_jeugdhulp_another_provision_or_an_older_client(consultant):
    youth(end_date=TODAY - timedelta(days=1))
    youth(kind=OtherProvision.Kind.DAGBESTEDING)
    youth(born=add_months(TODAY, -18 * 12 - 4))  # turned 18 four months ago: past the grace
    assert run(TODAY).created == 0


def test_the_window_follows_the_settings(consultant, settings):
    youth()
    settings.SIGNALS = {**settings.SIGNALS, "YOUTH_18_WITHIN_MONTHS": 5}
    assert run(TODAY).created == 0
    assert run(add_months(TODAY, 1)).created == 1


def test_born_on_29_february_is_due_on_28_february(consultant):
    youth(born=date(2008, 2, 29), start_date=date(2024, 1, 1))
    run(date(2026, 1, 15))
    assert open_signals()[0].due_date == date(2026, 2, 28)
