"""The monitor's periods: calendar years and, within a year, 13 periods of 4 weeks on ISO weeks
(period 1 is weeks 1-4, ..., period 13 is weeks 49 up to the year's last week, 52 or 53) - the
periods in which result-financed IB is paid."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Value, When

PERIODS_PER_YEAR = 13


@dataclass(frozen=True)
class Span:
    year: int
    period: int  # 0: the calendar year
    start: date
    end: date

    @property
    def label(self) -> str:
        return str(self.year) if self.period == 0 else f"{self.year}-P{self.period:02d}"


def _last_iso_week(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def year_span(year: int) -> Span:
    return Span(year, 0, date(year, 1, 1), date(year, 12, 31))


def four_week_periods(year: int) -> list[Span]:
    spans = []
    for period in range(1, PERIODS_PER_YEAR + 1):
        last_week = _last_iso_week(year) if period == PERIODS_PER_YEAR else 4 * period
        spans.append(
            Span(year, period, date.fromisocalendar(year, 4 * period - 3, 1), date.fromisocalendar(year, last_week, 7))
        )
    return spans


def spans_of(year: int) -> list[Span]:
    return [year_span(year), *four_week_periods(year)]


def stored_spans(year: int, *, today: date) -> list[list[Span]]:
    """What the refresh stores of a year: the calendar year, and its periods of 4 weeks that have
    begun by today (each list counted by one grouped query; none on the first days of a year whose
    first ISO week begins later)."""
    begun = [span for span in four_week_periods(year) if span.start <= today]
    return [[year_span(year)], *([begun] if begun else [])]


def period_of(field: str, spans: list[Span]) -> Case:
    """The number of the span (of one year, not overlapping) in which the date `field` falls; 0: none."""
    return Case(
        *[When(**{f"{field}__range": (span.start, span.end)}, then=Value(span.period)) for span in spans],
        default=Value(0),
        output_field=IntegerField(),
    )


def years_before(date_of_birth_limit: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return date_of_birth_limit.replace(year=date_of_birth_limit.year - years)
    except ValueError:
        return date_of_birth_limit.replace(year=date_of_birth_limit.year - years, day=28)
