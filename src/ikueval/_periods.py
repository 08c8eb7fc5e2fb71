"""Periods and spans of time.

A :class:`Period` is a year (``2025``), a quarter (``2025-Q2``, the *triwulan*
of the reports), a month (``2025-04``) or a day (``2025-04-21``). Events
happen in periods; evaluation is asked for a year, quarter or month, and looks
at three :class:`Span` values derived from it: the period itself, the year up
to and including the period (*to date*, "s.d. TW II"), and the whole year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import Enum
from typing import Final

from attrs import frozen

from ._errors import PeriodError


class Granularity(Enum):
    """The length of a period."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    DAY = "day"


_PERIOD_RE: Final = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:[Qq](?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])"
    r"(?:-(?P<day>[0-9]{2}))?))?"
)
#: Years outside this range are surely typing mistakes.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2999
PERIOD_SYNTAX: Final = "2025, 2025-Q1..2025-Q4, 2025-01..2025-12 or a date 2025-04-21"


@frozen(order=False, cache_hash=True)
class Period:
    """A calendar period; compare with :meth:`sort_key`, not ``<``.

    Periods key many dictionaries (targets, cells): the hash is computed once
    per period (the hash of its granularity is a Python-level call).

    Create periods with :meth:`parse`, :meth:`year_of`, :meth:`quarter_of`,
    :meth:`month_of` or :meth:`day_of`.
    """

    granularity: Granularity
    start: date
    end: date

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The whole year."""
        _check_year(year)
        return cls(Granularity.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter_of(cls, year: int, quarter: int) -> Period:
        """Quarter 1..4 of a year."""
        _check_year(year)
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter must be 1..4, found {quarter}")
        first = 3 * quarter - 2
        return cls(Granularity.QUARTER, date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def month_of(cls, year: int, month: int) -> Period:
        """Month 1..12 of a year."""
        _check_year(year)
        if not 1 <= month <= 12:
            raise PeriodError(f"month must be 1..12, found {month}")
        return cls(Granularity.MONTH, date(year, month, 1), _month_end(year, month))

    @classmethod
    def day_of(cls, day: date) -> Period:
        """One day."""
        _check_year(day.year)
        return cls(Granularity.DAY, day, day)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2025``, ``2025-Q2``, ``2025-04`` or ``2025-04-21``.

        Raises:
            PeriodError: when the text is none of these.
        """
        value = text.strip()
        match = _PERIOD_RE.fullmatch(value)
        if not match:
            raise PeriodError(f"expected a period ({PERIOD_SYNTAX}), found {text!r}")
        year = int(match["year"])
        if match["quarter"]:
            return cls.quarter_of(year, int(match["quarter"]))
        if match["month"]:
            month = int(match["month"])
            if match["day"]:
                try:
                    return cls.day_of(date(year, month, int(match["day"])))
                except ValueError:
                    raise PeriodError(f"{text!r} is not a date in the calendar") from None
            return cls.month_of(year, month)
        return cls.year_of(year)

    @property
    def year(self) -> int:
        """The year the period lies in."""
        return self.start.year

    @property
    def label(self) -> str:
        """The canonical text of the period (what :meth:`parse` reads)."""
        if self.granularity is Granularity.YEAR:
            return f"{self.year:04d}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.year:04d}-Q{(self.start.month + 2) // 3}"
        if self.granularity is Granularity.MONTH:
            return f"{self.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def __str__(self) -> str:
        return self.label

    def sort_key(self) -> tuple[date, date]:
        """Order by start, then by end: 2025-Q2 sorts before 2025-04-01's longer peers."""
        return (self.start, self.end)

    def contains(self, other: Period | Span) -> bool:
        """Whether ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period | Span) -> bool:
        """Whether the two share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def quarters(self) -> tuple[Period, ...]:
        """The quarters of a year (or the quarter itself)."""
        if self.granularity is Granularity.YEAR:
            return tuple(Period.quarter_of(self.year, q) for q in range(1, 5))
        if self.granularity is Granularity.QUARTER:
            return (self,)
        raise PeriodError(f"{self.label} has no quarters")

    def months(self) -> tuple[Period, ...]:
        """The months of a year or quarter (or the month itself)."""
        if self.granularity is Granularity.DAY:
            raise PeriodError(f"{self.label} is a day, not made of months")
        return tuple(
            Period.month_of(self.year, m) for m in range(self.start.month, self.end.month + 1)
        )


@frozen(order=False)
class Span:
    """A run of days from ``start`` to ``end`` inclusive, with a label for people.

    The spans ikueval evaluates are :meth:`of` a period and :meth:`to_date` of a
    period (from January 1 of its year to its end).
    """

    start: date
    end: date
    label: str

    @classmethod
    def of(cls, period: Period) -> Span:
        """The span of one period."""
        return cls(period.start, period.end, period.label)

    @classmethod
    def to_date(cls, period: Period) -> Span:
        """From the start of the period's year to the end of the period."""
        year = period.year
        start = date(year, 1, 1)
        if period.start == start:
            return cls.of(period)
        first = {
            Granularity.QUARTER: f"{year:04d}-Q1",
            Granularity.MONTH: f"{year:04d}-01",
            Granularity.DAY: f"{year:04d}-01-01",
        }[period.granularity]
        return cls(start, period.end, f"{first}..{period.label}")

    def contains(self, other: Period | Span) -> bool:
        """Whether ``other`` lies wholly inside this span."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period | Span) -> bool:
        """Whether the two share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        return self.label


_SLOT_RE: Final = re.compile(r"annual|Q[1-4]|M(?:0[1-9]|1[0-2])")
SLOT_SYNTAX: Final = (
    "annual, Q1..Q4 or M01..M12 (for a rule set of one year), "
    "or a period such as 2025, 2025-Q2, 2025-04"
)


def parse_slot(key: str, years: tuple[int, ...]) -> Period:
    """Read a target slot: ``annual``, ``Q1``..``Q4``, ``M01``..``M12`` or a period.

    The short forms need a rule set of exactly one year; a multi-year rule set
    writes periods in full (``2021``, ``2021-Q3``).

    Raises:
        PeriodError: when the key is not a slot, or is short in a multi-year rule set.
    """
    if _SLOT_RE.fullmatch(key):
        if len(years) != 1:
            raise PeriodError(
                f"the short slot {key!r} needs a rule set of exactly one year; "
                f"write the period in full, e.g. {years[0] if years else 2025}"
                f"{'' if key == 'annual' else '-' + key.replace('M', '')}"
            )
        (year,) = years
        if key == "annual":
            return Period.year_of(year)
        if key.startswith("Q"):
            return Period.quarter_of(year, int(key[1]))
        return Period.month_of(year, int(key[1:]))
    try:
        period = Period.parse(key)
    except PeriodError:
        raise PeriodError(f"expected a target slot ({SLOT_SYNTAX}), found {key!r}") from None
    if period.granularity is Granularity.DAY:
        raise PeriodError(f"targets are set for years, quarters or months, not days: {key!r}")
    return period


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is out of range {MIN_YEAR}..{MAX_YEAR}")
