"""Building a ledger: events into cells, then the checks of the whole.

:class:`LedgerBuilder` takes events one at a time (checked :class:`Event`
values with :meth:`~LedgerBuilder.add`, or the parts of rows a reader has
already checked with :meth:`~LedgerBuilder.put_row`). It appends each to the
columns of its series, some 25 bytes an event; :meth:`~LedgerBuilder.finish`
then sorts each series, adds up the events of each cell into the series'
columns (:class:`~ikueval.ledger.Series`), and checks it
(:mod:`ikueval.conflicts`). So memory at its highest is some 25 bytes an
event and 30 a cell, beside what the rows given twice and the sources of
several rows need (bounded per cell: :mod:`ikueval.duplicates`,
:mod:`ikueval.sources`).

:func:`added` grows a finished ledger by one event, re-checking only the
series it touches.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Collection
from decimal import Decimal
from typing import Any, Final

from .conflicts import (
    CONFLICT_SUMMARY,
    Repeated,
    conflicts,
    first_warnings,
    location,
    malformed,
    repeated,
    series_name,
    single_value,
)
from .decimals import SUM_DIGITS
from .duplicates import Repeats
from .errors import EventConflictError, EventError, NumberFormatError, Problem, UsageError
from .events import Event, EventSource
from .ledger import (
    IN_EXTRA,
    Dimensions,
    Extra,
    Ledger,
    MissingReport,
    Series,
    SeriesKey,
    Tables,
    decimal_of,
    period_key,
    source_texts,
    with_series,
)
from .model import RuleSet
from .overlaps import MAX_BREAKDOWNS, compatible
from .periods import Period
from .sources import LINE_SPAN, Source, SourceSet, pack

#: The largest coefficient a column of totals holds; past it the column
#: becomes a list of Python ints (exact, only larger).
_INT64: Final = (1 << 63) - 1
#: The largest total a cell may reach, in digits (as ``exact_sum`` allows).
_MAX_TOTAL: Final = 10**SUM_DIGITS


def _parts(value: Decimal) -> tuple[int, int]:
    """A decimal as an integer and a power of ten (at most zero), exactly."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    coefficient = int("".join(map(str, digits)) or "0")
    if exponent > 0:  # 8E+1: held as 80, as every figure is (without_exponent)
        coefficient *= 10**exponent
        exponent = 0
    return (-coefficient if sign else coefficient), exponent


def _key_of(coefficient: int, exponent: int) -> int | Decimal:
    """The value of an event as rows given twice are compared."""
    return coefficient if exponent == 0 else decimal_of(coefficient, exponent)


class _Rows:
    """The events of one series as they arrive: one column per field, one entry per event."""

    __slots__ = ("coefficients", "dims", "exponents", "no_id", "others", "periods", "sources")

    def __init__(self) -> None:
        self.periods = array("i")
        self.dims = array("i")
        self.coefficients: array[int] | list[int] = array("q")
        self.exponents: array[int] | list[int] = array("h")
        self.sources = array("q")
        self.no_id = bytearray()
        self.others: dict[int, _Other] = {}

    def number(self, coefficient: int, exponent: int) -> None:
        try:
            self.coefficients.append(coefficient)
            self.exponents.append(exponent)
        except OverflowError:  # a coefficient past 64 bits, or an exponent past 16
            self.coefficients = list(self.coefficients)
            self.exponents = list(self.exponents)
            del self.coefficients[len(self.exponents) :]
            self.coefficients.append(coefficient)
            self.exponents.append(exponent)


class _Other:
    """What one event has beyond the columns."""

    __slots__ = ("event", "ident", "label", "source")

    def __init__(self) -> None:
        self.source: EventSource | None = None
        self.label: str | None = None
        self.ident: str | None = None
        self.event: Event | None = None


def _other(rows: _Rows, row: int) -> _Other:
    other = rows.others.get(row)
    if other is None:
        other = rows.others[row] = _Other()
    return other


def event_order(event: Event) -> tuple[object, ...]:
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


def _unknown(ruleset: RuleSet, event: Event) -> str | None:
    """What the rule set lacks for this event, if anything."""
    if event.activity is not None:
        activity = ruleset.activity(event.activity)
        if activity is None or activity.budget is None:
            return f"no activity with a budget {event.activity!r}"
        return None
    indicator = ruleset.indicator(event.indicator or "")
    if indicator is None:
        return f"unknown indicator {event.indicator!r}"
    if event.input_name not in indicator.input_names:
        return f"{event.indicator} has no input {event.input_name!r}"
    if isinstance(event.value, str) and not indicator.categorical:
        return f"{event.indicator} has no categories: {event.value!r} is not a number"
    return None


def checked(ruleset: RuleSet, event: Event) -> Dimensions:
    """The dimension values of an event, once it is checked against the rule set.

    Raises:
        EventError: not an :class:`Event`, a field of the wrong type, or an
            indicator, input or activity the rule set lacks.
    """
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
    problem = _unknown(ruleset, event)
    if problem is not None:
        raise EventError(Problem(problem, location(event.source)))
    return tuple(sorted(items))


class LedgerBuilder:
    """A ledger being built: add events, then :meth:`finish`.

    Args:
        ruleset: the rule set the events belong to.
        retain: ids of indicators (and activities) whose events the cells keep.
        files: the names of the files the events will come from, numbered in
            this order (others are numbered when first seen).
        unique_ids: the events' ids are known to be unique (they were compared
            across the files read): cells do not compare them.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        retain: Collection[str] = frozenset(),
        *,
        files: Collection[str] = (),
        unique_ids: bool = False,
    ) -> None:
        self.ruleset = ruleset
        self.retain = frozenset(retain)
        self.tables = Tables(files)
        self.rows: dict[SeriesKey, _Rows] = {}
        self.missing: dict[SeriesKey, _Rows] = {}
        self.count = 0
        self.track_ids = not unique_ids

    def add(self, event: Event) -> None:
        """Add a checked event.

        Raises:
            EventError: as :func:`checked`.
        """
        dims = checked(self.ruleset, event)
        retained = event.indicator in self.retain or event.activity in self.retain
        self.put(
            event.series,
            event.period,
            dims,
            event.value,
            event.id,
            pack(event.source, self.tables.files),
            event if retained else None,
        )

    def put(
        self,
        key: SeriesKey,
        period: Period,
        dims: Dimensions,
        value: Any,
        ident: str | None,
        source: Source,
        event: Event | None = None,
    ) -> None:
        """Add an event that is already checked, given by its parts.

        ``value`` is an ``int`` or a ``Decimal``, a category label, or None for
        "not measured"; ``source`` a packed line of :attr:`tables` or an
        :class:`EventSource`.
        """
        if value is None:
            self._row(self.missing, key, period, dims, 0, 0, None, source)
            return
        if isinstance(value, str):
            rows, row = self._row(self.rows, key, period, dims, 0, 0, ident, source)
            _other(rows, row).label = value
            rows.no_id[row] = 0
        elif isinstance(value, int):
            rows, row = self._row(self.rows, key, period, dims, value, 0, ident, source)
        else:
            coefficient, exponent = _parts(value)
            rows, row = self._row(
                self.rows, key, period, dims, coefficient, exponent, ident, source
            )
        if event is not None:
            _other(rows, row).event = event

    def _row(
        self,
        table: dict[SeriesKey, _Rows],
        key: SeriesKey,
        period: Period,
        dims: Dimensions,
        coefficient: int,
        exponent: int,
        ident: str | None,
        source: Source,
    ) -> tuple[_Rows, int]:
        self.count += 1
        rows = table.get(key)
        if rows is None:
            rows = table[key] = _Rows()
        row = len(rows.periods)
        rows.periods.append(self.tables.period(period))
        rows.dims.append(self.tables.dims(dims))
        rows.number(coefficient, exponent)
        if isinstance(source, int):
            rows.sources.append(source)
        else:
            rows.sources.append(IN_EXTRA)
            _other(rows, row).source = source
        rows.no_id.append(ident is None)
        if ident is not None and self.track_ids:
            _other(rows, row).ident = ident
        return rows, row

    def put_row(
        self,
        key: SeriesKey,
        period: Period,
        number: int,
        dims: Dimensions,
        coefficient: int | None,
        exponent: int,
        ident: str | None,
        source: int,
    ) -> None:
        """Add a row of a file that is already checked (see :mod:`ikueval.loading.fast_rows`).

        ``number`` is the :func:`~ikueval.ledger.period_key` of ``period``;
        the value is ``coefficient`` times ten to ``exponent``, or None for
        "not measured"; ``source`` a packed line.
        """
        if coefficient is None or (ident is not None and self.track_ids):
            value = None if coefficient is None else decimal_of(coefficient, exponent)
            self.put(key, period, dims, value, ident, source)
            return
        self.count += 1
        rows = self.rows.get(key)
        if rows is None:
            rows = self.rows[key] = _Rows()
        tables = self.tables
        if number not in tables.periods:
            tables.period(period)
        rows.periods.append(number)
        found = tables.numbers.get(dims)
        rows.dims.append(found if found is not None else tables.dims(dims))
        if -_INT64 <= coefficient <= _INT64 and -30000 < exponent <= 0:
            rows.coefficients.append(coefficient)
            rows.exponents.append(exponent)
        else:
            rows.number(coefficient, exponent)
        rows.sources.append(source)
        rows.no_id.append(ident is None)

    def finish(self) -> Ledger:
        """The ledger, once every series is checked.

        Raises:
            EventConflictError: events would be counted twice; a series whose
                values do not add up has several for one period; or a series is
                broken down in more ways than the check compares.
            NumberFormatError: a total cannot be held exactly (never for values
                read by ikueval, which are bounded).
        """
        problems: list[Problem] = []
        repeats: list[Repeated] = []
        built = {}
        for key in sorted(set(self.rows) | set(self.missing)):
            rows = self.rows.pop(key, None)
            series = _fold(rows, self.tables) if rows is not None else Series(self.tables)
            missing = self.missing.pop(key, None)
            if missing is not None:
                series.reports = _reports(missing, self.tables)
                series.missing = _missing(series.reports, self.tables)
            name = series_name(key)
            for index in series.extras:
                values, ids = cell_repeats(series, index)
                if values is not None or ids is not None:
                    repeats.extend(
                        repeated(
                            name,
                            key,
                            series.period(index),
                            series.dimensions(index),
                            values,
                            ids,
                        )
                    )
            problems.extend(conflicts(self.ruleset, key, series))
            built[key] = series
        if problems:
            raise EventConflictError(problems, summary=CONFLICT_SUMMARY)
        repeats.sort(key=lambda item: item[0])
        return Ledger(
            built,
            self.count,
            first_warnings(repeats),
            ruleset=self.ruleset,
            retain=self.retain,
            tables=self.tables,
            repeats=tuple(repeats),
        )


def _order(rows: _Rows, tables: Tables) -> list[int]:
    """The events of a series in the order of their cells: period, then dimension values."""
    distinct = sorted(set(rows.dims), key=tables.dimensions.__getitem__)
    rank = {number: place for place, number in enumerate(distinct)}
    width = len(distinct)
    keys = [p * width + rank[d] for p, d in zip(rows.periods, rows.dims, strict=True)]
    return sorted(range(len(keys)), key=keys.__getitem__)


def _fold(rows: _Rows, tables: Tables) -> Series:
    """The cells of a series: its events, sorted, and those of one cell added up."""
    series = Series(tables)
    periods, dims, coefficients, exponents = (
        rows.periods,
        rows.dims,
        rows.coefficients,
        rows.exponents,
    )
    sources, no_id, others = rows.sources, rows.no_id, rows.others
    out_periods, out_dims, out_counts = series.periods, series.dims, series.counts
    out_sources, out_first = series.sources, series.first_no_id
    order = _order(rows, tables)
    n = len(order)
    start = 0
    while start < n:
        row = order[start]
        period, dim = periods[row], dims[row]
        end = start + 1
        while end < n and periods[order[end]] == period and dims[order[end]] == dim:
            end += 1
        index = len(out_periods)
        out_periods.append(period)
        out_dims.append(dim)
        out_counts.append(end - start)
        if end - start == 1 and row not in others:  # the usual cell: one event
            _put_total(series, coefficients[row], exponents[row])
            out_sources.append(sources[row])
            out_first.append(no_id[row])
        else:
            _fold_cell(series, index, rows, order[start:end], tables)
        start = end
    return series


def _put_total(series: Series, coefficient: int, exponent: int) -> None:
    try:
        series.coefficients.append(coefficient)
        series.exponents.append(exponent)
    except OverflowError:
        series.coefficients = list(series.coefficients)
        series.exponents = list(series.exponents)
        del series.coefficients[len(series.exponents) :]
        series.coefficients.append(coefficient)
        series.exponents.append(exponent)


def _fold_cell(series: Series, index: int, rows: _Rows, members: list[int], tables: Tables) -> None:
    """One cell of several events (or of one with more than the columns hold)."""
    extra = Extra()
    labels: list[str] = []
    numbers: list[tuple[int, int]] = []
    repeats: Repeats[Any] | None = None
    ids: list[tuple[str, Source]] = []
    events: list[Event] = []
    sources: SourceSet | None = SourceSet() if len(members) > 1 else None
    files = tables.files
    for row in members:
        other = rows.others.get(row)
        source: Source = rows.sources[row]
        if other is not None and other.source is not None:
            source = other.source
        if sources is not None:
            sources.add(source, files)
        if other is not None and other.label is not None:
            labels.append(other.label)
        else:
            number = (rows.coefficients[row], rows.exponents[row])
            numbers.append(number)
            if rows.no_id[row] and len(members) > 1:
                if repeats is None:
                    repeats = Repeats()
                repeats.add(_key_of(*number), _event_source(source, files.names))
        if other is not None and other.ident is not None:
            ids.append((other.ident, source))
        if other is not None and other.event is not None:
            events.append(other.event)
    coefficient, exponent = _total(numbers)
    _put_total(series, coefficient, exponent)
    if labels:
        extra.label = min(labels)
    if sources is None:  # one event, with a source or a category beyond the columns
        (row,) = members
        other = rows.others.get(row)
        if other is not None and other.source is not None:
            extra.sources = other.source
            series.sources.append(IN_EXTRA)
        else:
            series.sources.append(rows.sources[row])
        series.first_no_id.append(rows.no_id[row] and not labels)
    else:
        extra.sources = sources
        series.sources.append(IN_EXTRA)
        series.first_no_id.append(0)
    extra.repeats = repeats
    if len(ids) == 1 and len(members) == 1:
        extra.ids = ids[0]
    elif ids:
        kept: Repeats[str] = Repeats()
        for ident, source in ids:
            kept.add(ident, _event_source(source, files.names))
        extra.ids = kept
    if events:
        extra.events = tuple(sorted(events, key=event_order))
    series.extras[index] = extra


def _total(numbers: list[tuple[int, int]]) -> tuple[int, int]:
    """The exact sum of numbers given as (coefficient, exponent).

    Raises:
        NumberFormatError: the sum needs more than ``SUM_DIGITS`` digits.
    """
    if not numbers:
        return 0, 0
    exponent = min(0, *(e for _, e in numbers))
    total = sum(c * 10 ** (e - exponent) for c, e in numbers)
    if abs(total) >= _MAX_TOTAL:
        raise NumberFormatError(f"cannot add these values exactly within {SUM_DIGITS} digits")
    return total, exponent


def _event_source(source: Source, names: list[str]) -> EventSource:
    if isinstance(source, int):
        number, line = divmod(source, LINE_SPAN)
        return EventSource(names[number], line)
    return source


class _Report:
    """The "-" events of one period and set of dimension values."""

    __slots__ = ("dims", "period", "sources")

    def __init__(self, period: int, dims: int, sources: Source | SourceSet) -> None:
        self.period = period
        self.dims = dims
        self.sources = sources


def _reports(rows: _Rows, tables: Tables) -> tuple[_Report, ...]:
    found = []
    order = _order(rows, tables)
    start = 0
    while start < len(order):
        row = order[start]
        period, dim = rows.periods[row], rows.dims[row]
        end = start + 1
        while end < len(order) and (rows.periods[order[end]], rows.dims[order[end]]) == (
            period,
            dim,
        ):
            end += 1
        sources: Source | SourceSet = SourceSet()
        for member in order[start:end]:
            other = rows.others.get(member)
            source: Source = rows.sources[member]
            if other is not None and other.source is not None:
                source = other.source
            if end - start == 1:
                sources = source
            else:
                assert isinstance(sources, SourceSet)
                sources.add(source, tables.files)
        found.append(_Report(period, dim, sources))
        start = end
    return tuple(found)


def _missing(reports: tuple[Any, ...], tables: Tables) -> tuple[MissingReport, ...]:
    return tuple(
        MissingReport(
            tables.periods[report.period],
            tables.dimensions[report.dims],
            source_texts(report.sources, tables.files.names),
        )
        for report in reports
    )


def cell_repeats(series: Series, index: int) -> tuple[Repeats[Any] | None, Repeats[str] | None]:
    """The values and ids a cell compares for rows given twice (None: nothing to compare)."""
    extra = series.extras.get(index)
    if extra is None:
        return None, None
    ids = extra.ids if isinstance(extra.ids, Repeats) else None
    return extra.repeats, ids


# Growing a finished ledger by one event.


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
        coefficient, exponent = _parts(value)
    else:
        coefficient, exponent = 0, 0
    retained = event.indicator in ledger.retain or event.activity in ledger.retain
    if not found:
        if index < len(old):  # the cells after it move one place
            new.extras = {(i + 1 if i >= index else i): e for i, e in old.extras.items()}
        new.periods.insert(index, period)
        new.dims.insert(index, number)
        new.counts.insert(index, 1)
        _insert_total(new, index, coefficient, exponent)
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
        first_value = _key_of(old.coefficients[index], old.exponents[index])
        extra.repeats.add(first_value, _event_source(old_source, names))  # type: ignore[arg-type]
    if label is not None:
        extra.label = label if extra.label is None else min(extra.label, label)
    else:
        total = _total([(old.coefficients[index], old.exponents[index]), (coefficient, exponent)])
        _set_total(new, index, *total)
        if event.id is None:
            if extra.repeats is None:
                extra.repeats = Repeats()
            extra.repeats.add(_key_of(coefficient, exponent), _event_source(source, names))
    if event.id is not None:
        ids = extra.ids
        if ids is None:
            extra.ids = (event.id, source)
        else:
            if isinstance(ids, tuple):
                first_id, first_source = ids
                ids = Repeats()
                ids.add(first_id, _event_source(first_source, names))
            ids.add(event.id, _event_source(source, names))
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


def _insert_total(series: Series, index: int, coefficient: int, exponent: int) -> None:
    try:
        series.coefficients.insert(index, coefficient)
        series.exponents.insert(index, exponent)
    except OverflowError:
        series.coefficients = list(series.coefficients)
        series.exponents = list(series.exponents)
        del series.coefficients[len(series.exponents) :]
        series.coefficients.insert(index, coefficient)
        series.exponents.insert(index, exponent)


def _set_total(series: Series, index: int, coefficient: int, exponent: int) -> None:
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
        reports[index] = _Report(period, number, sources)
    else:
        reports.insert(index, _Report(period, number, source))
    new = _copy(old, tables)
    new.reports = tuple(reports)
    new.missing = _missing(new.reports, tables)
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
