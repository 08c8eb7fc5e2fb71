"""Reading TOML text: the data, where each key was written, or one located problem.

Every TOML file ikueval reads (rule sets, published figures) goes through
:func:`read_toml`. It returns a :class:`TomlDocument`, or the one
:class:`~ikueval._errors.Problem` that stops the text from being read, with its
file and line: TOML syntax (in plainer words than :mod:`tomllib`'s), a key set
twice, a number too long to read, a document nested deeper than
:data:`MAX_NESTING`. It never raises, whatever the text. Floats are read as
exact :class:`~decimal.Decimal` values, whatever the caller's decimal context.

A loader turns the problem into its own error class::

    document = read_toml(text, source)
    if isinstance(document, Problem):
        raise PublicationError(document)
    ...  # document.data, and document.line(path) where a problem needs a line
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Clamped,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Underflow,
)
from typing import Any, Final

from attrs import frozen

from .._errors import Location, Problem
from .toml_positions import Path, deep_line, find_bare_value, key_lines, line_of, repeated_key

#: The deepest nesting of tables and lists a document may have, counted as the
#: length of a key path. Rule files and published figures need 5 levels
#: (``indicators[0].targets.pk.Q2``, ``tables[0].columns.target.span``); 32 leaves room
#: for any format ikueval may read, and stays far below the depth at which the
#: recursion of tomllib, copy.deepcopy and cattrs fails (a few hundred levels).
MAX_NESTING: Final = 32

#: Reads TOML floats exactly, as ``Decimal(text)`` does, but whatever the
#: caller's decimal context: the widest precision and exponent range, and every
#: signal that would change the number trapped, so that an exponent out of
#: Decimal's range raises instead of becoming NaN, zero or a rounded value.
_FLOATS: Final = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, Overflow, Underflow, Clamped, Rounded, Inexact],
)

#: A run of more than :data:`MAX_NESTING` dotted parts, as a dotted key or a
#: table header writes them (``a.a.a...``). tomllib reads such a key in time
#: quadratic in its parts (32,000 parts, 64 KB, take 14 s), so a text that has
#: one is first scanned for a key too deep, in linear time. The pattern also
#: matches dots in texts and numbers; the scan then finds nothing too deep.
_MANY_PARTS: Final = re.compile(
    r"(?<![A-Za-z0-9_\-])(?:(?:[A-Za-z0-9_\-]++|\"[^\"\n]*+\"|'[^'\n]*+')[ \t]*+\.[ \t]*+)"
    rf"{{{MAX_NESTING},}}+"
)

#: A line of at least :data:`MAX_NESTING` dots: what every match of :data:`_MANY_PARTS`
#: lies in (none of its parts crosses a line), found three times faster, so that the
#: usual text, whose lines have a few dots each, is not searched for keys too deep.
_MANY_DOTS: Final = re.compile(rf"^(?:[^\n.]*+\.){{{MAX_NESTING}}}", re.MULTILINE)

_DECLARED_TWICE: Final = re.compile(r"Cannot declare (\(.*\)) twice")
_TOML_POSITION: Final = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")

#: Plainer words for tomllib's most common messages.
_TOML_WORDS: Final = {
    "Illegal character '\\n'": "a text in quotes is not closed on this line",
    "Invalid value": "a value is missing or malformed (text needs quotes)",
    "Expected newline or end of document after a statement": (
        "unexpected text after a value (text needs quotes; write one key = value per line)"
    ),
}


class KeyLines(Mapping[Path, int]):
    """The line of every key path of a document, found when first asked for.

    Finding the lines scans the whole text, at about the cost of parsing it,
    and most documents have no problem to locate: the scan waits for the first
    question, and runs once.
    """

    __slots__ = ("_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[Path, int] | None = None

    def _scanned(self) -> dict[Path, int]:
        if self._lines is None:
            self._lines = key_lines(self._text)
        return self._lines

    def __getitem__(self, path: Path) -> int:
        return self._scanned()[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self._scanned())

    def __len__(self) -> int:
        return len(self._scanned())


@frozen
class TomlDocument:
    """A TOML document that was read: its data, and the line of each key."""

    data: dict[str, Any]
    """What :mod:`tomllib` read, floats as exact decimals."""
    lines: KeyLines
    """The line of every key path (found on first use)."""
    source: str | None = None
    """The name of the text in messages (a file name), or None."""

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (None for the root)."""
        return line_of(self.lines, path) if path else None


def read_toml(text: str, source: str | None = None) -> TomlDocument | Problem:
    """Read TOML text; the document, or the one problem that stops it being read.

    Args:
        text: the TOML document.
        source: a name for the text in messages (a file name, a URL...).

    Returns:
        The :class:`TomlDocument`; or, when the text is not valid TOML, holds a
        number too long to read, or nests deeper than :data:`MAX_NESTING`, a
        :class:`~ikueval._errors.Problem` located by ``source`` and line.
    """
    if _MANY_DOTS.search(text) and _MANY_PARTS.search(text):
        line = deep_line(text, MAX_NESTING)
        if line is not None:
            return _too_deep(text, source, line)
    try:
        data = tomllib.loads(text, parse_float=_exact_float)
    except tomllib.TOMLDecodeError as exc:
        return _syntax_problem(exc, text, source)
    except RecursionError:  # lists or inline tables nested hundreds of levels deep
        return _too_deep(text, source)
    except (ValueError, ArithmeticError):  # Python's digit limit of int, an exponent
        return _unreadable_number(text, source)
    if _deeper_than(data, MAX_NESTING):
        return _too_deep(text, source)
    return TomlDocument(data, KeyLines(text), source)


def _exact_float(text: str) -> Decimal:
    """A TOML float as an exact Decimal (tomllib hands it over with its underscores)."""
    return _FLOATS.create_decimal(text.replace("_", ""))


def _key_text(path: Path) -> str:
    """A key path as written in messages: ``indicators[0].targets.pk``."""
    text = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)
    return text.removeprefix(".")


def _deeper_than(data: dict[str, Any], depth: int) -> bool:
    """Whether a key path of ``data`` is longer than ``depth`` (without recursion)."""
    level: list[Any] = [data]
    for _ in range(depth):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return any(node for node in level)


def _too_deep(text: str, source: str | None, line: int | None = None) -> Problem:
    """The problem of a document nested too deep, at ``line`` (found when not given)."""
    return Problem(
        f"tables and lists are nested more than {MAX_NESTING} levels deep",
        Location(source, deep_line(text, MAX_NESTING) if line is None else line),
        hint="rule files and published figures need far fewer",
    )


def _unreadable_number(text: str, source: str | None) -> Problem:
    """The number tomllib could not convert: the first one that fails when read alone."""
    found = find_bare_value(text, lambda value: _conversion_error(value) is not None)
    if found is None:  # pragma: no cover - tomllib refused a number the scan cannot see
        return Problem("a number cannot be read", Location(source))
    path, line, number = found
    where = Location(source, line, None if path is None else _key_text(path))
    if isinstance(_conversion_error(number), ArithmeticError):
        return Problem("the exponent of the number is out of range", where)
    digits = sum(char.isdigit() for char in number)
    limit = sys.get_int_max_str_digits()
    return Problem(f"a number of {digits} digits is too long (the most is {limit} digits)", where)


def _conversion_error(value: str) -> Exception | None:
    """What tomllib raises when it converts the value ``value`` (a number too long...)."""
    if len(value) < 10:  # converts: int reads 640 digits or more, exponents fail from 10 digits
        return None
    try:
        tomllib.loads(f"v = {value}", parse_float=_exact_float)
    except tomllib.TOMLDecodeError:
        return None
    except (ValueError, ArithmeticError) as exc:
        return exc
    return None


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, source: str | None) -> Problem:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line = int(match.group(1)) if match and match.group(1) else None
    reason = _TOML_POSITION.sub("", message).strip()
    column = f" at column {match.group(2)}" if match and match.group(2) else ""
    if reason == "Cannot overwrite a value":
        repeated = repeated_key(text)
        if repeated is not None:
            path, first, again = repeated
            key = _key_text(path)
            where = Location(source, again, key)
            return Problem(f"not valid TOML: {key} is set twice (first at line {first})", where)
    declared = _DECLARED_TWICE.fullmatch(reason)
    if declared:
        table = ".".join(ast.literal_eval(declared.group(1)))
        reason = f"the table [{table}] is declared twice"
    reason = _TOML_WORDS.get(reason, reason)
    return Problem(f"not valid TOML: {reason}{column}", Location(source, line))
