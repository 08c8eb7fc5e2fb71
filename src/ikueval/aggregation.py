"""Aggregation: events into a ledger, and a ledger's cells into figures for a span.

:func:`build_ledger` streams over events once and keeps, for every indicator,
input, period and set of dimension values, a *cell*: the total, the number of
events and a compact list of their sources (line ranges per file). Memory
therefore grows with indicators x periods x dimensions, not with the number of
events; the events themselves are kept only for the indicators a caller asks
to ``retain`` (``ikueval explain`` does, to list every row).

Within one period, values add up: several events of one period are parts of
its total (a count split by gender, say). Over a span, the parts combine by the
aggregation method (:func:`combine`):

* ``cumulative``: the sum of all parts;
* ``latest``: the total of the period that ends last;
* ``average``: the mean of the periods' totals.

Two events whose periods nest (a quarterly total and a month of the same
quarter) would count the same realisation twice when one's dimensions cover
the other's; such a ledger is refused with both sources named.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from attrs import field, frozen

from .decimals import exact_sum, mean
from .duplicates import Repeats
from .errors import EventConflictError, EventError, Location, Problem, Severity
from .events import SPENDING, Event, EventSource, spending_series
from .model import IMPLICIT_INPUT, Aggregation, RuleSet, TargetValue, frozen_mapping
from .overlaps import MAX_BREAKDOWNS, breakdowns, overlapping
from .periods import Period, Span
from .results import Aggregate, Part
from .units import UnitKind, adds_up, unit_kind

#: Caller-given references kept per cell. The smallest ones (in sort order)
#: are kept, so the list does not depend on the order of the events; the
#: count of the others is reported. File sources are never cut: they are
#: kept as line ranges.
MAX_REFS_PER_CELL: Final = 50
CONFLICT_SUMMARY: Final = "the events conflict: nothing was evaluated"
#: Overlapping pairs reported per indicator input: the first few show the fix.
#: Also the periods with several values reported per input, for values that do
#: not add up.
MAX_CONFLICTS_REPORTED: Final = 5
#: Warnings about rows given twice, in all: the first few show what to fix.
MAX_REPEATS_REPORTED: Final = 20

Dimensions = tuple[tuple[str, str], ...]
#: The order of warnings about repeated rows: series, period, dimensions, value.
_RepeatKey = tuple[tuple[str, str], tuple[date, date], Dimensions, Decimal]


def combine(method: Aggregation, parts: Sequence[Part]) -> TargetValue | None:
    """Combine parts by an aggregation method; None when there are no parts.

    Raises:
        TypeError: when categories (text) would have to be added or averaged.
    """
    if not parts:
        return None
    if method is Aggregation.CUMULATIVE:
        return exact_sum(_numbers(parts))
    periods = {part.period: Period.parse(part.period) for part in parts}
    if method is Aggregation.LATEST:
        last_end = max(p.end for p in periods.values())
        latest = [part for part in parts if periods[part.period].end == last_end]
        labels = {part.value for part in latest if isinstance(part.value, str)}
        if labels:
            if len(latest) != 1:
                raise TypeError("several categories for the same period")
            return latest[0].value
        return exact_sum(_numbers(latest))
    totals: dict[str, list[Decimal]] = {}
    for part, value in zip(parts, _numbers(parts), strict=True):
        totals.setdefault(part.period, []).append(value)
    return mean(exact_sum(values) for values in totals.values())


def _numbers(parts: Sequence[Part]) -> list[Decimal]:
    values = []
    for part in parts:
        if not isinstance(part.value, Decimal):
            raise TypeError(f"category {part.value!r} cannot be added or averaged")
        values.append(part.value)
    return values


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
    """The aggregated events of a data set, ready to be evaluated for any period.

    Args:
        series: what was recorded for each indicator input and activity.
        events_read: how many events were read.
        warnings: what a person should look at although the data were accepted:
            rows that seem given twice (see ``docs/events.md``), in a fixed order.
    """

    series: Mapping[tuple[str, str], Series] = field(converter=frozen_mapping)
    events_read: int = 0
    warnings: tuple[Problem, ...] = ()

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
        {
            c.period.label
            for c in series.cells
            if span.overlaps(c.period) and not span.contains(c.period)
        }
    )
    for label in beyond:
        notes.append(f"events for {label} are not counted: the period reaches beyond {span}")
    for report in series.missing:
        if span.contains(report.period):
            where = ", ".join(report.sources)
            dims = _dims_text(report.dimensions)
            notes.append(f"{report.period.label}{dims}: reported as '-' (not measured) in {where}")
    kinds = {cell.period.granularity for cell in inside}
    if method is Aggregation.AVERAGE and len(kinds) > 1:
        notes.append("periods of different lengths are averaged with equal weight")
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
    __slots__ = ("count", "events", "first", "labels", "repeats", "sources", "total")

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.labels: set[str] = set()
        self.count = 0
        self.sources = _SourceSet()
        self.events: list[Event] = []
        self.first: EventSource | None = None
        self.repeats: Repeats | None = None  # values of events without an id

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
            if event.id is None:
                if cell.repeats is None:
                    cell.repeats = Repeats()
                cell.repeats.add(event.value, event.source)
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
        repeated: list[tuple[_RepeatKey, Problem]] = []
        series = {}
        for key in sorted(set(self.cells) | set(self.missing)):
            cells = []
            name = self._name(key)
            for (period, dims), built in self.cells.get(key, {}).items():
                if built.repeats is not None:
                    repeated.extend(_repeated(name, key, period, dims, built.repeats))
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
            problems.extend(self._conflicts(key, name, cells))
            series[key] = Series(tuple(cells), missing)
        if problems:
            raise EventConflictError(problems, summary=CONFLICT_SUMMARY)
        return Ledger(series, self.count, _first_warnings(repeated))

    def _name(self, key: tuple[str, str]) -> str:
        """How messages name a series: ``IKU-01``, ``IKU-01 input handled``, spending."""
        indicator_id, input_name = key
        if input_name == SPENDING:
            return f"the spending of {indicator_id.removeprefix('activity:')}"
        if input_name != IMPLICIT_INPUT:
            return f"{indicator_id} input {input_name}"
        return indicator_id

    def _single(self, key: tuple[str, str]) -> str | None:
        """What one value of a series is, when values of one period cannot add up."""
        indicator_id, input_name = key
        if input_name == SPENDING:
            return "a balance"
        indicator = self.ruleset.indicator(indicator_id)
        if indicator is None:  # pragma: no cover - events of unknown indicators are refused
            return None
        if indicator.categorical:
            return "a category"
        unit = indicator.inputs[input_name].unit if indicator.inputs else None
        unit = unit or indicator.unit
        if adds_up(unit):
            return None
        return _NOT_ADDING_UP.get(unit_kind(unit), f"a value in {unit!r}")

    def _conflicts(self, key: tuple[str, str], name: str, cells: list[Cell]) -> list[Problem]:
        problems = []
        single = self._single(key)
        if single is not None:
            problems.extend(_several_values(name, key[1] == SPENDING, single, cells))
        ways = breakdowns(cells)
        if len(ways) > MAX_BREAKDOWNS:
            problems.append(
                Problem(
                    f"{name} is broken down in {len(ways)} different ways (sets of dimensions), "
                    f"more than the {MAX_BREAKDOWNS} that can be checked for double counting",
                    _location(cells[0].first),
                    hint="give each figure by one or a few combinations of dimensions",
                )
            )
            return problems
        for pair in overlapping(cells, MAX_CONFLICTS_REPORTED):
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


#: How messages call one value of a unit whose values do not add up.
_NOT_ADDING_UP: Final = {
    UnitKind.PERCENT: "a percentage",
    UnitKind.SCORE: "a score",
    UnitKind.CATEGORY: "a category",
}


def _several_values(name: str, balances: bool, single: str, cells: list[Cell]) -> list[Problem]:
    """Periods of a series whose values cannot add up and that have several.

    ``cells`` are sorted by period; at most MAX_CONFLICTS_REPORTED periods are
    named, then how many more there are.
    """
    problems: list[Problem] = []
    more = 0
    what = "balances" if balances else "values"
    for period, grouped in itertools.groupby(cells, key=lambda cell: cell.period):
        group = list(grouped)
        count = sum(cell.count for cell in group)
        if count == 1:
            continue
        if len(problems) >= MAX_CONFLICTS_REPORTED:
            more += 1
            continue
        if len(group) == 1:
            where = f"{_dims_text(group[0].dimensions)} ({', '.join(group[0].sources)})"
        else:
            listed = "; ".join(
                f"{_dims_text(cell.dimensions).strip() or 'no dimensions'}: "
                f"{', '.join(cell.sources)}"
                for cell in group[:MAX_CONFLICTS_REPORTED]
            )
            if len(group) > MAX_CONFLICTS_REPORTED:
                listed += f"; and {len(group) - MAX_CONFLICTS_REPORTED} more"
            where = f" ({listed})"
        problems.append(
            Problem(
                f"{name} has {count} {what} for {period.label}{where}; {single} cannot be "
                "added up: keep one",
                _location(group[-1].first if len(group) > 1 else group[0].first),
            )
        )
    if more:
        problems.append(
            Problem(f"{name} has several {what} for {more} more period{'s' if more > 1 else ''}")
        )
    return problems


def _repeated(
    name: str, key: tuple[str, str], period: Period, dims: Dimensions, repeats: Repeats
) -> Iterator[tuple[_RepeatKey, Problem]]:
    """Warnings for the values of a cell given more than once without an id, with sort keys."""
    for text, count, sources in repeats.repeated():
        events = "both" if count == 2 else f"all {count}"
        yield (
            (key, period.sort_key(), dims, Decimal(text)),
            Problem(
                f"{name}: {count} events for {period.label}{_dims_text(dims)} have the same "
                f"value {text} and no id ({', '.join(str(s) for s in sources)}"
                f"{', ...' if count > 2 else ''}): {events} are counted",
                _location(sources[1]),
                Severity.WARNING,
                hint="if a row was given twice, delete the copy; if they are distinct "
                "events, give each an id",
            ),
        )


def _first_warnings(found: list[tuple[_RepeatKey, Problem]]) -> tuple[Problem, ...]:
    """The first MAX_REPEATS_REPORTED warnings in a fixed order, then how many more."""
    found.sort(key=lambda item: item[0])
    warnings = [problem for _, problem in found[:MAX_REPEATS_REPORTED]]
    more = len(found) - len(warnings)
    if more:
        warnings.append(
            Problem(
                f"{more} more value{'s' if more > 1 else ''} given more than once without an id",
                severity=Severity.WARNING,
            )
        )
    return tuple(warnings)


def _widest_first(cell: Cell) -> tuple[object, ...]:
    """Order for messages: earlier start first, then the longer period, then fewer dimensions."""
    return (cell.period.start, -cell.period.end.toordinal(), len(cell.dimensions), cell.dimensions)


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
