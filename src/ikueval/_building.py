"""Building a ledger: events into cells, then the checks of the whole.

:class:`LedgerBuilder` takes events one at a time (checked :class:`Event`
values with :meth:`~LedgerBuilder.add`, or the parts of rows a reader has
already checked with :meth:`~LedgerBuilder.put_row`). It appends each to the
columns of its series, some 25 bytes an event; :meth:`~LedgerBuilder.finish`
then sorts each series, adds up the events of each cell into the series'
columns (:class:`~ikueval._ledger.Series`), and checks it
(:mod:`ikueval._conflicts`). So memory at its highest is some 25 bytes an
event and 30 a cell, beside what the rows given twice and the sources of
several rows need (bounded per cell: :mod:`ikueval._duplicates`,
:mod:`ikueval._sources`).

:mod:`ikueval._growing` grows a finished ledger by one event.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection
from typing import Any, Final

from ._conflicts import (
    CONFLICT_SUMMARY,
    Repeated,
    conflicts,
    first_warnings,
    location,
    malformed,
    repeated,
    series_name,
)
from ._errors import EventConflictError, EventError, Problem
from ._events import Event
from ._folding import (
    Rows,
    cell_repeats,
    fold,
    missing_reports,
    other_of,
    parts_of,
    reports,
)
from ._ledger import (
    IN_EXTRA,
    Dimensions,
    Ledger,
    Series,
    SeriesKey,
    Tables,
    decimal_of,
)
from ._model import RuleSet
from ._periods import Period
from ._sources import Source, pack

#: The largest coefficient a column of totals holds; past it the column
#: becomes a list of Python ints (exact, only larger).
_INT64: Final = (1 << 63) - 1


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
        self._rows: dict[SeriesKey, Rows] = {}
        self.missing: dict[SeriesKey, Rows] = {}
        self.count = 0
        self.track_ids = not unique_ids
        self.staged: dict[SeriesKey, array[int]] = {}
        """Rows taken in bulk (:mod:`ikueval._loading.taking`) and not yet in their
        series' columns: six numbers each (period key, dimension values, coefficient,
        exponent, source, no id), in order. Their series is in :attr:`unsettled_rows`."""

    @property
    def rows(self) -> dict[SeriesKey, Rows]:
        """The events of each series, with every staged row in its columns."""
        for key in self.staged:
            self._settle(key)
        return self._rows

    @rows.setter
    def rows(self, rows: dict[SeriesKey, Rows]) -> None:
        """Start from columns read elsewhere (a worker's file): nothing may be staged."""
        if any(self.staged.values()):
            raise ValueError("rows are staged: the columns cannot be replaced")
        self._rows = rows

    @property
    def unsettled_rows(self) -> dict[SeriesKey, Rows]:
        """:attr:`rows` without the rows :attr:`staged` (for what stages them)."""
        return self._rows

    def _settle(self, key: SeriesKey) -> None:
        """Move the rows staged for a series into its columns, after those there."""
        stage = self.staged.get(key)
        if not stage:
            return
        rows = self._rows[key]
        rows.periods.extend(array("i", stage[0::6]))
        rows.dims.extend(array("i", stage[1::6]))
        rows.coefficients.extend(stage[2::6])
        rows.exponents.extend(array("h", stage[3::6]))
        rows.sources.extend(stage[4::6])
        rows.no_id.extend(array("B", stage[5::6]))
        del stage[:]

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
            rows, row = self._row(self._rows, key, period, dims, 0, 0, ident, source)
            other_of(rows, row).label = value
            rows.no_id[row] = 0
        elif isinstance(value, int):
            rows, row = self._row(self._rows, key, period, dims, value, 0, ident, source)
        else:
            coefficient, exponent = parts_of(value)
            rows, row = self._row(
                self._rows, key, period, dims, coefficient, exponent, ident, source
            )
        if event is not None:
            other_of(rows, row).event = event

    def _row(
        self,
        table: dict[SeriesKey, Rows],
        key: SeriesKey,
        period: Period,
        dims: Dimensions,
        coefficient: int,
        exponent: int,
        ident: str | None,
        source: Source,
    ) -> tuple[Rows, int]:
        if key in self.staged:
            self._settle(key)
        self.count += 1
        rows = table.get(key)
        if rows is None:
            rows = table[key] = Rows()
        row = len(rows.periods)
        rows.periods.append(self.tables.period(period))
        rows.dims.append(self.tables.dims(dims))
        rows.number(coefficient, exponent)
        if isinstance(source, int):
            rows.sources.append(source)
        else:
            rows.sources.append(IN_EXTRA)
            other_of(rows, row).source = source
        rows.no_id.append(ident is None)
        if ident is not None and self.track_ids:
            other_of(rows, row).ident = ident
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
        """Add a row of a file that is already checked (see :mod:`ikueval._loading.fast_rows`).

        ``number`` is the :func:`~ikueval._ledger.period_key` of ``period``;
        the value is ``coefficient`` times ten to ``exponent``, or None for
        "not measured"; ``source`` a packed line.
        """
        if coefficient is None or (ident is not None and self.track_ids):
            value = None if coefficient is None else decimal_of(coefficient, exponent)
            self.put(key, period, dims, value, ident, source)
            return
        if key in self.staged:
            self._settle(key)
        self.count += 1
        rows = self._rows.get(key)
        if rows is None:
            rows = self._rows[key] = Rows()
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

    def merge(
        self,
        rows: dict[SeriesKey, Rows],
        missing: dict[SeriesKey, Rows],
        tables: Tables,
    ) -> None:
        """Add the events another builder collected (of the same files, numbered alike).

        Its events come after those added so far, as if they had been added here.
        """
        for period in tables.periods.values():
            self.tables.period(period)
        numbers = [self.tables.dims(dims) for dims in tables.dimensions]
        for mine, theirs in ((self.rows, rows), (self.missing, missing)):
            for key, added in theirs.items():
                kept = mine.get(key)
                if kept is None:
                    kept = mine[key] = Rows()
                kept.extend(added, numbers)
                self.count += len(added.periods)

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
            rows = self._rows.pop(key, None)
            series = fold(rows, self.tables) if rows is not None else Series(self.tables)
            missing = self.missing.pop(key, None)
            if missing is not None:
                series.reports = reports(missing, self.tables)
                series.missing = missing_reports(series.reports, self.tables)
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
