"""The Awb deadlines of a bezwaar as pure functions of dates (no database, no clock).

Every term that ends on a Saturday, a Sunday or a public holiday runs on to the next day that is
none of these (Algemene termijnenwet art. 1 lid 1; the days of art. 3, see ui.working_days). The
dwangsom's 42 days are the exception (Awb 4:17 lid 1: the Atw does not apply to them)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ui.working_days import is_working_day

from . import rules


def atw_end(day: date) -> date:
    """The end of a statutory term that falls on `day`: a Saturday, Sunday or public holiday moves to
    the next working day (Algemene termijnenwet art. 1 lid 1)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def bezwaartermijn_end(letter_date: date) -> date:
    """The last day to lodge a bezwaar: six weeks (Awb 6:7) from the day after the decision was
    made known, the date of the letter (Awb 6:8 lid 1), moved by the Algemene termijnenwet."""
    return atw_end(letter_date + timedelta(weeks=rules.BEZWAARTERMIJN_WEEKS))


def filed_in_time(*, letter_date: date, received_on: date, posted_on: date | None = None) -> bool:
    """Awb 6:9: on time when received within the term (lid 1), or posted within it and received no
    later than a week after it ended (lid 2)."""
    end = bezwaartermijn_end(letter_date)
    if received_on <= end:
        return True
    return posted_on is not None and posted_on <= end and received_on <= end + timedelta(days=rules.POSTED_GRACE_DAYS)


def decision_due(*, letter_date: date, advisory_committee: bool) -> date:
    """The decision on the bezwaar is due six weeks, or twelve with an advisory committee, counted from
    the day after the bezwaartermijn ended (Awb 7:10 lid 1), moved by the Algemene termijnenwet."""
    weeks = rules.DECISION_WEEKS_WITH_COMMITTEE if advisory_committee else rules.DECISION_WEEKS
    return atw_end(bezwaartermijn_end(letter_date) + timedelta(weeks=weeks))


def extended_due(due: date) -> date:
    """The term deferred (verdaagd) once by six weeks (Awb 7:10 lid 3)."""
    return atw_end(due + timedelta(weeks=rules.EXTENSION_WEEKS))


def effective_due(
    *, letter_date: date, advisory_committee: bool, extended: bool, consent_until: date | None = None
) -> date:
    """The decision deadline in force: the 7:10 lid 1 term, deferred once (lid 3), and further with
    the objector's consent to a later date (lid 4)."""
    due = decision_due(letter_date=letter_date, advisory_committee=advisory_committee)
    if extended:
        due = extended_due(due)
    if consent_until is not None and consent_until > due:
        due = consent_until
    return due


def dwangsom_first_day(*, due: date, ingebrekestelling_on: date | None) -> date | None:
    """The first day the dwangsom is owed: two weeks after the later of the day the decision term
    passed and the day the written ingebrekestelling was received (Awb 4:17 lid 3). None without an
    ingebrekestelling. Received on Monday 1 March (term long passed): the first day is 15 March."""
    if ingebrekestelling_on is None:
        return None
    return max(due, ingebrekestelling_on) + timedelta(days=rules.DWANGSOM_GRACE_DAYS)


def dwangsom_days(*, first_day: date | None, until: date) -> int:
    """The days in default from `first_day` up to and including `until` (the day before the decision,
    or today), at most 42 (Awb 4:17 lid 1)."""
    if first_day is None or until < first_day:
        return 0
    return min((until - first_day).days + 1, rules.DWANGSOM_MAX_DAYS)


def dwangsom_amount(days: int) -> Decimal:
    """The dwangsom for `days` days in default: €23 a day for the first 14, €35 for the next 14, €45
    after that (Awb 4:17 lid 2), capped at 42 days (lid 1)."""
    days = min(max(days, 0), rules.DWANGSOM_MAX_DAYS)
    amount = Decimal("0")
    for tier_days, per_day in rules.DWANGSOM_TIERS:
        counted = days if tier_days is None else min(days, tier_days)
        amount += counted * per_day
        days -= counted
    return amount


def dwangsom_at_risk(
    *, due: date, ingebrekestelling_on: date | None, today: date, decided_on: date | None = None
) -> Decimal:
    """The dwangsom owed on `today` (or in total, once decided: the days before the decision)."""
    first_day = dwangsom_first_day(due=due, ingebrekestelling_on=ingebrekestelling_on)
    return dwangsom_amount(dwangsom_days(first_day=first_day, until=last_day_in_default(today, decided_on)))


def last_day_in_default(today: date, decided_on: date | None) -> date:
    """The dwangsom runs until the decision: through the day before it, or through today while open."""
    return decided_on - timedelta(days=1) if decided_on is not None else today


DWANGSOM_MAXIMUM = dwangsom_amount(rules.DWANGSOM_MAX_DAYS)
