"""Reading CSV event files, streamed: each file is read once, line by line.

CSV files may start with comment lines (``# ...``) and directives
(``#: number_format = indonesian``). Exports from spreadsheets are accepted
as they usually come: UTF-8 with or without a byte-order mark, separated by
commas, semicolons or tabs, with Windows line endings, blank lines and a
repeated header row (which is skipped). Anything else that does not fit is
refused with its line and column.

:func:`csv_rows` holds one row at a time: a file of any size within
:data:`~.files.MAX_CSV_FILE_BYTES` is read in bounded memory.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Final, NamedTuple

from .._decimals import NumberFormat
from .._errors import Location, Problem
from .._events import FIELDS
from .._suggest import closest, did_you_mean
from . import files
from .event_rows import Cells, CellsRun, Header, Item, Refusal, Row, number_format_of
from .files import (
    CSV_EVENT_FILE,
    MAX_CSV_LINES,
    MAX_LINE_BYTES,
    InputFileError,
    open_input,
    size_text,
)
from .lines import Line, LineReader, read_lines

#: Columns of a header. An event has 12 fields and a rule set a handful of
#: dimensions; a thousand columns is a sheet exported whole, not event data.
#: Bounds the work of checking the header and of every row.
MAX_COLUMNS: Final = 1000
#: Characters of a cell. A note of a few paragraphs fits; a cell is shown in
#: messages and kept in the audit trail, so it must stay readable. (Python's
#: csv module refuses cells over its own ``field_size_limit``, 131,072 by
#: default, before this is checked.)
MAX_CELL_CHARS: Final = 10_000

#: CSV lines starting with this before the header are directives.
DIRECTIVE: Final = "#:"
DIRECTIVES: Final = ("number_format",)
_SEPARATORS: Final = (",", ";", "\t")


def csv_rows(file: Path, *, cells: bool = False) -> Generator[Item, None, None]:
    """The rows of a CSV event file and its problems, in file order.

    The file is opened with :func:`~.files.open_input` and streamed; a problem
    of the file itself (it cannot be opened, a line is too long) ends the
    stream with a :class:`Refusal`. With ``cells``, a good header is handed on
    as a :class:`Header` and the rows as :class:`Cells`, or :class:`CellsRun`
    for rows of consecutive lines, not as :class:`Row` records.
    """
    name = str(file)
    try:
        with open_input(file, CSV_EVENT_FILE) as handle:
            lines = read_lines(
                handle,
                name,
                limit=CSV_EVENT_FILE.limit,
                max_lines=MAX_CSV_LINES,
                hint=CSV_EVENT_FILE.not_utf8_hint,
                chunk_bytes=files.CHUNK_BYTES,  # looked up here: tests read in small chunks
            )
            yield from _items(lines, name, cells)
    except InputFileError as exc:
        yield Refusal(exc.problems)


#: The state of the record being read, shared with :func:`_feed`: the line it
#: starts at, its bytes so far, and whether the next line starts a record.
_FIRST, _SIZE, _FRESH = 0, 1, 2


def _feed(header: Line, lines: Iterator[Line], name: str, state: list[int]) -> Iterator[str]:
    """The lines after the preamble, handed to :func:`csv.reader` one at a time.

    It notes in ``state`` where the record being read starts, and refuses a
    record that grows past :data:`~.files.MAX_LINE_BYTES` through the line
    breaks of its quoted cells. Set ``state[_FRESH]`` before reading a record.
    """
    for line in itertools.chain((header,), lines):
        if state[_FRESH]:
            state[_FIRST], state[_SIZE], state[_FRESH] = line.number, 0, 0
        state[_SIZE] += line.size
        if state[_SIZE] > MAX_LINE_BYTES:
            raise InputFileError(_row_too_long(name, state[_FIRST]))
        yield line.text


def _row_too_long(name: str, first: int) -> Problem:
    return Problem(
        "the row (with the line breaks of its quoted cells) is longer than "
        f"{size_text(MAX_LINE_BYTES)}",
        Location(name, first),
    )


def _records(
    lines: LineReader, name: str, separator: str, state: list[int], *, runs: bool = False
) -> Iterator[list[str] | Run]:
    """The cells of each record after the header, as :func:`csv.reader` reads them.

    A line without a quote or a carriage return inside is one record, whose
    cells are its text split at the separator: what the csv module gives for
    it, without its machinery. Any other line starts a record that
    :func:`csv.reader` reads, with the lines that follow when its quoted cells
    hold line breaks. ``state`` is kept as :func:`_feed` keeps it.

    With ``runs``, the plain lines of a chunk of the file that are all short
    enough to raise no problem of size (:data:`MAX_CELL_CHARS` bytes at most)
    come as one :class:`Run` of records, split at once (a carriage return that
    ends a line dropped, as above), and ``state`` is not kept for them.
    """
    limit = csv.field_size_limit()
    bound = min(MAX_CELL_CHARS, limit + 1)
    while True:
        if runs:
            found = lines.run(bound, _NOT_PLAIN, crlf=True)
            if found is not None:
                yield Run(
                    found.number, [text.split(separator) if text else [] for text in found.texts]
                )
                continue
        line = next(lines, None)
        if line is None:
            return
        text = line.text
        body = text[:-1] if text.endswith("\n") else text
        if body.endswith("\r"):
            body = body[:-1]
        if '"' in body or "\r" in body or len(body) > limit:
            state[_FRESH] = 1
            reader = csv.reader(_feed(line, lines, name, state), delimiter=separator, strict=True)
            yield next(reader)
            continue
        state[_FIRST], state[_SIZE] = line.number, line.size
        if line.size > MAX_LINE_BYTES:
            raise InputFileError(_row_too_long(name, line.number))
        yield body.split(separator) if body else []


#: What makes a line more than its text split at the separator.
_NOT_PLAIN: Final = ('"', "\r")


class Run(NamedTuple):
    """Records of consecutive lines, each a plain line (see :func:`_records`).

    Args:
        number: the line of the first.
        records: the cells of each.
    """

    number: int
    records: list[list[str]]


def _items(lines: LineReader, name: str, raw: bool) -> Iterator[Item]:
    number_format: NumberFormat | None = None
    declared_at = 0
    header: Line | None = None
    for line in lines:
        text = line.text.strip()
        if text and not text.startswith("#"):
            header = line
            break
        if not text.startswith(DIRECTIVE):
            continue
        found, problem = _directive(text[len(DIRECTIVE) :], name, line.number)
        if found is not None and number_format is not None and found is not number_format:
            problem = Problem(
                f"the number format is declared again, as {found.value!r}; line "
                f"{declared_at} declares {number_format.value!r}",
                Location(name, line.number, "number_format"),
                hint="keep one declaration",
            )
        if problem is not None:
            yield Refusal((problem,))
        elif number_format is None:
            number_format, declared_at = found, line.number
    if header is None:
        yield Refusal((Problem("no header row: the file has no data", Location(name)),))
        return
    state = [header.number, 0, 1]
    separator = _separator(header.text)
    reader = csv.reader(_feed(header, lines, name, state), delimiter=separator, strict=True)
    try:
        cells = next(reader)
    except csv.Error as exc:
        yield Refusal((Problem(f"unreadable header: {exc}", Location(name, header.number)),))
        return
    if len(cells) > MAX_COLUMNS:
        yield Refusal(
            (
                Problem(
                    f"the header has {len(cells)} columns; an event file may have at most "
                    f"{MAX_COLUMNS}",
                    Location(name, header.number),
                ),
            )
        )
        return
    columns = [_column(cell) for cell in cells]
    header_problems = _check_header(columns, name, header.number)
    if header_problems:
        yield Refusal(tuple(header_problems), blocking=True)
    elif raw:
        yield Header(tuple(columns), number_format)
    first_column = columns[0]
    header_fold = first_column.casefold()
    # Case folding never shortens a text: a first cell longer than the header's
    # folded name is no repeated header, without being folded.
    header_length = len(header_fold)
    width = len(columns)
    rows = 0

    def record(cells: list[str], first: int, size: int) -> Item | None:
        """The item of one record; None for a blank line or a repeated header."""
        if not (cells and cells[0].strip()) and not any(cell.strip() for cell in cells):
            return None
        if (
            len(cells) == len(columns)
            and _column(cells[0]) == first_column
            and [_column(cell) for cell in cells] == columns
        ):
            return None  # a repeated header (files joined together): not data
        problems = (
            _row_problems(cells, columns, name, first, size)
            if len(cells) != width or size > MAX_CELL_CHARS
            else None
        )
        if problems:
            return Refusal(tuple(problems), row=True)
        if raw:
            return Cells(first, cells)
        return Row(first, dict(zip(columns, cells, strict=True)), number_format=number_format)

    records = _records(lines, name, separator, state, runs=raw)
    while True:
        try:
            record_or_run = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Refusal((_unreadable(exc, name, state[_FIRST]),), row=True)
            rows += 1
            break
        if not isinstance(record_or_run, Run):
            item = record(record_or_run, state[_FIRST], state[_SIZE])
            if item is not None:
                rows += 1
                yield item
            continue
        # the records of a run are short: only their number of cells is checked
        number, batch = record_or_run
        start = 0  # the first record of the batch not handed on yet
        for index, cells in enumerate(batch):
            if len(cells) == width:
                head = cells[0].strip()
                if head and (len(head) > header_length or head.casefold() != header_fold):
                    continue  # a record of data, handed on with its neighbours
            if index > start:
                rows += index - start
                yield CellsRun(number + start, batch[start:index])
            start = index + 1
            item = record(cells, number + index, 0)
            if item is not None:
                rows += 1
                yield item
        if start < len(batch):
            rows += len(batch) - start
            yield CellsRun(number + start, batch[start:] if start else batch)
    if not rows and not header_problems:
        yield Refusal(
            (
                Problem(
                    "the file has a header but no data rows",
                    Location(name, header.number),
                    hint="fill it in, or leave the file out",
                ),
            )
        )


def _unreadable(exc: csv.Error, name: str, line: int) -> Problem:
    reason = str(exc)
    if "field larger than field limit" in reason:
        return Problem(
            f"a cell has more than {csv.field_size_limit()} characters; a cell may have at most "
            f"{MAX_CELL_CHARS}",
            Location(name, line),
            hint="check the quotes",
        )
    if "unexpected end of data" in reason:
        return Problem(
            "a quoted cell is never closed", Location(name, line), hint="check the quotes"
        )
    return Problem(f"unreadable row: {reason}", Location(name, line), hint="check the quotes")


def _row_problems(
    cells: list[str], columns: list[str], name: str, line: int, size: int
) -> list[Problem]:
    if len(cells) != len(columns):
        return [
            Problem(
                f"the row has {len(cells)} cells, the header has {len(columns)}",
                Location(name, line),
                hint="check for a stray separator or a missing cell",
            )
        ]
    if size <= MAX_CELL_CHARS:  # no cell can be longer than its row's bytes
        return []
    return [
        Problem(
            f"the cell has {len(cell)} characters; a cell may have at most {MAX_CELL_CHARS}",
            Location(name, line, column),
        )
        for column, cell in zip(columns, cells, strict=True)
        if len(cell) > MAX_CELL_CHARS
    ]


def _column(cell: str) -> str:
    """A header cell: event fields in any case (Indicator, VALUE), dimensions as written."""
    name = cell.strip()
    return name.casefold() if name.casefold() in FIELDS else name


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_header(header: list[str], name: str, line: int) -> list[Problem]:
    problems = []
    long = [column for column in header if len(column) > MAX_CELL_CHARS]
    if long:
        return [
            Problem(
                f"a column name has {len(long[0])} characters; a cell may have at most "
                f"{MAX_CELL_CHARS}",
                Location(name, line),
            )
        ]
    counts = Counter(header)
    needed = ["value"] if "activity" in counts else ["indicator", "value"]
    for column in needed:
        if column not in counts:
            close = closest(column, counts)
            problems.append(
                Problem(
                    f"the header has no {column!r} column",
                    Location(name, line),
                    hint=f"rename column {close!r} to {column!r}" if close else None,
                )
            )
    if "period" not in counts and "date" not in counts:
        problems.append(
            Problem("the header needs a 'period' or a 'date' column", Location(name, line))
        )
    for column in sorted(c for c, n in counts.items() if n > 1):
        times = "twice" if counts[column] == 2 else f"{counts[column]} times"
        problems.append(Problem(f"column {column!r} appears {times}", Location(name, line, column)))
    if "" in counts:
        problems.append(Problem("a column has no name", Location(name, line)))
    return problems


def _directive(text: str, name: str, line: int) -> tuple[NumberFormat | None, Problem | None]:
    key, _, value = (part.strip() for part in text.partition("="))
    if key not in DIRECTIVES or not value:
        hint = did_you_mean(key, list(DIRECTIVES))
        return None, Problem(
            f"unknown directive {text.strip()!r}; expected 'number_format = indonesian' or "
            "'number_format = international'",
            Location(name, line),
            hint=hint,
        )
    return number_format_of(value, name, line)
