"""The iWmo deadlines as signals: OP090 (a retour within 3 werkdagen), the start and stop zorg
reported within 5 werkdagen after the date they report (both channels alike), and a verzoek om
wijziging answered within its term. Working days are Dutch: weekends and the national holidays."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from iwmo import retour_in
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from providers import services
from providers.models import AssignmentRequest, ChangeRequest
from signals.checks import CHECKS_BY_NAME, REPORT_START, REPORT_STOP
from signals.models import Signal, SignalStatus, SignalType
from signals.services import run_check
from signals.working_days import dutch_holidays, easter_sunday, is_working_day, working_days_after
from tests.factories import (
    TODAY,
    ChangeRequestFactory,
    ClientFactory,
    OutgoingMessageFactory,
    ProviderFactory,
    issued_assignment,
)
from tests.iwmo.messages import start_message

pytestmark = pytest.mark.django_db

MONDAY = TODAY  # 23 November 2026


def days(n: int) -> timedelta:
    return timedelta(days=n)


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def run(name: str, today: date):
    return run_check(CHECKS_BY_NAME[name], today=today, force=True)


# -- werkdagen ---------------------------------------------------------------------------------------


class TestWorkingDays:
    def test_easter_and_the_holidays_that_hang_on_it(self):
        assert [easter_sunday(year) for year in (2024, 2025, 2026, 2027)] == [
            date(2024, 3, 31),
            date(2025, 4, 20),
            date(2026, 4, 5),
            date(2027, 3, 28),
        ]
        holidays = dutch_holidays(2026)
        assert {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays

    def test_the_fixed_holidays_and_koningsdag_on_a_sunday(self):
        assert {date(2026, 1, 1), date(2026, 4, 27), date(2026, 5, 5), date(2026, 12, 25), date(2026, 12, 26)} <= (
            dutch_holidays(2026)
        )
        assert date(2025, 4, 26) in dutch_holidays(2025) and date(2025, 4, 27) not in dutch_holidays(2025)

    def test_weekends_and_holidays_are_no_working_days(self):
        assert is_working_day(MONDAY)
        assert not is_working_day(MONDAY - days(1)) and not is_working_day(MONDAY - days(2))
        assert not is_working_day(date(2026, 12, 25))

    def test_n_werkdagen_after_skips_the_christmas_days(self):
        assert working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 28)
        assert working_days_after(date(2026, 12, 23), 3) == date(2026, 12, 29)
        assert working_days_after(date(2026, 4, 24), 1) == date(2026, 4, 28)  # Koningsdag on Monday


# -- OP090: a retour within 3 werkdagen ----------------------------------------------------------


class TestOp090NoRetour:
    def test_op090_a_301_without_retour_3_werkdagen_after_delivery_is_a_signal(self):
        wednesday = MONDAY - days(5)
        message = OutgoingMessageFactory(afgeleverd=True, delivered_at=noon(wednesday))
        # Delivered Wednesday: the retour is due on Monday (Thursday, Friday, Monday).
        assert run("iwmo_geen_retour", MONDAY).created == 0
        assert run("iwmo_geen_retour", MONDAY + days(1)).created == 1
        signal = Signal.objects.get(type=SignalType.IWMO_NO_RETOUR)
        assert (signal.subject_id, signal.client, signal.provider) == (message.pk, message.client, message.provider)
        assert signal.assigned_to is None and signal.due_date == wednesday

    def test_op090_a_holiday_gives_the_receiver_a_day_more(self):
        OutgoingMessageFactory(afgeleverd=True, delivered_at=noon(date(2026, 12, 23)))
        assert run("iwmo_geen_retour", date(2026, 12, 29)).created == 0  # 24, 28, 29 December
        assert run("iwmo_geen_retour", date(2026, 12, 30)).created == 1

    def test_op090_only_delivered_messages_that_expect_a_retour(self):
        long_ago = noon(MONDAY - days(30))
        OutgoingMessageFactory()  # still queued: not sent yet
        OutgoingMessageFactory(afgeleverd=True, delivered_at=long_ago, message_type="WMO306")  # our retour
        assert run("iwmo_geen_retour", MONDAY).created == 0

    def test_op090_a_302_received_lapses_the_signal(self, provider, consultant):
        """The retour (iwmo.retour_in) is recorded on the message: a 301 with its 302 has no signal."""
        issued_assignment(provider, consultant, today=MONDAY - days(10), days_ago=0)
        (message,) = OutgoingMessage.objects.filter(message_type="WMO301")
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=OutgoingMessage.Status.DELIVERED, delivered_at=noon(MONDAY - days(10))
        )
        assert run("iwmo_geen_retour", MONDAY).created == 1
        raw = retour_in.build(message.xml, identification="R00000000001", dagtekening=MONDAY)
        receive(raw, channel=IncomingMessage.Channel.FOLDER, file_name="302.xml", today=MONDAY)
        assert OutgoingMessage.objects.get(pk=message.pk).retour_message is not None
        assert run("iwmo_geen_retour", MONDAY).lapsed == 1


# -- a start or stop zorg reported later than 5 werkdagen ------------------------------------------


@pytest.fixture
def assignment(provider, consultant):
    assignment = issued_assignment(provider, consultant, today=TODAY - days(30), days_ago=0)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    return assignment


def late_signals() -> set[tuple[int, int]]:
    """The open signals after the nightly run (the recheck after the report may have raised them)."""
    run("iwmo_melding_te_laat", MONDAY)
    return set(
        Signal.objects.filter(type=SignalType.IWMO_REPORT_LATE, status=SignalStatus.OPEN).values_list(
            "subject_id", "variant"
        )
    )


class TestReportLate:
    def test_a_start_reported_5_werkdagen_after_it_began_is_on_time(self, assignment):
        begin = MONDAY - days(14)
        services.record_care_start(assignment, on=begin, by=None, today=working_days_after(begin, 5))
        assert late_signals() == set()

    def test_a_start_reported_one_werkdag_later_is_a_signal_for_the_consultant(self, assignment):
        begin = MONDAY - days(14)
        services.record_care_start(assignment, on=begin, by=None, today=working_days_after(begin, 6))
        assert late_signals() == {(assignment.pk, REPORT_START)}
        signal = Signal.objects.get(type=SignalType.IWMO_REPORT_LATE)
        assert (signal.subject_id, signal.variant, signal.assignment) == (assignment.pk, REPORT_START, assignment)
        assert signal.assigned_to == assignment.indication.consultant

    def test_a_late_stop_is_its_own_signal_beside_the_late_start(self, assignment):
        begin = MONDAY - days(28)
        services.record_care_start(assignment, on=begin, by=None, today=MONDAY - days(7))
        services.record_care_stop(assignment, on=MONDAY - days(14), reason="23", by=None, today=MONDAY)
        assert late_signals() == {(assignment.pk, REPORT_START), (assignment.pk, REPORT_STOP)}

    def test_a_wmo305_received_late_counts_the_same_as_the_rest_api(self, assignment):
        begin = MONDAY - days(14)
        raw = start_message(assignment, begindatum=begin, dagtekening=MONDAY)
        receive(raw, channel=IncomingMessage.Channel.FOLDER, today=MONDAY)
        assignment.refresh_from_db()
        assert assignment.care_start_reported_on == MONDAY
        assert late_signals() == {(assignment.pk, REPORT_START)}

    def test_a_withdrawn_late_start_lapses_its_signal(self, assignment):
        begin = MONDAY - days(14)
        services.record_care_start(assignment, on=begin, by=None, today=MONDAY)
        assert late_signals() == {(assignment.pk, REPORT_START)}
        services.withdraw_care_start(assignment, by=None, today=MONDAY)  # its recheck lapses it at once
        assert late_signals() == set()
        assert Signal.objects.get(type=SignalType.IWMO_REPORT_LATE).status == SignalStatus.LAPSED


# -- a verzoek om wijziging not answered in time ---------------------------------------------------


def open_request(received_on: date, **fields) -> ChangeRequest:
    request = ChangeRequestFactory(**fields)
    ChangeRequest.objects.filter(pk=request.pk).update(created_at=noon(received_on))
    return request


class TestRequestUnanswered:
    def test_a_verzoek_open_longer_than_2_weeks_is_a_signal_for_the_consultant(self):
        request = open_request(MONDAY - days(15))
        open_request(MONDAY - days(14))  # due today: not late yet
        assert run("iwmo_verzoek_niet_beantwoord", MONDAY).created == 1
        signal = Signal.objects.get(type=SignalType.IWMO_REQUEST_UNANSWERED)
        assert (signal.subject_id, signal.variant, signal.due_date) == (request.pk, 0, MONDAY - days(1))
        assert signal.assigned_to == request.assignment.indication.consultant

    def test_an_answered_verzoek_lapses_its_signal(self):
        request = open_request(MONDAY - days(20))
        run("iwmo_verzoek_niet_beantwoord", MONDAY)
        ChangeRequest.objects.filter(pk=request.pk).update(status=ChangeRequest.Status.REFUSED)
        assert run("iwmo_verzoek_niet_beantwoord", MONDAY + days(1)).lapsed == 1

    def test_the_term_follows_the_settings(self, settings):
        settings.SIGNALS = {**settings.SIGNALS, "IWMO_REQUEST_ANSWER_DAYS": 30}
        open_request(MONDAY - days(20))
        assert run("iwmo_verzoek_niet_beantwoord", MONDAY).created == 0

    def test_a_verzoek_om_toewijzing_open_longer_than_2_weeks_is_a_signal_for_the_team(self):
        """The WMO315 requests are the second source (variant 1): a request of a client of ours counts,
        one for a BSN we do not know has no client to signal on (it stays on the worklist)."""
        client = ClientFactory()
        provider = ProviderFactory()
        known = AssignmentRequest.objects.create(
            provider=provider, client=client, bsn=client.bsn, reference="R-1", start_date=MONDAY
        )
        AssignmentRequest.objects.create(provider=provider, bsn="123456782", reference="R-2", start_date=MONDAY)
        AssignmentRequest.objects.update(created_at=noon(MONDAY - days(15)))
        open_request(MONDAY - days(20))
        assert run("iwmo_verzoek_niet_beantwoord", MONDAY).created == 2
        signal = Signal.objects.get(type=SignalType.IWMO_REQUEST_UNANSWERED, variant=1)
        assert (signal.subject_id, signal.client, signal.provider) == (known.pk, client, provider)
        assert signal.assigned_to is None
        AssignmentRequest.objects.filter(pk=known.pk).update(
            status=AssignmentRequest.Status.REJECTED, rejection_reason="3", motivation="Geen contract."
        )
        assert run("iwmo_verzoek_niet_beantwoord", MONDAY + days(1)).lapsed == 1


def test_the_day_table_writes_only_dates_into_its_sql():
    """checks.DayTable writes its dates as literals (730 parameters cost the driver more than the
    query): only a date's own ISO form goes in; anything else (a datetime, a text) is refused."""
    from signals.checks import _day_whens

    pairs = ((date(2026, 1, 5), date(2025, 12, 29)),)
    assert _day_whens(pairs, True) == "WHEN DATE '2026-01-05' THEN DATE '2025-12-29'"
    assert _day_whens(pairs, False) == "WHEN '2026-01-05' THEN '2025-12-29'"
    for wrong in (datetime(2026, 1, 5, 12, 0), "2026-01-05'; DROP TABLE x; --"):
        with pytest.raises(TypeError):
            _day_whens(((wrong, date(2025, 12, 29)),), True)
