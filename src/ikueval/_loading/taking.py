"""The rows the fast path accepts, added straight to a ledger being built.

:func:`taker` makes, for one file and one :class:`~ikueval._building.LedgerBuilder`,
a function that takes rows of cells in order, checks each with the file's
:class:`~.fast_rows.RowPlan` and appends it to the columns of its series (what
:meth:`~ikueval._building.LedgerBuilder.put_row` does, without a call per
row), until it meets a row the fast path does not accept: the caller checks
that one in full (:func:`ikueval._events.event_from_record`), then takes on.
An id is not compared with those seen before: its hash is noted, and the
caller compares the hashes once every file is read (reading the files again,
with every id compared exactly, when two agree).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

from .._building import LedgerBuilder
from .._folding import Rows
from .fast_rows import RowPlan

Taker = Callable[[list[list[str]], int, int], int]
"""Takes the rows of a batch from a position, the first at a packed line; returns the
position of the first row it did not take (the batch's length when it took them all)."""


def taker(
    plan: RowPlan,
    builder: LedgerBuilder,
    retain: frozenset[str],
    hashes: array[int],
    digest: Callable[[str], int] = hash,
) -> Taker:
    """A function that adds the rows ``plan`` accepts to ``builder``, noting the hash of
    each id (``digest``) in ``hashes``; rows of the ``retain`` indicators are left to the
    caller."""
    if builder.track_ids:
        raise ValueError("rows are taken only into a builder of unique ids")
    parts = plan.parts
    series_rows, staged = builder.unsettled_rows, builder.staged
    #: Where the rows of each series met are staged, found by what its rows are
    #: checked against (hashed by identity, where its key is a tuple hashed anew).
    stages: dict[object, array[int]] = {}
    tables = builder.tables
    periods, numbers = tables.periods, tables.numbers
    put_row, note = builder.put_row, hashes.append

    def _stage(key: tuple[str, str]) -> array[int]:
        if key not in series_rows:
            series_rows[key] = Rows()
        stage = staged.get(key)
        if stage is None:
            stage = staged[key] = array("q")
        return stage

    def take(batch: list[list[str]], at: int, source: int) -> int:
        count = len(batch)
        source += at
        taken = 0
        try:
            while at < count:
                accepted = parts(batch[at])
                if accepted is None:
                    return at
                series, found, dims, value, ident = accepted
                if retain and series.key[0] in retain:
                    return at
                if ident is not None:
                    note(digest(ident))
                if value[2]:  # held by the columns: staged, six numbers in one array
                    taken += 1
                    stage = stages.get(series)
                    if stage is None:
                        stage = stages[series] = _stage(series.key)
                    number = found[1]
                    if number not in periods:
                        tables.period(found[0])
                    dims_number = numbers.get(dims)
                    if dims_number is None:
                        dims_number = tables.dims(dims)
                    stage.extend((number, dims_number, value[0], value[1], source, ident is None))
                else:
                    put_row(series.key, *found, dims, value[0], value[1], ident, source)
                at += 1
                source += 1
            return count
        finally:
            builder.count += taken

    return take
