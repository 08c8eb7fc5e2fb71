"""Reading JSON event files: a list of events, or an object with an ``events`` list.

A JSON file is parsed whole, so it is bounded lower than a CSV file
(:data:`~.files.MAX_JSON_FILE_BYTES`), and so is what it may hold: how deeply
it nests, how long a text or a number is. Numbers are read as exact decimals;
a key written twice in one object, ``NaN``, a lone surrogate (``"\\ud800"``,
half of a character) are refused with the line of their event and their key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from .._converters import describe
from .._errors import Location, Problem, echo
from .._events import FIELDS
from .._suggest import closest, did_you_mean
from .event_rows import MAX_PROBLEMS_PER_FILE, Item, Refusal, Row, number_format_of
from .files import JSON_EVENT_FILE, InputFileError, read_text

#: Levels of ``[`` and ``{``. An event file needs four (``{"events": [{"dimensions":
#: {...}}]}``); the bound keeps parsing from recursing deep into the stack.
MAX_JSON_DEPTH: Final = 20
#: Values in a file, counted as the commas, ``[`` and ``{`` outside texts (an
#: event of six fields counts about eight). Parsed values take memory: a
#: million of them up to about 110 MB (``[0,0,...]``). A file of 16 MiB holds
#: about 120,000 events, which stay within the bound.
MAX_JSON_VALUES: Final = 1_000_000
#: Characters of a text (a key or a value): the same bound as a CSV cell, so
#: that a value means the same in both formats.
MAX_JSON_STRING_CHARS: Final = 10_000
#: Characters of a number. A figure has at most 24 digits before the decimal
#: mark and 20 after it; a longer number is a mistake, and reading it (or
#: printing it in a message) should not cost more than reading a figure.
MAX_JSON_NUMBER_CHARS: Final = 100

_JSON_KEYS: Final = (*FIELDS, "dimensions")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: How a lone surrogate can be written in JSON (a file is decoded strictly, so
#: only as an escape).
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")


class _JsonObject(dict[str, Any]):
    """A JSON object; the keys written twice in it are kept aside, to be reported."""

    __slots__ = ("repeated",)

    def __init__(self) -> None:
        super().__init__()
        self.repeated: list[str] | None = None


@frozen
class _Refused:
    """A JSON value that cannot be event data (``NaN``, a number out of range), and why."""

    reason: str


def json_rows(file: Path) -> Generator[Item, None, None]:
    """The rows of a JSON event file and its problems, in file order."""
    name = str(file)
    try:
        text = read_text(file, JSON_EVENT_FILE)
    except InputFileError as exc:
        yield Refusal(exc.problems)
        return
    yield from _items(text, name)


def _items(text: str, name: str) -> Iterator[Item]:
    structure = _structure(text, name)
    if structure.refused is not None:
        yield Refusal((structure.refused,))
        return
    refused: list[_Refused] = []

    def number(literal: str) -> Decimal | _Refused:
        value = _number(literal)
        if isinstance(value, _Refused):
            refused.append(value)
        return value

    def constant(literal: str) -> _Refused:
        refused.append(_constant(literal))
        return refused[-1]

    try:
        data = json.loads(
            text,
            parse_float=number,
            parse_int=number,
            parse_constant=constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        yield Refusal((Problem(f"not valid JSON: {exc.msg}", Location(name, exc.lineno)),))
        return
    except RecursionError:  # pragma: no cover - MAX_JSON_DEPTH is far below the stack's depth
        yield Refusal((Problem("not valid event data: nested too deeply", Location(name)),))
        return
    # Texts and numbers are looked at one by one only when some may be refused.
    suspect = bool(
        refused or structure.longest > MAX_JSON_STRING_CHARS or _SURROGATE_ESCAPE.search(text)
    )
    lines = structure.lines
    outside = _outside_events(data) if suspect else None
    found = list(islice(_value_problems(outside, name, 1, ""), MAX_PROBLEMS_PER_FILE))
    if found:
        yield Refusal(tuple(found))
        return
    problems: list[Problem] = []
    number_format = None
    records = data
    if isinstance(data, dict):
        if "events" not in data and ("indicator" in data or "value" in data):
            problems = list(islice(_repeated(data, name, 1, ""), MAX_PROBLEMS_PER_FILE))
            problems.append(
                Problem(
                    "expected a list of events: to give one event, wrap it in [ ... ]",
                    Location(name, 1),
                )
            )
            yield Refusal(tuple(problems), row=True)
            return
        problems = list(islice(_top_level_problems(data, name), MAX_PROBLEMS_PER_FILE))
        if "number_format" in data:
            number_format, _ = number_format_of(data["number_format"], name, 1)
        records = data.get("events")
    if not isinstance(records, list):
        problems.append(
            Problem(
                "expected a list of events, or an object with an 'events' list", Location(name, 1)
            )
        )
    if problems:
        yield Refusal(tuple(problems))
    if not isinstance(records, list):
        return
    for index, record in enumerate(records):
        line = lines[index] if index < len(lines) else None
        pointer = f"events[{index}]"
        found = []
        if suspect:
            found = list(
                islice(_value_problems(record, name, line, pointer), MAX_PROBLEMS_PER_FILE)
            )
        if not found:
            found = list(
                islice(_record_problems(record, name, line, pointer), MAX_PROBLEMS_PER_FILE)
            )
        if found:
            yield Refusal(tuple(found), row=True)
            continue
        fields = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items()}
        if isinstance(record.get("value"), Decimal):
            fields["value"] = record["value"]  # JSON numbers are exact and unambiguous
        yield Row(line, fields, None if line else pointer, number_format)


def _top_level_problems(data: dict[str, Any], name: str) -> Iterator[Problem]:
    """The problems of the keys of the object around the events."""
    yield from _repeated(data, name, 1, "")
    for key in sorted(set(data) - {"number_format", "events"}):
        yield Problem(
            f"unknown key {echo(key)!r}; expected 'events' and optionally 'number_format'",
            Location(name, 1, key),
            hint=did_you_mean(key, ["events", "number_format"]),
        )
    if "number_format" in data:
        _, problem = number_format_of(data["number_format"], name, 1)
        if problem:
            yield problem


def _object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    found = _JsonObject()
    for key, value in pairs:
        if key in found:
            if found.repeated is None:
                found.repeated = []
            found.repeated.append(key)
        else:
            found[key] = value
    return found


def _number(literal: str) -> Decimal | _Refused:
    if len(literal) > MAX_JSON_NUMBER_CHARS:
        return _Refused(
            f"a number of {len(literal)} characters; a number may have at most "
            f"{MAX_JSON_NUMBER_CHARS}"
        )
    try:
        value = Decimal(literal)
    except ArithmeticError:  # an exponent beyond what a decimal can hold
        value = Decimal("NaN")
    if not value.is_finite():  # the same, when the caller's context does not trap it
        return _Refused(f"{literal} is not a number a report can hold (its exponent is too large)")
    return value


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number a report can hold")


def _outside_events(data: Any) -> Any:
    """The document without its list of events (checked event by event)."""
    if isinstance(data, list):
        return None
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        rest = _JsonObject()
        rest.update((k, v) for k, v in data.items() if k != "events")
        return rest
    return data


def _value_problems(value: Any, name: str, line: int | None, pointer: str) -> Iterator[Problem]:
    """Texts and numbers that cannot be read, anywhere in ``value``, in document order."""
    stack: list[tuple[Any, str, bool]] = [(value, pointer, False)]
    while stack:
        item, at, is_key = stack.pop()
        if isinstance(item, _Refused):
            yield Problem(item.reason, Location(name, line, at or None))
        elif isinstance(item, str):
            where = Location(name, line, at or None)
            yield from _text_problems(item, where, "key" if is_key else "text")
        elif isinstance(item, dict):
            children: list[tuple[Any, str, bool]] = []
            for key, child in item.items():
                if len(key) > MAX_JSON_STRING_CHARS or _SURROGATE.search(key):
                    children.append((key, at, True))  # reported; what it holds is not looked at
                else:
                    children.append((child, f"{at}.{key}" if at else key, False))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(
                (child, f"{at}[{i}]", False) for i, child in reversed(list(enumerate(item)))
            )


def _text_problems(text: str, where: Location, what: str) -> Iterator[Problem]:
    """The problems of a text (``what`` is ``text``) or of a key (``key``)."""
    the = "a key" if what == "key" else "the text"
    if len(text) > MAX_JSON_STRING_CHARS:
        yield Problem(
            f"{the} has {len(text)} characters; a {what} may have at most {MAX_JSON_STRING_CHARS}",
            where,
        )
    elif surrogate := _SURROGATE.search(text):
        yield Problem(
            f"{the} holds a lone surrogate (\\u{ord(surrogate.group()):04x}), half of a character",
            where,
            hint="write the character itself, or both halves of its \\u escape",
        )


def _record_problems(record: Any, name: str, line: int | None, pointer: str) -> Iterator[Problem]:
    """The problems of one JSON event before conversion (none when it can be read)."""
    if not isinstance(record, dict):
        yield Problem(
            f"expected an object {{...}}, found {describe(record)}",
            Location(name, line, pointer),
        )
        return
    yield from _repeated(record, name, line, pointer)
    for key in sorted(set(record) - set(_JSON_KEYS)):
        close = closest(key, _JSON_KEYS)
        yield Problem(
            f"unknown key {echo(key)!r}",
            Location(name, line, f"{pointer}.{key}"),
            hint=f"did you mean {close!r}?" if close else 'dimensions go inside "dimensions"',
        )
    for key in FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str | Decimal):
            expected = "a number or text" if key == "value" else "text"
            yield Problem(
                f"expected {expected}, found {describe(value)}",
                Location(name, line, f"{pointer}.{key}"),
            )
    dims = record.get("dimensions")
    if dims is None:
        return
    if not isinstance(dims, dict):
        yield Problem(
            f"expected an object of dimension values, found {describe(dims)}",
            Location(name, line, f"{pointer}.dimensions"),
        )
        return
    yield from _repeated(dims, name, line, f"{pointer}.dimensions")
    for dim, value in dims.items():
        if not isinstance(value, str):
            yield Problem(
                f"expected text, found {describe(value)}",
                Location(name, line, f"{pointer}.dimensions.{dim}"),
            )


def _repeated(obj: dict[str, Any], name: str, line: int | None, pointer: str) -> Iterator[Problem]:
    repeated = obj.repeated if isinstance(obj, _JsonObject) else None
    for key in repeated or ():
        yield Problem(
            "this key is written twice in one object: which value is meant?",
            Location(name, line, f"{pointer}.{key}" if pointer else key),
        )


@frozen
class _Structure:
    """What one reading of a JSON text finds before it is parsed (see :func:`_structure`)."""

    lines: list[int]
    """The line where each element of the events array starts."""
    longest: int
    """The length of the longest string as written (escapes count in full)."""
    refused: Problem | None = None
    """Why the text cannot be parsed: it nests too deeply, or holds too many values."""


def _structure(text: str, name: str) -> _Structure:
    """Where each event starts, how deeply the text nests, and how long its strings are.

    The events array is the top-level array, or the value of the top-level key
    ``events``. The text is read once, before it is parsed, so it may not be
    valid JSON; reading stops at the first level deeper than MAX_JSON_DEPTH, or
    at the value past MAX_JSON_VALUES.
    """
    lines: list[int] = []
    line = 1
    depth = longest = string_start = values = 0
    outer = ""  # the bracket that opens the document
    events_level: int | None = None
    expecting = False  # an element of the events array may start at the next value
    in_string = escaped = False
    last_string = key = None
    for index, char in enumerate(text):
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                longest = max(longest, index - string_start)
                if depth == 1:  # a key of the top-level object, or one of its values
                    last_string = text[string_start:index]
            continue
        if char in " \t\r\n":
            continue
        if expecting and depth == events_level and char not in ",]":
            lines.append(line)
            expecting = False
        if char in ",[{":
            values += 1
            if values > MAX_JSON_VALUES:
                message = f"the file holds more than {MAX_JSON_VALUES} values"
                hint = "split it into several files, or write it as CSV"
                return _Structure(lines, longest, Problem(message, Location(name, line), hint=hint))
        if char == '"':
            in_string, string_start = True, index + 1
        elif char == ":" and depth == 1:
            key = last_string
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                message = f"not valid event data: nested more than {MAX_JSON_DEPTH} levels deep"
                return _Structure(lines, longest, Problem(message, Location(name, line)))
            if depth == 1:
                outer = char
            top_level = depth == 1 or (outer == "{" and depth == 2 and key == "events")
            if char == "[" and events_level is None and top_level:
                events_level, expecting = depth, True
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "," and depth == events_level:
            expecting = True
    if in_string:  # not closed: not valid JSON, but no text may pass unseen
        longest = max(longest, len(text) - string_start)
    return _Structure(lines, longest)
