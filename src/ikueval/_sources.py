"""Where the events of a ledger cell came from, kept in memory bounded per cell.

A cell's events are rows of files or records given from Python. Their sources
are kept as:

* for each file, the line ranges of its rows (``data.csv:12-40,57``), up to
  :data:`MAX_LINES_LISTED` rows of one file per cell; past that, the file's
  rows are counted and only the first and the last line are kept, and the
  trail says ``data.csv: 1200 rows in lines 12-98040``;
* the smallest :data:`MAX_REFS_PER_CELL` references given by the caller, and
  how many more there were (``... and 7 more references``).

The rendering depends only on the set of sources, never on the order the
events arrived in. A file is named by its number in the ledger's table of
file names (:class:`FileTable`), so that a row costs a line number, not a copy
of the file's path.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Sequence
from typing import Final

from ._events import EventSource

#: Rows of one file listed in one cell's trail, as line ranges. A cell of a
#: hundred rows is a table a person can still check line by line; past that,
#: listing every scattered row would make the trail (and the memory of the
#: ledger) grow with the events instead of the cells. The trail then gives the
#: number of rows and their first and last line.
MAX_LINES_LISTED: Final = 100
#: Caller-given references kept per cell. The smallest ones (in sort order)
#: are kept, so the list does not depend on the order of the events; the
#: count of the others is reported.
MAX_REFS_PER_CELL: Final = 50

#: A source that is a line of a file, packed into one int: the file's number
#: in the ledger's table, times this, plus the line.
LINE_SPAN: Final = 1 << 40


class FileTable:
    """The names of the files a ledger's events came from, each numbered once.

    A table only grows: a number, once given, always names the same file, so a
    ledger and the ledgers derived from it (:meth:`ikueval.Ledger.add`) share it.
    Adding a name is not thread-safe; a ledger being built belongs to one thread,
    and a finished ledger adds names only to a copy.
    """

    __slots__ = ("names", "numbers")

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        self.numbers: dict[str, int] = {}
        for name in names:
            self.number(name)

    def number(self, name: str) -> int:
        """The number of a file name, given on first sight."""
        found = self.numbers.get(name)
        if found is None:
            found = self.numbers[name] = len(self.names)
            self.names.append(name)
        return found

    def copy(self) -> FileTable:
        """A table with the same numbers, to which names can be added without changing this one."""
        table = FileTable()
        table.names = list(self.names)
        table.numbers = dict(self.numbers)
        return table

    def source(self, packed: int) -> EventSource:
        """The source a packed line stands for."""
        return EventSource(self.names[packed // LINE_SPAN], packed % LINE_SPAN)


Source = int | EventSource
"""One event's source: a packed file line (see :data:`LINE_SPAN`) or an ``EventSource``."""


class _FileLines:
    """The rows of one file in one cell: merged line ranges, or past the bound a summary."""

    __slots__ = ("high", "low", "ranges", "rows")

    def __init__(self, line: int) -> None:
        self.rows = 1
        self.low = self.high = line
        self.ranges: list[int] | None = [line, line]  # flat: start, end, start, end...

    def copy(self) -> _FileLines:
        lines = _FileLines(self.low)
        lines.rows, lines.high = self.rows, self.high
        lines.ranges = None if self.ranges is None else list(self.ranges)
        return lines

    def add(self, line: int) -> None:
        self.rows += 1
        self.low = min(self.low, line)
        self.high = max(self.high, line)
        ranges = self.ranges
        if ranges is None:
            return
        if self.rows > MAX_LINES_LISTED:
            self.ranges = None
            return
        if line == ranges[-1] + 1:  # the usual case: rows arrive in file order
            ranges[-1] = line
            return
        if line > ranges[-1]:
            ranges += (line, line)
            return
        _insert(ranges, line)

    def text(self) -> str:
        if self.ranges is None:
            return f" {self.rows} rows in lines {self.low}-{self.high}"
        pairs = zip(self.ranges[::2], self.ranges[1::2], strict=True)
        return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in pairs)


def _insert(ranges: list[int], line: int) -> None:
    """Put ``line`` into sorted, merged ``ranges`` (a line already there stays once)."""
    starts = ranges[::2]
    index = bisect.bisect_right(starts, line) - 1  # the range starting at or before it
    if index >= 0 and line <= ranges[2 * index + 1] + 1:
        ranges[2 * index + 1] = max(ranges[2 * index + 1], line)
    else:
        index += 1
        ranges[2 * index : 2 * index] = [line, line]
    # the range may now touch the next one
    end = 2 * index + 1
    if end + 1 < len(ranges) and ranges[end] + 1 >= ranges[end + 1]:
        ranges[end] = max(ranges[end], ranges[end + 2])
        del ranges[end + 1 : end + 3]


class Reversed:
    """Orders strings backwards, so that a min-heap keeps the smallest ones."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: Reversed) -> bool:
        return self.text > other.text


def _order(source: EventSource) -> tuple[str, int, str]:
    return (source.file or "", source.line or 0, source.ref or "")


class SourceSet:
    """The sources of a cell with more than one event (see the module's docstring)."""

    __slots__ = ("files", "first_other", "ref_count", "refs")

    def __init__(self) -> None:
        self.files: dict[int, _FileLines] = {}
        self.refs: list[Reversed] = []  # a heap whose top is the largest kept ref
        self.ref_count = 0
        self.first_other: EventSource | None = None
        """The first (in source order) of the sources that are not a file line."""

    def copy(self) -> SourceSet:
        """An independent copy, to be changed without changing this one."""
        copied = SourceSet()
        copied.files = {number: lines.copy() for number, lines in self.files.items()}
        copied.refs = list(self.refs)
        copied.ref_count = self.ref_count
        copied.first_other = self.first_other
        return copied

    def add(self, source: Source, table: FileTable) -> None:
        """Count one more event's source."""
        if isinstance(source, EventSource):
            if source.file is None or source.line is None or not 0 <= source.line < LINE_SPAN:
                self._add_other(source)
                return
            # a file line with a reference: the trail lists the line
            source = table.number(source.file) * LINE_SPAN + source.line
        number, line = divmod(source, LINE_SPAN)
        lines = self.files.get(number)
        if lines is None:
            self.files[number] = _FileLines(line)
        else:
            lines.add(line)

    def add_lines(self, sources: Iterable[int]) -> None:
        """Count more events' sources, each a packed file line (as :meth:`add` would)."""
        files = self.files
        for source in sources:
            number, line = divmod(source, LINE_SPAN)
            lines = files.get(number)
            if lines is None:
                files[number] = _FileLines(line)
            else:
                lines.add(line)

    def _add_other(self, source: EventSource) -> None:
        if self.first_other is None or _order(source) < _order(self.first_other):
            self.first_other = source
        self.ref_count += 1
        key = Reversed(str(source))
        if len(self.refs) < MAX_REFS_PER_CELL:
            heapq.heappush(self.refs, key)
        elif key.text < self.refs[0].text:
            heapq.heapreplace(self.refs, key)

    def texts(self, files: Sequence[str]) -> tuple[str, ...]:
        """The sources as the trail writes them: files in name order, then references."""
        found = [
            f"{files[number]}:{self.files[number].text()}"
            for number in sorted(self.files, key=files.__getitem__)
        ]
        refs = sorted(item.text for item in self.refs)
        found.extend(refs)
        if self.ref_count > len(refs):
            found.append(f"... and {self.ref_count - len(refs)} more references")
        return tuple(found)

    def first(self, files: Sequence[str]) -> EventSource:
        """The first source in source order (file, line, reference)."""
        candidates = []
        if self.first_other is not None:
            candidates.append(self.first_other)
        if self.files:
            number = min(self.files, key=files.__getitem__)
            candidates.append(EventSource(files[number], self.files[number].low))
        return min(candidates, key=_order)


def pack(source: EventSource, table: FileTable) -> Source:
    """A source as a cell keeps it: a plain file line packed into an int."""
    line = source.line
    if (
        source.file is not None
        and line is not None
        and source.ref is None
        and 0 <= line < LINE_SPAN
    ):
        return table.number(source.file) * LINE_SPAN + line
    return source
