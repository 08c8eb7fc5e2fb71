"""The ledger's checks: events that cannot be evaluated together, and rows given twice.

Within one period, values add up, so three things make a set of events
unusable, and it is refused with the sources named:

* two events that could count the same realisation (:mod:`ikueval._overlaps`):
  a total and its detail, a quarter and one of its months;
* several values for one period of a series whose values do not add up: a
  category, a spending balance, a percentage or a score (:func:`ikueval._units.adds_up`);
* a series broken down in more ways than the overlap check compares.

Rows given twice without an id (:mod:`ikueval._duplicates`) are only a warning.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Final, NamedTuple

from ._decimals import SUM_CONTEXT, ZERO, plain
from ._duplicates import Repeats
from ._errors import Location, Problem, Severity
from ._events import SPENDING, Event, EventSource
from ._ledger import Cell, Dimensions, Series
from ._model import IMPLICIT_INPUT, RuleSet
from ._overlaps import MAX_BREAKDOWNS, overlapping
from ._periods import Period
from ._units import ONE_VALUE, unit_kind

CONFLICT_SUMMARY: Final = "the events conflict: nothing was evaluated"
#: Overlapping pairs reported per indicator input: the first few show the fix.
#: Also the periods with several values reported per input, for values that do
#: not add up.
MAX_CONFLICTS_REPORTED: Final = 5
#: Warnings about rows given twice, in all: the first few show what to fix.
MAX_REPEATS_REPORTED: Final = 20

#: A value (or id) of a cell given more than once: its place in the order of
#: the warnings (series, period, dimensions, values before ids, value, id),
#: then what the warning says (series name, period, what is the same, count,
#: first two sources).
Repeated = tuple[
    tuple[tuple[str, str], tuple[date, date], Dimensions, int, Decimal, str],
    tuple[str, Period, str, int, tuple[EventSource, EventSource]],
]


def series_name(key: tuple[str, str]) -> str:
    """How messages name a series: ``IKU-01``, ``IKU-01 input handled``, spending."""
    indicator_id, input_name = key
    if input_name == SPENDING:
        return f"the spending of {indicator_id.removeprefix('activity:')}"
    if input_name != IMPLICIT_INPUT:
        return f"{indicator_id} input {input_name}"
    return indicator_id


def single_value(ruleset: RuleSet, key: tuple[str, str]) -> str | None:
    """What one value of a series is, when values of one period cannot add up."""
    indicator_id, input_name = key
    if input_name == SPENDING:
        return "a balance"
    indicator = ruleset.indicator(indicator_id)
    if indicator is None:  # pragma: no cover - events of unknown indicators are refused
        return None
    if indicator.categorical:
        return "a category"
    unit = indicator.inputs[input_name].unit if indicator.inputs else None
    unit = unit or indicator.unit
    return ONE_VALUE[unit_kind(unit)]


class _View(NamedTuple):
    """What the overlap check needs of a cell: its period, its dimension values, its place."""

    period: Period
    dimensions: Dimensions
    position: int


def conflicts(ruleset: RuleSet, key: tuple[str, str], series: Series) -> list[Problem]:
    """Why the cells of one series cannot be evaluated; empty when they can."""
    if not len(series):
        return []
    name = series_name(key)
    problems: list[Problem] = []
    single = single_value(ruleset, key)
    if single is not None:
        problems.extend(_several_values(name, key[1] == SPENDING, single, series))
    table = series.tables.dimensions
    numbers = set(series.dims)
    ways = {tuple(name for name, _ in table[number]) for number in numbers}
    if len(ways) > MAX_BREAKDOWNS:
        problems.append(
            Problem(
                f"{name} is broken down in {len(ways)} different ways (sets of dimensions), "
                f"more than the {MAX_BREAKDOWNS} that can be checked for double counting",
                location(series.cell(0).first),
                hint="give each figure by one or a few combinations of dimensions",
            )
        )
        return problems
    if len(ways) == 1 and len({number & 3 for number in set(series.periods)}) == 1:
        return problems  # periods of one length, one breakdown: only equal cells could overlap
    periods = series.tables.periods
    views = [
        _View(periods[period], table[dims], index)
        for index, (period, dims) in enumerate(zip(series.periods, series.dims, strict=True))
    ]
    for pair in overlapping(views, MAX_CONFLICTS_REPORTED):
        a, b = sorted((series.cell(view.position) for view in pair), key=_widest_first)
        problems.append(
            Problem(
                f"{name}: events for {a.period.label}{dims_text(a.dimensions)} "
                f"({', '.join(a.sources)}) and for {b.period.label}"
                f"{dims_text(b.dimensions)} ({', '.join(b.sources)}) overlap, so the "
                "same realisation would be counted twice",
                location(b.first),
                hint="keep either the total or its detail, or one breakdown",
            )
        )
    return problems


def _several_values(name: str, balances: bool, single: str, series: Series) -> list[Problem]:
    """Periods of a series whose values cannot add up and that have several.

    At most MAX_CONFLICTS_REPORTED periods are named, then how many more there are.
    """
    problems: list[Problem] = []
    more = 0
    what = "balances" if balances else "values"
    counts = series.counts
    if max(counts) == 1 and len(set(series.periods)) == len(series):
        return problems  # one event a period: none has several
    for period, grouped in itertools.groupby(range(len(series)), key=series.periods.__getitem__):
        indices = list(grouped)
        count = sum(counts[index] for index in indices)
        if count == 1:
            continue
        if len(problems) >= MAX_CONFLICTS_REPORTED:
            more += 1
            continue
        group = [series.cell(index) for index in indices[: MAX_CONFLICTS_REPORTED + 1]]
        label = series.tables.labels[period]
        if len(group) == 1:
            where = f"{dims_text(group[0].dimensions)} ({', '.join(group[0].sources)})"
        else:
            listed = "; ".join(
                f"{dims_text(cell.dimensions).strip() or 'no dimensions'}: "
                f"{', '.join(cell.sources)}"
                for cell in group[:MAX_CONFLICTS_REPORTED]
            )
            if len(indices) > MAX_CONFLICTS_REPORTED:
                listed += f"; and {len(indices) - MAX_CONFLICTS_REPORTED} more"
            where = f" ({listed})"
        last = group[-1] if len(indices) <= MAX_CONFLICTS_REPORTED else series.cell(indices[-1])
        problems.append(
            Problem(
                f"{name} has {count} {what} for {label}{where}; {single} cannot be "
                "added up: keep one",
                location(last.first if len(indices) > 1 else group[0].first),
            )
        )
    if more:
        problems.append(
            Problem(f"{name} has several {what} for {more} more period{'s' if more > 1 else ''}")
        )
    return problems


def repeated(
    name: str,
    key: tuple[str, str],
    period: Period,
    dims: Dimensions,
    values: Repeats[Any] | None,
    ids: Repeats[str] | None,
) -> Iterator[Repeated]:
    """The values and ids of a cell given more than once, each with its sort key."""
    order = (key, period.sort_key(), dims)
    for key_value, count, sources in values.repeated() if values is not None else ():
        value = Decimal(key_value)  # whole numbers are kept as int
        text = plain(value.normalize(SUM_CONTEXT))  # 1 for 1.0 and 1.00, in any order
        yield ((*order, 0, value, ""), (name, period, f"value {text} and no id", count, sources))
    for event_id, count, sources in ids.repeated() if ids is not None else ():
        yield ((*order, 1, ZERO, event_id), (name, period, f"id {event_id!r}", count, sources))


def first_warnings(found: list[Repeated]) -> tuple[Problem, ...]:
    """Warnings for the first MAX_REPEATS_REPORTED repeats in a fixed order, then how many more."""
    found.sort(key=lambda item: item[0])
    warnings = []
    for (_, _, dims, *_), (name, period, text, count, sources) in found[:MAX_REPEATS_REPORTED]:
        events = "both" if count == 2 else f"all {count}"
        warnings.append(
            Problem(
                f"{name}: {count} events for {period.label}{dims_text(dims)} have the same "
                f"{text} ({sources[0]}, {sources[1]}"
                f"{', ...' if count > 2 else ''}): {events} are counted",
                location(sources[1]),
                Severity.WARNING,
                hint="if a row was given twice, delete the copy; if they are distinct "
                "events, give each its own id",
            )
        )
    more = len(found) - len(warnings)
    if more:
        warnings.append(
            Problem(
                f"{more} more value{'s' if more > 1 else ''} or id{'s' if more > 1 else ''} "
                "given more than once in one period",
                severity=Severity.WARNING,
            )
        )
    return tuple(warnings)


def malformed(event: Event, dimensions: list[tuple[Any, Any]]) -> str | None:
    """What is of the wrong type in an event built by hand, if anything.

    ``dimensions`` are the event's dimension items (read once by the caller).
    """
    source = event.source
    if not (
        isinstance(source, EventSource)
        and isinstance(source.file, _TEXT)
        and isinstance(source.line, _LINE)
        and isinstance(source.ref, _TEXT)
    ):
        return f"an event's source must be an EventSource of text and a line, found {source!r}"
    if not (
        isinstance(event.indicator, _TEXT)
        and isinstance(event.activity, _TEXT)
        and isinstance(event.input, _TEXT)
        and isinstance(event.id, _TEXT)
        and isinstance(event.unit, _TEXT)
        and isinstance(event.document, _TEXT)
        and isinstance(event.table, _TEXT)
        and isinstance(event.note, _TEXT)
    ):
        return "an event's indicator, activity, input and notes must be text"
    if not isinstance(event.period, Period):
        return f"an event's period must be a Period, found {type(event.period).__name__}"
    value = event.value
    if not (value is None or isinstance(value, str) or _finite(value)):
        return f"an event's value must be a finite Decimal, a category or None, found {value!r}"
    for name, dimension in dimensions:
        if not isinstance(name, str) or not isinstance(dimension, str):
            return "an event's dimension names and values must be text"
    return None


_TEXT: Final = (str, type(None))
_LINE: Final = (int, type(None))


def _finite(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _widest_first(cell: Cell) -> tuple[object, ...]:
    """Order for messages: earlier start first, then the longer period, then fewer dimensions."""
    return (cell.period.start, -cell.period.end.toordinal(), len(cell.dimensions), cell.dimensions)


def dims_text(dims: Dimensions) -> str:
    return f" [{', '.join(f'{k}={v}' for k, v in dims)}]" if dims else ""


def location(source: EventSource) -> Location:
    return Location(source.file, source.line, None)
