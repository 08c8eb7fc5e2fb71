"""The compact trail: the cells of a span summarised per month, replaying exactly.

A full trail has a part per cell: per period (often a day) and set of dimension
values. A national data set has hundreds of thousands of cells, so a compact
trail (:attr:`~ikueval._results.Trail.COMPACT`) merges them into one part per
*group*: the month of a day or a month, or the period itself when it is longer
than a month (a quarter, a year). Whatever the number of events or cells, an
aggregate then has at most as many parts as its span has months and declared
longer periods, and replaying it gives the figure of the full trail, digit for
digit (:mod:`ikueval._combining`):

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
number of their events, and its ``sources`` theirs, merged and bounded
(:mod:`ikueval._part_sources`).
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from ._conflicts import dims_text
from ._ledger import IN_EXTRA, MissingReport, Series, decimal_of
from ._model import Aggregation, FrozenMap, TargetValue
from ._model.frozen_maps import EMPTY_MAP
from ._part_sources import SourceSummary, add_source, lines_text
from ._periods import Granularity, Period
from ._results import Part
from ._sources import LINE_SPAN


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
            :func:`~ikueval._combining.combine` raises for the full trail).
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
    :func:`~ikueval._decimals.exact_sum` gives (the least exponent of the totals, and 0)."""
    take = _taker(members)
    value: TargetValue
    labelled = series.labelled_cells() if series.extras else ()
    labels: list[str] = []
    if labelled:  # the few cells with a category: are some of them here?
        extras = series.extras
        for run in members:
            low = bisect.bisect_left(labelled, run.start)
            high = bisect.bisect_left(labelled, run.stop, low)
            labels.extend(str(extras[index].label) for index in labelled[low:high])
    if labels:
        if len(labels) > 1 or sum(len(run) for run in members) > 1:
            raise TypeError(f"category {labels[0]!r} cannot be added or averaged")
        value = labels[0]
    else:
        coefficients, exponents = take(series.coefficients), take(series.exponents)
        least = min(exponents)
        if least == max(exponents):
            total = sum(coefficients)
        else:  # each total scaled to the least exponent, multiplied in C
            scale = {exponent: 10 ** (exponent - least) for exponent in set(exponents)}
            total = sum(map(operator.mul, coefficients, map(scale.__getitem__, exponents)))
        if least > 0:
            total, least = total * 10**least, 0
        value = decimal_of(total, least)
    numbers = set(take(series.dims))
    if len(numbers) == 1:  # one set of dimension values: all of them are shared
        shared: Iterable[tuple[str, str]] = series.tables.dimensions[numbers.pop()]
    else:
        dimensions = series.tables.dimensions
        each = iter(numbers)
        common = set(dimensions[next(each)])
        for number in each:  # the values all the cells share (often none, soon known)
            common.intersection_update(dimensions[number])
            if not common:
                break
        shared = common
    return Part(
        label,
        value,
        sum(take(series.counts)),
        FrozenMap(sorted(shared)) if shared else EMPTY_MAP,
        _sources(series, members, take(series.sources)),
        len(set(take(series.periods))),
    )


def _taker(members: Members) -> Callable[[Sequence[int]], Sequence[int]]:
    """A function that takes the values at ``members`` from a column, in C."""
    if len(members) == 1:
        (run,) = members
        return operator.itemgetter(slice(run.start, run.stop))
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
            return (f"{names[number]}:{lines_text(lines, offset)}",)
    summary = SourceSummary()
    if IN_EXTRA in packed:
        column = series.sources
        for run in members:
            index, stop = run.start, run.stop
            while index < stop:  # the cells of sources beyond the columns, found in C
                try:
                    index = column.index(IN_EXTRA, index, stop)
                except ValueError:
                    break
                add_source(summary, series.source(index), names)
                index += 1
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
