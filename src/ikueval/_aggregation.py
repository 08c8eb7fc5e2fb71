"""Aggregation: events into a ledger, and a ledger's cells into figures for a span.

:func:`build_ledger` streams over events once and keeps, for every indicator,
input, period and set of dimension values, a *cell*: the total, the number of
events and a compact list of their sources (line ranges per file). Memory
therefore grows with indicators x periods x dimensions, not with the number of
events; the events themselves are kept only for the indicators a caller asks
to ``retain`` (``ikueval explain`` does, to list every row).

Within one period, values add up: several events of one period are parts of
its total (a count split by gender, say). Over a span, the parts combine by the
aggregation method (:mod:`ikueval._combining`): the sum, the total of the period
that ends last, or the mean of the periods' totals.

Two events whose periods nest (a quarterly total and a month of the same
quarter) would count the same realisation twice when one's dimensions cover
the other's, and values that do not add up (a percentage, a category) cannot
be parts of one period: such a ledger is refused with the sources named. Rows
given twice without an id are a warning on the ledger (see
:mod:`ikueval._conflicts`).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Final

from ._building import LedgerBuilder
from ._combining import METHODS, combine
from ._compacting import compact_parts, missing_notes
from ._conflicts import dims_text
from ._events import Event
from ._ledger import Cell as Cell
from ._ledger import Ledger as Ledger
from ._ledger import MissingReport as MissingReport
from ._ledger import Series as Series
from ._model import Aggregation, RuleSet
from ._periods import Span
from ._results import Aggregate, Part, Trail
from ._sources import MAX_LINES_LISTED as MAX_LINES_LISTED
from ._sources import MAX_REFS_PER_CELL as MAX_REFS_PER_CELL


def aggregate(
    series: Series,
    span: Span,
    method: Aggregation,
    quantity: str,
    trail: Trail = Trail.FULL,
    made: dict[int, tuple[tuple[int, Part], ...]] | None = None,
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
            (:attr:`Trail.COMPACT`, :mod:`ikueval._compacting`): the figure is the
            same, and so are the notes, but that the values reported as "-" in a month
            are one note.
        made: for a compact trail, the parts of this series made by an earlier call with
            the same method (for another span), to be used again
            (:func:`~ikueval._compacting.compact_parts`).
    """
    inside, beyond, kinds = _cells_in(series, span)
    notes = [
        f"events for {label} are not counted: the period reaches beyond {span}"
        for label in sorted(beyond)
    ]
    reported = [report for report in series.missing if span.contains(report.period)]
    if trail is Trail.COMPACT:
        notes.extend(missing_notes(reported))
    for report in reported if trail is Trail.FULL else ():
        where = ", ".join(report.sources)
        dims = dims_text(report.dimensions)
        notes.append(f"{report.period.label}{dims}: reported as '-' (not measured) in {where}")
    mixed = METHODS[method].mixed_lengths
    if mixed is not None and len(kinds) > 1:
        notes.append(mixed)
    if trail is Trail.COMPACT:
        parts = compact_parts(series, inside, method, made)
    else:
        parts = tuple(series.parts(inside))
    return Aggregate(quantity, span.label, method, parts, combine(method, parts), tuple(notes))


#: The bits of a period key that are not 0 for a month, a quarter or a year
#: (:func:`ikueval._ledger.period_key`).
_NOT_A_DAY: Final = 3


def _cells_in(series: Series, span: Span) -> tuple[Sequence[int], set[str], set[int]]:
    """The positions of the cells that lie in a span (a ``range`` when they are all those
    that start in it), the labels of the periods that reach beyond it, and the
    granularities of those in it (see :func:`ikueval._ledger.period_key`).

    Only a month, a quarter or a year starts on the first day of a month, and a span
    starts and ends with a month: the longer periods are looked up by bisection, month by
    month from January (a period lies in one year), and the days are never visited.
    """
    periods = series.tables.periods
    low, high = span.start.toordinal() * 4, span.end.toordinal() * 4 + 3
    run = series.between(low, high)  # every cell that starts in the span
    beyond: set[str] = set()
    kinds: set[int] = set()
    longer = 0  # cells of longer periods that start in the span
    left_out: list[int] = []  # those of them that end after it
    keys, count = series.periods, len(series)
    first = date(span.start.year, 1, 1)
    year = series.between(first.toordinal() * 4, high)  # the cells of the year to the span's end
    if not any(map(_NOT_A_DAY.__and__, keys[year.start : year.stop])):  # days only (in C)
        return run, set(), {0} if run else set()
    position = 0
    while first <= span.end:
        day = first.toordinal() * 4
        position = bisect.bisect_left(keys, day + 1, position)
        while position < count and keys[position] <= day + 3:  # a month, quarter or year
            key = keys[position]
            end = bisect.bisect_right(keys, key, position)
            if low <= key <= high:
                longer += end - position
            period = periods[key]
            if span.contains(period):
                kinds.add(key & 3)
            else:
                if span.overlaps(period):
                    beyond.add(period.label)
                if low <= key <= high:
                    left_out.extend(range(position, end))
            position = end
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    if len(run) > longer:
        kinds.add(0)  # days
    if not left_out:
        return run, beyond, kinds
    excluded = set(left_out)
    return [index for index in run if index not in excluded], beyond, kinds


def build_ledger(
    ruleset: RuleSet, events: Iterable[Event], *, retain: Collection[str] = ()
) -> Ledger:
    """Aggregate events into a ledger, in one pass.

    Rows that seem given twice (the same value for the same cell, without an
    id) are accepted and listed in the ledger's ``warnings``.

    Args:
        ruleset: the rule set the events belong to.
        events: checked events (see :func:`ikueval._events.events_from_records`).
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
    builder = LedgerBuilder(ruleset, retain)
    for event in events:
        builder.add(event)
    return builder.finish()
