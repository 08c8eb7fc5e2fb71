"""Aggregation: events into a ledger, and a ledger's cells into figures for a span.

:func:`build_ledger` streams over events once and keeps, for every indicator,
input, period and set of dimension values, a *cell*: the total, the number of
events and a compact list of their sources (line ranges per file). Memory
therefore grows with indicators x periods x dimensions, not with the number of
events; the events themselves are kept only for the indicators a caller asks
to ``retain`` (``ikueval explain`` does, to list every row).

Within one period, values add up: several events of one period are parts of
its total (a count split by gender, say). Over a span, the parts combine by the
aggregation method (:mod:`ikueval.combining`): the sum, the total of the period
that ends last, or the mean of the periods' totals.

Two events whose periods nest (a quarterly total and a month of the same
quarter) would count the same realisation twice when one's dimensions cover
the other's; such a ledger is refused with both sources named.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from attrs import field, frozen

from .combining import METHODS, combine
from .decimals import exact_sum
from .errors import EventConflictError, EventError, Location, Problem
from .events import SPENDING, Event, EventSource, spending_series
from .model import IMPLICIT_INPUT, Aggregation, RuleSet, TargetValue, frozen_mapping
from .periods import Period, Span
from .results import Aggregate, Part

#: Caller-given references kept per cell. The smallest ones (in sort order)
#: are kept, so the list does not depend on the order of the events; the
#: count of the others is reported. File sources are never cut: they are
#: kept as line ranges.
MAX_REFS_PER_CELL: Final = 50
CONFLICT_SUMMARY: Final = "the events conflict: nothing was evaluated"
#: Overlapping pairs reported per indicator input: the first few show the fix.
MAX_CONFLICTS_REPORTED: Final = 5

Dimensions = tuple[tuple[str, str], ...]


@frozen
class Cell:
    """The events of one indicator input in one period with one set of dimensions."""

    period: Period
    dimensions: Dimensions
    value: TargetValue
    count: int
    sources: tuple[str, ...]
    events: tuple[Event, ...] = ()
    first: EventSource = field(factory=EventSource)
    """The first source of the cell (file and line), to point error messages at."""

    def part(self) -> Part:
        """This cell as a part of an aggregate."""
        return Part(self.period.label, self.value, self.count, dict(self.dimensions), self.sources)


@frozen
class MissingReport:
    """A period whose figure a source reported as not measured ("-")."""

    period: Period
    dimensions: Dimensions
    sources: tuple[str, ...]


@frozen
class Series:
    """Everything recorded for one indicator input."""

    cells: tuple[Cell, ...] = ()
    missing: tuple[MissingReport, ...] = ()


@frozen
class Ledger:
    """The aggregated events of a data set, ready to be evaluated for any period."""

    series: Mapping[tuple[str, str], Series] = field(converter=frozen_mapping)
    events_read: int = 0

    def of(self, indicator: str, input_name: str = IMPLICIT_INPUT) -> Series:
        """The series of one indicator input (empty when it has no events)."""
        return self.series.get((indicator, input_name), Series())

    def spending(self, activity: str) -> Series:
        """The spending of an activity (empty when it has no events)."""
        return self.series.get(spending_series(activity), Series())


def aggregate(series: Series, span: Span, method: Aggregation, quantity: str) -> Aggregate:
    """Combine the cells of a series that lie in a span.

    Cells whose period reaches beyond the span (a yearly figure, for a quarter)
    are left out and named in the notes; so are values reported as "-".
    """
    inside = [cell for cell in series.cells if span.contains(cell.period)]
    notes = []
    beyond = sorted(
        {c.period.label for c in series.cells if span.overlaps(c.period) and c not in inside}
    )
    for label in beyond:
        notes.append(f"events for {label} are not counted: the period reaches beyond {span}")
    for report in series.missing:
        if span.contains(report.period):
            where = ", ".join(report.sources)
            dims = _dims_text(report.dimensions)
            notes.append(f"{report.period.label}{dims}: reported as '-' (not measured) in {where}")
    kinds = {cell.period.granularity for cell in inside}
    mixed = METHODS[method].mixed_lengths
    if mixed is not None and len(kinds) > 1:
        notes.append(mixed)
    parts = tuple(cell.part() for cell in inside)
    return Aggregate(quantity, span.label, method, parts, combine(method, parts), tuple(notes))


def build_ledger(
    ruleset: RuleSet, events: Iterable[Event], *, retain: Collection[str] = ()
) -> Ledger:
    """Aggregate events into a ledger, in one pass.

    Args:
        ruleset: the rule set the events belong to.
        events: checked events (see :func:`ikueval.events.events_from_records`).
        retain: ids of indicators whose individual events are kept, to be listed
            by ``explain``.

    Raises:
        EventError: an event names an indicator or input the rule set lacks.
        EventConflictError: events would be counted twice, or a categorical
            indicator has two values for one period.
    """
    builder = _LedgerBuilder(ruleset, frozenset(retain))
    for event in events:
        builder.add(event)
    return builder.finish()


class _SourceSet:
    """Sources of a cell: line ranges per file, and the smallest caller references."""

    __slots__ = ("lines", "ref_count", "refs")

    def __init__(self) -> None:
        self.lines: dict[str, list[list[int]]] = {}
        self.refs: list[_Reversed] = []  # a heap whose top is the largest kept ref
        self.ref_count = 0

    def add(self, event: Event) -> None:
        source = event.source
        if source.file is not None and source.line is not None:
            ranges = self.lines.setdefault(source.file, [])
            if ranges and ranges[-1][1] + 1 == source.line:
                ranges[-1][1] = source.line
            else:
                ranges.append([source.line, source.line])
            return
        ref = str(source)
        self.ref_count += 1
        key = _Reversed(ref)
        if len(self.refs) < MAX_REFS_PER_CELL:
            heapq.heappush(self.refs, key)
        elif key > self.refs[0]:
            heapq.heapreplace(self.refs, key)

    def freeze(self) -> tuple[str, ...]:
        found: list[str] = []
        for file in sorted(self.lines):
            ranges = [f"{a}" if a == b else f"{a}-{b}" for a, b in _merge(self.lines[file])]
            found.append(f"{file}:{','.join(ranges)}")
        refs = sorted(item.text for item in self.refs)
        found.extend(refs)
        if self.ref_count > len(refs):
            found.append(f"... and {self.ref_count - len(refs)} more references")
        return tuple(found)


class _Reversed:
    """Orders strings backwards, so that a min-heap keeps the smallest ones."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _Reversed) -> bool:
        return self.text > other.text

    def __gt__(self, other: _Reversed) -> bool:
        return self.text < other.text


def _merge(ranges: list[list[int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class _CellBuilder:
    __slots__ = ("count", "events", "first", "labels", "sources", "total")

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.labels: set[str] = set()
        self.count = 0
        self.sources = _SourceSet()
        self.events: list[Event] = []
        self.first: EventSource | None = None

    def note_source(self, source: EventSource) -> None:
        key = (source.file or "", source.line or 0, source.ref or "")
        if self.first is None or key < (
            self.first.file or "",
            self.first.line or 0,
            self.first.ref or "",
        ):
            self.first = source


class _LedgerBuilder:
    def __init__(self, ruleset: RuleSet, retain: frozenset[str]) -> None:
        self.ruleset = ruleset
        self.retain = retain
        self.cells: dict[tuple[str, str], dict[tuple[Period, Dimensions], _CellBuilder]] = {}
        self.missing: dict[tuple[str, str], dict[tuple[Period, Dimensions], _SourceSet]] = {}
        self.count = 0

    def add(self, event: Event) -> None:
        if not isinstance(event, Event):
            raise EventError(
                f"expected an Event, found {type(event).__name__}: convert records with "
                "ikueval.events_from_records"
            )
        problem = self._unknown(event)
        if problem is not None:
            raise EventError(Problem(problem, _location(event.source)))
        self.count += 1
        key = event.series
        dims: Dimensions = tuple(sorted(event.dimensions.items()))
        if event.value is None:
            reports = self.missing.setdefault(key, {})
            reports.setdefault((event.period, dims), _SourceSet()).add(event)
            return
        cell = self.cells.setdefault(key, {}).setdefault((event.period, dims), _CellBuilder())
        cell.count += 1
        if isinstance(event.value, str):
            cell.labels.add(event.value)
        else:
            cell.total = exact_sum((cell.total, event.value))
        cell.sources.add(event)
        cell.note_source(event.source)
        if event.indicator in self.retain or event.activity in self.retain:
            cell.events.append(event)

    def _unknown(self, event: Event) -> str | None:
        """What the rule set lacks for this event, if anything."""
        if event.activity is not None:
            activity = self.ruleset.activity(event.activity)
            if activity is None or activity.budget is None:
                return f"no activity with a budget {event.activity!r}"
            return None
        indicator = self.ruleset.indicator(event.indicator or "")
        if indicator is None:
            return f"unknown indicator {event.indicator!r}"
        if event.input_name not in indicator.input_names:
            return f"{event.indicator} has no input {event.input_name!r}"
        return None

    def finish(self) -> Ledger:
        problems: list[Problem] = []
        series = {}
        for key in sorted(set(self.cells) | set(self.missing)):
            cells = []
            for (period, dims), built in self.cells.get(key, {}).items():
                value: TargetValue = sorted(built.labels)[0] if built.labels else built.total
                cells.append(
                    Cell(
                        period,
                        dims,
                        value,
                        built.count,
                        built.sources.freeze(),
                        tuple(sorted(built.events, key=_event_order)),
                        built.first or EventSource(),
                    )
                )
            cells.sort(key=lambda c: (c.period.sort_key(), c.dimensions))
            missing = tuple(
                sorted(
                    (
                        MissingReport(period, dims, sources.freeze())
                        for (period, dims), sources in self.missing.get(key, {}).items()
                    ),
                    key=lambda m: (m.period.sort_key(), m.dimensions),
                )
            )
            problems.extend(self._conflicts(key, cells))
            series[key] = Series(tuple(cells), missing)
        if problems:
            raise EventConflictError(problems, summary=CONFLICT_SUMMARY)
        return Ledger(series, self.count)

    def _conflicts(self, key: tuple[str, str], cells: list[Cell]) -> list[Problem]:
        indicator_id, input_name = key
        indicator = self.ruleset.indicator(indicator_id)
        name = indicator_id
        if input_name == SPENDING:
            name = f"the spending of {indicator_id.removeprefix('activity:')}"
        elif input_name != IMPLICIT_INPUT:
            name = f"{indicator_id} input {input_name}"
        problems = []
        single = input_name == SPENDING or (indicator is not None and indicator.categorical)
        what = "balances" if input_name == SPENDING else "values"
        for cell in cells:
            if single and cell.count > 1:
                problems.append(
                    Problem(
                        f"{name} has {cell.count} {what} for {cell.period.label}"
                        f"{_dims_text(cell.dimensions)} ({', '.join(cell.sources)}); "
                        f"{'a balance' if input_name == SPENDING else 'a category'} cannot be "
                        "added up: keep one",
                        _location(cell.first),
                    )
                )
        for pair in _overlapping(cells, MAX_CONFLICTS_REPORTED):
            a, b = sorted(pair, key=_widest_first)
            problems.append(
                Problem(
                    f"{name}: events for {a.period.label}{_dims_text(a.dimensions)} "
                    f"({', '.join(a.sources)}) and for {b.period.label}"
                    f"{_dims_text(b.dimensions)} ({', '.join(b.sources)}) overlap, so the "
                    "same realisation would be counted twice",
                    _location(b.first),
                    hint="keep either the total or its detail, or one breakdown",
                )
            )
        return problems


def _overlapping(cells: Sequence[Cell], limit: int) -> list[tuple[Cell, Cell]]:
    """Pairs of cells that may count the same realisation (at most ``limit``).

    Two cells overlap when their periods share a day and their dimensions are
    compatible (no dimension has different values in the two): a total and its
    breakdown, a quarter and one of its months, a breakdown by gender and one
    by country. Cells with the same dimension names differ in some value, so
    only cells with the same dimensions, or with different names, are compared.
    """
    found: list[tuple[Cell, Cell]] = []
    by_names: dict[frozenset[str], list[Cell]] = {}
    for cell in cells:
        by_names.setdefault(frozenset(k for k, _ in cell.dimensions), []).append(cell)
    groups = [by_names[names] for names in sorted(by_names, key=sorted)]
    for index, group in enumerate(groups):
        same_dims: dict[Dimensions, list[Cell]] = {}
        for cell in group:
            same_dims.setdefault(cell.dimensions, []).append(cell)
        for series in same_dims.values():  # cells sorted by period: check neighbours
            for a, b in itertools.pairwise(series):
                if a.period.overlaps(b.period):
                    found.append((a, b))
        for other in groups[index + 1 :]:
            for a in group:
                for b in other:
                    if a.period.overlaps(b.period) and _compatible(a.dimensions, b.dimensions):
                        found.append((a, b))
                        if len(found) >= limit:
                            return found
        if len(found) >= limit:
            return found[:limit]
    return found[:limit]


def _widest_first(cell: Cell) -> tuple[object, ...]:
    """Order for messages: earlier start first, then the longer period, then fewer dimensions."""
    return (cell.period.start, -cell.period.end.toordinal(), len(cell.dimensions), cell.dimensions)


def _compatible(a: Dimensions, b: Dimensions) -> bool:
    """Whether some event could have both sets of dimension values."""
    values = dict(a)
    return all(values.get(name, value) == value for name, value in b)


def _dims_text(dims: Dimensions) -> str:
    return f" [{', '.join(f'{k}={v}' for k, v in dims)}]" if dims else ""


def _location(source: EventSource) -> Location:
    return Location(source.file, source.line, None)


def _event_order(event: Event) -> tuple[object, ...]:
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
