"""Line numbers of the keys of a TOML document.

:mod:`tomllib` reads TOML but forgets where each key was written. This module
scans the text and records, for every key path, the line it is first written
on, so that an error found later (by cattrs or by a semantic check) can name
``FILE:LINE``. Paths are tuples of keys and array indices:
``("indicators", 6, "targets", "pk-2025", "Q2")``.

The scanner follows TOML 1.0's lexical rules (strings, comments, inline
tables, arrays, table and array-of-tables headers); it does not validate. It
is total: on any text at all, TOML or not, it returns in time linear in the
length of the text, and never raises. Each step of its one loop reads at least
one character (where nothing can be read, it skips what cannot start anything
there), strings, spaces and bare values are read by regular expressions that
never backtrack, lists and inline tables are tracked on a stack rather than by
recursion, and key paths longer than :data:`MAX_PATH_LENGTH` are not recorded,
which bounds the work per key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

Path = tuple[str | int, ...]

#: Key paths longer than this are not recorded; the scan notes the line of the
#: first one instead (see :func:`deep_line`). A path is as long as the document
#: is deep there, and ikueval refuses documents deeper than
#: ``toml_text.MAX_NESTING`` (32), so no path that matters is lost. The bound
#: keeps the work per key small, and the scan linear, on hostile text such as a
#: key of a million dotted parts.
MAX_PATH_LENGTH: Final = 100

# Spaces and comments, without and with line breaks.
_SPACE: Final = re.compile(r"(?:[ \t]++|#[^\n]*+)*+")
_SPACE_AND_LINES: Final = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_-]*+")
_SIMPLE_KEY: Final = re.compile(r"([A-Za-z0-9_-]++)[ \t]*+=[ \t]*+")
#: A number, date, time or boolean: everything up to what ends a value.
_BARE_VALUE: Final = re.compile(r"[^,\]}#\r\n]*+")
#: What can start nothing, at the top level (None), in an array (True) and in
#: an inline table (False): the scan skips a run of it in one step.
_JUNK: Final = {
    None: re.compile(r"[^A-Za-z0-9_\-\"'\[ \t\r\n#.]++"),
    True: re.compile(r"}++"),
    False: re.compile(r"[^A-Za-z0-9_\-\"'}, \t\r\n#.]++"),
}
# Strings: the opening quotes, the text (group 1), the closing quotes if any.
# Multi-line strings end at the first run of three or more quotes, of which up
# to two more belong to the text; an unclosed string runs to the end of its
# line (one-line strings) or of the document (multi-line strings).
_STRINGS: Final = {  # by quote, and whether the string is multi-line
    ('"', True): re.compile(r'"""((?:[^"\\]++|\\.|"{1,2}+(?!"))*+)(?:"{3,5})?', re.DOTALL),
    ("'", True): re.compile(r"'''((?:[^']++|'{1,2}+(?!'))*+)(?:'{3,5})?"),
    ('"', False): re.compile(r'"((?:[^"\\\n]++|\\[^\n])*+)"?'),
    ("'", False): re.compile(r"'([^'\n]*+)'?"),
}
_ESCAPE: Final = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED: Final = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def key_lines(text: str) -> dict[Path, int]:
    """Map every key path of a (valid) TOML document to its 1-based line.

    A table is at the line of the first header or dotted key that names it; an
    array of tables at its first ``[[header]]``, and each of its entries at its
    own. Paths longer than :data:`MAX_PATH_LENGTH` are left out.
    """
    scanner = _Scanner(text)
    scanner.scan()
    return scanner.lines


def repeated_key(text: str) -> tuple[Path, int, int] | None:
    """The first key set twice in a document, with both lines (best effort, for errors).

    A key is set twice when it is assigned again, or when a header or a dotted
    key makes a table of a key that already holds a value.
    """
    scanner = _Scanner(text, find_repeats=True)
    scanner.scan()
    return scanner.repeated


def deep_line(text: str, depth: int) -> int | None:
    """The line where the document first nests deeper than ``depth`` levels, or None.

    A key's depth is the length of its path: ``a.b = 1`` is two levels deep,
    ``x = [[1]]`` three. ``depth`` is at most :data:`MAX_PATH_LENGTH`.
    """
    scanner = _Scanner(text, max_depth=min(depth, MAX_PATH_LENGTH), stop_when_deep=True)
    scanner.scan()
    return scanner.deep


def find_bare_value(
    text: str, wanted: Callable[[str], bool]
) -> tuple[Path | None, int, str] | None:
    """The first value written without quotes (a number, date or boolean) that is ``wanted``.

    Returns its key path (None where the path is too long to record), its line
    and its text; None when no such value is ``wanted``.
    """
    scanner = _Scanner(text, wanted=wanted)
    scanner.scan()
    return scanner.found


def line_of(lines: Mapping[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest written ancestor."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


def _end(pattern: re.Pattern[str], text: str, start: int) -> int:
    """Where a match of ``pattern`` at ``start`` ends (``start`` if it does not match)."""
    match = pattern.match(text, start)
    return start if match is None else match.end()


def _unescape(text: str) -> str:
    """The text of a basic string; an escape TOML does not know is kept as written."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code is not None:
            value = int(code, 16)
            valid = value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF
            return chr(value) if valid else match.group()
        return _ESCAPED.get(match.group(3), match.group())

    return _ESCAPE.sub(replace, text) if "\\" in text else text


class _Open:
    """An array or inline table being read: its path, and the index of its next element."""

    __slots__ = ("array", "index", "path")

    def __init__(self, array: bool, path: Path) -> None:
        self.array = array
        self.path = path
        self.index = 0


class _Scanner:
    def __init__(
        self,
        text: str,
        *,
        max_depth: int = MAX_PATH_LENGTH,
        find_repeats: bool = False,
        stop_when_deep: bool = False,
        wanted: Callable[[str], bool] | None = None,
    ) -> None:
        self.text = text
        self.end = len(text)
        self.pos = 0
        self.line = 1
        self.max_depth = max_depth
        self.lines: dict[Path, int] = {}
        self.table: Path | None = ()  # None: a table too deep to record
        self.array_tables: dict[Path, int] = {}  # the last index of each array of tables
        self.open: list[_Open] = []  # the arrays and inline tables being read
        self.hidden = bytearray()  # those nested deeper, too deep to record: 1 for an array
        self.deep: int | None = None
        self.stop_when_deep = stop_when_deep
        self.assigned: dict[Path, int] | None = {} if find_repeats else None
        self.repeated: tuple[Path, int, int] | None = None
        self.wanted = wanted
        self.found: tuple[Path | None, int, str] | None = None
        self.done = False  # what the caller asked for is found

    def scan(self) -> None:
        """Read the text to its end, or until what the caller asked for is found.

        The loop ends: each round moves ``pos`` forward by at least one
        character (``pos`` never moves back), and it stops at the end of the text.
        """
        while self.pos < self.end and not self.done:
            start = self.pos
            where = self.step()
            if self.pos == start:  # nothing can read this: skip the run of such characters
                junk = _JUNK[where].match(self.text, self.pos)
                if junk is not None and junk.end() > self.pos:
                    self.pos = junk.end()
                else:
                    if self.text[self.pos] == "\n":
                        self.line += 1
                    self.pos += 1

    def step(self) -> bool | None:
        """Read on; return where: in a list (True), an inline table (False), or neither."""
        if self.hidden:
            array, open_ = self.hidden[-1] == 1, None
        elif self.open:
            open_ = self.open[-1]
            array = open_.array
        else:
            self.statement()
            return None
        if array:
            self.array_item(open_)
        else:
            self.table_item(open_)
        return array

    def close(self) -> None:
        """The end of the innermost array or inline table."""
        if self.hidden:
            self.hidden.pop()
        else:
            self.open.pop()

    # ------------------------------------------------------------------ statements

    def statement(self) -> None:
        """A header, or a key/value pair, at the top level."""
        self.skip(lines=True)
        if self.text.startswith("[[", self.pos):
            self.pos += 2
            self.header(array=True)
        elif self.text.startswith("[", self.pos):
            self.pos += 1
            self.header(array=False)
        elif self.pos < self.end:
            self.key_value(self.table)

    def header(self, *, array: bool) -> None:
        """``[table]`` or ``[[array.of.tables]]``: the table the next keys go to."""
        line = self.line
        key = self.read_key()
        self.expect("]]" if array else "]")
        self.table = None
        path: Path = ()
        for number, part in enumerate(key):
            path = (*path, part)
            if array and number == len(key) - 1:  # a new entry of this array of tables
                self.array_tables[path] = self.array_tables.get(path, -1) + 1
            if not self.named_table(path, line):
                return
            if path in self.array_tables:  # the header is about its last entry
                path = (*path, self.array_tables[path])
                if not self.named_table(path, line):
                    return
        self.table = path

    def named_table(self, path: Path, line: int) -> bool:
        """Record a table a header names; False when it is too deep to record."""
        if len(path) > self.max_depth:
            self.too_deep(line)
            return False
        self.lines.setdefault(path, line)
        if self.assigned is not None and path in self.assigned:
            self.repeat(path, line)
        return True

    def key_value(self, base: Path | None) -> None:
        """``key = value``, in a table (``base``) or an inline table."""
        line = self.line
        start = self.pos
        simple = _SIMPLE_KEY.match(self.text, start)  # most keys: one bare word
        if simple is not None:
            self.pos = simple.end()
            self.value(self.assign(base, (simple.group(1),), line))
            return
        key = self.read_key()
        if self.pos == start:
            return  # not a key: the caller skips the character
        path = self.assign(base, key, line)
        self.expect("=")
        self.value(path)

    def assign(self, base: Path | None, key: tuple[str, ...], line: int) -> Path | None:
        """Record a key and the tables its dots create; its path, or None if too deep."""
        if base is None or len(base) + len(key) > self.max_depth:
            self.too_deep(line)
            return None
        for end in range(1, len(key)):
            parent = (*base, *key[:end])
            self.lines.setdefault(parent, line)
            if self.assigned is not None and parent in self.assigned:
                self.repeat(parent, line)
        path = (*base, *key)
        if self.assigned is not None:
            if path in self.assigned or path in self.lines:
                self.repeat(path, line)
            self.assigned[path] = line
        self.lines[path] = line
        return path

    def repeat(self, path: Path, line: int) -> None:
        if self.repeated is None:
            first = self.assigned.get(path) if self.assigned is not None else None
            self.repeated = (path, first if first is not None else self.lines[path], line)
            self.done = True

    def too_deep(self, line: int) -> None:
        if self.deep is None:
            self.deep = line
            self.done = self.stop_when_deep

    # ------------------------------------------------------------------ values

    def value(self, path: Path | None) -> None:
        """The start of a value: a string or bare value is read whole, a list or table opened."""
        self.skip(lines=False)
        char = self.text[self.pos] if self.pos < self.end else ""
        if char in ('"', "'"):
            self.read_string()
        elif char in ("[", "{"):
            self.pos += 1
            if path is None:
                self.hidden.append(char == "[")
            else:
                self.open.append(_Open(char == "[", path))
        elif char:
            line = self.line
            start = self.pos
            self.pos = _end(_BARE_VALUE, self.text, start)
            if self.wanted is not None and self.pos > start:
                token = self.text[start : self.pos].rstrip(" \t")
                if self.wanted(token):
                    self.found = (path, line, token)
                    self.done = True

    def array_item(self, array: _Open | None) -> None:
        """In a list: an element, a comma or the closing bracket."""
        self.skip(lines=True)
        char = self.text[self.pos] if self.pos < self.end else ""
        if char == "]":
            self.pos += 1
            self.close()
        elif char == ",":
            self.pos += 1
            if array is not None:
                array.index += 1
        elif char:
            self.value(self.element(array))

    def element(self, array: _Open | None) -> Path | None:
        """The path of the next element of a list, or None if too deep to record."""
        if array is None or len(array.path) >= self.max_depth:
            self.too_deep(self.line)
            return None
        path = (*array.path, array.index)
        self.lines[path] = self.line
        return path

    def table_item(self, table: _Open | None) -> None:
        """In an inline table: a key/value pair, a comma or the closing brace."""
        self.skip(lines=True)
        char = self.text[self.pos] if self.pos < self.end else ""
        if char == "}":
            self.pos += 1
            self.close()
        elif char == ",":
            self.pos += 1
        elif char:
            self.key_value(None if table is None else table.path)

    # ------------------------------------------------------------------ tokens

    def read_key(self) -> tuple[str, ...]:
        """A dotted key; parts past the recordable depth are read but not kept."""
        parts: list[str] = []
        while True:  # each round reads a part and a dot (moving forward), or returns
            self.skip(lines=False)
            if self.pos < self.end and self.text[self.pos] in "\"'":
                part = self.read_string()
            else:
                start = self.pos
                self.pos = _end(_BARE_KEY, self.text, start)
                part = self.text[start : self.pos]
            if len(parts) <= self.max_depth:
                parts.append(part)
            elif self.stop_when_deep:
                return tuple(parts)  # too deep already: the scan stops at this key
            self.skip(lines=False)
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def read_string(self) -> str:
        """Read a string at a quote (at least the quote); its text, escapes resolved."""
        quote = self.text[self.pos]
        multiline = self.text.startswith(quote * 3, self.pos)
        pattern = _STRINGS.get((quote, multiline))
        match = pattern.match(self.text, self.pos) if pattern is not None else None
        if match is None:
            return ""  # not at a quote: the caller reads nothing here
        if multiline:
            self.line += self.text.count("\n", self.pos, match.end())
        self.pos = match.end()
        return _unescape(match.group(1)) if quote == '"' and not multiline else match.group(1)

    def skip(self, *, lines: bool) -> None:
        """Skip spaces and comments, and line breaks when ``lines``."""
        start = self.pos
        self.pos = _end(_SPACE_AND_LINES if lines else _SPACE, self.text, start)
        if lines:
            self.line += self.text.count("\n", start, self.pos)

    def expect(self, token: str) -> None:
        self.skip(lines=False)
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
