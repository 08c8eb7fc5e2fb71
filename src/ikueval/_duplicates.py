"""Rows given twice: events of one cell with the same value and no id.

Events of one period add up, so a row pasted twice, or a CSV file and a JSON
export of the same table read together, doubles a figure without a word.
Nothing tells such a copy from two real events that happen to be alike (two
persons repatriated, one row each), so it is a warning, not an error: two
events of the same indicator input, period and dimension values, with the
same value and neither with an ``id``, are reported with both sources. Events
that are meant to be distinct say so with distinct ids; two events of one
cell with the same id (given from Python, whose ids are not compared across
the data as those of files are) are reported too.

The ledger keeps, per cell, a :class:`Repeats` of values and one of ids: at
most :data:`MAX_VALUES_COMPARED` keys each, each with a count and two
sources, so memory grows with the cells, not with the events.
"""

from __future__ import annotations

import heapq
from decimal import Decimal
from typing import Final, Generic, TypeVar

from ._events import EventSource

K = TypeVar("K", Decimal, int, str)

#: Distinct values (and ids) per cell among which repeated rows are looked
#: for: the smallest ones, so that the warnings do not depend on the order of
#: the events. A repeated row with a larger value than these, in a cell of more
#: than 16 different values, is not reported. Each kept key costs a count and
#: two sources (about 200 bytes), so a cell costs at most about 6 KB, and only
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

    def copy(self) -> _Seen:
        seen = _Seen(self.first)
        seen.count, seen.second, seen.second_key = self.count, self.second, self.second_key
        return seen

    def add(self, source: EventSource) -> None:
        self.count += 1
        key = _order(source)
        if key < self.first_key:
            self.second, self.second_key = self.first, self.first_key
            self.first, self.first_key = source, key
        elif self.second_key is None or key < self.second_key:
            self.second, self.second_key = source, key


class _Descending(Generic[K]):
    """A key ordered backwards, so that a min-heap keeps the largest on top."""

    __slots__ = ("key",)

    def __init__(self, key: K) -> None:
        self.key: K = key

    def __lt__(self, other: _Descending[K]) -> bool:
        return bool(self.key > other.key)


class Repeats(Generic[K]):
    """The values (or the ids) of a cell's events, to find rows given twice."""

    __slots__ = ("_largest", "_seen")

    def __init__(self) -> None:
        self._seen: dict[K, _Seen] = {}
        self._largest: list[_Descending[K]] = []  # the kept keys, largest on top

    def copy(self) -> Repeats[K]:
        """An independent copy, to be changed without changing this one."""
        copied: Repeats[K] = Repeats()
        copied._seen = {key: seen.copy() for key, seen in self._seen.items()}
        copied._largest = list(self._largest)
        return copied

    def add(self, key: K, source: EventSource) -> None:
        """Count one event's value (or id)."""
        seen = self._seen.get(key)
        if seen is not None:
            seen.add(source)
            return
        if len(self._seen) >= MAX_VALUES_COMPARED:
            largest = self._largest[0].key
            if key > largest:
                return
            heapq.heapreplace(self._largest, _Descending(key))
            del self._seen[largest]
        else:
            heapq.heappush(self._largest, _Descending(key))
        self._seen[key] = _Seen(source)

    def repeated(self) -> list[tuple[K, int, tuple[EventSource, EventSource]]]:
        """Each key given more than once, in order: the key, its count, its first two sources."""
        return [
            (key, seen.count, (seen.first, seen.second))
            for key, seen in sorted(self._seen.items(), key=lambda item: item[0])
            if seen.second is not None
        ]
