"""Where the events of a part of a compact trail came from, bounded.

A part of a compact trail (:mod:`ikueval._compacting`) merges many cells: their
sources are merged too, and bounded so that a part stays one line however many
events its month has. Per file, the line ranges of its rows merged, up to
:data:`MAX_RANGES_PER_FILE`; past that, the number of rows and the first and
last line (``data.csv: 1200 rows in lines 12-98040``, as a cell of the ledger
writes many rows: :mod:`ikueval._sources`). References given from Python: the
smallest :data:`MAX_REFS_PER_PART`, each once, and how many more. What is
written depends on the sources only, never on the order they were added in.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from typing import Final, Literal, overload

from ._ledger import source_texts
from ._sources import Reversed, SourceSet

#: Line ranges listed per file in one part of a compact trail. Ten ranges are a
#: line a person reads; past that (rows scattered through a file sorted by date,
#: say) the part says how many rows and the first and last line, so that the
#: trail stays the same size however many events a month has.
MAX_RANGES_PER_FILE: Final = 10
#: References given from Python listed per part of a compact trail (the smallest
#: in sort order of those its cells kept), then how many more there were.
MAX_REFS_PER_PART: Final = 10


def add_source(summary: SourceSummary, sources: object, names: Sequence[str]) -> None:
    """Add the sources a cell keeps beside the columns: a :class:`SourceSet` of several
    events, read as it is kept, or one event's source (see
    :meth:`ikueval._ledger.Series.source`)."""
    if not isinstance(sources, SourceSet):
        for text in source_texts(sources, list(names)):  # type: ignore[arg-type]
            summary.add_text(text)
        return
    for number, lines in sources.files.items():
        kept = summary.file(names[number])
        if lines.ranges is None:  # past the bound of a cell: a number of rows
            kept.add_summary(lines.rows, lines.low, lines.high)
        else:
            for first, last in zip(lines.ranges[::2], lines.ranges[1::2], strict=True):
                kept.add(first, last)
    for reference in sources.refs:
        summary.add_ref(reference.text)
    summary.more += sources.ref_count - len(sources.refs)


def lines_text(lines: list[int], offset: int) -> str:
    """Sorted packed lines of one file as the trail writes them: ranges, or past the
    bound their number and first and last line."""
    runs = _runs(lines)
    if runs is None:
        return f" {len(lines)} rows in lines {lines[0] - offset}-{lines[-1] - offset}"
    return ",".join(f"{a - offset}" if a == b else f"{a - offset}-{b - offset}" for a, b in runs)


#: How the trail writes the lines of a file (``data.csv:12-40,57``), the summary of
#: many rows (``data.csv: 1200 rows in lines 12-98040``) and references left out.
_LINES: Final = re.compile(r"(.+):([0-9]+(?:-[0-9]+)?(?:,[0-9]+(?:-[0-9]+)?)*)")
_ROWS: Final = re.compile(r"(.+): ([0-9]+) rows in lines ([0-9]+)-([0-9]+)")
_MORE: Final = re.compile(r"\.\.\. and ([0-9]+) more references")


class SourceSummary:
    """The sources of many cells, bounded: line ranges per file, then a count.

    Per file, the line ranges of the rows merged, up to
    :data:`MAX_RANGES_PER_FILE`; past that, the number of rows and the first and
    last line. References given from Python: the smallest
    :data:`MAX_REFS_PER_PART`, and how many more.
    """

    __slots__ = ("files", "kept", "more", "refs")

    def __init__(self) -> None:
        self.files: dict[str, _Lines] = {}
        self.refs: list[Reversed] = []  # a heap whose top is the largest kept
        self.kept: set[str] = set()
        self.more = 0

    def add_text(self, text: str) -> None:
        """Add one source as a cell's trail writes it."""
        match = _LINES.fullmatch(text)
        if match is not None:
            lines = self._file(match[1])
            for piece in match[2].split(","):
                first, _, last = piece.partition("-")
                lines.add(int(first), int(last or first))
            return
        match = _ROWS.fullmatch(text)
        if match is not None:
            self._file(match[1]).add_summary(int(match[2]), int(match[3]), int(match[4]))
            return
        match = _MORE.fullmatch(text)
        if match is not None:
            self.more += int(match[1])
            return
        self.add_ref(text)

    def add_packed(self, file: str, lines: list[int], offset: int) -> None:
        """Add rows of a file, by their lines plus ``offset``, in order."""
        self._file(file).packed.append((lines, offset))

    def add_ref(self, ref: str) -> None:
        """Add one reference given from Python (a reference already listed is listed once)."""
        if ref in self.kept:
            return
        key = Reversed(ref)
        if len(self.refs) < MAX_REFS_PER_PART:
            heapq.heappush(self.refs, key)
            self.kept.add(ref)
            return
        self.more += 1
        if ref < self.refs[0].text:
            self.kept.discard(heapq.heapreplace(self.refs, key).text)
            self.kept.add(ref)

    def file(self, name: str) -> _Lines:
        """The rows kept of one file."""
        return self._file(name)

    def _file(self, name: str) -> _Lines:
        lines = self.files.get(name)
        if lines is None:
            lines = self.files[name] = _Lines()
        return lines

    def texts(self) -> tuple[str, ...]:
        """The sources as the trail writes them: files in name order, then references."""
        found = [f"{name}:{self.files[name].text()}" for name in sorted(self.files)]
        found.extend(sorted(item.text for item in self.refs))
        if self.more:
            found.append(f"... and {self.more} more references")
        return tuple(found)


class _Lines:
    """The rows of one file: their lines and line ranges, merged when written; past the
    bound, or when some rows are known only by their number, the number of rows and the
    first and last line. What is written does not depend on the order of the rows."""

    __slots__ = ("high", "low", "packed", "ranges", "rows", "summarised")

    def __init__(self) -> None:
        self.packed: list[tuple[list[int], int]] = []  # sorted lines, plus an offset
        self.ranges: list[tuple[int, int]] = []  # rows by a range of lines
        self.summarised = False
        self.rows = 0
        self.low = self.high = 0

    def add(self, first: int, last: int) -> None:
        """Add the rows of lines ``first`` to ``last``."""
        self._count(last - first + 1, first, last)
        self.ranges.append((first, last))

    def add_summary(self, rows: int, low: int, high: int) -> None:
        """Add rows known only by their number and their first and last line."""
        self._count(rows, low, high)
        self.summarised = True

    def _count(self, rows: int, low: int, high: int) -> None:
        if not self.rows:
            self.low, self.high = low, high
        else:
            self.low, self.high = min(self.low, low), max(self.high, high)
        self.rows += rows

    def text(self) -> str:
        for lines, offset in self.packed:
            self._count(len(lines), lines[0] - offset, lines[-1] - offset)
        summary = f" {self.rows} rows in lines {self.low}-{self.high}"
        if self.summarised:
            return summary
        if not self.ranges and len(self.packed) == 1:
            lines, offset = self.packed[0]
            runs = _runs(lines)
            if runs is None:
                return summary
            merged = [(a - offset, b - offset) for a, b in runs]
        else:
            spans = [*self.ranges]
            for lines, offset in self.packed:
                spans.extend((a - offset, b - offset) for a, b in _runs(lines, bounded=False))
            spans.sort()
            merged = []
            for first, last in spans:
                if merged and first <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], last))
                elif len(merged) == MAX_RANGES_PER_FILE:  # one more range: too many
                    return summary
                else:
                    merged.append((first, last))
        return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in merged)


@overload
def _runs(lines: list[int]) -> list[tuple[int, int]] | None: ...
@overload
def _runs(lines: list[int], bounded: Literal[False]) -> list[tuple[int, int]]: ...


def _runs(lines: list[int], bounded: bool = True) -> list[tuple[int, int]] | None:
    """The runs of consecutive numbers of sorted ``lines``; None past the bound, unless
    not ``bounded``."""
    if lines[-1] - lines[0] + 1 == len(lines):  # one run (the usual file order)
        return [(lines[0], lines[-1])]
    runs: list[tuple[int, int]] = []
    start = previous = lines[0]
    for line in lines[1:]:
        if line > previous + 1:
            if bounded and len(runs) == MAX_RANGES_PER_FILE - 1:
                return None
            runs.append((start, previous))
            start = line
        previous = line
    runs.append((start, previous))
    return runs
