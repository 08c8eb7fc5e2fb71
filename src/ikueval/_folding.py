"""The events of a series into its cells: sorted, then those of one cell added up.

A :class:`Rows` holds the events of one series as they arrive, one column per
field (some 25 bytes an event). :func:`fold` sorts them by period and
dimension values and adds up each cell's into the series' columns
(:class:`~ikueval._ledger.Series`): the total exactly, as an integer and a
power of ten; the sources (:mod:`ikueval._sources`); the values and ids
compared to find rows given twice (:mod:`ikueval._duplicates`), kept only for
cells of several events.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from decimal import Decimal, Inexact
from itertools import compress, islice, repeat
from operator import add, gt, itemgetter, le, mul, ne, sub
from typing import Any, Final

from ._decimals import SUM_CONTEXT, SUM_DIGITS
from ._duplicates import Repeats
from ._errors import NumberFormatError
from ._events import Event, EventSource
from ._ledger import IN_EXTRA, Extra, MissingReport, Series, Tables, decimal_of, source_texts
from ._sources import LINE_SPAN, Source, SourceSet

_INEXACT: Final = f"cannot add these values exactly within {SUM_DIGITS} digits"
#: Decimal places up to which totals are added as integers; past them (only
#: trailing zeros can be that far: a figure has at most 20 significant places)
#: they are added as ``exact_sum`` adds them, which drops zeros past
#: ``SUM_DIGITS`` digits.
_PLACES_AS_INTEGERS: Final = 60
#: The largest total a cell may reach, in digits (as ``exact_sum`` allows).
_MAX_TOTAL: Final = 10**SUM_DIGITS
_ONE: Final = (1,)


def parts_of(value: Decimal) -> tuple[int, int]:
    """A decimal as an integer and a power of ten (at most zero), as a sum holds it.

    A value written with more than ``SUM_DIGITS`` digits (trailing zeros) is
    held with ``SUM_DIGITS``, as :func:`~ikueval._decimals.exact_sum` holds it.

    Raises:
        NumberFormatError: the value cannot be held exactly in ``SUM_DIGITS``
            digits (never for a figure ikueval read: they are bounded).
    """
    if value.adjusted() >= SUM_DIGITS:
        raise NumberFormatError(_INEXACT)
    sign, digits, exponent = value.as_tuple()
    if len(digits) > SUM_DIGITS:
        try:
            sign, digits, exponent = SUM_CONTEXT.plus(value).as_tuple()
        except Inexact:
            raise NumberFormatError(_INEXACT) from None
    assert isinstance(exponent, int)
    coefficient = int("".join(map(str, digits)) or "0")
    if exponent > 0:  # 8E+1: held as 80, as every figure is (without_exponent)
        coefficient *= 10**exponent
        exponent = 0
    return (-coefficient if sign else coefficient), exponent


def key_of(coefficient: int, exponent: int) -> int | Decimal:
    """The value of an event as rows given twice are compared."""
    return coefficient if exponent == 0 else decimal_of(coefficient, exponent)


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


class Rows:
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

    def extend(self, other: Rows, numbers: list[int]) -> None:
        """Append the events of ``other``, whose dimension values ``numbers`` renumbers."""
        offset = len(self.periods)
        self.periods.extend(other.periods)
        self.dims.extend(array("i", [numbers[number] for number in other.dims]))
        if isinstance(self.coefficients, array) and isinstance(other.coefficients, array):
            self.coefficients.extend(other.coefficients)
            self.exponents.extend(other.exponents)
        else:
            self.coefficients = [*self.coefficients, *other.coefficients]
            self.exponents = [*self.exponents, *other.exponents]
        self.sources.extend(other.sources)
        self.no_id.extend(other.no_id)
        for row, extra in other.others.items():
            self.others[row + offset] = extra

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


def other_of(rows: Rows, row: int) -> _Other:
    other = rows.others.get(row)
    if other is None:
        other = rows.others[row] = _Other()
    return other


def _keys(rows: Rows, tables: Tables) -> Sequence[int]:
    """Each event's key: the order of its cell (period, then dimension values)."""
    distinct = sorted(set(rows.dims), key=tables.dimensions.__getitem__)
    width = len(distinct)
    if width == 1:  # one set of dimension values: the period's key is the cell's
        return rows.periods
    rank = {number: place for place, number in enumerate(distinct)}
    return list(map(add, map(mul, rows.periods, repeat(width)), map(rank.__getitem__, rows.dims)))


def _order(rows: Rows, tables: Tables) -> tuple[Sequence[int], list[int]]:
    """The events of a series in the order of their cells (period, then dimension
    values), and each event's key in that order (equal for the events of one cell)."""
    keys = _keys(rows, tables)
    return keys, sorted(range(len(keys)), key=keys.__getitem__)


def fold(rows: Rows, tables: Tables) -> Series:
    """The cells of a series: its events, sorted, and those of one cell added up.

    The columns of the cells are taken from those of the events in bulk (the
    first event of each cell, in C); only the cells of several events, or of one
    with more than the columns hold, are added up one by one. Events that arrived
    in the order of their cells are not sorted, and when each is a cell of its
    own (the usual series) the columns are copied as they are. The same cells as
    :func:`fold_each`, which it falls back on when a total outgrew 64 bits.
    """
    if not isinstance(rows.coefficients, array):
        return fold_each(rows, tables)
    series = Series(tables)
    keys = _keys(rows, tables)
    n = len(keys)
    if n == 0:
        return series
    order: Sequence[int]
    if all(map(le, keys, islice(keys, 1, None))):  # in order already (a stable sort)
        order, ordered = range(n), keys
    else:
        order = sorted(range(n), key=keys.__getitem__)
        ordered = list(map(keys.__getitem__, order))
    # where a cell starts: where the key changes (neighbours compared, in C)
    starts = [0, *compress(range(1, n), map(ne, islice(ordered, 1, None), ordered))]
    del ordered
    single = len(starts) == n  # every event a cell of its own: the usual series
    if single and isinstance(order, range):
        series.periods = rows.periods[:]
        series.dims = rows.dims[:]
        series.coefficients = rows.coefficients[:]
        series.exponents = rows.exponents[:]
        series.sources = rows.sources[:]
        series.first_no_id = bytearray(rows.no_id)
    else:
        firsts = order if single else list(map(order.__getitem__, starts))
        pick = itemgetter(*firsts) if len(firsts) > 1 else lambda column: (column[firsts[0]],)
        series.periods = array("i", pick(rows.periods))
        series.dims = array("i", pick(rows.dims))
        series.coefficients = array("q", pick(rows.coefficients))
        series.exponents = array("h", pick(rows.exponents))
        series.sources = array("q", pick(rows.sources))
        series.first_no_id = bytearray(pick(rows.no_id))
    ends = [*islice(starts, 1, None), n]
    if single:
        series.counts = array("q", _ONE) * n
        special: list[int] = []
    else:
        counts = list(map(sub, ends, starts))
        series.counts = array("q", counts)
        special = list(compress(range(len(counts)), map(gt, counts, repeat(1))))
    if rows.others:  # the cells of events with more than the columns hold
        cell_keys = [keys[order[start]] for start in starts]
        special = sorted({*special, *(bisect_left(cell_keys, keys[row]) for row in rows.others)})
    for index in special:
        members = order[starts[index] : ends[index]]
        if rows.others:
            coefficient, exponent, source, first, extra = _fold_cell(rows, members, tables)
        else:
            coefficient, exponent, source, first, extra = _fold_plain(rows, members, tables)
        try:
            series.coefficients[index] = coefficient
            series.exponents[index] = exponent
        except OverflowError:  # past 64 bits: the columns become lists of ints
            series.coefficients = list(series.coefficients)
            series.exponents = list(series.exponents)
            series.coefficients[index] = coefficient
            series.exponents[index] = exponent
        series.sources[index] = source
        series.first_no_id[index] = first
        series.extras[index] = extra
    return series


def fold_each(rows: Rows, tables: Tables) -> Series:
    """The cells of a series as :func:`fold` makes them, a cell at a time."""
    series = Series(tables)
    if not isinstance(rows.coefficients, array):  # the events' totals outgrew 64 bits
        series.coefficients, series.exponents = [], []
    keys, order = _order(rows, tables)
    n = len(order)
    start = 0
    while start < n:
        row = order[start]
        key = keys[row]
        end = start + 1
        while end < n and keys[order[end]] == key:
            end += 1
        index = len(series.periods)
        series.periods.append(rows.periods[row])
        series.dims.append(rows.dims[row])
        series.counts.append(end - start)
        if end - start == 1 and row not in rows.others:  # the usual cell: one event
            coefficient, exponent = rows.coefficients[row], rows.exponents[row]
            series.sources.append(rows.sources[row])
            series.first_no_id.append(rows.no_id[row])
        else:
            coefficient, exponent, source, first, extra = _fold_cell(rows, order[start:end], tables)
            series.sources.append(source)
            series.first_no_id.append(first)
            series.extras[index] = extra
        _put_total(series, coefficient, exponent)
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


def _fold_plain(
    rows: Rows, members: Sequence[int], tables: Tables
) -> tuple[int, int, int, int, Extra]:
    """A cell of several events that have nothing beyond the columns (a series
    without others): what :func:`_fold_cell` makes of it, with less Python."""
    sources = SourceSet()
    sources.add_lines(map(rows.sources.__getitem__, members))
    coefficients = list(map(rows.coefficients.__getitem__, members))
    exponents = list(map(rows.exponents.__getitem__, members))
    coefficient = sum(coefficients)
    if any(exponents) or not -_MAX_TOTAL < coefficient < _MAX_TOTAL:
        coefficient, exponent = total_of(list(zip(coefficients, exponents, strict=True)))
    else:
        exponent = 0
    extra = Extra()
    extra.sources = sources
    if any(map(rows.no_id.__getitem__, members)):
        names = tables.files.names
        repeats: Repeats[Any] = Repeats()
        for row in members:
            if rows.no_id[row]:
                key = key_of(rows.coefficients[row], rows.exponents[row])
                repeats.add(key, event_source(rows.sources[row], names))
        extra.repeats = repeats
    return coefficient, exponent, IN_EXTRA, 0, extra


def _fold_cell(
    rows: Rows, members: Sequence[int], tables: Tables
) -> tuple[int, int, int, int, Extra]:
    """One cell of several events (or of one with more than the columns hold): its
    total (coefficient, exponent), its source column, its first-without-id flag,
    and what it keeps beside the columns."""
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
                repeats.add(key_of(*number), event_source(source, files.names))
        if other is not None and other.ident is not None:
            ids.append((other.ident, source))
        if other is not None and other.event is not None:
            events.append(other.event)
    coefficient, exponent = total_of(numbers)
    if labels:
        extra.label = min(labels)
    column: int
    first: int
    if sources is None:  # one event, with a source or a category beyond the columns
        (row,) = members
        other = rows.others.get(row)
        if other is not None and other.source is not None:
            extra.sources = other.source
            column = IN_EXTRA
        else:
            column = rows.sources[row]
        first = 1 if rows.no_id[row] and not labels else 0
    else:
        extra.sources = sources
        column = IN_EXTRA
        first = 0
    extra.repeats = repeats
    if len(ids) == 1 and len(members) == 1:
        extra.ids = ids[0]
    elif ids:
        kept: Repeats[str] = Repeats()
        for ident, source in ids:
            kept.add(ident, event_source(source, files.names))
        extra.ids = kept
    if events:
        extra.events = tuple(sorted(events, key=event_order))
    return coefficient, exponent, column, first, extra


def total_of(numbers: list[tuple[int, int]]) -> tuple[int, int]:
    """The exact sum of numbers given as (coefficient, exponent).

    Raises:
        NumberFormatError: the sum needs more than ``SUM_DIGITS`` digits.
    """
    if not numbers:
        return 0, 0
    exponent = min(0, *(e for _, e in numbers))
    if exponent >= -_PLACES_AS_INTEGERS:
        total = sum(c * 10 ** (e - exponent) for c, e in numbers)
        if abs(total) < _MAX_TOTAL:
            return total, exponent
    # far beyond any figure: added one by one, as exact_sum adds them
    value = Decimal(0)
    try:
        for coefficient, places in numbers:
            value = SUM_CONTEXT.add(value, decimal_of(coefficient, places))
    except Inexact:
        raise NumberFormatError(_INEXACT) from None
    return parts_of(value)


def event_source(source: Source, names: list[str]) -> EventSource:
    if isinstance(source, int):
        number, line = divmod(source, LINE_SPAN)
        return EventSource(names[number], line)
    return source


class Report:
    """The "-" events of one period and set of dimension values."""

    __slots__ = ("dims", "period", "sources")

    def __init__(self, period: int, dims: int, sources: Source | SourceSet) -> None:
        self.period = period
        self.dims = dims
        self.sources = sources


def reports(rows: Rows, tables: Tables) -> tuple[Report, ...]:
    found = []
    _, order = _order(rows, tables)
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
        found.append(Report(period, dim, sources))
        start = end
    return tuple(found)


def missing_reports(reports: tuple[Any, ...], tables: Tables) -> tuple[MissingReport, ...]:
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
