"""Rows given twice: events of one cell with the same value and no id.

Events of one period add up, so a row pasted twice, or a CSV file and a JSON
export of the same table read together, doubles a figure without a word.
Nothing tells such a copy from two real events that happen to be alike (two
persons repatriated, one row each), so it is a warning, not an error: two
events of the same indicator input, period and dimension values, with the
same value and neither with an ``id``, are reported with both sources. Events
that are meant to be distinct say so with distinct ids.

The ledger keeps, per cell, a :class:`Repeats`: at most :data:`MAX_VALUES_COMPARED`
values, each with a count and two sources, so memory grows with the cells, not
with the events.
"""

from __future__ import annotations

import heapq
from decimal import Decimal
from typing import Final

from .decimals import SUM_CONTEXT, plain
from .events import EventSource

#: Distinct values per cell among which repeated rows are looked for: the
#: smallest ones, so that the warnings do not depend on the order of the
#: events. A repeated row with a larger value than these, in a cell of more
#: than 16 different values, is not reported. Each kept value costs a count and
#: two sources (about 200 bytes), so a cell costs at most about 3 KB, and only
#: when it has that many events.
MAX_VALUES_COMPARED: Final = 16


def _order(source: EventSource) -> tuple[str, int, str]:
    return (source.file or "", source.line or 0, source.ref or "")


class _Seen:
    """How often one value was given, and its first two sources in source order."""

    __slots__ = ("count", "first", "first_key", "second", "second_key")

    def __init__(self, source: EventSource) -> None:
        self.count = 1
        self.first, self.first_key = source, _order(source)
        self.second: EventSource | None = None
        self.second_key: tuple[str, int, str] | None = None

    def add(self, source: EventSource) -> None:
        self.count += 1
        key = _order(source)
        if key < self.first_key:
            self.second, self.second_key = self.first, self.first_key
            self.first, self.first_key = source, key
        elif self.second_key is None or key < self.second_key:
            self.second, self.second_key = source, key


class Repeats:
    """The values of a cell's events without an id, to find rows given twice."""

    __slots__ = ("_largest", "_seen")

    def __init__(self) -> None:
        self._seen: dict[Decimal, _Seen] = {}
        self._largest: list[Decimal] = []  # the kept values, negated: a max-heap

    def add(self, value: Decimal, source: EventSource) -> None:
        """Count one event's value."""
        seen = self._seen.get(value)
        if seen is not None:
            seen.add(source)
            return
        if len(self._seen) >= MAX_VALUES_COMPARED:
            largest = self._largest[0].copy_negate()
            if value > largest:
                return
            heapq.heapreplace(self._largest, value.copy_negate())
            del self._seen[largest]
        else:
            heapq.heappush(self._largest, value.copy_negate())
        self._seen[value] = _Seen(source)

    def repeated(self) -> list[tuple[str, int, tuple[EventSource, EventSource]]]:
        """Each value given more than once: its text, its count, its first two sources.

        The text is the value's shortest form (``1`` for ``1.0`` and ``1.00``),
        whatever form the events gave it in.
        """
        return [
            (plain(value.normalize(SUM_CONTEXT)), seen.count, (seen.first, seen.second))
            for value, seen in sorted(self._seen.items())
            if seen.second is not None
        ]
