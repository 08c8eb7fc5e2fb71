"""The line of every key of a TOML document, and a scanner that survives any text.

* :func:`key_lines` is checked against :mod:`tomllib` on generated documents
  whose every key's line is known: bare, quoted and escaped keys, dotted keys
  and headers, arrays of tables with their sub-tables, inline tables, nested
  and multi-line arrays, multi-line strings holding ``=``, ``[``, ``#`` and
  newlines, comments. Every key path tomllib produces must get its line.
* The scanner is total: on arbitrary text it returns (never raises, never
  loops), under a wall-clock alarm, and in time linear in the text's length.
"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import examples
from ikueval._loading.toml_positions import (
    MAX_PATH_LENGTH,
    Path,
    deep_line,
    find_bare_value,
    key_lines,
    repeated_key,
)
from test_fuzz_inputs import time_limit


def paths_of(node: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every key path of parsed TOML data (table keys and array indices)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths_of(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from paths_of(value, (*prefix, index))


# --------------------------------------------------------------------------- documents

#: Key names that need quoting, escaping, or look like something else.
KEY_NAMES = (
    "a", "b", "id", "Q2", "pk-2025", "2025", "_x", "true", "inf", "indicators", "targets",
    "a.b", "x y", "", "é", "日本", "=", "[t]", "#c", "'", '"', "\\", "a\nb", "tab\t", "\x7f",
    "\U0001f600", "\\u0041",
)  # fmt: skip
names = st.sampled_from(KEY_NAMES) | st.text(max_size=4)

#: Values in one token, some spanning lines or holding ``=``, ``[``, ``#`` or quotes.
SCALARS = (
    "1", "-17", "+0", "1_000", "0x1F", "0o17", "0b101", "3.14", "-2e-3", "6.626e-34", "inf",
    "-nan", "true", "false", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00.999", "1979-05-27",
    "07:32:00", '""', '"plain"', '"a = [b] # c"', '"quote \\" and \\\\ # x = 1"', "'C:\\Users'",
    "'literal \" = [x] # y'", "''",
    '"""\nmulti = [line]\n# not a comment\n[not.a.table]\n"""',
    '"""one \\\n   continued \\\n\n  here"""', '""""quoted"" twice"""""', '"""a\\"""b"""',
    "'''\n[[not.an.array]]\nk = 'v' # no\n'''", "''''''", "'''x''''", "'''\n\n'''",
)  # fmt: skip

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\r": "\\r"}


def _is_control(char: str) -> bool:
    return (char < " " and char != "\t") or char == "\x7f"


def _escaped(char: str, as_code: bool) -> str:
    if char == '"':
        return '\\"'
    if char == "\\":
        return "\\\\"
    if char in _SHORT_ESCAPES and not as_code:
        return _SHORT_ESCAPES[char]
    if as_code or _is_control(char):
        return f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}"
    return char


class Writer:
    """Writes a document and notes the line each key path is first written on."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.parts: list[str] = []
        self.line = 1
        self.lines: dict[Path, int] = {}

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.line += text.count("\n")

    def at(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)

    def key(self, name: str) -> str:
        """``name`` written bare, as a literal string or as an escaped basic string."""
        forms = ["basic"]
        if _BARE.fullmatch(name):
            forms.append("bare")
        if "'" not in name and not any(_is_control(c) for c in name):
            forms.append("literal")
        form = self.draw(st.sampled_from(forms))
        if form == "bare":
            return name
        if form == "literal":
            return f"'{name}'"
        codes = self.draw(st.sampled_from([0, 1, 2]))  # none, every other, or every character
        escaped = (_escaped(c, codes and (codes == 2 or n % 2 == 1)) for n, c in enumerate(name))
        return '"' + "".join(escaped) + '"'

    def dotted(self, key: tuple[str, ...]) -> str:
        dot = self.draw(st.sampled_from([".", " . ", ".\t"]))
        return dot.join(self.key(part) for part in key)

    def padding(self) -> None:
        """Blank lines and comment lines, or nothing."""
        for _ in range(self.draw(st.integers(0, 2))):
            self.write(self.draw(st.sampled_from(["\n", "# a = [1] 'x' \"\n", "  \t# [t]\n"])))

    def comment(self) -> str:
        return self.draw(st.sampled_from(["", " # x = 1", "\t#[[t]] '\"", " "]))

    # ------------------------------------------------------------------ values

    def value(self, path: Path, depth: int) -> None:
        kinds = ["scalar", "scalar"] + (["array", "inline"] if depth > 0 else [])
        kind = self.draw(st.sampled_from(kinds))
        if kind == "scalar":
            self.write(self.draw(st.sampled_from(SCALARS)))
        elif kind == "array":
            self.array(path, depth)
        else:
            self.inline_table(path, depth)

    def array(self, path: Path, depth: int) -> None:
        count = self.draw(st.integers(0, 3))
        multiline = self.draw(st.booleans())
        self.write("[")
        for index in range(count):
            if multiline:
                self.write(self.comment() + "\n")
                self.padding()
                self.write("  ")
            elif index:
                self.write(self.draw(st.sampled_from([", ", ",", " ,\t"])))
            self.at((*path, index))
            self.value((*path, index), depth - 1)
            if multiline and (index < count - 1 or self.draw(st.booleans())):
                self.write(",")
        if multiline:
            self.write(self.comment() + "\n")
        self.write("]")

    def inline_table(self, path: Path, depth: int) -> None:
        self.write("{")
        self.entries(path, depth - 1, inline=True)
        self.write(" }")

    # ------------------------------------------------------------------ tables

    def entries(
        self, base: Path, depth: int, *, inline: bool = False, taken: frozenset[str] = frozenset()
    ) -> set[str]:
        """Write the key/value pairs of a table, dotted keys included; return the first keys."""
        keys = list(_flatten(self.draw(_key_trees(taken))))
        if len(keys) > 1:
            keys = self.draw(st.permutations(keys))  # dotted keys need not be together
        for number, key in enumerate(keys):
            if inline:
                self.write(", " if number else " ")
            else:
                self.padding()
            self.at_all((*base, *key))
            self.write(self.dotted(key) + self.draw(st.sampled_from([" = ", "=", "\t=  "])))
            self.value((*base, *key), depth)
            if not inline:
                self.write(self.comment() + "\n")
        return {key[0] for key in keys}

    def at_all(self, path: Path) -> None:
        """Note the line of ``path`` and of each of its ancestors."""
        for end in range(1, len(path) + 1):
            self.at(path[:end])

    def header(self, key: tuple[str, ...], path: Path, *, array: bool) -> None:
        """Write the header ``[key]`` (or ``[[key]]``) of the table at ``path``."""
        inside = self.dotted(key)
        if self.draw(st.booleans()):
            inside = f" {inside} "
        self.padding()
        self.at_all(path)
        self.write(f"[[{inside}]]" if array else f"[{inside}]")
        self.write(self.comment() + "\n")


def _distinct(drawn: list[str], taken: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The names drawn, made distinct from each other and from ``taken`` by a suffix."""
    seen = set(taken)
    result = []
    for name in drawn:
        while name in seen:
            name += "~"
        seen.add(name)
        result.append(name)
    return result


@st.composite
def _key_trees(draw: st.DrawFn, taken: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Distinct key names, each a leaf (None) or a table of dotted sub-keys."""
    heads = _distinct(draw(st.lists(names, max_size=4)), taken)
    tree: dict[str, Any] = {}
    for head in heads:
        if draw(st.integers(0, 3)) == 0:
            subs = _distinct(draw(st.lists(names, min_size=1, max_size=2)))
            tree[head] = {sub: _leaves(draw) for sub in subs}
        else:
            tree[head] = None
    return tree


def _leaves(draw: st.DrawFn) -> dict[str, None] | None:
    """None, or a table of one or two leaf keys."""
    if draw(st.booleans()):
        return None
    return dict.fromkeys(_distinct(draw(st.lists(names, min_size=1, max_size=2))))


def _flatten(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The dotted keys of a key tree: distinct, and none is a prefix of another."""
    for name, sub in tree.items():
        if sub:
            yield from _flatten(sub, (*prefix, name))
        else:
            yield (*prefix, name)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[Path, int]]:
    """A valid TOML document and the line every key path is first written on."""
    out = Writer(draw)
    used = out.entries((), 2)
    groups = _distinct(draw(st.lists(names, max_size=3)), used)
    for name in groups:
        if draw(st.booleans()):
            _table_group(out, name)
        else:
            _array_group(out, name)
    return "".join(out.parts), out.lines


def _table_group(out: Writer, name: str) -> None:
    """Sub-tables ``[name.sub]``, with ``[name]`` itself before them, after them or never."""
    subs = list(_flatten(out.draw(_key_trees())))
    own = out.draw(st.sampled_from(["before", "after", "never"]) if subs else st.just("before"))
    if own == "before":
        out.header((name,), (name,), array=False)
        out.entries((name,), 1, taken=frozenset(sub[0] for sub in subs))
    for sub in subs:
        out.header((name, *sub), (name, *sub), array=False)
        out.entries((name, *sub), 1)
    if own == "after":
        out.header((name,), (name,), array=False)
        out.entries((name,), 1, taken=frozenset(sub[0] for sub in subs))


def _array_group(out: Writer, name: str) -> None:
    """``[[name]]`` entries, each with a sub-table ``[name.sub]`` and ``[[name.nested]]``."""
    sub, nested = _distinct(out.draw(st.lists(names, min_size=2, max_size=2)))
    for index in range(out.draw(st.integers(1, 3))):
        out.header((name,), (name, index), array=True)
        out.entries((name, index), 1, taken=frozenset({sub, nested}))
        if out.draw(st.booleans()):
            out.header((name, sub), (name, index, sub), array=False)
            out.entries((name, index, sub), 1)
        for inner in range(out.draw(st.integers(0, 2))):
            out.header((name, nested), (name, index, nested, inner), array=True)
            out.entries((name, index, nested, inner), 1)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_key_gets_its_line(document: tuple[str, dict[Path, int]]) -> None:
    text, expected = document
    data = tomllib.loads(text)
    assert set(paths_of(data)) == set(expected), "the generator must describe the document"
    assert key_lines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"a.b" = 1\n\'x y\' = 2\n"\\u0041\\n" = 3', {("a.b",): 1, ("x y",): 2, ("A\n",): 3}),
        (
            "[[indicators]]\nid = 1\n[indicators.targets]\npk = 2\n[[indicators]]\nid = 3\n",
            {
                ("indicators",): 1,
                ("indicators", 0): 1,
                ("indicators", 0, "id"): 2,
                ("indicators", 0, "targets"): 3,
                ("indicators", 0, "targets", "pk"): 4,
                ("indicators", 1): 5,
                ("indicators", 1, "id"): 6,
            },
        ),
        (
            "[dimensions.gender]\nvalues = [\n  'L', # l\n  'P',\n]\n",
            {
                ("dimensions",): 1,
                ("dimensions", "gender"): 1,
                ("dimensions", "gender", "values"): 2,
                ("dimensions", "gender", "values", 0): 3,
                ("dimensions", "gender", "values", 1): 4,
            },
        ),
        (
            'x = """\na = [1]\n# c\n"""\ny = { a.b = 1, c = [[2]] }\n',
            {
                ("x",): 1,
                ("y",): 5,
                ("y", "a"): 5,
                ("y", "a", "b"): 5,
                ("y", "c"): 5,
                ("y", "c", 0): 5,
                ("y", "c", 0, 0): 5,
            },
        ),
    ],
)
def test_key_lines_examples(text: str, expected: dict[Path, int]) -> None:
    assert key_lines(text) == expected


# --------------------------------------------------------------------------- hostile text

#: Pieces of TOML syntax, so that generated text is almost TOML.
TOKENS = (
    "[", "[[", "]", "]]", "{", "}", "=", ".", ",", "#", "\n", "\r\n", "\\", '"', "'", '"""',
    "'''", " ", "\t", "a", "b", "1", "x = ", "[a]", "[[a]]", "a.b", '"k"', "\\u00", "\\U0001",
)  # fmt: skip
tomlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def scan_everything(text: str) -> None:
    """Every function of the scanner, under the alarm; check what they return."""
    with time_limit(2.0):
        lines = key_lines(text)
        repeated = repeated_key(text)
        deep = deep_line(text, 2)
        found = find_bare_value(text, lambda token: token.startswith("1"))
    last = text.count("\n") + 1
    assert all(1 <= line <= last for line in lines.values())
    assert all(len(path) <= MAX_PATH_LENGTH for path in lines)
    if repeated is not None:
        assert 1 <= repeated[1] <= repeated[2] <= last
    assert deep is None or 1 <= deep <= last
    if found is not None:
        assert 1 <= found[1] <= last
        assert found[2].startswith("1")
        assert found[2] in text


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=300) | tomlish)
@example("x=1\nx=2,")
@example("a=1\na=1}")
@example("a=1\na=1]")
@example("a.b=1\na=2,]}")
@example('"""')
@example("x = [" * 50)
def test_the_scanner_is_total(text: str) -> None:
    scan_everything(text)


#: A megabyte, and a quarter of one: a quadratic scan would take hours on either.
MB = 1_000_000
QUARTER = MB // 4


@pytest.mark.parametrize(
    "text",
    [
        "[[" * (MB // 2),
        '"' * MB,
        "'" * QUARTER,
        "x = " + "[" * QUARTER,
        "x = " + "{a=" * (QUARTER // 3),
        "a." * (QUARTER // 2) + "a = 1",
        "[" + "a." * (QUARTER // 2) + "a]",
        "[[" + "'a'." * (QUARTER // 4) + "a]]",
        '"""' + '\\"' * (QUARTER // 2),
        "x = 1\n" * (QUARTER // 6),
        "\\" * QUARTER,
        "}" * QUARTER,
        "= ]" * (QUARTER // 3),
        "a}" * (QUARTER // 2),
    ],
    ids=lambda text: f"{text[:6]!r}x{len(text)}",
)
def test_the_scanner_is_linear(text: str) -> None:
    """Hostile text is scanned in well under a second per 100 KB (in CPU time)."""
    started = time.process_time()
    with time_limit(60.0):
        key_lines(text)
    assert time.process_time() - started < len(text) / 100_000


def test_repeated_keys() -> None:
    assert repeated_key("x=1\nx=2,") == (("x",), 1, 2)
    assert repeated_key("a = 1\n[a]") == (("a",), 1, 2)
    assert repeated_key("a.b = 1\na = 2") == (("a",), 1, 2)
    assert repeated_key("[[t]]\nx=1\n[t.x]") == (("t", 0, "x"), 2, 3)
    assert repeated_key("[[t]]\nx=1\n[[t]]\nx=1") is None


def test_deep_line_is_where_the_nesting_first_goes_too_deep() -> None:
    assert deep_line("a = 1\nb.c = 2\n", 2) is None
    assert deep_line("a = 1\nb.c.d = 2\n", 2) == 2
    assert deep_line("a = 1\n[b.c]\nd = [\n[1]]\n", 3) == 4
    assert deep_line("[[a]]\n[[a.b]]\n", 3) == 2


def test_find_bare_value_finds_the_first_unquoted_value_wanted() -> None:
    text = 'a = 1\nb = "2"\nc = [3, { d = 4e5 }]\n[t]\ne = 2025-01-01 # date\nf = "4e5"\n'
    tokens: list[str] = []

    def wanted(token: str) -> bool:
        tokens.append(token)
        return token.startswith("4")

    assert find_bare_value(text, wanted) == (("c", 1, "d"), 3, "4e5")
    assert tokens == ["1", "3", "4e5"]
    assert find_bare_value(text, lambda token: token[0] == "2") == (("t", "e"), 5, "2025-01-01")
    assert find_bare_value(text, lambda token: False) is None
