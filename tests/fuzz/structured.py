"""Mutations that know the format of the file: keys, tables and values of TOML;
columns, rows and cells of CSV (and, in :mod:`fuzz.json_mutations`, JSON).

Each reads the file as its format, changes one thing and writes it back (a
file that does not read returns ``None``: the text and byte mutations take
care of it). Comments and layout are lost where a file is written back whole,
which is fine: the corpus keeps the originals.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import tomli_w

from ikueval._errors import Problem
from ikueval._loading.toml_text import read_toml

from .json_mutations import json_tree
from .mutations import Context, Mutation, boundary, long_text, near_miss
from .trees import get, nest, paths
from .values import DEPTHS, TOML_LITERALS

# --------------------------------------------------------------------------- TOML

#: Python values tomli_w writes, of every TOML type, around the bounds.
_TOML_VALUES: Final[tuple[Any, ...]] = (
    "", "-", 0, -1, 10**23, 10**24, -(10**30), 2**63, 10**4300 - 1, 1.5, float("nan"),
    float("inf"), Decimal("1E+999999999"), Decimal("1E-999999999"),
    Decimal("0.000000000000000000001"),
    True, datetime.date(2025, 2, 28), datetime.datetime(2025, 6, 30, 12, 0),
    datetime.time(7, 32), [], {}, [1, "a"], [{}], {"value": 1},
)  # fmt: skip


def _toml_value(rng: random.Random, context: Context) -> Any:
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(_TOML_VALUES)
    if choice == 1:
        return rng.choice(context.words)
    return boundary(rng)


def toml_tree(rng: random.Random, text: str, context: Context) -> str | None:
    """A key deleted, renamed, duplicated, or its value replaced, wrapped or nested."""
    if isinstance(read_toml(text), Problem):
        return None  # not TOML ikueval reads: e.g. a dotted key tomllib reads in quadratic memory
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError, MemoryError):
        return None
    found = list(paths(document))
    if not found:
        return None
    path = rng.choice(found)
    parent, last = get(document, path[:-1]), path[-1]
    action = rng.choice(("delete", "replace", "replace", "duplicate", "rename", "wrap", "nest"))
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = _toml_value(rng, context)
    elif action == "wrap":
        parent[last] = rng.choice(([parent[last]], {"value": parent[last]}))
    elif action == "nest":
        parent[last] = nest(rng, parent[last], tables=True)
    elif action == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, parent[last])
        else:
            parent[rng.choice(context.words)] = parent[last]
    elif isinstance(parent, dict):
        parent[near_miss(rng, str(last))] = parent.pop(last)
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError, RecursionError):
        return None


_ASSIGNMENT: Final = re.compile(r'^[ \t]*(?:"[^"\n]*"|[\w\-.]+)(?:[ \t]*\.[ \t]*[\w\-]+)*[ \t]*=')


def _assignments(text: str) -> list[re.Match[str]]:
    return [m for m in re.finditer(r"^.*$", text, re.MULTILINE) if _ASSIGNMENT.match(m.group())]


def toml_repeat_key(rng: random.Random, text: str, context: Context) -> str | None:
    """A ``key = value`` line written twice, perhaps followed by a stray bracket or comma."""
    lines = _assignments(text)
    if not lines:
        return None
    line = rng.choice(lines)
    tail = rng.choice(("", "", "}", "]", ",", " # again"))
    return text[: line.end()] + "\n" + line.group() + tail + text[line.end() :]


def toml_value(rng: random.Random, text: str, context: Context) -> str | None:
    """The value of a one-line ``key = value`` replaced by another TOML value."""
    lines = _assignments(text)
    if not lines:
        return None
    line = rng.choice(lines)
    key = line.group()[: _ASSIGNMENT.match(line.group()).end()]  # type: ignore[union-attr]
    choice = rng.randrange(3)
    if choice == 0:
        value = rng.choice(TOML_LITERALS)
    elif choice == 1:
        value = json.dumps(boundary(rng), ensure_ascii=rng.random() < 0.5)
    else:
        value = json.dumps(long_text(rng))
    return text[: line.start()] + key + " " + value + text[line.end() :]


def toml_nest(rng: random.Random, text: str, context: Context) -> str | None:
    """A value, a table header or a dotted key nested deeply."""
    depth = rng.choice(DEPTHS)
    choice = rng.randrange(4)
    if choice == 0:
        nested = "[" * depth + "1" + "]" * depth
    elif choice == 1:
        nested = "{ a = " * depth + "1" + " }" * depth
    elif choice == 2:
        return text + "\n[" + ".".join(["a"] * depth) + "]\nb = 1\n"
    else:
        return text + "\n" + ".".join(["a"] * depth) + " = 1\n"
    lines = _assignments(text)
    if not lines:
        return None
    line = rng.choice(lines)
    key = line.group()[: _ASSIGNMENT.match(line.group()).end()]  # type: ignore[union-attr]
    return text[: line.start()] + key + " " + nested + text[line.end() :]


_HEADER: Final = re.compile(r"^[ \t]*\[\[?[^\]\n]*\]\]?[ \t]*$", re.MULTILINE)


def toml_header(rng: random.Random, text: str, context: Context) -> str | None:
    """A table header changed: an array of tables to a table, renamed, repeated, dotted."""
    headers = list(_HEADER.finditer(text))
    if not headers:
        return None
    header = rng.choice(headers)
    name = header.group().strip().strip("[]").strip()
    new = rng.choice(
        (
            f"[{name}]",
            f"[[{name}]]",
            f"[{name}.{rng.choice(context.words)}]",
            f"[[{near_miss(rng, name)}]]",
            f"[{rng.choice(context.words)}]",
            f'["{name}"]',
            header.group() + "\n" + header.group(),
        )
    )
    return text[: header.start()] + new + text[header.end() :]


# --------------------------------------------------------------------------- CSV


def _csv(text: str) -> tuple[list[str], list[list[str]], str] | None:
    """Leading comment lines, the rows (header first) and the separator of a CSV file."""
    lines = text.split("\n")
    at = 0
    while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
        at += 1
    if at == len(lines):
        return None
    header = lines[at]
    separator = max(",;\t", key=header.count)
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines[at:])), delimiter=separator))
    except csv.Error:
        return None
    return lines[:at], rows, separator


def _write_csv(rng: random.Random, comments: list[str], rows: list[list[str]], sep: str) -> str:
    buffer = io.StringIO()
    for line in comments:
        buffer.write(line + "\n")
    newline = rng.choice(("\n", "\n", "\r\n"))
    quoting = rng.choice((csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
    csv.writer(buffer, delimiter=sep, lineterminator=newline, quoting=quoting).writerows(rows)
    return buffer.getvalue()


def _cell(rng: random.Random, rows: list[list[str]], context: Context) -> str:
    choice = rng.randrange(5)
    if choice == 0 and len(rows) > 1:
        row = rng.choice(rows[1:])
        return rng.choice(row) if row else ""
    if choice == 1:
        return rng.choice(context.words)
    if choice == 2:
        return long_text(rng)
    return boundary(rng)


def csv_table(rng: random.Random, text: str, context: Context) -> str | None:
    """A column renamed, dropped, repeated or swapped; a cell replaced; a row repeated..."""
    parsed = _csv(text)
    if parsed is None:
        return None
    comments, rows, separator = parsed
    header = rows[0]
    if not header:
        return None
    column = rng.randrange(len(header))
    body = rows[1:]
    action = rng.choice(
        (
            "rename", "rename", "drop", "repeat-column", "swap-names", "cell", "cell", "cell",
            "repeat-row", "repeat-row", "separator", "directive", "ragged", "wide",
        )
    )  # fmt: skip
    if action == "rename":
        header[column] = rng.choice(
            (rng.choice(context.words), near_miss(rng, header[column]), "", rng.choice(header))
        )
    elif action == "drop":
        for row in rows:
            del row[column : column + 1]
    elif action == "repeat-column":
        for row in rows:
            row.append(row[column] if column < len(row) else "")
    elif action == "swap-names":
        other = rng.randrange(len(header))
        header[column], header[other] = header[other], header[column]
    elif action == "cell" and body:
        row = rng.choice(body)
        if row:
            row[rng.randrange(len(row))] = _cell(rng, rows, context)
    elif action == "repeat-row" and body:
        index = rng.randrange(len(body))
        rows.insert(rng.choice((index + 1, len(rows))), list(body[index]))
    elif action == "separator":
        separator = rng.choice([s for s in (",", ";", "\t", "|") if s != separator])
    elif action == "directive":
        name = rng.choice(("indonesian", "international", "klingon", "", "Indonesian"))
        comments.insert(rng.randrange(len(comments) + 1), f"#: number_format = {name}")
    elif action == "ragged" and body:
        row = rng.choice(body)
        if row and rng.random() < 0.5:
            row.pop()
        else:
            row.append(_cell(rng, rows, context))
    elif action == "wide":
        count = rng.choice((1, 999, 1000, 1001))
        header.extend(f"extra{i}" for i in range(count))
    return _write_csv(rng, comments, rows, separator)


MUTATIONS: Final[dict[str, Sequence[tuple[Mutation, int]]]] = {
    "toml": (
        (toml_tree, 5),
        (toml_repeat_key, 2),
        (toml_value, 5),
        (toml_nest, 1),
        (toml_header, 2),
    ),
    "csv": ((csv_table, 1),),
    "json": ((json_tree, 1),),
}
