"""The compact trail: the cells of a span summarised per month, replaying exactly.

A full trail has a part per cell: per period (often a day) and set of dimension
values. A national data set has hundreds of thousands of cells, so a compact
trail (:attr:`~ikueval.results.Trail.COMPACT`) merges them into one part per
*group*: the month of a day or a month, or the period itself when it is longer
than a month (a quarter, a year). Whatever the number of events or cells, an
aggregate then has at most as many parts as its span has months and declared
longer periods, and replaying it gives the figure of the full trail, digit for
digit (:mod:`ikueval.combining`):

* ``cumulative``: a part's value is the sum of its cells, and the figure the
  sum of the parts;
* ``average``: a part's value is the sum of its periods' totals and its
  ``periods`` how many distinct periods it adds up; the figure is the sum of
  the parts divided by the sum of their ``periods``;
* ``latest``: a part is the period that ends last in its group (its cells
  added up over their dimension values), and the figure is the part that
  ends last. Several periods ending on the same day (a month and its last
  day, broken down differently) are one part each.

A part's ``dimensions`` are the values all its cells share, its ``count`` the
number of their events, and its ``sources`` the files' line ranges merged, up
to :data:`MAX_RANGES_PER_FILE` per file, then the number of rows and the first
and last line; then the smallest :data:`MAX_REFS_PER_PART` references given from
Python.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Final

from .conflicts import dims_text
from .decimals import exact_sum
from .ledger import Cell, MissingReport
from .model import Aggregation, TargetValue
from .periods import Granularity, Period
from .results import Part

#: Line ranges listed per file in one part of a compact trail. Ten ranges are a
#: line a person reads; past that (rows scattered through a file sorted by date,
#: say) the part says how many rows and the first and last line, so that the
#: trail stays the same size however many events a month has.
MAX_RANGES_PER_FILE: Final = 10
#: References given from Python listed per part of a compact trail (the smallest
#: in sort order of those its cells kept), then how many more there were.
MAX_REFS_PER_PART: Final = 10


def compact_parts(
    cells: Iterable[Cell],
    method: Aggregation,
    made: dict[object, tuple[tuple[tuple[date, date], Part], ...]] | None = None,
) -> tuple[Part, ...]:
    """The parts of a compact trail for the cells of a span, in period order.

    Args:
        cells: the cells that lie in the span.
        method: the aggregation method the parts are combined with.
        made: the parts already made of this series with this method, by group (the
            month of April is the same in the second quarter and to date): used,
            and added to.

    Raises:
        TypeError: categories would have to be added or averaged (as
            :func:`~ikueval.combining.combine` raises for the full trail).
    """
    if made is None:
        made = {}
    groups: dict[object, _Group | None] = {}
    latest = method is Aggregation.LATEST
    for cell in cells:
        period = cell.period
        key: object = period  # a period longer than a month is a group of its own
        if period.granularity is Granularity.DAY or period.granularity is Granularity.MONTH:
            key = period.start.year * 100 + period.start.month
        if key not in groups:
            groups[key] = None if key in made else _Group(_group_of(period))
        group = groups[key]
        if group is None:
            continue  # made already
        if latest:
            group.add_latest(cell)
        else:
            group.add(cell)
    parts: list[tuple[tuple[date, date], Part]] = []
    for key, group in groups.items():
        if group is not None:
            if latest:
                made[key] = tuple(
                    (period.sort_key(), built.part(period)) for period, built in group.last
                )
            else:
                made[key] = ((group.period.sort_key(), group.whole.part(group.period)),)
        parts.extend(made[key])
    parts.sort(key=lambda item: item[0])
    return tuple(part for _, part in parts)


def missing_notes(reports: Iterable[MissingReport]) -> list[str]:
    """The notes of a compact trail on values reported as "-" (not measured): one per
    month (or longer period), however many periods and dimension values of it were
    reported so; a month with one report has the note of the full trail.

    Args:
        reports: the reports of a series that lie in a span, in period order.
    """
    groups: dict[Period, list[MissingReport]] = {}
    for report in reports:
        groups.setdefault(_group_of(report.period), []).append(report)
    notes = []
    for period, found in sorted(groups.items(), key=lambda item: item[0].sort_key()):
        if len(found) == 1:
            (report,) = found
            where = ", ".join(report.sources)
            label = f"{report.period.label}{dims_text(report.dimensions)}"
            notes.append(f"{label}: reported as '-' (not measured) in {where}")
            continue
        sources = SourceSummary()
        for report in found:
            for text in report.sources:
                sources.add_text(text)
        shared = set.intersection(*(set(report.dimensions) for report in found))
        label = f"{period.label}{dims_text(tuple(sorted(shared)))}"
        where = ", ".join(sources.texts())
        notes.append(f"{label}: reported as '-' (not measured) {len(found)} times, in {where}")
    return notes


def _group_of(period: Period) -> Period:
    """The period a cell's part belongs to: the month of a day, else the period itself."""
    if period.granularity is Granularity.DAY:
        return Period.month_of(period.year, period.start.month)
    return period


class _Group:
    """The cells of one group: all of them, or (latest) those of the periods ending last."""

    __slots__ = ("last", "last_end", "period", "whole")

    def __init__(self, period: Period) -> None:
        self.period = period
        self.whole = _Builder()
        self.last: list[tuple[Period, _Builder]] = []
        self.last_end: date | None = None

    def add(self, cell: Cell) -> None:
        self.whole.add(cell)

    def add_latest(self, cell: Cell) -> None:
        end = cell.period.end
        if self.last_end is None or end > self.last_end:
            self.last_end = end
            self.last = []
        elif end < self.last_end:
            return
        for period, built in self.last:
            if period == cell.period:
                built.add(cell)
                return
        built = _Builder()
        built.add(cell)
        self.last.append((cell.period, built))


class _Builder:
    """One part being built: values, counts, periods, shared dimensions, sources."""

    __slots__ = ("count", "dimensions", "labels", "periods", "sources", "values")

    def __init__(self) -> None:
        self.values: list[TargetValue] = []
        self.count = 0
        self.periods: set[Period] = set()
        self.dimensions: set[tuple[str, str]] | None = None
        self.sources = SourceSummary()

    def add(self, cell: Cell) -> None:
        self.values.append(cell.value)
        self.count += cell.count
        self.periods.add(cell.period)
        if self.dimensions is None:
            self.dimensions = set(cell.dimensions)
        elif self.dimensions:
            self.dimensions.intersection_update(cell.dimensions)
        for text in cell.sources:
            self.sources.add_text(text)

    def part(self, period: Period) -> Part:
        values = self.values
        value: TargetValue
        if len(values) == 1:
            value = values[0]
        else:
            numbers = []
            for item in values:
                if not isinstance(item, Decimal):
                    raise TypeError(f"category {item!r} cannot be added or averaged")
                numbers.append(item)
            value = exact_sum(numbers)
        return Part(
            period.label,
            value,
            self.count,
            dict(sorted(self.dimensions or ())),
            self.sources.texts(),
            len(self.periods),
        )


#: How the trail writes the lines of a file (``data.csv:12-40,57``), the summary of
#: many rows (``data.csv: 1200 rows in lines 12-98040``) and references left out.
_LINES: Final = re.compile(r"(.+):([0-9]+(?:-[0-9]+)?(?:,[0-9]+(?:-[0-9]+)?)*)")
_ROWS: Final = re.compile(r"(.+): ([0-9]+) rows in lines ([0-9]+)-([0-9]+)")
_MORE: Final = re.compile(r"\.\.\. and ([0-9]+) more references")


class SourceSummary:
    """The sources of many cells, bounded: line ranges per file, then a count.

    Per file, the line ranges of the rows merged, up to
    :data:`MAX_RANGES_PER_FILE`; past that, the number of rows and the first and
    last line. References given from Python: the smallest
    :data:`MAX_REFS_PER_PART`, and how many more.
    """

    __slots__ = ("files", "kept", "more", "refs")

    def __init__(self) -> None:
        self.files: dict[str, _Lines] = {}
        self.refs: list[_Reversed] = []  # a heap whose top is the largest kept
        self.kept: set[str] = set()
        self.more = 0

    def add_text(self, text: str) -> None:
        """Add one source as a cell's trail writes it."""
        match = _LINES.fullmatch(text)
        if match is not None:
            lines = self._file(match[1])
            for piece in match[2].split(","):
                first, _, last = piece.partition("-")
                lines.add(int(first), int(last or first))
            return
        match = _ROWS.fullmatch(text)
        if match is not None:
            self._file(match[1]).add_summary(int(match[2]), int(match[3]), int(match[4]))
            return
        match = _MORE.fullmatch(text)
        if match is not None:
            self.more += int(match[1])
            return
        self.add_ref(text)

    def add_ref(self, ref: str) -> None:
        """Add one reference given from Python (a reference already listed is listed once)."""
        if ref in self.kept:
            return
        key = _Reversed(ref)
        if len(self.refs) < MAX_REFS_PER_PART:
            heapq.heappush(self.refs, key)
            self.kept.add(ref)
            return
        self.more += 1
        if ref < self.refs[0].text:
            self.kept.discard(heapq.heapreplace(self.refs, key).text)
            self.kept.add(ref)

    def _file(self, name: str) -> _Lines:
        lines = self.files.get(name)
        if lines is None:
            lines = self.files[name] = _Lines()
        return lines

    def texts(self) -> tuple[str, ...]:
        """The sources as the trail writes them: files in name order, then references."""
        found = [f"{name}:{self.files[name].text()}" for name in sorted(self.files)]
        found.extend(sorted(item.text for item in self.refs))
        if self.more:
            found.append(f"... and {self.more} more references")
        return tuple(found)


class _Lines:
    """The rows of one file: their line ranges, merged when written; past the bound, or
    when some rows are known only by their number, the number of rows and the first and
    last line. What is written does not depend on the order the rows were added in."""

    __slots__ = ("high", "low", "ranges", "rows", "summarised")

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.summarised = False
        self.rows = 0
        self.low = self.high = 0

    def add(self, first: int, last: int) -> None:
        """Add the rows of lines ``first`` to ``last``."""
        self._count(last - first + 1, first, last)
        if not self.summarised:
            self.ranges.append((first, last))

    def add_summary(self, rows: int, low: int, high: int) -> None:
        """Add rows known only by their number and their first and last line."""
        self._count(rows, low, high)
        self.summarised = True
        self.ranges = []

    def _count(self, rows: int, low: int, high: int) -> None:
        if not self.rows:
            self.low, self.high = low, high
        else:
            self.low, self.high = min(self.low, low), max(self.high, high)
        self.rows += rows

    def text(self) -> str:
        merged: list[list[int]] = []
        if not self.summarised:
            for first, last in sorted(self.ranges):
                if merged and first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
                    if len(merged) > MAX_RANGES_PER_FILE:
                        break
        if self.summarised or len(merged) > MAX_RANGES_PER_FILE:
            return f" {self.rows} rows in lines {self.low}-{self.high}"
        return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in merged)


class _Reversed:
    """Orders strings backwards, so that a min-heap keeps the smallest ones."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _Reversed) -> bool:
        return self.text > other.text
