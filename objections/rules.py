"""The Awb's numbers for a bezwaar, as data in one place: the terms in weeks and the dwangsom's
amounts per day. A change in the law is a change here (and in the tests that name the article)."""

from decimal import Decimal

# Awb 6:7: the term for a bezwaarschrift is six weeks.
BEZWAARTERMIJN_WEEKS = 6
# Awb 6:9 lid 2: a bezwaarschrift posted within the term is on time if it arrives within a week after.
POSTED_GRACE_DAYS = 7
# Awb 7:10 lid 1: the decision within six weeks, or twelve when an advisory committee (7:13) advises.
DECISION_WEEKS = 6
DECISION_WEEKS_WITH_COMMITTEE = 12
# Awb 7:10 lid 3: the decision may be deferred (verdaagd) once, by at most six weeks.
EXTENSION_WEEKS = 6
# Awb 4:17 lid 3: the dwangsom runs from two weeks after the term passed and the ingebrekestelling came in.
DWANGSOM_GRACE_DAYS = 14
# Awb 4:17 lid 1 and 2: per day in default, €23 for the first 14 days, €35 for the next 14, €45 after,
# for at most 42 days (so at most €1,442). Each tier: (days, euros per day); None = the rest.
DWANGSOM_TIERS: tuple[tuple[int | None, Decimal], ...] = (
    (14, Decimal("23")),
    (14, Decimal("35")),
    (None, Decimal("45")),
)
DWANGSOM_MAX_DAYS = 42
