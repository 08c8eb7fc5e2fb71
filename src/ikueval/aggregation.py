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
the other's, and values that do not add up (a percentage, a category) cannot
be parts of one period: such a ledger is refused with the sources named. Rows
given twice without an id are a warning on the ledger (see
:mod:`ikueval.conflicts`).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any, Final

from .combining import METHODS, combine
from .compacting import compact_parts, missing_notes
from .conflicts import (
    CONFLICT_SUMMARY,
    Repeated,
    conflicts,
    dims_text,
    first_warnings,
    location,
    malformed,
    repeated,
    series_name,
)
from .decimals import exact_sum
from .duplicates import Repeats
from .errors import EventConflictError, EventError, Problem
from .events import Event, EventSource
from .ledger import Cell as Cell
from .ledger import Dimensions
from .ledger import Ledger as Ledger
from .ledger import MissingReport as MissingReport
from .ledger import Series as Series
from .model import Aggregation, RuleSet, TargetValue
from .periods import Period, Span
from .results import Aggregate, Trail

#: Caller-given references kept per cell. The smallest ones (in sort order)
#: are kept, so the list does not depend on the order of the events; the
#: count of the others is reported. File sources are never cut: they are
#: kept as line ranges.
MAX_REFS_PER_CELL: Final = 50


def aggregate(
    series: Series,
    span: Span,
    method: Aggregation,
    quantity: str,
    trail: Trail = Trail.FULL,
    made: dict[Any, Any] | None = None,
) -> Aggregate:
    """Combine the cells of a series that lie in a span.

    Cells whose period reaches beyond the span (a yearly figure, for a quarter)
    are left out and named in the notes; so are values reported as "-".

    Args:
        series: the cells of one indicator input (or one activity's spending).
        span: the span.
        method: how the cells combine.
        quantity: the input's name (``value`` for a plain indicator).
        trail: a part per cell (:attr:`Trail.FULL`), or the cells merged per month
            (:attr:`Trail.COMPACT`, :mod:`ikueval.compacting`): the figure is the
            same, and so are the notes, but that the values reported as "-" in a month
            are one note.
        made: for a compact trail, the parts of this series made by an earlier call with
            the same method (for another span), to be used again, and added to
            (:func:`~ikueval.compacting.compact_parts`).
    """
    inside = [cell for cell in series.cells if span.contains(cell.period)]
    notes = []
    beyond = sorted(
        {
            c.period.label
            for c in series.cells
            if span.overlaps(c.period) and not span.contains(c.period)
        }
    )
    for label in beyond:
        notes.append(f"events for {label} are not counted: the period reaches beyond {span}")
    reported = [report for report in series.missing if span.contains(report.period)]
    if trail is Trail.COMPACT:
        notes.extend(missing_notes(reported))
    for report in reported if trail is Trail.FULL else ():
        where = ", ".join(report.sources)
        dims = dims_text(report.dimensions)
        notes.append(f"{report.period.label}{dims}: reported as '-' (not measured) in {where}")
    kinds = {cell.period.granularity for cell in inside}
    mixed = METHODS[method].mixed_lengths
    if mixed is not None and len(kinds) > 1:
        notes.append(mixed)
    if trail is Trail.COMPACT:
        parts = compact_parts(inside, method, made)
    else:
        parts = tuple(cell.part() for cell in inside)
    return Aggregate(quantity, span.label, method, parts, combine(method, parts), tuple(notes))


def build_ledger(
    ruleset: RuleSet, events: Iterable[Event], *, retain: Collection[str] = ()
) -> Ledger:
    """Aggregate events into a ledger, in one pass.

    Rows that seem given twice (the same value for the same cell, without an
    id) are accepted and listed in the ledger's ``warnings``.

    Args:
        ruleset: the rule set the events belong to.
        events: checked events (see :func:`ikueval.events.events_from_records`).
        retain: ids of indicators whose individual events are kept, to be listed
            by ``explain``.

    Raises:
        EventError: an event names an indicator or input the rule set lacks, or
            an event built by hand has a field of the wrong type.
        EventConflictError: events would be counted twice; a series whose
            values do not add up (a category, a balance, a percentage, a score)
            has several for one period; or a series is broken down in more
            ways than the check compares.
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
    __slots__ = ("count", "events", "first", "ids", "labels", "repeats", "sources", "total")

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.labels: set[str] = set()
        self.count = 0
        self.sources = _SourceSet()
        self.events: list[Event] = []
        self.first: EventSource | None = None
        self.repeats: Repeats[Decimal] | None = None  # values of events without an id
        self.ids: Repeats[str] | None = None  # ids of events with one

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
        items = list(event.dimensions.items())
        wrong = malformed(event, items)
        if wrong is not None:
            raise EventError(
                f"{wrong}: build events with ikueval.events_from_records, which checks them"
            )
        problem = self._unknown(event)
        if problem is not None:
            raise EventError(Problem(problem, location(event.source)))
        self.count += 1
        key = event.series
        dims: Dimensions = tuple(sorted(items))
        if event.value is None:
            reports = self.missing.setdefault(key, {})
            sources = reports.get((event.period, dims))
            if sources is None:
                sources = reports[(event.period, dims)] = _SourceSet()
            sources.add(event)
            return
        cells = self.cells.setdefault(key, {})
        cell = cells.get((event.period, dims))
        if cell is None:
            cell = cells[(event.period, dims)] = _CellBuilder()
        cell.count += 1
        if isinstance(event.value, str):
            cell.labels.add(event.value)
        else:
            cell.total = exact_sum((cell.total, event.value))
            if event.id is None:
                if cell.repeats is None:
                    cell.repeats = Repeats()
                cell.repeats.add(event.value, event.source)
        if event.id is not None:
            if cell.ids is None:
                cell.ids = Repeats()
            cell.ids.add(event.id, event.source)
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
        if isinstance(event.value, str) and not indicator.categorical:
            return f"{event.indicator} has no categories: {event.value!r} is not a number"
        return None

    def finish(self) -> Ledger:
        problems: list[Problem] = []
        repeats: list[Repeated] = []
        series = {}
        for key in sorted(set(self.cells) | set(self.missing)):
            cells = []
            name = series_name(key)
            for (period, dims), built in self.cells.get(key, {}).items():
                if built.repeats is not None or built.ids is not None:
                    repeats.extend(repeated(name, key, period, dims, built.repeats, built.ids))
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
            problems.extend(conflicts(self.ruleset, key, cells))
            series[key] = Series(tuple(cells), missing)
        if problems:
            raise EventConflictError(problems, summary=CONFLICT_SUMMARY)
        return Ledger(series, self.count, first_warnings(repeats))


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
