"""The common row of a CSV event file, checked without building an event.

Most rows of a large file are alike: a known indicator, a day or a month of
the rule set's years, a whole number, a unit as declared, dimension values of
the rule set. :class:`RowPlan` checks such a row with what was worked out
once per rule set (:class:`RuleFacts`: the indicators' inputs, units,
dimensions) and once per file (the column of each field), and hands on its
parts: series, period, dimension values, value and id. It accepts a row only
when :func:`ikueval._events.event_from_record` would accept it and build the
same event; any other row (a mistake, a category, spending, a reference, a
number it does not read by itself) is left to that exact checker, so that
every message stays the same. ``tests/test_fast_rows.py`` checks that the two
agree on arbitrary rows.

Whole numbers are kept as ``int`` (exact, and far cheaper than a
``Decimal``); other numbers are read by :func:`~ikueval._decimals.parse_number`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from .._decimals import MAX_DECIMALS, MAX_MAGNITUDE, NumberFormat
from .._errors import IkuEvalError
from .._events import MISSING_MARK
from .._ledger import period_key
from .._model import IMPLICIT_INPUT, RuleSet
from .._periods import Granularity, Period
from .._units import same_unit

#: Distinct period (and date) texts remembered per file, and distinct units
#: and dimension combinations per rule set. A year of days is 366 texts; the
#: bound keeps a file of made-up texts from growing the caches without end
#: (past it, a cache is emptied and filled again).
MAX_CACHED: Final = 4096

_LARGEST: Final = int(MAX_MAGNITUDE)
Accepted = tuple[
    tuple[str, str], Period, int, tuple[tuple[str, str], ...], int | None, int, str | None
]
"""A row accepted: its series, period and its key, dimension values, value as an integer
and a power of ten (None for "-"), and id."""
#: What the cache of periods holds for a text that is no period of the rule set.
_NO_PERIOD: Final[Any] = (None, -1)


class _Series:
    """What a row of one indicator input is checked against."""

    __slots__ = ("key", "unit", "units")

    def __init__(self, key: tuple[str, str], unit: str) -> None:
        self.key = key
        self.unit = unit
        self.units: dict[str, bool] = {}
        """Units written in rows, and whether they name this one."""

    def same_unit(self, written: str) -> bool:
        """Whether a unit written in a row names this one (remembered)."""
        if len(self.units) >= MAX_CACHED:
            self.units.clear()
        found = self.units[written] = same_unit(written, self.unit)
        return found


#: Digits a whole part may have to be read here (a larger one is left to the
#: exact reader: below 10^24 it may still be, with leading zeros).
_WHOLE_DIGITS: Final = 24


def _digits(text: str) -> bool:
    return text.isdigit() and text.isascii()


def _number(text: str, indonesian: bool, declared: bool) -> tuple[int, int] | None:
    """A non-negative number as :func:`~ikueval._decimals.parse_number` reads it, exactly:
    an integer and a power of ten (``87,5`` is 875 and -1).

    None when the text is anything else (negative, ambiguous, too long, not a
    number): the exact reader then decides, and words the problem.
    """
    if indonesian:
        whole, comma, fraction = text.partition(",")
        if "." in whole:
            groups = whole.split(".")
            head = groups[0]
            if not (_digits(head) and len(head) <= 3 and head[0] != "0"):
                return None
            for group in groups[1:]:
                if len(group) != 3 or not _digits(group):
                    return None
            whole = "".join(groups)
        elif not _digits(whole):
            return None
    else:
        whole, comma, fraction = text.partition(".")
        if not _digits(whole):
            return None
        if not declared and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
            return None  # 7.375: a thousand times more in the Indonesian format
    if len(whole) > _WHOLE_DIGITS:
        return None
    if not comma:
        value = int(whole)
        return (value, 0) if value < _LARGEST else None
    if not _digits(fraction) or len(fraction) > MAX_DECIMALS:
        return None
    if int(whole) >= _LARGEST:
        return None
    return int(whole + fraction), -len(fraction)


class _Indicator:
    __slots__ = ("dimensions", "series")

    def __init__(self, series: dict[str, _Series], dimensions: dict[str, frozenset[str] | None]):
        self.series = series
        self.dimensions = dimensions


class RuleFacts:
    """What the fast path needs of a rule set, worked out once.

    Categorical indicators are left out: their rows go to the exact checker.
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.years = frozenset(ruleset.years)
        self.indicators: dict[str, _Indicator] = {}
        for indicator in ruleset.indicators:
            if indicator.categorical:
                continue
            if indicator.inputs:
                series = {
                    name: _Series((indicator.id, name), spec.unit or indicator.unit)
                    for name, spec in indicator.inputs.items()
                }
            else:
                series = {"": _Series((indicator.id, IMPLICIT_INPUT), indicator.unit)}
            dimensions: dict[str, frozenset[str] | None] = {}
            for name in indicator.dimensions:
                declared = ruleset.dimensions.get(name)
                dimensions[name] = None if declared is None else frozenset(declared.values)
            self.indicators[indicator.id] = _Indicator(series, dimensions)

    def plan(self, columns: Sequence[str], number_format: NumberFormat | None) -> RowPlan | None:
        """How to read the rows of a file with these columns; None when none can be read fast."""
        if "dimensions" in columns or "indicator" not in columns or "value" not in columns:
            return None
        return RowPlan(self, columns, number_format)


def _index(columns: Sequence[str], name: str) -> int:
    return columns.index(name) if name in columns else -1


class RowPlan:
    """The columns of one file's fields, and the periods its rows name (remembered)."""

    def __init__(
        self, facts: RuleFacts, columns: Sequence[str], number_format: NumberFormat | None
    ) -> None:
        from .._events import FIELDS

        self.facts = facts
        self.number_format = number_format
        self.indicator = columns.index("indicator")
        self.value = columns.index("value")
        self.input = _index(columns, "input")
        self.period = _index(columns, "period")
        self.date = _index(columns, "date")
        self.unit = _index(columns, "unit")
        self.id = _index(columns, "id")
        #: Columns that must be empty for the fast path: spending, references.
        self.empty = [i for i in (_index(columns, "activity"), _index(columns, "ref")) if i >= 0]
        #: The columns of the texts an event keeps beside its figure (its unit,
        #: document, table and note; -1 when absent), for the ledger store.
        self.texts = (self.unit, *(_index(columns, name) for name in ("document", "table", "note")))
        self.dimensions = sorted((name, i) for i, name in enumerate(columns) if name not in FIELDS)
        self._periods: dict[str, tuple[Period, int]] = {}
        self._dates: dict[str, tuple[Period, int]] = {}
        self.row: Callable[[list[str]], Accepted | None] = self._compile()
        """The parts of a row the exact checker would accept as they are; None otherwise."""

    def _period(self, text: str, day: bool) -> tuple[Period, int]:
        """The period a text names and its key, or ``_NO_PERIOD`` (remembered either way)."""
        cache = self._dates if day else self._periods
        if len(cache) >= MAX_CACHED:
            cache.clear()
        try:
            period: Period | None = Period.parse(text)
        except IkuEvalError:
            period = None
        if period is None or (
            period.year not in self.facts.years
            or (day and period.granularity is not Granularity.DAY)
        ):
            found: tuple[Period, int] = _NO_PERIOD
        else:
            found = (period, period_key(period))
        cache[text] = found
        return found

    def _compile(self) -> Callable[[list[str]], Accepted | None]:
        """:attr:`row`, with every column and table at hand (a row costs a few microseconds)."""
        indicators = self.facts.indicators
        indonesian = self.number_format is NumberFormat.INDONESIAN
        declared = self.number_format is not None

        def number(text: str) -> tuple[int, int] | None:
            return _number(text, indonesian, declared)

        i_indicator, i_value, i_input = self.indicator, self.value, self.input
        i_period, i_date, i_unit, i_id = self.period, self.date, self.unit, self.id
        empty, dimension_columns = self.empty, self.dimensions
        periods, dates, read_period = self._periods, self._dates, self._period
        missing_mark, largest, whole_digits = MISSING_MARK, _LARGEST, _WHOLE_DIGITS

        def row(cells: list[str]) -> Accepted | None:
            indicator = indicators.get(cells[i_indicator].strip())
            if indicator is None:
                return None
            for index in empty:
                if cells[index].strip():
                    return None
            series = indicator.series.get(cells[i_input].strip() if i_input >= 0 else "")
            if series is None:
                return None
            period_text = cells[i_period] if i_period >= 0 else ""
            date_text = cells[i_date] if i_date >= 0 else ""
            if period_text.strip():
                if date_text.strip():
                    return None
                found = periods.get(period_text) or read_period(period_text, False)
            elif date_text.strip():
                found = dates.get(date_text) or read_period(date_text, True)
            else:
                return None
            if found is _NO_PERIOD:
                return None
            text = cells[i_value].strip()
            coefficient: int | None
            exponent = 0
            if text == missing_mark:
                coefficient = None
            elif text.isdigit() and text.isascii() and len(text) <= whole_digits:
                coefficient = int(text)
                if coefficient >= largest:
                    return None
            else:
                read = number(text)
                if read is None:
                    return None
                coefficient, exponent = read
            if i_unit >= 0:
                unit = cells[i_unit].strip()
                if unit:
                    same = series.units.get(unit)
                    if same is None:
                        same = series.same_unit(unit)
                    if not same:
                        return None
            dims = []
            allowed = indicator.dimensions
            for name, index in dimension_columns:
                dimension = cells[index].strip()
                if dimension:
                    if name not in allowed:
                        return None
                    values = allowed[name]
                    if values is not None and dimension not in values:
                        return None
                    dims.append((name, dimension))
            ident = cells[i_id].strip() if i_id >= 0 else ""
            return (
                series.key,
                found[0],
                found[1],
                tuple(dims),
                coefficient,
                exponent,
                ident or None,
            )

        return row
