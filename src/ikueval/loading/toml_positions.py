"""Line numbers of the keys of a TOML document.

:mod:`tomllib` reads TOML but forgets where each key was written. This module
scans a document that tomllib has already accepted and records, for every key
path, the line it appears on, so that an error found later (by cattrs or by a
semantic check) can name ``FILE:LINE``. Paths are tuples of keys and array
indices: ``("indicators", 6, "targets", "pk-2025", "Q2")``.

The scanner follows TOML 1.0's lexical rules (strings, comments, inline
tables, arrays, table and array-of-tables headers); it does not validate.
"""

from __future__ import annotations

import contextlib
from typing import Final

Path = tuple[str | int, ...]

_BARE: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_VALUE_END: Final = frozenset(",]}#\n\r")


def key_lines(text: str) -> dict[Path, int]:
    """Map every key path of a (valid) TOML document to its 1-based line."""
    return _Scanner(text).scan()


def repeated_key(text: str) -> tuple[Path, int, int] | None:
    """The first key set twice in a document, with both lines (best effort, for errors)."""
    scanner = _Scanner(text)
    with contextlib.suppress(IndexError, RecursionError):  # the text is not valid TOML
        scanner.scan()
    return scanner.repeated


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest written ancestor."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.table: Path = ()
        self.array_tables: dict[Path, int] = {}
        self.repeated: tuple[Path, int, int] | None = None

    def record(self, path: Path) -> None:
        if path in self.lines and self.repeated is None:
            self.repeated = (path, self.lines[path], self.line)
        self.lines[path] = self.line

    def scan(self) -> dict[Path, int]:
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                return self.lines
            if self.text.startswith("[[", self.pos):
                self.pos += 2
                key = self.read_key()
                path = (*self.resolve(key[:-1]), key[-1])
                self.expect("]]")
                index = self.array_tables.get(path, -1) + 1
                self.array_tables[path] = index
                self.lines.setdefault(path, self.line)
                self.table = (*path, index)
                self.lines[self.table] = self.line
            elif self.peek() == "[":
                self.pos += 1
                self.table = self.resolve(self.read_key())
                self.expect("]")
                self.lines.setdefault(self.table, self.line)
            else:
                key = self.read_key()
                path = (*self.table, *key)
                self.record_parents(self.table, key)
                self.record(path)
                self.expect("=")
                self.value(path)

    def record_parents(self, base: Path, key: tuple[str, ...]) -> None:
        for end in range(1, len(key)):
            self.lines.setdefault((*base, *key[:end]), self.line)

    def resolve(self, key: tuple[str, ...]) -> Path:
        """Insert the current index after every array-of-tables prefix of a header."""
        path: Path = ()
        for part in key:
            path = (*path, part)
            if path in self.array_tables:
                path = (*path, self.array_tables[path])
        return path

    def value(self, path: Path) -> None:
        self.skip_space(newlines=False)
        char = self.peek()
        if char in "\"'":
            self.read_string()
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_space(newlines=True)
                if self.peek() == "}":
                    self.pos += 1
                    return
                if self.peek() == ",":
                    self.pos += 1
                    continue
                key = self.read_key()
                self.record_parents(path, key)
                self.lines[(*path, *key)] = self.line
                self.expect("=")
                self.value((*path, *key))
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_space(newlines=True)
                if self.peek() == "]":
                    self.pos += 1
                    return
                if self.peek() == ",":
                    self.pos += 1
                    index += 1
                    continue
                self.lines[(*path, index)] = self.line
                self.value((*path, index))
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in _VALUE_END:
                self.pos += 1

    def read_key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self.skip_space(newlines=False)
            char = self.peek()
            if char in "\"'":
                parts.append(self.read_string())
            else:
                start = self.pos
                while self.pos < len(self.text) and self.text[self.pos] in _BARE:
                    self.pos += 1
                parts.append(self.text[start : self.pos])
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.pos += 1

    def read_string(self) -> str:
        """Read a string token; always moves forward, even on text tomllib would refuse."""
        quote = self.text[self.pos]
        delimiter = quote * 3 if self.text.startswith(quote * 3, self.pos) else quote
        start = self.pos + len(delimiter)
        index = start
        while index < len(self.text):
            if quote == '"' and self.text[index] == "\\":
                index += 2  # an escape, including \" and a line-ending backslash
                continue
            if self.text.startswith(delimiter, index):
                break
            if len(delimiter) == 1 and self.text[index] == "\n":
                break  # a single-line string cannot continue (tomllib refuses it)
            index += 1
        end = min(index, len(self.text))
        stop = end + len(delimiter)
        if len(delimiter) == 3:  # up to two more quotes belong to the string
            while stop < len(self.text) and self.text[stop] == quote and stop - end < 5:
                stop += 1
                end += 1
        value = self.text[start:end]
        self.advance_to(max(min(stop, len(self.text)), self.pos + 1))
        return value

    def advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def skip_space(self, *, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t":
                self.pos += 1
            elif char == "#":
                while self.pos < len(self.text) and self.text[self.pos] != "\n":
                    self.pos += 1
            elif newlines and char in "\r\n":
                if char == "\n":
                    self.line += 1
                self.pos += 1
            else:
                return

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, token: str) -> None:
        self.skip_space(newlines=False)
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
