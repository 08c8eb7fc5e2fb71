"""Damaged ledger files: a valid ledger of a scenario, its bytes or its rows changed.

The valid ledger is built once per scenario and process, from the scenario's
own files, with a fixed clock (so it is the same bytes on every machine): the
rule file and the events imported, then one entry corrected and one withdrawn
(as far as the scenario's files allow: a refused import leaves the rule set
alone, or nothing). A damage is then applied to a copy:

* on bytes: bits flipped, bytes overwritten, the file cut or lengthened, a
  page copied over another, in the header, in the first page or anywhere;
* on rows, through SQLite on the copy: the triggers dropped, a cell of any
  table set to a hostile value (any type, the boundary values, a mutated
  rule file as a stored rule set), a row deleted or two cells swapped, the
  checks ignored, then the triggers put back as they were, so that the
  schema is ikueval's and only the data lies; or the schema version changed.

Reading it must give a :class:`~ikueval.StoreError` (or another
:class:`~ikueval.IkuEvalError`), never SQLite's own error or another exception.
"""

from __future__ import annotations

import contextlib
import functools
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from ikueval import IkuEvalError
from ikueval._store import open_ledger

from .generate import scenario_named
from .mutations import decode
from .scenarios import RULES, Scenario
from .values import CHARACTERS, NUMBERS, PERIODS, WORDS

#: The ledger's page size (SQLite's default).
PAGE: Final = 4096
#: How a ledger is damaged, with how often.
DAMAGES: Final = (("bytes", 5), ("rows", 5), ("version", 1))
#: Cell values a damaged row may hold: every SQLite type, and texts that
#: ikueval parses (numbers, periods, JSON, moments, kinds, states).
CELLS: Final = (
    None, 0, -1, 1, 2**63 - 1, -(2**63), 1.5, float("nan"), b"", b"\xff\xfe\x00",
    "", " ", "{", "[]", "{}", "null", '"x"', '{"gender":"X"}', '{"gender":1}', '{"":""}',
    '{"a":{"b":[]}}', "number", "category", "missing", "withdrawn", "import", "rules",
    "correction", "verified", "draft", "bogus", "2025-07-01T00:00:00Z", "2025-13-45T99:99:99Z",
    "0000-00-00T00:00:00Z", "9999-12-31T23:59:59Z", "0" * 64, "IKU-01", "A", "x" * 10_001,
)  # fmt: skip


def draw_damage(rng: random.Random) -> tuple[str, ...]:
    """A damage: its kind and the seed of its details."""
    kind = rng.choices([k for k, _ in DAMAGES], [w for _, w in DAMAGES])[0]
    return (kind, str(rng.randrange(2**32)))


@functools.cache
def valid_ledger(name: str) -> bytes:
    """The bytes of a valid ledger of a scenario's own files (built once per process)."""
    scenario = scenario_named(name)
    with tempfile.TemporaryDirectory(prefix="ikueval-fuzz-ledger-") as name:
        directory = Path(name)
        for relative, content in sorted(scenario.files.items()):
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        moments = (datetime(2025, 7, 1, tzinfo=UTC) + timedelta(days=d) for d in range(100))
        with contextlib.chdir(directory):
            store = open_ledger("ledger.db", clock=lambda: next(moments))
            try:
                store.import_files(scenario.events, rules=RULES, actor="fuzz")
            except IkuEvalError:
                with contextlib.suppress(IkuEvalError):
                    text = decode(scenario.files[RULES])
                    store.record_rules(text, source=RULES, actor="fuzz")
            with contextlib.suppress(IkuEvalError):
                store.correct([1], {"note": "corrected"}, reason="fuzz", actor="fuzz")
            with contextlib.suppress(IkuEvalError):
                store.withdraw([2], reason="fuzz", actor="fuzz")
        return (directory / "ledger.db").read_bytes()


def write_damaged(scenario: Scenario, damage: tuple[str, ...], rules: bytes, target: Path) -> str:
    """Write the scenario's valid ledger to ``target``, damaged; say what was done.

    Args:
        rules: the input's rule file (mutated or not): a row damage may store it
            as a rule-set version.
    """
    target.write_bytes(valid_ledger(scenario.name))
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    kind, seed = damage[:2]
    if kind == "sql":  # a reproducer's own statement
        behind_triggers(target, lambda connection: connection.execute(seed) and None)
        return seed
    if kind == "poke":  # a reproducer's own byte, after the first occurrence of a text
        data = bytearray(target.read_bytes())
        data[data.index(seed.encode()) + len(seed)] = int(damage[2], 16)
        target.write_bytes(bytes(data))
        return f"byte after {seed!r} set to {damage[2]}"
    rng = random.Random(seed)
    if kind == "bytes":
        return _damage_bytes(rng, target)
    if kind == "version":
        version = rng.choice((0, 2, -1, 2**31 - 1))
        _with_sqlite(target, lambda c: c.execute(f"PRAGMA user_version = {version}"))
        return f"schema version set to {version}"
    return _damage_rows(rng, target, decode(rules))


def _damage_bytes(rng: random.Random, target: Path) -> str:
    data = bytearray(target.read_bytes())
    done = []
    for _ in range(rng.choice((1, 1, 2, 4))):
        if not data:  # cut to nothing
            break
        where = rng.random()
        if where < 0.3:
            at = rng.randrange(min(100, len(data)))
        elif where < 0.6:
            at = rng.randrange(min(PAGE, len(data)))
        else:
            at = rng.randrange(len(data))
        how = rng.randrange(6)
        if how == 0:
            data[at] ^= 1 << rng.randrange(8)
            done.append(f"bit flipped at {at}")
        elif how == 1:
            length = rng.choice((1, 4, 16, PAGE))
            fill = rng.choice((0x00, 0xFF, 0xA5, rng.randrange(256)))
            data[at : at + length] = bytes([fill]) * len(data[at : at + length])
            done.append(f"{length} bytes at {at} set to {fill:#04x}")
        elif how == 2:
            cut = rng.choice((at, at - at % PAGE, max(len(data) - PAGE, 0), 100))
            del data[max(cut, 0) :]
            done.append(f"cut at {cut}")
        elif how == 3:
            data += bytes(rng.randrange(256) for _ in range(rng.choice((1, 100, PAGE))))
            done.append("bytes appended")
        elif len(data) >= 2 * PAGE:
            pages = len(data) // PAGE
            source, dest = rng.randrange(pages), rng.randrange(pages)
            data[dest * PAGE : (dest + 1) * PAGE] = data[source * PAGE : (source + 1) * PAGE]
            done.append(f"page {source} copied over page {dest}")
        else:
            data[at] = rng.randrange(256)
            done.append(f"byte {at} set")
    target.write_bytes(bytes(data))
    return "; ".join(done)


def _with_sqlite(target: Path, change: Callable[[sqlite3.Connection], object]) -> None:
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        change(connection)
    finally:
        connection.close()


def behind_triggers(target: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    """Change a ledger's rows as ikueval never would: the triggers dropped, the checks
    ignored, and the triggers put back as they were (the schema stays ikueval's)."""

    def dance(connection: sqlite3.Connection) -> None:
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
        for name, _ in triggers:
            connection.execute(f'DROP TRIGGER "{name}"')
        connection.execute("PRAGMA ignore_check_constraints = ON")
        change(connection)
        for _, sql in triggers:
            connection.execute(sql)

    _with_sqlite(target, dance)


def _damage_rows(rng: random.Random, target: Path, rules: str) -> str:
    done: list[str] = []

    def change(connection: sqlite3.Connection) -> None:
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            with contextlib.suppress(sqlite3.Error):  # NOT NULL, a key's type: nothing done
                done.append(_damage_row(rng, connection, rules))

    behind_triggers(target, change)
    return "; ".join(done) or "rows: nothing changed"


def _damage_row(rng: random.Random, connection: sqlite3.Connection, rules: str) -> str:
    table = rng.choice(("entries", "entries", "entries", "batches", "rule_versions", "contents"))
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    rowids = [row[0] for row in connection.execute(f"SELECT rowid FROM {table}")]
    if not rowids:
        return f"{table}: no row to damage"
    rowid = rng.choice(rowids)
    how = rng.random()
    if how < 0.1:
        connection.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        return f"{table} row {rowid} deleted"
    column = rng.choice(columns)
    if how < 0.2:
        other = rng.choice(rowids)
        connection.execute(
            f'UPDATE {table} SET "{column}" = (SELECT "{column}" FROM {table} WHERE rowid = ?) '
            "WHERE rowid = ?",
            (other, rowid),
        )
        return f"{table}.{column} of row {rowid} set to that of row {other}"
    value = _cell(rng, table, column, rules)
    connection.execute(f'UPDATE {table} SET "{column}" = ? WHERE rowid = ?', (value, rowid))
    shown = repr(value)
    return f"{table}.{column} of row {rowid} set to {shown[:60]}{'...' if len(shown) > 60 else ''}"


def _cell(rng: random.Random, table: str, column: str, rules: str) -> Any:
    if table == "rule_versions" and column == "text" and rng.random() < 0.7:
        return rules  # the input's rule file, never checked, as a stored rule set
    pool = rng.choice((CELLS, CELLS, NUMBERS, PERIODS, WORDS, CHARACTERS))
    return rng.choice(pool)


def ledger_size(path: Path) -> int:
    """The size of a ledger file, or 0 when there is none."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def copy_ledger(source: Path, target: Path) -> None:
    """A ledger file copied (for a failure's directory)."""
    if source.exists():
        shutil.copyfile(source, target)
