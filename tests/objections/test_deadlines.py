"""The Awb deadlines of a bezwaar, one rule per test, each naming its article (objections.deadlines)."""

from datetime import date
from decimal import Decimal

import pytest

from objections import deadlines

MONDAY_LETTER = date(2026, 9, 7)


def test_awb_6_7_6_8_the_bezwaartermijn_is_six_weeks_from_the_day_after_the_letter():
    assert deadlines.bezwaartermijn_end(MONDAY_LETTER) == date(2026, 10, 19)


@pytest.mark.parametrize(
    ("letter_date", "end"),
    [
        (date(2026, 11, 13), date(2026, 12, 28)),  # ends on Christmas Day, then a weekend
        (date(2026, 3, 21), date(2026, 5, 4)),  # ends on a Saturday
        (date(2026, 3, 24), date(2026, 5, 6)),  # ends on Bevrijdingsdag 5 May
    ],
)
def test_algemene_termijnenwet_art_1_a_term_ending_on_a_closed_day_runs_to_the_next_working_day(letter_date, end):
    assert deadlines.bezwaartermijn_end(letter_date) == end


def test_awb_6_9_lid_1_received_on_the_last_day_is_in_time_the_day_after_is_late():
    assert deadlines.filed_in_time(letter_date=MONDAY_LETTER, received_on=date(2026, 10, 19))
    assert not deadlines.filed_in_time(letter_date=MONDAY_LETTER, received_on=date(2026, 10, 20))


def test_awb_6_9_lid_2_posted_in_time_and_received_within_a_week_after_is_in_time():
    posted = date(2026, 10, 19)
    assert deadlines.filed_in_time(letter_date=MONDAY_LETTER, received_on=date(2026, 10, 26), posted_on=posted)
    assert not deadlines.filed_in_time(letter_date=MONDAY_LETTER, received_on=date(2026, 10, 27), posted_on=posted)
    late_post = date(2026, 10, 20)
    assert not deadlines.filed_in_time(letter_date=MONDAY_LETTER, received_on=date(2026, 10, 21), posted_on=late_post)


def test_awb_7_10_lid_1_the_decision_is_due_six_weeks_after_the_bezwaartermijn():
    assert deadlines.decision_due(letter_date=MONDAY_LETTER, advisory_committee=False) == date(2026, 11, 30)


def test_awb_7_10_lid_1_with_an_advisory_committee_twelve_weeks():
    assert deadlines.decision_due(letter_date=MONDAY_LETTER, advisory_committee=True) == date(2027, 1, 11)


def test_awb_7_10_lid_3_deferred_once_by_six_weeks():
    assert deadlines.effective_due(letter_date=MONDAY_LETTER, advisory_committee=False, extended=True) == date(
        2027, 1, 11
    )


def test_awb_7_10_lid_4_further_with_consent_to_a_later_date_only():
    due = deadlines.effective_due(
        letter_date=MONDAY_LETTER, advisory_committee=False, extended=True, consent_until=date(2027, 2, 1)
    )
    assert due == date(2027, 2, 1)
    earlier = deadlines.effective_due(
        letter_date=MONDAY_LETTER, advisory_committee=False, extended=True, consent_until=date(2026, 12, 1)
    )
    assert earlier == date(2027, 1, 11)


def test_awb_4_17_lid_3_the_dwangsom_runs_from_two_weeks_after_the_ingebrekestelling():
    due = date(2026, 11, 30)
    assert deadlines.dwangsom_first_day(due=due, ingebrekestelling_on=None) is None
    assert deadlines.dwangsom_first_day(due=due, ingebrekestelling_on=date(2027, 3, 1)) == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("days", "amount"),
    [(0, 0), (1, 23), (14, 322), (15, 357), (28, 812), (29, 857), (42, 1442), (60, 1442)],
)
def test_awb_4_17_lid_1_2_the_dwangsom_amounts(days, amount):
    assert deadlines.dwangsom_amount(days) == Decimal(amount)


def test_awb_4_17_lid_1_at_most_42_days_and_1442_euros_the_atw_does_not_apply():
    first = date(2027, 3, 15)
    assert deadlines.dwangsom_days(first_day=first, until=date(2027, 3, 14)) == 0
    assert deadlines.dwangsom_days(first_day=first, until=first) == 1
    assert deadlines.dwangsom_days(first_day=first, until=date(2027, 6, 1)) == 42
    assert deadlines.DWANGSOM_MAXIMUM == Decimal("1442")


def test_awb_4_17_the_dwangsom_stops_at_the_decision():
    at_risk = deadlines.dwangsom_at_risk(
        due=date(2026, 11, 30),
        ingebrekestelling_on=date(2027, 3, 1),
        today=date(2027, 6, 1),
        decided_on=date(2027, 3, 17),  # two days in default: 15 and 16 March
    )
    assert at_risk == Decimal("46")
