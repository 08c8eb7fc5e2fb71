"""Building a ledger: events into cells, then the checks of the whole.

:class:`LedgerBuilder` adds events one at a time (checked :class:`Event`
values, or rows a reader has already checked, :meth:`LedgerBuilder.put`) and
:meth:`LedgerBuilder.finish` checks every series (:mod:`ikueval.conflicts`)
and freezes the ledger. :func:`added` grows a finished ledger by one event,
re-checking only the series it touches.

Memory grows with the cells, not the events: a cell keeps its total, its
count and its sources (:mod:`ikueval.sources`); to find rows given twice it
keeps at most :data:`~ikueval.duplicates.MAX_VALUES_COMPARED` values and ids
(:mod:`ikueval.duplicates`), and nothing for a cell of one event.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator
from decimal import Decimal, Inexact
from typing import Any, Final

from .conflicts import (
    CONFLICT_SUMMARY,
    Repeated,
    conflicts,
    first_warnings,
    location,
    malformed,
    repeated,
    series_name,
    single_value,
)
from .decimals import SUM_CONTEXT, SUM_DIGITS
from .duplicates import Repeats
from .errors import EventConflictError, EventError, NumberFormatError, Problem, UsageError
from .events import Event, EventSource
from .ledger import Cell, Dimensions, Ledger, MissingReport, Series, period_key, with_series
from .model import RuleSet
from .overlaps import MAX_BREAKDOWNS, compatible
from .periods import Period
from .sources import FileTable, Source, SourceSet, pack

#: A cell's ``_repeats`` when its only event so far has no id: its value is the
#: cell's total and its source the cell's source, so nothing more is kept.
_FIRST: Final = "first"

SeriesKey = tuple[str, str]
#: Cells are found by one number: their period's key times this, plus the
#: number of their dimension values.
_DIMENSION_NUMBERS: Final = 1 << 32


def _event_source(source: Source, table: FileTable | list[str]) -> EventSource:
    if isinstance(source, int):
        names = table.names if isinstance(table, FileTable) else table
        number, line = divmod(source, 1 << 40)
        return EventSource(names[number], line)
    return source


def add_value(
    cell: Cell,
    value: Any,
    ident: str | None,
    source: Source,
    table: FileTable,
    track_ids: bool,
    event: Event | None = None,
) -> None:
    """Count one event of a number or a category in ``cell``.

    Raises:
        NumberFormatError: the total cannot be held exactly (never for values
            read by ikueval, which are bounded).
    """
    count = cell.count
    repeats = cell._repeats
    if repeats is _FIRST:  # a second event: the first is known only through the cell
        repeats = cell._repeats = Repeats()
        repeats.add(cell._total, _event_source(cell._sources, table))  # type: ignore[arg-type]
    total = cell._total
    if isinstance(value, str):
        if not isinstance(total, str) or value < total:
            cell._total = value
    else:
        if isinstance(total, str):
            pass  # a category was given: it is the cell's value (and a conflict)
        elif type(value) is int and type(total) is int:
            cell._total = total + value
        else:
            try:
                cell._total = SUM_CONTEXT.add(total, value)
            except Inexact:
                raise NumberFormatError(
                    f"cannot add these values exactly within {SUM_DIGITS} digits"
                ) from None
        if ident is None:
            if count == 0:
                cell._repeats = _FIRST
            else:
                if repeats is None:
                    repeats = cell._repeats = Repeats()
                repeats.add(value, _event_source(source, table))
    if ident is not None and track_ids:
        ids = cell._ids
        if ids is None:
            cell._ids = (ident, source)
        else:
            if isinstance(ids, tuple):
                first_id, first_source = ids
                ids = cell._ids = Repeats()
                ids.add(first_id, _event_source(first_source, table))
            ids.add(ident, _event_source(source, table))
    _add_source(cell, source, table)
    if event is not None:
        if cell._events is None:
            cell._events = []
        cell._events.append(event)  # type: ignore[union-attr]


def _add_source(cell: Cell, source: Source, table: FileTable) -> None:
    sources = cell._sources
    if cell.count == 0:
        cell._sources = source
    elif isinstance(sources, SourceSet):
        sources.add(source, table)
    else:
        merged = SourceSet()
        merged.add(sources, table)  # type: ignore[arg-type]
        merged.add(source, table)
        cell._sources = merged
    cell.count += 1


def cell_repeats(cell: Cell) -> tuple[Repeats[Any] | None, Repeats[str] | None]:
    """The values and ids a cell compares for rows given twice (None: nothing repeated)."""
    values = cell._repeats if isinstance(cell._repeats, Repeats) else None
    ids = cell._ids if isinstance(cell._ids, Repeats) else None
    return values, ids


def cell_order(cell: Cell) -> tuple[Any, ...]:
    """Cells of a series in order: by period (start, then end), then dimensions."""
    period = cell.period
    return (period.start, period.end, cell.dimensions)


def event_order(event: Event) -> tuple[object, ...]:
    """A total order of events: by source, then by content, so that ties do not
    depend on the order events arrived in."""
    source = event.source
    value = event.value if isinstance(event.value, str) else format(event.value or 0, "f")
    return (
        source.file or "",
        source.line or 0,
        source.ref or "",
        event.id or "",
        value,
        tuple(sorted(event.dimensions.items())),
        event.note or "",
        event.table or "",
        event.document or "",
        event.unit or "",
    )


def _unknown(ruleset: RuleSet, event: Event) -> str | None:
    """What the rule set lacks for this event, if anything."""
    if event.activity is not None:
        activity = ruleset.activity(event.activity)
        if activity is None or activity.budget is None:
            return f"no activity with a budget {event.activity!r}"
        return None
    indicator = ruleset.indicator(event.indicator or "")
    if indicator is None:
        return f"unknown indicator {event.indicator!r}"
    if event.input_name not in indicator.input_names:
        return f"{event.indicator} has no input {event.input_name!r}"
    if isinstance(event.value, str) and not indicator.categorical:
        return f"{event.indicator} has no categories: {event.value!r} is not a number"
    return None


def checked(ruleset: RuleSet, event: Event) -> Dimensions:
    """The dimension values of an event, once it is checked against the rule set.

    Raises:
        EventError: not an :class:`Event`, a field of the wrong type, or an
            indicator, input or activity the rule set lacks.
    """
    if not isinstance(event, Event):
        raise EventError(
            f"expected an Event, found {type(event).__name__}: convert records with "
            "ikueval.events_from_records"
        )
    items = list(event.dimensions.items())
    wrong = malformed(event, items)
    if wrong is not None:
        raise EventError(
            f"{wrong}: build events with ikueval.events_from_records, which checks them"
        )
    problem = _unknown(ruleset, event)
    if problem is not None:
        raise EventError(Problem(problem, location(event.source)))
    return tuple(sorted(items))


class LedgerBuilder:
    """A ledger being built: add events, then :meth:`finish`.

    Args:
        ruleset: the rule set the events belong to.
        retain: ids of indicators (and activities) whose events the cells keep.
        files: the names of the files the events will come from, numbered in
            this order (others are numbered when first seen).
        unique_ids: the events' ids are known to be unique (they were compared
            across the files read): cells do not compare them.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        retain: Collection[str] = frozenset(),
        *,
        files: Collection[str] = (),
        unique_ids: bool = False,
    ) -> None:
        self.ruleset = ruleset
        self.retain = frozenset(retain)
        self.table = FileTable(files)
        self.cells: dict[SeriesKey, dict[int, Cell]] = {}
        self.missing: dict[SeriesKey, dict[int, Cell]] = {}
        self.dimensions: dict[Dimensions, tuple[Dimensions, int]] = {}
        """Each combination of dimension values once (shared by the cells), numbered."""
        self.count = 0
        self.track_ids = not unique_ids

    def add(self, event: Event) -> None:
        """Add a checked event.

        Raises:
            EventError: as :func:`checked`.
        """
        dims = checked(self.ruleset, event)
        retained = event.indicator in self.retain or event.activity in self.retain
        self.put(
            event.series,
            event.period,
            period_key(event.period),
            dims,
            event.value,
            event.id,
            pack(event.source, self.table),
            event if retained else None,
        )

    def put(
        self,
        key: SeriesKey,
        period: Period,
        number: int,
        dims: Dimensions,
        value: Any,
        ident: str | None,
        source: Source,
        event: Event | None = None,
    ) -> None:
        """Add an event that is already checked, given by its parts.

        ``number`` is the :func:`~ikueval.ledger.period_key` of ``period``;
        ``value`` an ``int`` or a ``Decimal`` (exact), a category label, or
        None for "not measured"; ``source`` a packed line of :attr:`table` or
        an :class:`EventSource`.
        """
        self.count += 1
        shared = self.dimensions.get(dims)
        if shared is None:
            shared = self.dimensions[dims] = (dims, len(self.dimensions))
        dims = shared[0]
        where = number * _DIMENSION_NUMBERS + shared[1]
        if value is None:
            reports = self.missing.get(key)
            if reports is None:
                reports = self.missing[key] = {}
            report = reports.get(where)
            if report is None:
                report = reports[where] = Cell(period, dims, self.table.names)
            _add_source(report, source, self.table)
            return
        cells = self.cells.get(key)
        if cells is None:
            cells = self.cells[key] = {}
        cell = cells.get(where)
        if cell is None:
            cell = cells[where] = Cell(period, dims, self.table.names)
        add_value(cell, value, ident, source, self.table, self.track_ids, event)

    def put_row(
        self,
        key: SeriesKey,
        period: Period,
        number: int,
        dims: Dimensions,
        value: int | Decimal | None,
        ident: str | None,
        source: int,
    ) -> None:
        """Add a row of a file, as :meth:`put`.

        ``value`` is an ``int``, a ``Decimal`` without a positive exponent (as
        numbers are read from files) or None; ``source`` a packed line.
        """
        shared = self.dimensions.get(dims)
        if shared is None:
            shared = self.dimensions[dims] = (dims, len(self.dimensions))
        where = number * _DIMENSION_NUMBERS + shared[1]
        cells = self.cells.get(key)
        if cells is None:
            cells = self.cells[key] = {}
        if value is None or where in cells or (ident is not None and self.track_ids):
            self.put(key, period, number, dims, value, ident, source)
            return
        self.count += 1
        repeats = _FIRST if ident is None else None
        cells[where] = Cell(period, shared[0], self.table.names, 1, value, source, repeats)

    def finish(self) -> Ledger:
        """The ledger, once every series is checked.

        Raises:
            EventConflictError: events would be counted twice; a series whose
                values do not add up has several for one period; or a series is
                broken down in more ways than the check compares.
        """
        problems: list[Problem] = []
        repeats: list[Repeated] = []
        series = {}
        for key in sorted(set(self.cells) | set(self.missing)):
            name = series_name(key)
            cells = list(self.cells.pop(key, {}).values())
            for cell in cells:
                if cell._events is not None:
                    cell._events = tuple(sorted(cell._events, key=event_order))
                if cell._repeats is not None or cell._ids is not None:
                    values, ids = cell_repeats(cell)
                    repeats.extend(repeated(name, key, cell.period, cell.dimensions, values, ids))
            cells.sort(key=cell_order)
            reports = sorted(self.missing.pop(key, {}).values(), key=cell_order)
            problems.extend(conflicts(self.ruleset, key, cells))
            series[key] = Series(tuple(cells), _missing(reports), tuple(reports))
        if problems:
            raise EventConflictError(problems, summary=CONFLICT_SUMMARY)
        repeats.sort(key=lambda item: item[0])
        return Ledger(
            series,
            self.count,
            first_warnings(repeats),
            ruleset=self.ruleset,
            retain=self.retain,
            files=self.table,
            repeats=tuple(repeats),
        )


def _missing(reports: list[Cell]) -> tuple[MissingReport, ...]:
    return tuple(MissingReport(cell.period, cell.dimensions, cell.sources) for cell in reports)


# Growing a finished ledger by one event.


def added(ledger: Ledger, event: Event) -> Ledger:
    """``ledger`` with one more event (see :meth:`ikueval.Ledger.add`)."""
    ruleset = ledger.ruleset
    if ruleset is None:
        raise UsageError(
            "this ledger was built without its rule set: build it with ikueval.build_ledger "
            "or ikueval.read_ledger to add events to it"
        )
    dims = checked(ruleset, event)
    table = ledger.files
    file = event.source.file
    if file is not None and event.source.line is not None and file not in table.numbers:
        table = table.copy()  # the cells of this ledger keep the table they know
    source = pack(event.source, table)
    key = event.series
    old = ledger.series.get(key, Series())
    if event.value is None:
        reports = list(old.reports)
        index, report = _find(reports, event.period, dims, table)
        _add_source(report, source, table)
        if index is None:
            bisect.insort(reports, report, key=cell_order)
        else:
            reports[index] = report
        new = Series(old.cells, _missing(reports), tuple(reports))
        return _with(ledger, key, new, table, ledger.repeats)
    cells = list(old.cells)
    index, cell = _find(cells, event.period, dims, table)
    previous = None if index is None else cells[index]
    retained = event.indicator in ledger.retain or event.activity in ledger.retain
    add_value(cell, event.value, event.id, source, table, True, event if retained else None)
    if cell._events is not None:
        cell._events = tuple(sorted(cell._events, key=event_order))
    if index is None:
        index = bisect.bisect_left(cells, cell_order(cell), key=cell_order)
        cells.insert(index, cell)
    else:
        cells[index] = cell
    if _conflicting(ruleset, key, cells, index, previous is None):
        raise EventConflictError(conflicts(ruleset, key, cells), summary=CONFLICT_SUMMARY)
    repeats = ledger.repeats
    had = previous is not None and (previous._repeats is not None or previous._ids is not None)
    if had or cell._repeats is not None or cell._ids is not None:
        repeats = _repeats_with(repeats, key, cell)
    new = Series(tuple(cells), old.missing, old.reports)
    return _with(ledger, key, new, table, repeats)


def _find(
    cells: list[Cell], period: Period, dims: Dimensions, table: FileTable
) -> tuple[int | None, Cell]:
    """The position of the cell of ``period`` and ``dims`` and a copy of it, or a new cell."""
    wanted = (period.start, period.end, dims)
    index = bisect.bisect_left(cells, wanted, key=cell_order)
    if index < len(cells) and cell_order(cells[index]) == wanted:
        cell = cells[index].copy()
        cell._files = table.names  # the same numbers, and perhaps one more file
        return index, cell
    return None, Cell(period, dims, table.names)


def _conflicting(
    ruleset: RuleSet, key: SeriesKey, cells: list[Cell], index: int, new: bool
) -> bool:
    """Whether the cell at ``index``, just added to or created, makes the series conflict.

    The rest of the series was checked before: only what involves this cell
    can have changed (``new``: the cell was created).
    """
    cell = cells[index]
    period = cell.period
    if single_value(ruleset, key) is not None and sum(c.count for c in _block(cells, period)) > 1:
        return True
    if not new:  # the cell existed: its overlaps were checked before
        return False
    if _new_breakdown(cells, index):
        ways = {_names(other.dimensions) for other in cells}
        if len(ways) > MAX_BREAKDOWNS:
            return True
    for other in _around(cells, period):
        if other is cell or not other.period.overlaps(period):
            continue
        if compatible(other.dimensions, cell.dimensions):
            return True
    return False


def _names(dims: Dimensions) -> tuple[str, ...]:
    return tuple(name for name, _ in dims)


def _new_breakdown(cells: list[Cell], index: int) -> bool:
    """Whether the cell at ``index`` may break the series down in a new way.

    Its neighbours usually share its dimension names; only when they do not
    is the whole series looked at.
    """
    names = _names(cells[index].dimensions)
    for near in (index - 1, index + 1):
        if 0 <= near < len(cells) and _names(cells[near].dimensions) == names:
            return False
    return True


def _block(cells: list[Cell], period: Period) -> Iterator[Cell]:
    """The cells of exactly ``period``."""
    start = bisect.bisect_left(cells, (period.start, period.end), key=_period_order)
    for cell in cells[start:]:
        if cell.period != period:
            return
        yield cell


def _period_order(cell: Cell) -> tuple[Any, ...]:
    return (cell.period.start, cell.period.end)


def _around(cells: list[Cell], period: Period) -> Iterator[Cell]:
    """The cells whose period may share a day with ``period`` (and a few more).

    Those that start within it, and those of the longer periods that contain
    its start (its month, quarter and year): a period is a year, a quarter, a
    month or a day, so any other that shares a day with it is one of these.
    """
    year, month = period.year, period.start.month
    for longer in (
        Period.month_of(year, month),
        Period.quarter_of(year, (month + 2) // 3),
        Period.year_of(year),
    ):
        if longer.start < period.start or longer.end > period.end:
            yield from _block(cells, longer)
    low = bisect.bisect_left(cells, period.start, key=_start)
    high = bisect.bisect_right(cells, period.end, key=_start)
    yield from cells[low:high]


def _start(cell: Cell) -> Any:
    return cell.period.start


def _repeats_with(
    repeats: tuple[Repeated, ...], key: SeriesKey, cell: Cell
) -> tuple[Repeated, ...]:
    """The repeats of a ledger once those of one cell are replaced by its new ones."""
    prefix = (key, (cell.period.start, cell.period.end), cell.dimensions)
    low = bisect.bisect_left(repeats, prefix, key=_repeat_prefix)
    high = bisect.bisect_right(repeats, prefix, key=_repeat_prefix)
    values, ids = cell_repeats(cell)
    fresh = sorted(
        repeated(series_name(key), key, cell.period, cell.dimensions, values, ids),
        key=lambda item: item[0],
    )
    return (*repeats[:low], *fresh, *repeats[high:])


def _repeat_prefix(item: Repeated) -> tuple[Any, ...]:
    return item[0][:3]


def _with(
    ledger: Ledger,
    key: SeriesKey,
    series: Series,
    table: FileTable,
    repeats: tuple[Repeated, ...],
) -> Ledger:
    changed = with_series(ledger.series, key, series)
    warnings = ledger.warnings if repeats is ledger.repeats else first_warnings(list(repeats))
    return Ledger(
        changed,
        ledger.events_read + 1,
        warnings,
        ruleset=ledger.ruleset,
        retain=ledger.retain,
        files=table,
        repeats=repeats,
    )
