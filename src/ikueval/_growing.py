"""Growing a finished ledger by one event (:meth:`ikueval.Ledger.add`).

The new ledger shares every series but the one the event touches; that one is
copied (its columns are arrays: a copy is a few memory moves) with the event
counted in its cell, and only what the event can have changed is checked
again: the count of its period when values do not add up, and, for a new
cell, the breakdowns of the series and the cells whose periods share a day
with it (found by the period keys the cells are sorted by). When something
conflicts, the whole series is checked as :func:`~ikueval._building.LedgerBuilder.finish`
checks it, so that the problems are worded and ordered alike.
"""

from __future__ import annotations

import bisect
from decimal import Decimal
from typing import Any

from ._building import checked
from ._conflicts import (
    CONFLICT_SUMMARY,
    Repeated,
    conflicts,
    first_warnings,
    repeated,
    series_name,
    single_value,
)
from ._duplicates import Repeats
from ._errors import EventConflictError, UsageError
from ._events import Event
from ._folding import (
    Report,
    cell_repeats,
    event_order,
    event_source,
    key_of,
    missing_reports,
    parts_of,
    total_of,
)
from ._ledger import (
    IN_EXTRA,
    Dimensions,
    Extra,
    Ledger,
    Series,
    SeriesKey,
    Tables,
    period_key,
    with_series,
)
from ._model import RuleSet
from ._overlaps import MAX_BREAKDOWNS, compatible
from ._periods import Period
from ._sources import Source, SourceSet, pack


def added(ledger: Ledger, event: Event) -> Ledger:
    """``ledger`` with one more event (see :meth:`ikueval.Ledger.add`)."""
    ruleset = ledger.ruleset
    if ruleset is None:
        raise UsageError(
            "this ledger was built without its rule set: build it with ikueval.build_ledger "
            "or ikueval.read_ledger to add events to it"
        )
    dims = checked(ruleset, event)
    tables = ledger.tables
    file = event.source.file if event.source.line is not None else None
    if not tables.knows(event.period, dims, file):
        tables = tables.copy()  # the series of this ledger keep the tables they know
    period = tables.period(event.period)
    number = tables.dims(dims)
    source = pack(event.source, tables.files)
    key = event.series
    old = ledger.series.get(key)
    if old is None:
        old = Series(tables)
    if event.value is None:
        new = _with_report(old, tables, period, number, source)
        return _with(ledger, key, new, tables, ledger.repeats)
    new, index, created = _with_event(ledger, old, tables, period, number, event, source)
    if _conflicting(ruleset, key, new, index, created):
        raise EventConflictError(conflicts(ruleset, key, new), summary=CONFLICT_SUMMARY)
    repeats = ledger.repeats
    if index in new.extras or (not created and index in old.extras):
        repeats = _repeats_with(repeats, key, new, index)
    return _with(ledger, key, new, tables, repeats)


def _copy(series: Series, tables: Tables) -> Series:
    new = Series(tables)
    new.periods = series.periods[:]
    new.dims = series.dims[:]
    new.counts = series.counts[:]
    new.coefficients = series.coefficients[:]
    new.exponents = series.exponents[:]
    new.sources = series.sources[:]
    new.first_no_id = series.first_no_id[:]
    new.extras = dict(series.extras)
    new.missing = series.missing
    new.reports = series.reports
    return new


def _position(series: Series, period: int, dims: Dimensions) -> tuple[int, bool]:
    """Where the cell of ``period`` and ``dims`` is (True) or would go (False)."""
    block = series.block(period)
    table = series.tables.dimensions
    low, high = block.start, block.stop
    while low < high:
        middle = (low + high) // 2
        if table[series.dims[middle]] < dims:
            low = middle + 1
        else:
            high = middle
    return low, low < block.stop and table[series.dims[low]] == dims


def _with_event(
    ledger: Ledger,
    old: Series,
    tables: Tables,
    period: int,
    number: int,
    event: Event,
    source: Source,
) -> tuple[Series, int, bool]:
    """The series with the event counted; where its cell is, and whether it is new."""
    new = _copy(old, tables)
    dims = tables.dimensions[number]
    index, found = _position(old, period, dims)
    value = event.value
    label = value if isinstance(value, str) else None
    if label is None:
        assert isinstance(value, Decimal)
        coefficient, exponent = parts_of(value)
    else:
        coefficient, exponent = 0, 0
    retained = event.indicator in ledger.retain or event.activity in ledger.retain
    if not found:
        if index < len(old):  # the cells after it move one place
            new.extras = {(i + 1 if i >= index else i): e for i, e in old.extras.items()}
        new.periods.insert(index, period)
        new.dims.insert(index, number)
        new.counts.insert(index, 1)
        _inserttotal_of(new, index, coefficient, exponent)
        extra = Extra()
        if isinstance(source, int):
            new.sources.insert(index, source)
        else:
            new.sources.insert(index, IN_EXTRA)
            extra.sources = source
        new.first_no_id.insert(index, event.id is None and label is None)
        extra.label = label
        if event.id is not None:
            extra.ids = (event.id, source)
        if retained:
            extra.events = (event,)
        if extra.sources is not None or label is not None or extra.ids or extra.events:
            new.extras[index] = extra
        return new, index, True
    extra = old.extras[index].copy() if index in old.extras else Extra()
    names = tables.files.names
    old_source = old.source(index)
    if old.counts[index] == 1 and old.first_no_id[index]:  # its one event had no id
        extra.repeats = Repeats()
        first_value = key_of(old.coefficients[index], old.exponents[index])
        extra.repeats.add(first_value, event_source(old_source, names))  # type: ignore[arg-type]
    if label is not None:
        extra.label = label if extra.label is None else min(extra.label, label)
    else:
        total = total_of([(old.coefficients[index], old.exponents[index]), (coefficient, exponent)])
        _settotal_of(new, index, *total)
        if event.id is None:
            if extra.repeats is None:
                extra.repeats = Repeats()
            extra.repeats.add(key_of(coefficient, exponent), event_source(source, names))
    if event.id is not None:
        ids = extra.ids
        if ids is None:
            extra.ids = (event.id, source)
        else:
            if isinstance(ids, tuple):
                first_id, first_source = ids
                ids = Repeats()
                ids.add(first_id, event_source(first_source, names))
            ids.add(event.id, event_source(source, names))
            extra.ids = ids
    sources = old_source.copy() if isinstance(old_source, SourceSet) else None
    if sources is None:
        sources = SourceSet()
        sources.add(old_source, tables.files)  # type: ignore[arg-type]
    sources.add(source, tables.files)
    extra.sources = sources
    new.sources[index] = IN_EXTRA
    new.first_no_id[index] = 0
    new.counts[index] += 1
    if retained:
        extra.events = tuple(sorted((*extra.events, event), key=event_order))
    new.extras[index] = extra
    return new, index, False


def _inserttotal_of(series: Series, index: int, coefficient: int, exponent: int) -> None:
    try:
        series.coefficients.insert(index, coefficient)
        series.exponents.insert(index, exponent)
    except OverflowError:
        series.coefficients = list(series.coefficients)
        series.exponents = list(series.exponents)
        del series.coefficients[len(series.exponents) :]
        series.coefficients.insert(index, coefficient)
        series.exponents.insert(index, exponent)


def _settotal_of(series: Series, index: int, coefficient: int, exponent: int) -> None:
    try:
        series.coefficients[index] = coefficient
        series.exponents[index] = exponent
    except OverflowError:
        series.coefficients = list(series.coefficients)
        series.exponents = list(series.exponents)
        series.coefficients[index] = coefficient
        series.exponents[index] = exponent


def _with_report(old: Series, tables: Tables, period: int, number: int, source: Source) -> Series:
    """The series with one more "-" event."""
    reports = list(old.reports)
    dims = tables.dimensions[number]
    wanted = (period, dims)
    order = [(r.period, tables.dimensions[r.dims]) for r in reports]
    index = bisect.bisect_left(order, wanted)
    if index < len(reports) and order[index] == wanted:
        kept = reports[index].sources
        sources = kept.copy() if isinstance(kept, SourceSet) else None
        if sources is None:
            sources = SourceSet()
            sources.add(kept, tables.files)
        sources.add(source, tables.files)
        reports[index] = Report(period, number, sources)
    else:
        reports.insert(index, Report(period, number, source))
    new = _copy(old, tables)
    new.reports = tuple(reports)
    new.missing = missing_reports(new.reports, tables)
    return new


def _conflicting(ruleset: RuleSet, key: SeriesKey, series: Series, index: int, new: bool) -> bool:
    """Whether the cell at ``index``, just added to or created, makes the series conflict.

    The rest of the series was checked before: only what involves this cell
    can have changed (``new``: the cell was created).
    """
    period_number = series.periods[index]
    same = series.block(period_number)
    if single_value(ruleset, key) is not None and sum(series.counts[i] for i in same) > 1:
        return True
    if not new:  # the cell existed: its overlaps were checked before
        return False
    table = series.tables.dimensions
    dims = table[series.dims[index]]
    names = _names(dims)
    neighbours = (i for i in (index - 1, index + 1) if 0 <= i < len(series))
    if not any(_names(table[series.dims[i]]) == names for i in neighbours) and (
        len({_names(table[d]) for d in set(series.dims)}) > MAX_BREAKDOWNS
    ):
        return True
    period = series.tables.periods[period_number]
    for other in _around(series, period):
        if other == index or not series.period(other).overlaps(period):
            continue
        if compatible(table[series.dims[other]], dims):
            return True
    return False


def _names(dims: Dimensions) -> tuple[str, ...]:
    return tuple(name for name, _ in dims)


def _around(series: Series, period: Period) -> list[int]:
    """The cells whose period may share a day with ``period`` (and a few more).

    Those that start within it, and those of the longer periods that contain
    its start (its month, quarter and year): a period is a year, a quarter, a
    month or a day, so any other that shares a day with it is one of these.
    """
    year, month = period.year, period.start.month
    found: list[int] = []
    for longer in (
        Period.month_of(year, month),
        Period.quarter_of(year, (month + 2) // 3),
        Period.year_of(year),
    ):
        if longer.start < period.start or longer.end > period.end:
            found.extend(series.block(period_key(longer)))
    start = period.start.toordinal() * 4
    found.extend(series.between(start, period.end.toordinal() * 4 + 3))
    return found


def _repeats_with(
    repeats: tuple[Repeated, ...], key: SeriesKey, series: Series, index: int
) -> tuple[Repeated, ...]:
    """The repeats of a ledger once those of one cell are replaced by its new ones."""
    period = series.period(index)
    dims = series.dimensions(index)
    prefix = (key, (period.start, period.end), dims)
    low = bisect.bisect_left(repeats, prefix, key=_repeat_prefix)
    high = bisect.bisect_right(repeats, prefix, key=_repeat_prefix)
    values, ids = cell_repeats(series, index)
    fresh = sorted(
        repeated(series_name(key), key, period, dims, values, ids), key=lambda item: item[0]
    )
    return (*repeats[:low], *fresh, *repeats[high:])


def _repeat_prefix(item: Repeated) -> tuple[Any, ...]:
    return item[0][:3]


def _with(
    ledger: Ledger,
    key: SeriesKey,
    series: Series,
    tables: Tables,
    repeats: tuple[Repeated, ...],
) -> Ledger:
    warnings = ledger.warnings if repeats is ledger.repeats else first_warnings(list(repeats))
    return Ledger(
        with_series(ledger.series, key, series),
        ledger.events_read + 1,
        warnings,
        ruleset=ledger.ruleset,
        retain=ledger.retain,
        tables=tables,
        repeats=repeats,
    )
