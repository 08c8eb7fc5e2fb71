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

import re
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, Final

from .._decimals import MAX_DECIMALS, MAX_MAGNITUDE, NumberFormat
from .._errors import IkuEvalError
from .._events import MISSING_MARK
from .._ledger import period_key
from .._model import IMPLICIT_INPUT, RuleSet
from .._periods import Granularity, Period
from .._units import canonical_unit

#: Distinct period (and date) texts remembered per file, and distinct values,
#: units and dimension values per file. A year of days is 366 texts; the
#: bound keeps a file of made-up texts from growing the caches without end
#: (past it, a cache is emptied and filled again).
MAX_CACHED: Final = 4096
#: The longest text (value, unit, dimension value) whose reading is remembered:
#: common cells are short, and a few thousand long cells would hold much memory.
MAX_CACHED_TEXT: Final = 64

_LARGEST: Final = int(MAX_MAGNITUDE)
Accepted = tuple[
    tuple[str, str], Period, int, tuple[tuple[str, str], ...], int | None, int, str | None
]
"""A row accepted: its series, period and its key, dimension values, value as an integer
and a power of ten (None for "-"), and id."""
Parts = tuple[
    "_Series",
    tuple[Period, int],
    tuple[tuple[str, str], ...],
    tuple[Any, int, bool],
    str | None,
]
"""A row accepted, as :attr:`RowPlan.parts` gives it: what its series is checked against,
its period and its key, dimension values, value (an integer, or None for "-", a power of
ten, and whether :data:`COLUMN_BOUNDS` hold them), and id."""
#: The values a series' columns hold (:class:`~ikueval._folding.Rows`): a
#: coefficient of 64 bits and an exponent of 16, above -30000 (the others are
#: added one by one).
COLUMN_BOUNDS: Final = (-((1 << 63) - 1), (1 << 63) - 1, -30000)
#: What the cache of periods holds for a text that is no period of the rule set.
_NO_PERIOD: Final[Any] = (None, -1)
#: What the caches of values and dimension values hold for a text the fast path
#: does not accept, and what a cache lookup gives for a text not seen yet.
_REFUSED: Final[Any] = object()
_UNSEEN: Final[Any] = object()


class _Series:
    """What a row of one indicator input is checked against."""

    __slots__ = ("canonical", "key", "unit")

    def __init__(self, key: tuple[str, str], unit: str, canonical: str) -> None:
        self.key = key
        self.unit = unit
        self.canonical = canonical
        """The unit as a row's unit is compared with it (:func:`~ikueval._units.same_unit`)."""


#: Digits a whole part may have to be read here (a larger one is left to the
#: exact reader: below 10^24 it may still be, with leading zeros).
_WHOLE_DIGITS: Final = 24


#: The shapes of a number the fast path reads, in each format: a whole part
#: (in the Indonesian format grouped by thousands, or not grouped), then maybe
#: a fraction. Only ASCII digits: any other digit is left to the exact reader.
_INDONESIAN: Final = re.compile(r"([1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")
_INTERNATIONAL: Final = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


def _number(text: str, indonesian: bool, declared: bool) -> tuple[int, int] | None:
    """A non-negative number as :func:`~ikueval._decimals.parse_number` reads it, exactly:
    an integer and a power of ten (``87,5`` is 875 and -1).

    None when the text is anything else (negative, ambiguous, too long, not a
    number): the exact reader then decides, and words the problem.
    """
    found = (_INDONESIAN if indonesian else _INTERNATIONAL).fullmatch(text)
    if found is None:
        return None
    whole, fraction = found.groups()
    if indonesian:
        whole = whole.replace(".", "")
    elif (
        not declared
        and fraction is not None
        and len(fraction) == 3
        and len(whole) <= 3
        and whole[0] != "0"
    ):
        return None  # 7.375: a thousand times more in the Indonesian format
    if len(whole) > _WHOLE_DIGITS:
        return None
    if fraction is None:
        value = int(whole)
        return (value, 0) if value < _LARGEST else None
    if len(fraction) > MAX_DECIMALS or int(whole) >= _LARGEST:
        return None
    return int(whole + fraction), -len(fraction)


class _Indicator:
    __slots__ = ("default", "names", "series")

    def __init__(self, series: dict[str, _Series], names: frozenset[str]):
        self.series = series
        self.default = series.get("")
        """The series of a row without an input column (None: the indicator has inputs)."""
        self.names = names
        """Its dimensions."""


class RuleFacts:
    """What the fast path needs of a rule set, worked out once.

    Categorical indicators are left out: their rows go to the exact checker.
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.years = frozenset(ruleset.years)
        #: The values of each dimension the rule set declares (any value of others).
        self.values = {name: frozenset(spec.values) for name, spec in ruleset.dimensions.items()}
        self.indicators: dict[str, _Indicator] = {}
        # Equal units and sets of dimensions are one object each, met by most rows
        # (and a unit compared with itself is found equal at once).
        self.units: dict[str, str] = {}
        names: dict[frozenset[str], frozenset[str]] = {}
        for indicator in ruleset.indicators:
            if indicator.categorical or indicator.id != indicator.id.strip():
                continue  # a cell is stripped: an id with spaces around is never named
            if indicator.inputs:
                series = {
                    name: self._series((indicator.id, name), spec.unit or indicator.unit)
                    for name, spec in indicator.inputs.items()
                }
            else:
                series = {"": self._series((indicator.id, IMPLICIT_INPUT), indicator.unit)}
            dimensions = frozenset(indicator.dimensions)
            dimensions = names.setdefault(dimensions, dimensions)
            self.indicators[indicator.id] = _Indicator(series, dimensions)

    def _series(self, key: tuple[str, str], unit: str) -> _Series:
        return _Series(key, unit, self.canonical_unit(unit))

    def canonical_unit(self, unit: str) -> str:
        """:func:`~ikueval._units.canonical_unit`, one object for equal results."""
        canonical = canonical_unit(unit)
        if len(self.units) < MAX_CACHED:
            return self.units.setdefault(canonical, canonical)
        return self.units.get(canonical, canonical)

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
        self._values: dict[str, Any] = {}
        self._units: dict[str, str | None] = {}
        self._dimension_values: dict[Any, Any] = {}
        self.row: Callable[[list[str]], Accepted | None] = self._compile(keyed=True)
        """The parts of a row the exact checker would accept as they are; None otherwise."""
        self.parts: Callable[[list[str]], Parts | None] = self._compile(keyed=False)
        """:attr:`row`, with what the series is checked against instead of its key."""

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

    def _value(self, cell: str) -> Any:
        """The value of a cell as an integer, a power of ten and whether
        :data:`COLUMN_BOUNDS` hold them (None, 0 and False for "-"), or ``_REFUSED``
        (remembered either way when the cell is short)."""
        text = cell.strip()
        read: tuple[int, int] | None
        if text == MISSING_MARK:
            return _remembered(self._values, cell, (None, 0, False))
        if text.isdigit() and text.isascii() and len(text) <= _WHOLE_DIGITS:
            read = (int(text), 0) if int(text) < _LARGEST else None
        else:
            number_format = self.number_format
            read = _number(
                text, number_format is NumberFormat.INDONESIAN, number_format is not None
            )
        found: Any = _REFUSED
        if read is not None:
            coefficient, exponent = read
            least, most, least_exponent = COLUMN_BOUNDS
            fits = least <= coefficient <= most and least_exponent < exponent <= 0
            found = (coefficient, exponent, fits)
        return _remembered(self._values, cell, found)

    def _unit(self, cell: str) -> str | None:
        """The unit of a cell as units are compared, or None when it is blank (remembered
        when the cell is short)."""
        text = cell.strip()
        unit: str | None = self.facts.canonical_unit(text) if text else None
        _remembered(self._units, cell, unit)
        return unit

    def _dimensions(self, cells: Any) -> Any:
        """The dimensions named by the cells of the dimension columns (a text when there is
        one column) and their values, or ``_REFUSED`` when a value is not one of its
        dimension's (remembered when the cells are short)."""
        texts: tuple[str, ...] = (cells,) if isinstance(cells, str) else cells
        declared = self.facts.values
        names, dims = [], []
        found: Any = None
        for (name, _), text in zip(self.dimensions, texts, strict=True):
            value = text.strip()
            if value:
                values = declared.get(name)
                if values is not None and value not in values:
                    found = _REFUSED
                    break
                names.append(name)
                dims.append((name, value))
        if found is None:
            found = (frozenset(names), tuple(dims))
        if any(len(text) > MAX_CACHED_TEXT for text in texts):
            return found
        cache = self._dimension_values
        if len(cache) >= MAX_CACHED:
            cache.clear()
        cache[cells] = found
        return found

    def _compile(self, *, keyed: bool) -> Callable[[list[str]], Any]:
        """:attr:`row` (``keyed``) or :attr:`parts`, with every column and table at hand.

        Each kind of cell is read once per file: periods, values, units and
        dimension values are remembered by their text as it stands in the cell.
        """
        indicators = self.facts.indicators
        i_indicator, i_value, i_input = self.indicator, self.value, self.input
        i_period, i_date, i_unit, i_id = self.period, self.date, self.unit, self.id
        empty = self.empty
        periods, dates, read_period = self._periods, self._dates, self._period
        values, read_value = self._values, self._value
        units, read_unit = self._units, self._unit
        dimension_values, read_dimensions = self._dimension_values, self._dimensions
        dimension_cells = (
            itemgetter(*(index for _, index in self.dimensions)) if self.dimensions else None
        )
        refused, unseen, no_period = _REFUSED, _UNSEEN, _NO_PERIOD
        no_dims: tuple[tuple[str, str], ...] = ()

        def row(cells: list[str]) -> Any:
            indicator = indicators.get(cells[i_indicator])
            if indicator is None:
                indicator = indicators.get(cells[i_indicator].strip())
                if indicator is None:
                    return None
            for index in empty:
                if cells[index].strip():
                    return None
            series = (
                indicator.series.get(cells[i_input].strip()) if i_input >= 0 else indicator.default
            )
            if series is None:
                return None
            if i_period >= 0:
                period_text = cells[i_period]
                date_text = cells[i_date] if i_date >= 0 else ""
                if period_text.strip():
                    if date_text.strip():
                        return None
                    found = periods.get(period_text) or read_period(period_text, False)
                elif date_text.strip():
                    found = dates.get(date_text) or read_period(date_text, True)
                else:
                    return None
            elif i_date >= 0:
                date_text = cells[i_date]
                day = dates.get(date_text)  # only texts that are not blank are remembered
                if day is None:
                    if not date_text.strip():
                        return None
                    day = read_period(date_text, True)
                found = day
            else:
                return None
            if found is no_period:
                return None
            value = values.get(cells[i_value])
            if value is None:
                value = read_value(cells[i_value])
            if value is refused:
                return None
            if i_unit >= 0:
                unit = units.get(cells[i_unit], unseen)
                if unit is unseen:
                    unit = read_unit(cells[i_unit])
                if unit is not None and unit != series.canonical:
                    return None
            if dimension_cells is not None:
                texts = dimension_cells(cells)
                named = dimension_values.get(texts)
                if named is None:
                    named = read_dimensions(texts)
                if named is refused:
                    return None
                names, dims = named
                if names and not names <= indicator.names:
                    return None
            else:
                dims = no_dims
            ident = (cells[i_id].strip() or None) if i_id >= 0 else None
            if keyed:
                return (series.key, found[0], found[1], dims, value[0], value[1], ident)
            return (series, found, dims, value, ident)

        return row


def _remembered(cache: dict[Any, Any], text: str, found: Any) -> Any:
    """``found``, remembered in ``cache`` as what ``text`` reads as when it is short."""
    if len(text) <= MAX_CACHED_TEXT:
        if len(cache) >= MAX_CACHED:
            cache.clear()
        cache[text] = found
    return found
