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

import bisect
import functools
import heapq
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Final, Literal, overload

from .conflicts import dims_text
from .ledger import IN_EXTRA, MissingReport, Series, decimal_of, source_texts
from .model import Aggregation, TargetValue
from .periods import Granularity, Period
from .results import Part
from .sources import LINE_SPAN, SourceSet

#: Line ranges listed per file in one part of a compact trail. Ten ranges are a
#: line a person reads; past that (rows scattered through a file sorted by date,
#: say) the part says how many rows and the first and last line, so that the
#: trail stays the same size however many events a month has.
MAX_RANGES_PER_FILE: Final = 10
#: References given from Python listed per part of a compact trail (the smallest
#: in sort order of those its cells kept), then how many more there were.
MAX_REFS_PER_PART: Final = 10


def compact_parts(
    series: Series,
    positions: Sequence[int],
    method: Aggregation,
    made: dict[int, tuple[tuple[int, Part], ...]] | None = None,
) -> tuple[Part, ...]:
    """The parts of a compact trail for cells of a series (those of a span), in period order.

    Args:
        series: the series.
        positions: the positions of the cells that lie in the span, in order: a
            ``range`` when they are all the cells that start in it (then each
            month's cells are found by bisection, not one by one).
        method: the aggregation method the parts are combined with.
        made: the parts already made of this series with this method, by group (the
            month of April is the same in the second quarter and to date): used,
            and added to.

    Raises:
        TypeError: categories would have to be added or averaged (as
            :func:`~ikueval.combining.combine` raises for the full trail).
    """
    if isinstance(positions, range):
        groups = _groups_of_run(series, positions)
    else:
        groups = _groups_of(series, positions)
    if made is None:
        made = {}
    parts: list[tuple[int, Part]] = []
    labels = series.tables.labels
    for key, members in groups:
        found = made.get(key)
        if found is None:
            if method is not Aggregation.LATEST:
                found = ((key, _part(series, members, _label(series, key))),)
            else:
                found = tuple(
                    (last, _part(series, chosen, labels[last]))
                    for last, chosen in _last(series, key, members)
                )
            made[key] = found
        parts.extend(found)
    parts.sort(key=lambda item: item[0])  # in period order: by start, then by end
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
        period = report.period
        if period.granularity is Granularity.DAY:
            period = Period.month_of(period.year, period.start.month)
        groups.setdefault(period, []).append(report)
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


Members = list[range]
"""The positions of the cells of a part: runs of consecutive positions."""


def _groups_of_run(series: Series, run: range) -> list[tuple[int, Members]]:
    """The groups of the cells of ``run`` (cells sorted by period key): per month, its
    days and the month itself; each quarter or year on its own. Found by bisection."""
    keys = series.periods
    groups: list[tuple[int, Members]] = []
    position, stop = run.start, run.stop
    while position < stop:
        key = keys[position]
        if key & 3 >= 2:  # a quarter or a year: a group of its own
            end = bisect.bisect_right(keys, key, position, stop)
            groups.append((key, [range(position, end)]))
            position = end
            continue
        first = _month_start(key >> 2)  # the ordinal of its month's first day
        following = _month_start(first + 31)
        # the month's cells, but for the quarter or year starting with it
        head = bisect.bisect_left(keys, first * 4 + 2, position, stop)
        tail = bisect.bisect_right(keys, first * 4 + 3, head, stop)
        end = bisect.bisect_left(keys, following * 4, tail, stop)
        members = [r for r in (range(position, head), range(tail, end)) if r]
        groups.append((first * 4 + 1, members))
        while head < tail:  # the quarter and the year starting on the month's first day
            block = bisect.bisect_right(keys, keys[head], head, tail)
            groups.append((keys[head], [range(head, block)]))
            head = block
        position = end
    return groups


def _groups_of(series: Series, positions: Sequence[int]) -> list[tuple[int, Members]]:
    """The groups of cells at any positions, one by one (see :func:`_groups_of_run`)."""
    keys = series.periods
    groups: dict[int, list[int]] = {}
    for index in positions:
        key = keys[index]
        group = key if key & 3 >= 2 else _month_start(key >> 2) * 4 + 1
        groups.setdefault(group, []).append(index)
    return [(key, _runs_of(found)) for key, found in groups.items()]


def _runs_of(positions: list[int]) -> Members:
    runs: Members = []
    start = previous = positions[0]
    for index in positions[1:]:
        if index != previous + 1:
            runs.append(range(start, previous + 1))
            start = index
        previous = index
    runs.append(range(start, previous + 1))
    return runs


def _month_start(ordinal: int) -> int:
    """The ordinal of the first day of the month of the day ``ordinal``."""
    return ordinal - date.fromordinal(ordinal).day + 1


def _last(series: Series, group: int, members: Members) -> list[tuple[int, Members]]:
    """The cells of the periods ending last in a group, per period key: the last day,
    and the month itself when it ends the same day (or the quarter or year)."""
    keys, periods = series.periods, series.tables.periods
    candidates = {keys[members[-1][-1]]}  # the greatest key: the last day, or the period
    if any(_within(keys, group, run) for run in members):
        candidates.add(group)  # the month itself (it sorts before its later days)
    ends = {key: periods[key].end for key in candidates}
    last = max(ends.values())
    chosen = []
    for key in sorted(key for key, end in ends.items() if end == last):
        found = [_within(keys, key, run) for run in members]
        chosen.append((key, [run for run in found if run]))
    return chosen


def _within(keys: Sequence[int], key: int, run: range) -> range:
    """The positions of ``run`` whose period key is ``key``."""
    low = bisect.bisect_left(keys, key, run.start, run.stop)
    return range(low, bisect.bisect_right(keys, key, low, run.stop))


def _label(series: Series, key: int) -> str:
    """The label of a group's period: a month's, or that of a period the series has."""
    label = series.tables.labels.get(key)
    if label is None:
        first = date.fromordinal(key >> 2)
        label = f"{first.year:04d}-{first.month:02d}"
    return label


def _part(series: Series, members: Members, label: str) -> Part:
    """The cells at ``members`` as one part for the period ``label``; its total is what
    :func:`~ikueval.decimals.exact_sum` gives (the least exponent of the totals, and 0)."""
    take = _taker(members)
    value: TargetValue
    extras = series.extras
    labels: list[str] = []
    if extras:  # the few cells with more than a total: some may be categories
        for run in members:
            if len(run) <= len(extras):
                found = [extras[index] for index in run if index in extras]
            else:
                found = [extra for index, extra in extras.items() if index in run]
            labels.extend(extra.label for extra in found if extra.label is not None)
    if labels:
        if len(labels) > 1 or sum(len(run) for run in members) > 1:
            raise TypeError(f"category {labels[0]!r} cannot be added or averaged")
        value = labels[0]
    else:
        coefficients, exponents = take(series.coefficients), take(series.exponents)
        used = set(exponents)
        least = min(used)
        if len(used) == 1:
            total = sum(coefficients)
        else:  # each total scaled to the least exponent, multiplied in C
            scale = {exponent: 10 ** (exponent - least) for exponent in used}
            total = sum(map(operator.mul, coefficients, map(scale.__getitem__, exponents)))
        if least > 0:
            total, least = total * 10**least, 0
        value = decimal_of(total, least)
    dimensions = series.tables.dimensions
    shared = set.intersection(*(set(dimensions[n]) for n in set(take(series.dims))))
    return Part(
        label,
        value,
        sum(take(series.counts)),
        dict(sorted(shared)),
        _sources(series, members, take(series.sources)),
        len(set(take(series.periods))),
    )


def _taker(members: Members) -> Callable[[Sequence[int]], Sequence[int]]:
    """A function that takes the values at ``members`` from a column, in C."""
    if len(members) == 1:
        (run,) = members
        return lambda column: column[run.start : run.stop]
    return lambda column: functools.reduce(
        operator.add, (column[run.start : run.stop] for run in members)
    )


def _sources(series: Series, members: Members, packed: Sequence[int]) -> tuple[str, ...]:
    """The sources of the cells at ``members``, whose packed sources are ``packed``."""
    names = series.tables.files.names
    if IN_EXTRA not in packed:
        lines = sorted(packed)
        number = lines[0] // LINE_SPAN
        if lines[-1] // LINE_SPAN == number:  # the usual case: rows of one file
            offset = number * LINE_SPAN
            return (f"{names[number]}:{_lines_text(lines, offset)}",)
    summary = SourceSummary()
    if IN_EXTRA in packed:
        for run in members:
            for index in run:
                if series.sources[index] == IN_EXTRA:
                    _add_source(summary, series.source(index), names)
        packed = [source for source in packed if source != IN_EXTRA]
    if packed:
        lines = sorted(packed)
        first = 0
        while first < len(lines):  # a file at a time: its rows are a run of the sorted lines
            number = lines[first] // LINE_SPAN
            end = bisect.bisect_left(lines, (number + 1) * LINE_SPAN, first)
            summary.add_packed(names[number], lines[first:end], number * LINE_SPAN)
            first = end
    return summary.texts()


def _add_source(summary: SourceSummary, sources: object, names: Sequence[str]) -> None:
    """Add the sources a cell keeps beside the columns: a :class:`SourceSet` of several
    events, read as it is kept, or one event's source."""
    if not isinstance(sources, SourceSet):
        for text in source_texts(sources, list(names)):  # type: ignore[arg-type]
            summary.add_text(text)
        return
    for number, lines in sources.files.items():
        kept = summary.file(names[number])
        if lines.ranges is None:  # past the bound of a cell: a number of rows
            kept.add_summary(lines.rows, lines.low, lines.high)
        else:
            for first, last in zip(lines.ranges[::2], lines.ranges[1::2], strict=True):
                kept.add(first, last)
    for reference in sources.refs:
        summary.add_ref(reference.text)
    summary.more += sources.ref_count - len(sources.refs)


def _lines_text(lines: list[int], offset: int) -> str:
    """Sorted packed lines of one file as the trail writes them: ranges, or past the
    bound their number and first and last line."""
    runs = _runs(lines)
    if runs is None:
        return f" {len(lines)} rows in lines {lines[0] - offset}-{lines[-1] - offset}"
    return ",".join(f"{a - offset}" if a == b else f"{a - offset}-{b - offset}" for a, b in runs)


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

    def add_packed(self, file: str, lines: list[int], offset: int) -> None:
        """Add rows of a file, by their lines plus ``offset``, in order."""
        self._file(file).packed.append((lines, offset))

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

    def file(self, name: str) -> _Lines:
        """The rows kept of one file."""
        return self._file(name)

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
    """The rows of one file: their lines and line ranges, merged when written; past the
    bound, or when some rows are known only by their number, the number of rows and the
    first and last line. What is written does not depend on the order of the rows."""

    __slots__ = ("high", "low", "packed", "ranges", "rows", "summarised")

    def __init__(self) -> None:
        self.packed: list[tuple[list[int], int]] = []  # sorted lines, plus an offset
        self.ranges: list[tuple[int, int]] = []  # rows by a range of lines
        self.summarised = False
        self.rows = 0
        self.low = self.high = 0

    def add(self, first: int, last: int) -> None:
        """Add the rows of lines ``first`` to ``last``."""
        self._count(last - first + 1, first, last)
        self.ranges.append((first, last))

    def add_summary(self, rows: int, low: int, high: int) -> None:
        """Add rows known only by their number and their first and last line."""
        self._count(rows, low, high)
        self.summarised = True

    def _count(self, rows: int, low: int, high: int) -> None:
        if not self.rows:
            self.low, self.high = low, high
        else:
            self.low, self.high = min(self.low, low), max(self.high, high)
        self.rows += rows

    def text(self) -> str:
        for lines, offset in self.packed:
            self._count(len(lines), lines[0] - offset, lines[-1] - offset)
        summary = f" {self.rows} rows in lines {self.low}-{self.high}"
        if self.summarised:
            return summary
        if not self.ranges and len(self.packed) == 1:
            lines, offset = self.packed[0]
            runs = _runs(lines)
            if runs is None:
                return summary
            merged = [(a - offset, b - offset) for a, b in runs]
        else:
            spans = [*self.ranges]
            for lines, offset in self.packed:
                spans.extend((a - offset, b - offset) for a, b in _runs(lines, bounded=False))
            spans.sort()
            merged = []
            for first, last in spans:
                if merged and first <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], last))
                elif len(merged) == MAX_RANGES_PER_FILE:  # one more range: too many
                    return summary
                else:
                    merged.append((first, last))
        return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in merged)


@overload
def _runs(lines: list[int]) -> list[tuple[int, int]] | None: ...
@overload
def _runs(lines: list[int], bounded: Literal[False]) -> list[tuple[int, int]]: ...


def _runs(lines: list[int], bounded: bool = True) -> list[tuple[int, int]] | None:
    """The runs of consecutive numbers of sorted ``lines``; None past the bound, unless
    not ``bounded``."""
    if lines[-1] - lines[0] + 1 == len(lines):  # one run (the usual file order)
        return [(lines[0], lines[-1])]
    runs: list[tuple[int, int]] = []
    start = previous = lines[0]
    for line in lines[1:]:
        if line > previous + 1:
            if bounded and len(runs) == MAX_RANGES_PER_FILE - 1:
                return None
            runs.append((start, previous))
            start = line
        previous = line
    runs.append((start, previous))
    return runs


class _Reversed:
    """Orders strings backwards, so that a min-heap keeps the smallest ones."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _Reversed) -> bool:
        return self.text > other.text
