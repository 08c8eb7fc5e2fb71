"""The ledger: what a data set's events add up to, cell by cell.

A *cell* holds the events of one indicator input (or one activity's spending)
in one period with one set of dimension values: their total, their number and
their sources. A ledger is built once from the events
(:func:`ikueval.aggregation.build_ledger`, :func:`ikueval.read_ledger`), then
evaluated for any period, and grown one event at a time with
:meth:`Ledger.add`, which returns a new ledger and leaves this one as it is.

Cells are kept small, since a ledger may hold a million of them: the period
and the dimension values are shared between cells, a whole-number total is an
``int`` until it is read, and the sources are a packed line number for a cell
of one row, or line ranges per file (:mod:`ikueval.sources`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from attrs import field, frozen

from .errors import Problem
from .events import Event, EventSource, spending_series
from .model import IMPLICIT_INPUT, TargetValue
from .periods import Period
from .results import Part
from .sources import LINE_SPAN, FileTable, Source, SourceSet

if TYPE_CHECKING:
    from .model import RuleSet

Dimensions = tuple[tuple[str, str], ...]
"""Dimension values of a cell, sorted by name: ``(("gender", "P"),)``."""


_GRANULARITIES: Final = {"year": 0, "quarter": 1, "month": 2, "day": 3}


def period_key(period: Period) -> int:
    """A number that names a period among all periods (its start and its length)."""
    return period.start.toordinal() * 4 + _GRANULARITIES[period.granularity.value]


class Cell:
    """The events of one indicator input in one period with one set of dimensions.

    Attributes:
        period: the period of the events.
        dimensions: the dimension values they share, sorted by name.
        value: their total (a category label for a categorical indicator).
        count: how many events.
        sources: where they came from (``file:12-40``, references), see
            :mod:`ikueval.sources`.
        events: the events themselves, for the indicators a ledger retains.
        first: the first source of the cell (file and line, or a reference),
            to point error messages at.

    Cells are values: a ledger never changes a cell it has handed out.
    """

    __slots__ = (
        "_events",
        "_files",
        "_ids",
        "_repeats",
        "_sources",
        "_total",
        "count",
        "dimensions",
        "period",
    )

    def __init__(
        self,
        period: Period,
        dimensions: Dimensions,
        files: list[str],
        count: int = 0,
        total: int | Decimal | str = 0,
        sources: Source | SourceSet | None = None,
        repeats: Any = None,
    ) -> None:
        self.period = period
        self.dimensions = dimensions
        self.count = count
        self._total = total
        self._sources = sources
        self._files = files
        self._events: list[Event] | tuple[Event, ...] | None = None
        self._repeats = repeats  # None, FIRST (the cell's only event) or Repeats
        self._ids: Any = None  # None, (id, source) of the first, or Repeats[str]

    @property
    def value(self) -> TargetValue:
        """The total of the events (the smallest category label, for categories)."""
        total = self._total
        return Decimal(total) if isinstance(total, int) else total

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the events came from, as the trail writes it."""
        sources = self._sources
        if isinstance(sources, SourceSet):
            return sources.texts(self._files)
        if sources is None:
            return ()
        if isinstance(sources, int):
            number, line = divmod(sources, LINE_SPAN)
            return (f"{self._files[number]}:{line}",)
        if sources.file is not None and sources.line is not None:
            return (f"{sources.file}:{sources.line}",)
        return (str(sources),)

    @property
    def first(self) -> EventSource:
        """The first source of the cell, in source order."""
        sources = self._sources
        if isinstance(sources, SourceSet):
            return sources.first(self._files)
        if isinstance(sources, int):
            number, line = divmod(sources, LINE_SPAN)
            return EventSource(self._files[number], line)
        return sources if sources is not None else EventSource()

    @property
    def events(self) -> tuple[Event, ...]:
        """The events of the cell, when its indicator was retained (else empty)."""
        events = self._events
        return tuple(events) if events is not None else ()

    def part(self) -> Part:
        """This cell as a part of an aggregate."""
        return Part(self.period.label, self.value, self.count, dict(self.dimensions), self.sources)

    def _key(self) -> tuple[Any, ...]:
        return (self.period, self.dimensions, self.value, self.count, self.sources, self.events)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.period, self.dimensions, self.count))

    def __repr__(self) -> str:
        return (
            f"Cell(period={self.period.label!r}, dimensions={self.dimensions!r}, "
            f"value={self.value!r}, count={self.count}, sources={self.sources!r})"
        )

    def copy(self) -> Cell:
        """A copy that may be changed (by a ledger being built) without changing this one."""
        cell = Cell(self.period, self.dimensions, self._files)
        cell.count = self.count
        cell._total = self._total
        sources = self._sources
        cell._sources = sources.copy() if isinstance(sources, SourceSet) else sources
        cell._events = None if self._events is None else list(self._events)
        repeats, ids = self._repeats, self._ids
        cell._repeats = repeats.copy() if hasattr(repeats, "copy") else repeats
        cell._ids = ids.copy() if hasattr(ids, "copy") else ids
        return cell


@frozen
class MissingReport:
    """A period whose figure a source reported as not measured ("-")."""

    period: Period
    dimensions: Dimensions
    sources: tuple[str, ...]


@frozen
class Series:
    """Everything recorded for one indicator input.

    Args:
        cells: the cells, sorted by period (start, then end), then dimensions.
        missing: the periods reported as not measured, in the same order.
        reports: the cells of ``missing`` as a ledger keeps them, to add to
            them (:meth:`Ledger.add`).
    """

    cells: tuple[Cell, ...] = ()
    missing: tuple[MissingReport, ...] = ()
    reports: tuple[Cell, ...] = field(default=(), eq=False, repr=False)


SeriesKey = tuple[str, str]

#: Series changed by :meth:`Ledger.add` that a ledger keeps beside the ones it
#: was built with, before it copies them into one mapping: each added event
#: copies at most this many entries, and one in this many copies all the series.
MAX_CHANGED_SERIES: Final = 64


class SeriesMap(Mapping[SeriesKey, "Series"]):
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
    files: FileTable = field(factory=FileTable, eq=False, repr=False)
    """The names of the files the cells' packed sources number (see :mod:`ikueval.sources`)."""
    repeats: tuple[Any, ...] = field(default=(), eq=False, repr=False)
    """Every repeat found, from which ``warnings`` are the first few."""

    def of(self, indicator: str, input_name: str = IMPLICIT_INPUT) -> Series:
        """The series of one indicator input (empty when it has no events)."""
        return self.series.get((indicator, input_name), Series())

    def spending(self, activity: str) -> Series:
        """The spending of an activity (empty when it has no events)."""
        return self.series.get(spending_series(activity), Series())

    def add(self, event: Event) -> Ledger:
        """This ledger with one more event: a new ledger, this one is unchanged.

        The event is checked as :func:`~ikueval.aggregation.build_ledger` checks
        it, and so is the one series it touches (double counting, several values
        that do not add up); the figures are those of a ledger built from all
        the events at once. The cost grows with the cells of that series, not
        with the ledger.

        Raises:
            EventError: the event is malformed or names what the rule set lacks.
            EventConflictError: the series would count a realisation twice, or
                has several values for a period that cannot be added up.
            UsageError: the ledger was built by hand, without its rule set.
        """
        from .building import added  # the builder needs this module first

        return added(self, event)
