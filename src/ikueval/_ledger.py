"""The ledger: what a data set's events add up to, cell by cell.

A *cell* holds the events of one indicator input (or one activity's spending)
in one period with one set of dimension values: their total, their number and
their sources. A ledger is built once from the events
(:func:`ikueval._aggregation.build_ledger`, :func:`ikueval.read_ledger`), then
evaluated for any period, and grown one event at a time with
:meth:`Ledger.add`, which returns a new ledger and leaves this one as it is.

A ledger may hold a million cells, so a :class:`Series` keeps its cells as
columns (:mod:`array`): per cell, the period's key, the number of its
dimension values in the ledger's table, the count, the total as an integer
and a power of ten, and one packed source line; what few cells need more (the
sources of several rows, a category, rows given twice, retained events) is
kept beside them. About 30 bytes a cell, against some 400 for an object per
cell. :attr:`Series.cells` builds :class:`Cell` values from the columns when
they are asked for.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from ._cells import Cell as Cell
from ._cells import Dimensions as Dimensions
from ._cells import first_source as first_source
from ._cells import source_texts as source_texts
from ._decimals import SUM_CONTEXT
from ._errors import Problem
from ._events import Event, EventSource, spending_series
from ._model import IMPLICIT_INPUT, TargetValue
from ._periods import Granularity, Period
from ._results import Part
from ._sources import LINE_SPAN, FileTable, Source, SourceSet

if TYPE_CHECKING:
    from ._model import RuleSet

SeriesKey = tuple[str, str]

_LONGER: Final = {
    Granularity.DAY: 0,
    Granularity.MONTH: 1,
    Granularity.QUARTER: 2,
    Granularity.YEAR: 3,
}


def period_key(period: Period) -> int:
    """A number that names a period and sorts as periods do: by start, then by end."""
    return period.start.toordinal() * 4 + _LONGER[period.granularity]


def decimal_of(coefficient: int, exponent: int) -> Decimal:
    """``coefficient`` times ten to ``exponent``, exactly."""
    value = Decimal(coefficient)
    return value if exponent == 0 else value.scaleb(exponent, context=SUM_CONTEXT)


class Tables:
    """What the cells of a ledger share: file names, periods, combinations of dimension values.

    A table only grows, so a number once given always names the same thing; a
    ledger derived by :meth:`Ledger.add` copies the tables before it adds to
    them, and the ledgers share what was there.
    """

    __slots__ = ("dimensions", "files", "labels", "numbers", "periods")

    def __init__(self, files: Collection[str] = ()) -> None:
        self.files = FileTable(files)
        self.periods: dict[int, Period] = {}
        self.labels: dict[int, str] = {}
        self.dimensions: list[Dimensions] = []
        self.numbers: dict[Dimensions, int] = {}

    def copy(self) -> Tables:
        """A copy to add to, with the same numbers."""
        tables = Tables()
        tables.files = self.files.copy()
        tables.periods = dict(self.periods)
        tables.labels = dict(self.labels)
        tables.dimensions = list(self.dimensions)
        tables.numbers = dict(self.numbers)
        return tables

    def period(self, period: Period) -> int:
        """The key of a period, which the table now knows."""
        key = period_key(period)
        if key not in self.periods:
            self.periods[key] = period
            self.labels[key] = period.label
        return key

    def dims(self, dims: Dimensions) -> int:
        """The number of a combination of dimension values."""
        number = self.numbers.get(dims)
        if number is None:
            number = self.numbers[dims] = len(self.dimensions)
            self.dimensions.append(dims)
        return number

    def knows(self, period: Period, dims: Dimensions, file: str | None) -> bool:
        """Whether nothing would be added to the tables for these."""
        return (
            period_key(period) in self.periods
            and dims in self.numbers
            and (file is None or file in self.files.numbers)
        )


@frozen
class MissingReport:
    """A period whose figure a source reported as not measured ("-")."""

    period: Period
    dimensions: Dimensions
    sources: tuple[str, ...]


class Extra:
    """What a few cells keep beside the columns."""

    __slots__ = ("events", "ids", "label", "repeats", "sources", "texts")

    def __init__(self) -> None:
        self.sources: SourceSet | EventSource | None = None
        """The sources, when they are not one packed line."""
        self.texts: tuple[str, ...] | None = None
        """The sources as the trail writes them, once asked for (they do not change)."""
        self.label: str | None = None
        """The category, when the cell's value is one."""
        self.repeats: Any = None
        """The values of events without an id, once several (a ``Repeats``)."""
        self.ids: Any = None
        """The ids given, as ``(id, source)`` for the first, then a ``Repeats``."""
        self.events: tuple[Event, ...] = ()
        """The events, when the indicator is retained."""

    def copy(self) -> Extra:
        """A copy that may be changed without changing this one."""
        extra = Extra()
        sources = self.sources
        extra.sources = sources.copy() if isinstance(sources, SourceSet) else sources
        extra.label = self.label
        extra.repeats = self.repeats.copy() if self.repeats is not None else None
        ids = self.ids
        extra.ids = ids.copy() if hasattr(ids, "copy") else ids
        extra.events = self.events
        return extra


#: The packed source of a cell whose sources are in its :class:`Extra`.
IN_EXTRA: Final = -1


class Series:
    """Everything recorded for one indicator input: its cells as columns.

    The cells are sorted by period (start, then end), then dimension values.
    Build series with :class:`~ikueval._building.LedgerBuilder`; a series is
    never changed once built.
    """

    __slots__ = (
        "coefficients",
        "counts",
        "dims",
        "exponents",
        "extras",
        "first_no_id",
        "labelled",
        "missing",
        "periods",
        "reports",
        "sources",
        "tables",
    )

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables = tables if tables is not None else Tables()
        self.periods = array("i")
        """The key of each cell's period (:func:`period_key`), in order."""
        self.dims = array("i")
        """The number of each cell's dimension values in the ledger's table."""
        self.counts = array("q")
        self.coefficients: array[int] | list[int] = array("q")
        """Each cell's total is ``coefficient`` times ten to ``exponent``."""
        self.exponents: array[int] | list[int] = array("h")
        self.sources = array("q")
        """Each cell's one packed source line, or :data:`IN_EXTRA`."""
        self.first_no_id = bytearray()
        """1 for a cell whose first event has no id (rows given twice are compared)."""
        self.extras: dict[int, Extra] = {}
        self.missing: tuple[MissingReport, ...] = ()
        """The periods reported as not measured, in the order of the cells."""
        self.reports: tuple[Any, ...] = ()
        """The cells of ``missing`` as a ledger keeps them, to add to them."""
        self.labelled: tuple[int, ...] | None = None
        """The positions of the cells whose value is a category, in order, once asked
        for (:meth:`labelled_cells`)."""

    def __len__(self) -> int:
        return len(self.periods)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Series):
            return NotImplemented
        return self.cells == other.cells and self.missing == other.missing

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Series(cells={self.cells!r}, missing={self.missing!r})"

    def labelled_cells(self) -> tuple[int, ...]:
        """The positions of the cells whose value is a category, in order (found once:
        a built series does not change, and threads racing write the same tuple)."""
        found = self.labelled
        if found is None:
            found = tuple(sorted(i for i, e in self.extras.items() if e.label is not None))
            self.labelled = found
        return found

    def period(self, index: int) -> Period:
        """The period of a cell."""
        return self.tables.periods[self.periods[index]]

    def dimensions(self, index: int) -> Dimensions:
        """The dimension values of a cell."""
        return self.tables.dimensions[self.dims[index]]

    def value(self, index: int) -> TargetValue:
        """The total of a cell (its category, for categories)."""
        extra = self.extras.get(index)
        if extra is not None and extra.label is not None:
            return extra.label
        return decimal_of(self.coefficients[index], self.exponents[index])

    def source(self, index: int) -> Source | SourceSet:
        """The sources of a cell, as kept."""
        packed = self.sources[index]
        if packed != IN_EXTRA:
            return packed
        sources = self.extras[index].sources
        assert sources is not None
        return sources

    def cell(self, index: int) -> Cell:
        """One cell as a value."""
        extra = self.extras.get(index)
        return Cell(
            self.period(index),
            self.dimensions(index),
            self.tables.files.names,
            self.counts[index],
            self.value(index),
            self.source(index),
            extra.events if extra is not None else (),
        )

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The cells, sorted by period (start, then end), then dimension values."""
        return tuple(self.cell(index) for index in range(len(self.periods)))

    def block(self, key: int) -> range:
        """The positions of the cells of the period whose key is ``key``."""
        low = bisect.bisect_left(self.periods, key)
        return range(low, bisect.bisect_right(self.periods, key, lo=low))

    def between(self, low: int, high: int) -> range:
        """The positions of the cells whose period key is from ``low`` to ``high``."""
        start = bisect.bisect_left(self.periods, low)
        return range(start, bisect.bisect_right(self.periods, high, lo=start))

    def parts(self, positions: Iterable[int]) -> Iterator[Part]:
        """The cells at ``positions`` as parts of an aggregate."""
        tables = self.tables
        labels, names, dimensions = tables.labels, tables.files.names, tables.dimensions
        extras = self.extras
        coefficients, exponents, counts = self.coefficients, self.exponents, self.counts
        for index in positions:
            extra = extras.get(index)
            if extra is not None and extra.label is not None:
                value: TargetValue = extra.label
            else:
                value = decimal_of(coefficients[index], exponents[index])
            packed = self.sources[index]
            if packed != IN_EXTRA:
                number, line = divmod(packed, LINE_SPAN)
                sources: tuple[str, ...] = (f"{names[number]}:{line}",)
            else:
                assert extra is not None
                assert extra.sources is not None
                if extra.texts is None:  # a race between threads writes the same texts
                    extra.texts = source_texts(extra.sources, names)
                sources = extra.texts
            yield Part(
                labels[self.periods[index]],
                value,
                counts[index],
                dict(dimensions[self.dims[index]]),
                sources,
            )


MAX_CHANGED_SERIES: Final = 64
"""Series changed by :meth:`Ledger.add` that a ledger keeps beside the ones it
was built with, before it copies them into one mapping: each added event
copies at most this many entries, and one in this many copies all the series."""


class SeriesMap(Mapping[SeriesKey, Series]):
    """The series of a ledger: read-only, cheap to derive with one series changed."""

    __slots__ = ("_base", "_changed")

    def __init__(
        self, base: Mapping[SeriesKey, Series], changed: dict[SeriesKey, Series] | None = None
    ) -> None:
        self._base = base if isinstance(base, dict) else dict(base.items())
        self._changed = changed or {}

    def __getitem__(self, key: SeriesKey) -> Series:
        changed = self._changed.get(key)
        return changed if changed is not None else self._base[key]

    def get(self, key: SeriesKey, default: Any = None) -> Any:
        changed = self._changed.get(key)
        return changed if changed is not None else self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._changed or key in self._base

    def __iter__(self) -> Iterator[SeriesKey]:
        return iter(sorted(self._base.keys() | self._changed.keys()))

    def __len__(self) -> int:
        return len(self._base.keys() | self._changed.keys())

    def __repr__(self) -> str:
        return f"SeriesMap({dict(self.items())!r})"


def with_series(series: Mapping[SeriesKey, Series], key: SeriesKey, new: Series) -> SeriesMap:
    """``series`` with the series of ``key`` replaced by ``new`` (the others shared)."""
    if not isinstance(series, SeriesMap):
        series = SeriesMap(series)
    changed = {**series._changed, key: new}
    if len(changed) > MAX_CHANGED_SERIES:
        return SeriesMap({**series._base, **changed})
    return SeriesMap(series._base, changed)


def _series_map(value: Mapping[SeriesKey, Series]) -> SeriesMap:
    return value if isinstance(value, SeriesMap) else SeriesMap(value)


_EMPTY: Final = Series()


@frozen
class Ledger:
    """The aggregated events of a data set, ready to be evaluated for any period.

    Args:
        series: what was recorded for each indicator input and activity.
        events_read: how many events were read.
        warnings: what a person should look at although the data were accepted:
            rows that seem given twice (see ``docs/events.md``), in a fixed order.
    """

    series: Mapping[tuple[str, str], Series] = field(converter=_series_map)
    events_read: int = 0
    warnings: tuple[Problem, ...] = ()
    ruleset: RuleSet | None = field(default=None, eq=False, repr=False)
    """The rule set the events were checked against (None for a ledger built by hand)."""
    retain: Collection[str] = field(default=frozenset(), eq=False, repr=False)
    """The indicators whose events the cells keep."""
    tables: Tables = field(factory=Tables, eq=False, repr=False)
    """What the cells share (see :class:`Tables`)."""
    repeats: tuple[Any, ...] = field(default=(), eq=False, repr=False)
    """Every repeat found, from which ``warnings`` are the first few."""

    def of(self, indicator: str, input_name: str = IMPLICIT_INPUT) -> Series:
        """The series of one indicator input (empty when it has no events)."""
        found: Series | None = self.series.get((indicator, input_name))
        return found if found is not None else _EMPTY

    def spending(self, activity: str) -> Series:
        """The spending of an activity (empty when it has no events)."""
        found: Series | None = self.series.get(spending_series(activity))
        return found if found is not None else _EMPTY

    def add(self, event: Event) -> Ledger:
        """This ledger with one more event: a new ledger, this one is unchanged.

        The event is checked as :func:`~ikueval._aggregation.build_ledger` checks
        it, and so is the one series it touches (double counting, several values
        that do not add up); the figures and warnings are those of a ledger
        built from all the events at once. The cost grows with the cells of
        that series, not with the ledger.

        Raises:
            EventError: the event is malformed or names what the rule set lacks.
            EventConflictError: the series would count a realisation twice, or
                has several values for a period that cannot be added up.
            UsageError: the ledger was built by hand, without its rule set.
        """
        from ._growing import added  # it needs this module first

        return added(self, event)
