"""Finding cells of a ledger that could count the same realisation twice.

Two cells *overlap* when their periods share a day and their dimensions are
compatible: no dimension has different values in the two. A total and its
breakdown overlap, so do a quarter and one of its months, or a breakdown by
gender and one by country. Two cells of the same period and the same
dimension values are one cell: their events are parts of one total.

:func:`overlapping` is near-linear in the number of cells. Cells are grouped
by their *breakdown* (the set of dimension names they carry). Within a
breakdown, two cells are compatible only when all their values are equal, so
each run of cells with the same values is checked neighbour by neighbour.
Across two breakdowns, the cells are bucketed by the values of the names the
two share, and the periods of each bucket are swept in order of their start.
The work is that of a sort per pair of breakdowns, so the number of
breakdowns of one series is bounded (:data:`MAX_BREAKDOWNS`).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import Final, Generic, Protocol, TypeVar

from ._periods import Period

Dimensions = tuple[tuple[str, str], ...]

#: Breakdowns (distinct sets of dimension names) one indicator input may use.
#: Every two breakdowns are compared, so the check's work grows with their
#: number times the number of cells (about 20 s for a million cells at the
#: limit); 16 covers every combination of four dimensions, far more than any
#: report breaks one figure down by.
MAX_BREAKDOWNS: Final = 16


class Dated(Protocol):
    """What the check needs of a cell: its period and its sorted dimension values."""

    @property
    def period(self) -> Period: ...

    @property
    def dimensions(self) -> Dimensions: ...


C = TypeVar("C", bound=Dated)


def breakdowns(cells: Sequence[Dated]) -> list[tuple[str, ...]]:
    """The distinct sets of dimension names of the cells, sorted."""
    return sorted({_names(cell) for cell in cells})


def overlapping(cells: Sequence[C], limit: int) -> list[tuple[C, C]]:
    """Pairs of cells that may count the same realisation (at most ``limit``).

    The cells must be sorted by period (start, then end) and be distinct
    (no two with the same period and dimensions). The verdict is exact: when
    any two cells overlap, at least one pair is returned. Which pairs are
    returned depends only on the order of ``cells``. Callers limit the number
    of breakdowns to :data:`MAX_BREAKDOWNS` first; the work is
    O(B x n log n) for n cells in B breakdowns.
    """
    found: list[tuple[C, C]] = []
    by_names: dict[tuple[str, ...], list[C]] = {}
    for cell in cells:
        by_names.setdefault(_names(cell), []).append(cell)
    groups = [_Breakdown(names, by_names[names]) for names in sorted(by_names)]
    for index, group in enumerate(groups):
        same_values: dict[Dimensions, list[C]] = {}
        for cell in group.cells:
            same_values.setdefault(cell.dimensions, []).append(cell)
        for run in same_values.values():  # sorted by period: check neighbours
            for a, b in itertools.pairwise(run):
                if a.period.overlaps(b.period):
                    found.append((a, b))
                    if len(found) >= limit:
                        return found
        for other in groups[index + 1 :]:
            _across(group, other, found, limit)
            if len(found) >= limit:
                return found
    return found


def compatible(a: Dimensions, b: Dimensions) -> bool:
    """Whether no dimension has different values in ``a`` and ``b``."""
    values = dict(b)
    return all(values.get(name, value) == value for name, value in a)


def _names(cell: Dated) -> tuple[str, ...]:
    return tuple(name for name, _ in cell.dimensions)


class _Breakdown(Generic[C]):
    """The cells with one set of dimension names, their values and the days they cover."""

    __slots__ = ("cells", "end", "names", "start", "values")

    def __init__(self, names: tuple[str, ...], cells: list[C]) -> None:
        self.names = names
        self.cells = cells
        self.values = [tuple(value for _, value in cell.dimensions) for cell in cells]
        self.start = cells[0].period.start
        self.end = max(cell.period.end for cell in cells)

    def keys(self, shared: set[str]) -> list[object]:
        """Each cell's values of the ``shared`` names (the same order for every breakdown)."""
        positions = [i for i, name in enumerate(self.names) if name in shared]
        return list(map(operator.itemgetter(*positions), self.values))


def _across(
    group: _Breakdown[C], other: _Breakdown[C], found: list[tuple[C, C]], limit: int
) -> None:
    """Overlaps between two breakdowns: bucket by the shared names' values, then sweep."""
    if group.start > other.end or other.start > group.end:
        return
    shared = set(group.names) & set(other.names)
    if not shared:  # every cell of one is compatible with every cell of the other
        _sweep(group.cells, other.cells, found, limit)
        return
    keys, other_keys = group.keys(shared), other.keys(shared)
    common = set(keys).intersection(other_keys)
    if not common:
        return
    buckets: dict[object, tuple[list[C], list[C]]] = {key: ([], []) for key in common}
    for cell, key in zip(group.cells, keys, strict=True):
        if key in common:
            buckets[key][0].append(cell)
    for cell, key in zip(other.cells, other_keys, strict=True):
        if key in common:
            buckets[key][1].append(cell)
    for left, right in buckets.values():
        _sweep(left, right, found, limit)
        if len(found) >= limit:
            return


def _sweep(left: Sequence[C], right: Sequence[C], found: list[tuple[C, C]], limit: int) -> None:
    """Overlaps between two lists of cells sorted by period, in one merge.

    Each cell, in order of start, is paired with the cell of the other list
    that started no later and ends last: when any cell of the other list
    overlaps it, that one does. Every overlapping pair has a later member,
    which meets such a partner, so no overlap goes unreported.
    """
    reach: list[C | None] = [None, None]  # per side, the cell seen so far that ends last
    i = j = 0
    while i < len(left) or j < len(right):
        take_left = j >= len(right) or (
            i < len(left) and left[i].period.sort_key() <= right[j].period.sort_key()
        )
        if take_left:
            cell, side = left[i], 0
            i += 1
        else:
            cell, side = right[j], 1
            j += 1
        partner = reach[1 - side]
        if partner is not None and partner.period.end >= cell.period.start:
            found.append((partner, cell) if side else (cell, partner))
            if len(found) >= limit:
                return
        mine = reach[side]
        if mine is None or cell.period.end > mine.period.end:
            reach[side] = cell
