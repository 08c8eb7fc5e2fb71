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

from collections.abc import Collection, Iterable
from datetime import date

from .building import LedgerBuilder
from .combining import METHODS, combine
from .conflicts import dims_text
from .events import Event
from .ledger import Cell as Cell
from .ledger import Ledger as Ledger
from .ledger import MissingReport as MissingReport
from .ledger import Series as Series
from .model import Aggregation, RuleSet
from .periods import Span
from .results import Aggregate
from .sources import MAX_LINES_LISTED as MAX_LINES_LISTED
from .sources import MAX_REFS_PER_CELL as MAX_REFS_PER_CELL


def aggregate(series: Series, span: Span, method: Aggregation, quantity: str) -> Aggregate:
    """Combine the cells of a series that lie in a span.

    Cells whose period reaches beyond the span (a yearly figure, for a quarter)
    are left out and named in the notes; so are values reported as "-".
    """
    periods = series.tables.periods
    # a period lies in one year, and the span too: only cells of its year can meet it
    first = date(span.start.year, 1, 1).toordinal() * 4
    candidates = series.between(first, span.end.toordinal() * 4 + 3)
    inside = []
    beyond = set()
    for index in candidates:
        period = periods[series.periods[index]]
        if span.contains(period):
            inside.append(index)
        elif span.overlaps(period):
            beyond.add(period.label)
    notes = [
        f"events for {label} are not counted: the period reaches beyond {span}"
        for label in sorted(beyond)
    ]
    for report in series.missing:
        if span.contains(report.period):
            where = ", ".join(report.sources)
            dims = dims_text(report.dimensions)
            notes.append(f"{report.period.label}{dims}: reported as '-' (not measured) in {where}")
    kinds = {series.periods[index] & 3 for index in inside}
    mixed = METHODS[method].mixed_lengths
    if mixed is not None and len(kinds) > 1:
        notes.append(mixed)
    parts = tuple(series.parts(inside))
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
    builder = LedgerBuilder(ruleset, retain)
    for event in events:
        builder.add(event)
    return builder.finish()
