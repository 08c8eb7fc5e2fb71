"""Reading event files: CSV and JSON (see ``docs/events.md``).

:func:`read_events` checks every file completely before it yields a single
event: a file with any bad row is refused as a whole, with all its bad rows
listed, so that an evaluation never silently covers part of the data. The
events are then streamed from the files a second time, so memory does not
grow with the size of the files.

CSV files may start with comment lines (``# ...``) and directives
(``#: number_format = indonesian``). Exports from spreadsheets are accepted
as they usually come: UTF-8 with or without a byte-order mark, separated by
commas, semicolons or tabs, with Windows line endings, blank lines and a
repeated header row (which is skipped). Anything else that does not fit is
refused with its line and column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from ..decimals import NumberFormat
from ..errors import EventError, IkuEvalError, Location, Problem
from ..events import FIELDS, Event, EventSource, event_from_record
from ..model import RuleSet
from ..suggest import did_you_mean

#: File name patterns read from a directory.
EVENT_SUFFIXES: Final = (".csv", ".json")
#: CSV lines starting with this before the header are directives.
DIRECTIVE: Final = "#:"
DIRECTIVES: Final = ("number_format",)
_SEPARATORS: Final = (",", ";", "\t")
NOTHING_READ: Final = "no events were read: fix the files above"


@frozen
class _Row:
    """One record of a file, before conversion."""

    line: int | None
    fields: dict[str, Any]
    pointer: str | None = None


@frozen
class _Parsed:
    """A file split into rows, with its declared number format and file-level problems."""

    rows: tuple[_Row, ...]
    number_format: NumberFormat | None
    problems: tuple[Problem, ...]
    malformed: int = 0
    """Rows refused before conversion (wrong number of cells, not an object...)."""


def event_files(paths: Iterable[str | Path]) -> list[Path]:
    """The event files named by ``paths``: files as given, directories' CSV and JSON files.

    Raises:
        EventError: a path does not exist, or a directory holds no event file.
    """
    found: list[Path] = []
    problems = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in EVENT_SUFFIXES)
            if not inside:
                problems.append(
                    Problem(
                        "the directory holds no *.csv or *.json event file", Location(str(path))
                    )
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem("no such file or directory", Location(str(path))))
    seen: dict[Path, Path] = {}
    for path in found:
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            problems.append(
                Problem(
                    "named more than once (directly or through its directory): its events "
                    "would be counted twice",
                    Location(str(path)),
                )
            )
    if problems:
        raise EventError(problems, summary=NOTHING_READ)
    return found


def read_events(ruleset: RuleSet, paths: Iterable[str | Path]) -> Iterator[Event]:
    """Check event files completely, then stream their events.

    Args:
        ruleset: the rule set the events are checked against.
        paths: event files, or directories whose ``*.csv`` and ``*.json`` files
            are read in name order.

    Raises:
        EventError: (at once, before any event is yielded) listing every bad
            row of every file, with per-file counts.
    """
    files = event_files(paths)
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    for file in files:
        problems.extend(_check_file(ruleset, file, ids))
    if problems:
        raise EventError(problems, summary=NOTHING_READ)
    return _stream(ruleset, files)


def _stream(ruleset: RuleSet, files: list[Path]) -> Iterator[Event]:
    for file in files:
        parsed = _parse(file)
        for row in parsed.rows:
            yield _event(ruleset, file, row, parsed.number_format)


def _event(ruleset: RuleSet, file: Path, row: _Row, number_format: NumberFormat | None) -> Event:
    source = EventSource(str(file), row.line, row.pointer)
    return event_from_record(ruleset, row.fields, source=source, number_format=number_format)


def _check_file(ruleset: RuleSet, file: Path, ids: dict[str, str]) -> list[Problem]:
    parsed = _parse(file)
    problems = list(parsed.problems)
    bad = 0
    for row in parsed.rows:
        row_problems: list[Problem] = []
        try:
            event = _event(ruleset, file, row, parsed.number_format)
        except IkuEvalError as exc:
            row_problems.extend(exc.problems)
        else:
            if event.id is not None:
                where = str(event.source)
                if event.id in ids:
                    row_problems.append(
                        Problem(
                            f"duplicate event id {event.id!r} (first at {ids[event.id]})",
                            Location(str(file), row.line, "id"),
                        )
                    )
                else:
                    ids[event.id] = where
        if row_problems:
            bad += 1
            problems.extend(row_problems)
    if problems:
        rows = len(parsed.rows) + parsed.malformed
        bad += parsed.malformed
        problems.append(
            Problem(
                f"file refused: {rows} row{'s' if rows != 1 else ''} read, {bad} bad",
                Location(str(file)),
            )
        )
    return problems


def _parse(file: Path) -> _Parsed:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return _Parsed(
            (),
            None,
            (
                Problem(
                    f"not UTF-8 text (byte {exc.start})",
                    Location(str(file)),
                    hint="save as 'CSV UTF-8' or UTF-8 JSON",
                ),
            ),
        )
    except OSError as exc:
        return _Parsed((), None, (Problem(f"cannot read: {exc.strerror}", Location(str(file))),))
    if file.suffix.lower() == ".json":
        return _parse_json(file, text)
    return _parse_csv(file, text)


def _parse_csv(file: Path, text: str) -> _Parsed:
    name = str(file)
    problems: list[Problem] = []
    lines = text.splitlines(keepends=True)
    number_format = None
    start = 0
    while start < len(lines) and (
        not lines[start].strip() or lines[start].lstrip().startswith("#")
    ):
        comment = lines[start].strip()
        if comment.startswith(DIRECTIVE):
            number_format, problem = _directive(comment[len(DIRECTIVE) :], name, start + 1)
            if problem:
                problems.append(problem)
        start += 1
    if start >= len(lines):
        problems.append(Problem("no header row: the file has no data", Location(name)))
        return _Parsed((), number_format, tuple(problems))
    separator = _separator(lines[start])
    reader = csv.reader(lines[start:], delimiter=separator, strict=True)
    header_line = start + 1
    try:
        header = [cell.strip() for cell in next(reader)]
    except csv.Error as exc:
        problems.append(Problem(f"unreadable header: {exc}", Location(name, header_line)))
        return _Parsed((), number_format, tuple(problems))
    problems.extend(_check_header(header, name, header_line))
    rows: list[_Row] = []
    malformed = 0
    previous = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(f"unreadable row: {exc}", Location(name, start + reader.line_num))
            )
            break
        line = start + previous + 1
        previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if [cell.strip() for cell in cells] == header:
            continue  # a repeated header (files joined together): not data
        if len(cells) != len(header):
            problems.append(
                Problem(
                    f"the row has {len(cells)} cells, the header has {len(header)}",
                    Location(name, line),
                    hint="check for a stray separator or a missing cell",
                )
            )
            malformed += 1
            continue
        rows.append(_Row(line, dict(zip(header, cells, strict=True))))
    return _Parsed(tuple(rows), number_format, tuple(problems), malformed)


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_header(header: list[str], name: str, line: int) -> list[Problem]:
    problems = []
    for column in ("indicator", "value"):
        if column not in header:
            problems.append(
                Problem(
                    f"the header has no {column!r} column",
                    Location(name, line),
                    hint=did_you_mean(column, header),
                )
            )
    if "period" not in header and "date" not in header:
        problems.append(
            Problem("the header needs a 'period' or a 'date' column", Location(name, line))
        )
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(f"column {column!r} appears twice", Location(name, line, column)))
    if "" in header:
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
    return _number_format(value, name, line)


def _number_format(
    value: object, name: str, line: int | None
) -> tuple[NumberFormat | None, Problem | None]:
    for number_format in NumberFormat:
        if value == number_format.value:
            return number_format, None
    choices = [f.value for f in NumberFormat]
    return None, Problem(
        f"unknown number format {value!r}; expected one of {', '.join(choices)}",
        Location(name, line, "number_format"),
        hint=did_you_mean(str(value), choices),
    )


def _parse_json(file: Path, text: str) -> _Parsed:
    name = str(file)
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as exc:
        return _Parsed(
            (), None, (Problem(f"not valid JSON: {exc.msg}", Location(name, exc.lineno)),)
        )
    problems: list[Problem] = []
    number_format = None
    records = data
    if isinstance(data, dict):
        for key in sorted(set(data) - {"number_format", "events"}):
            problems.append(
                Problem(
                    f"unknown key {key!r}; expected 'events' and optionally 'number_format'",
                    Location(name, 1, key),
                    hint=did_you_mean(key, ["events", "number_format"]),
                )
            )
        if "number_format" in data:
            number_format, problem = _number_format(data["number_format"], name, 1)
            if problem:
                problems.append(problem)
        records = data.get("events")
    if not isinstance(records, list):
        problems.append(
            Problem(
                "expected a list of events, or an object with an 'events' list", Location(name, 1)
            )
        )
        return _Parsed((), number_format, tuple(problems))
    lines = _element_lines(text)
    rows = []
    malformed = 0
    allowed = [*FIELDS, "dimensions"]
    for index, record in enumerate(records):
        line = lines[index] if index < len(lines) else None
        pointer = f"events[{index}]"
        if not isinstance(record, dict):
            problems.append(Problem("expected an object {...}", Location(name, line, pointer)))
            malformed += 1
            continue
        unknown = sorted(set(record) - set(allowed))
        for key in unknown:
            problems.append(
                Problem(
                    f'unknown key {key!r}; dimensions go inside "dimensions": {{...}}',
                    Location(name, line, f"{pointer}.{key}"),
                    hint=did_you_mean(key, allowed),
                )
            )
        dims = record.get("dimensions")
        if dims is not None and not isinstance(dims, dict):
            problems.append(
                Problem(
                    "expected an object of dimension values",
                    Location(name, line, f"{pointer}.dimensions"),
                )
            )
            malformed += 1
            continue
        if unknown:
            malformed += 1
            continue
        fields = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items()}
        if isinstance(record.get("value"), Decimal):
            fields["value"] = record["value"]  # JSON numbers are exact and unambiguous
        rows.append(_Row(line, fields, pointer if line is None else None))
    return _Parsed(tuple(rows), number_format, tuple(problems), malformed)


def _element_lines(text: str) -> list[int]:
    """The line where each element of the events array starts (best effort)."""
    lines: list[int] = []
    depth = 0
    line = 1
    in_string = escaped = False
    array_depth: int | None = None
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            if char == "[" and array_depth is None and depth <= 1:
                array_depth = depth + 1
            elif char == "{" and array_depth is not None and depth == array_depth:
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return lines
