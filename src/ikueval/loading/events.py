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
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from ..converters import describe
from ..decimals import NumberFormat
from ..errors import EventError, IkuEvalError, Location, Problem
from ..events import FIELDS, Event, EventSource, event_from_record
from ..model import RuleSet
from ..suggest import closest, did_you_mean

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
    unread: int = 0
    """Rows not checked because the header must be fixed first."""


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
        problems.sort(key=lambda problem: problem.location.line or 0)
        rows = len(parsed.rows) + parsed.malformed
        summary = (
            f"file refused: {rows} row{'s' if rows != 1 else ''} read, {bad + parsed.malformed} bad"
        )
        if not rows and not parsed.unread:
            summary = "file refused: no row could be read from it"
        if parsed.unread:
            unread = f"{parsed.unread} row{'s' if parsed.unread != 1 else ''}"
            summary = f"file refused: fix the header first ({unread} not checked)"
        problems.append(Problem(summary, Location(str(file))))
    return problems


def _parse(file: Path) -> _Parsed:
    name = str(file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return _Parsed((), None, (Problem(f"cannot read: {exc.strerror}", Location(name)),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(
            f"not UTF-8 text (byte {exc.start} of the file)",
            Location(name, line),
            hint="save as 'CSV UTF-8' or UTF-8 JSON",
        )
        return _Parsed((), None, (problem,))
    if file.suffix.lower() == ".json":
        return _parse_json(file, text)
    return _parse_csv(file, text)


def _lines(text: str) -> list[str]:
    """The lines of a text, broken at newlines only.

    ``str.splitlines`` also breaks at form feeds and Unicode line separators,
    which can sit inside a cell; line numbers must count what editors count.
    """
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _parse_csv(file: Path, text: str) -> _Parsed:
    name = str(file)
    problems: list[Problem] = []
    lines = _lines(text)
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
        header = [_column(cell) for cell in next(reader)]
    except csv.Error as exc:
        problems.append(Problem(f"unreadable header: {exc}", Location(name, header_line)))
        return _Parsed((), number_format, tuple(problems))
    header_problems = _check_header(header, name, header_line)
    problems.extend(header_problems)
    rows: list[_Row] = []
    malformed = 0
    previous = reader.line_num
    while True:
        line = start + previous + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            closed = "unexpected end of data" not in str(exc)
            message = f"unreadable row: {exc}" if closed else "a quoted cell is never closed"
            problems.append(Problem(message, Location(name, line), hint="check the quotes"))
            malformed += 1
            break
        previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if [_column(cell) for cell in cells] == header:
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
    if header_problems:  # the rows cannot be read without their columns
        return _Parsed((), number_format, tuple(problems), malformed, unread=len(rows))
    if not rows and not malformed:
        problems.append(
            Problem(
                "the file has a header but no data rows",
                Location(name, header_line),
                hint="fill it in, or leave the file out",
            )
        )
    return _Parsed(tuple(rows), number_format, tuple(problems), malformed)


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
    needed = ["value"] if "activity" in header else ["indicator", "value"]
    for column in needed:
        if column not in header:
            close = closest(column, header)
            problems.append(
                Problem(
                    f"the header has no {column!r} column",
                    Location(name, line),
                    hint=f"rename column {close!r} to {column!r}" if close else None,
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


#: A key that json.loads cannot produce, marking the keys of an object written twice.
_REPEATED: Final = "\x00repeated"


class _RefusedJson(ValueError):
    """JSON that is valid but cannot be event data (NaN, Infinity)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; keys written twice are kept aside to be reported, not overwritten."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            found.setdefault(_REPEATED, []).append(key)
        else:
            found[key] = value
    return found


def _constant(name: str) -> Any:
    raise _RefusedJson(f"{name} is not a number a report can hold")


_CONSTANT: Final = re.compile(r"\b(?:NaN|-?Infinity)\b")


def _line_of_constant(text: str) -> int | None:
    """The line of the first NaN or Infinity outside a string (best effort)."""
    for number, line in enumerate(text.split("\n"), start=1):
        outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        if _CONSTANT.search(outside):
            return number
    return None


def _parse_json(file: Path, text: str) -> _Parsed:
    name = str(file)
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        problem = Problem(f"not valid JSON: {exc.msg}", Location(name, exc.lineno))
        return _Parsed((), None, (problem,))
    except _RefusedJson as exc:
        line = _line_of_constant(text)
        return _Parsed((), None, (Problem(f"not valid event data: {exc}", Location(name, line)),))
    except RecursionError:
        problem = Problem("not valid event data: nested too deeply", Location(name))
        return _Parsed((), None, (problem,))
    problems: list[Problem] = []
    number_format = None
    records = data
    if isinstance(data, dict):
        problems.extend(_repeated(data, name, 1, ""))
        if "events" not in data and ("indicator" in data or "value" in data):
            problems.append(
                Problem(
                    "expected a list of events: to give one event, wrap it in [ ... ]",
                    Location(name, 1),
                )
            )
            return _Parsed((), None, tuple(problems), malformed=1)
        for key in sorted(set(data) - {"number_format", "events", _REPEATED}):
            problems.append(
                Problem(
                    f"unknown key {key!r}; expected 'events' and optionally 'number_format'",
                    Location(name, 1, key),
                    hint=did_you_mean(key, ["events", "number_format"]),
                )
            )
        if "number_format" in data:
            number_format, format_problem = _number_format(data["number_format"], name, 1)
            if format_problem:
                problems.append(format_problem)
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
    for index, record in enumerate(records):
        line = lines[index] if index < len(lines) else None
        found = _json_record(record, name, line, f"events[{index}]")
        if found:
            problems.extend(found)
            malformed += 1
        else:
            fields = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items()}
            if isinstance(record.get("value"), Decimal):
                fields["value"] = record["value"]  # JSON numbers are exact and unambiguous
            rows.append(_Row(line, fields, None if line else f"events[{index}]"))
    return _Parsed(tuple(rows), number_format, tuple(problems), malformed)


_JSON_KEYS: Final = (*FIELDS, "dimensions")


def _json_record(record: Any, name: str, line: int | None, pointer: str) -> list[Problem]:
    """The problems of one JSON event before conversion (none when it can be read)."""
    if not isinstance(record, dict):
        return [
            Problem(
                f"expected an object {{...}}, found {describe(record)}",
                Location(name, line, pointer),
            )
        ]
    problems = _repeated(record, name, line, pointer)
    for key in sorted(set(record) - {*_JSON_KEYS, _REPEATED}):
        close = closest(key, _JSON_KEYS)
        problems.append(
            Problem(
                f"unknown key {key!r}",
                Location(name, line, f"{pointer}.{key}"),
                hint=f"did you mean {close!r}?" if close else 'dimensions go inside "dimensions"',
            )
        )
    for key in FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str | Decimal):
            expected = "a number or text" if key == "value" else "text"
            problems.append(
                Problem(
                    f"expected {expected}, found {describe(value)}",
                    Location(name, line, f"{pointer}.{key}"),
                )
            )
    dims = record.get("dimensions")
    if dims is not None:
        if not isinstance(dims, dict):
            problems.append(
                Problem(
                    f"expected an object of dimension values, found {describe(dims)}",
                    Location(name, line, f"{pointer}.dimensions"),
                )
            )
        else:
            problems.extend(_repeated(dims, name, line, f"{pointer}.dimensions"))
            for dim, value in dims.items():
                if dim != _REPEATED and not isinstance(value, str):
                    problems.append(
                        Problem(
                            f"expected text, found {describe(value)}",
                            Location(name, line, f"{pointer}.dimensions.{dim}"),
                        )
                    )
    return problems


def _repeated(obj: dict[str, Any], name: str, line: int | None, pointer: str) -> list[Problem]:
    return [
        Problem(
            "this key is written twice in one object: which value is meant?",
            Location(name, line, f"{pointer}.{key}" if pointer else key),
        )
        for key in obj.get(_REPEATED, [])
    ]


def _element_lines(text: str) -> list[int]:
    """The line where each element of the events array starts.

    The events array is the top-level array, or the value of the top-level
    key ``events``.
    """
    lines: list[int] = []
    line = 1
    stack: list[str] = []
    events_level: int | None = None
    expecting = False
    in_string = escaped = False
    chars: list[str] = []
    last_string = key = None
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
                chars.append(char)
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                last_string = "".join(chars)
            else:
                chars.append(char)
            continue
        if char in " \t\r\n":
            continue
        if expecting and len(stack) == events_level and char not in ",]":
            lines.append(line)
            expecting = False
        if char == '"':
            in_string, chars = True, []
        elif char == ":" and len(stack) == 1:
            key = last_string
        elif char in "[{":
            stack.append(char)
            top_level = len(stack) == 1 or (stack[0] == "{" and len(stack) == 2 and key == "events")
            if char == "[" and events_level is None and top_level:
                events_level, expecting = len(stack), True
        elif char in "]}":
            if stack:
                stack.pop()
        elif char == "," and len(stack) == events_level:
            expecting = True
    return lines
