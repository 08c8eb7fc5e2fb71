"""The ledger file: recognised before it is touched, versioned, append-only by itself."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ikueval import IkuEvalError
from ikueval._cli import main
from ikueval._store import StoreError, open_ledger
from ikueval._store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    migrate,
    schema_version,
)
from ledgers import Clock, events_file, small_rules, store_at


def ledger_with_events(tmp_path: Path) -> Path:
    store = store_at(tmp_path)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "A,2025-Q1,3,P,"])],
        rules=rules,
        actor="test",
    )
    return store.path


def foreign_files(tmp_path: Path) -> dict[str, Path]:
    """Files that are not ledgers: each must be refused and left byte for byte."""
    found = {}
    text = tmp_path / "notes.txt"
    text.write_text("indicator,period,value\nA,2025-Q1,1\n", "utf-8")
    found["text"] = text
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(4096))
    found["random bytes"] = noise
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    found["empty"] = empty
    short = tmp_path / "short.db"
    short.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    found["truncated header"] = short
    for name, application in (("other-app.db", 0x12345678), ("plain.db", 0)):
        path = tmp_path / name
        connection = sqlite3.connect(path)
        connection.execute(f"PRAGMA application_id = {application}")
        connection.execute("CREATE TABLE entries (entry INTEGER PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO entries VALUES (1, 'x')")
        connection.commit()
        connection.close()
        found[name] = path
    return found


@pytest.mark.parametrize(
    "kind", ["text", "random bytes", "empty", "truncated header", "other-app.db", "plain.db"]
)
def test_a_foreign_file_is_refused_and_never_modified(tmp_path: Path, kind: str) -> None:
    path = foreign_files(tmp_path)[kind]
    before = path.read_bytes()
    listing = sorted(os.listdir(tmp_path))
    with pytest.raises(StoreError) as error:
        open_ledger(path)
    assert error.value.problems[0].location.file == str(path)
    assert "not an ikueval ledger" in str(error.value)
    rules = small_rules(tmp_path)
    events = events_file(tmp_path, "e.csv", ["A,2025-Q1,1,L,"])
    assert main(["ledger", "import", str(path), str(rules), str(events)]) == 2
    assert main(["ledger", "log", str(path)]) == 2
    assert main(["evaluate", "--ledger", str(path), "--period", "2025-Q1"]) == 2
    assert path.read_bytes() == before
    # No journal, WAL or shared-memory file was created beside it.
    assert sorted(os.listdir(tmp_path)) == sorted([*listing, "rules.toml", "e.csv"])


def test_a_damaged_ledger_is_refused_and_not_written(tmp_path: Path) -> None:
    path = ledger_with_events(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 2 * page
    data[page : len(data)] = b"\xa5" * (len(data) - page)  # every page after the first
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as error:
        open_ledger(path).snapshot().evaluate("2025-Q1")
    assert "damaged" in str(error.value) or "altered" in str(error.value)
    assert path.read_bytes() == bytes(data)


def damage_rows(path: Path, statement: str) -> None:
    """Change rows behind ikueval's back: the triggers dropped, the change made with the
    checks ignored, and the triggers put back as they were (the schema is ikueval's)."""
    connection = sqlite3.connect(path, isolation_level=None)
    triggers = connection.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
    saved = triggers.fetchall()
    for name, _ in saved:
        connection.execute(f"DROP TRIGGER {name}")
    connection.execute("PRAGMA ignore_check_constraints = ON")
    connection.execute(statement)
    for _, sql in saved:
        connection.execute(sql)
    connection.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE contents SET first_entry = 'x'",
        "UPDATE entries SET value = 'abc' WHERE entry = 1",
        "UPDATE entries SET dimensions = '{' WHERE entry = 1",
        "UPDATE entries SET dimensions = '[1]' WHERE entry = 1",
        "UPDATE entries SET dimensions = '{\"gender\": 1}' WHERE entry = 1",
        "UPDATE batches SET kind = 'bogus'",
        "UPDATE batches SET last_entry = 'x'",
        "UPDATE rule_versions SET text = x'ff'",
    ],
)
def test_rows_damaged_outside_ikueval_are_reported(tmp_path: Path, statement: str) -> None:
    """Found by the fuzzer (tests/fuzz, a damaged ledger): rows changed behind the
    triggers' back raised TypeError, ValueError or InvalidOperation from the log and
    the evaluation; they are a StoreError naming the damaged row."""
    path = ledger_with_events(tmp_path)
    damage_rows(path, statement)
    refused = []
    for read in (
        lambda: list(open_ledger(path, create=False).log()),
        lambda: list(open_ledger(path, create=False).log("A")),
        lambda: open_ledger(path, create=False).snapshot().evaluate("2025-Q1"),
        lambda: open_ledger(path, create=False).diff("2025-Q1", "2025-04-01"),
        lambda: open_ledger(path, create=False).correct([1], {"note": "n"}, reason="r", actor="a"),
    ):
        try:
            read()
        except IkuEvalError as error:  # a corrected entry is checked again: an EventError
            refused.append(str(error))
    assert any("the ledger file is damaged" in message for message in refused), refused
    assert main(["ledger", "log", str(path)]) in (0, 2)
    assert main(["evaluate", "--ledger", str(path), "--period", "2025-Q1"]) in (0, 2)


def test_a_schema_damaged_into_bytes_that_are_not_utf8_is_reported(tmp_path: Path) -> None:
    """Found by the fuzzer (tests/fuzz, a damaged ledger): SQLite's message about a
    damaged schema quoted bytes that are not UTF-8, and Python raised UnicodeDecodeError
    while reading the message."""
    path = ledger_with_events(tmp_path)
    data = bytearray(path.read_bytes())
    data[data.index(b"CREATE TABLE entries (") + len(b"CREATE TABLE entries ")] = 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="the ledger file is damaged"):
        open_ledger(path)
    assert main(["ledger", "log", str(path)]) == 2


def test_an_empty_file_gets_advice(tmp_path: Path) -> None:
    (tmp_path / "x.db").write_bytes(b"")
    with pytest.raises(StoreError) as error:
        open_ledger(tmp_path / "x.db")
    assert str(error.value) == (
        f"{tmp_path / 'x.db'}: not an ikueval ledger: the file is empty "
        "(remove it, and ikueval creates the ledger there)"
    )


def test_a_ledger_is_created_whole_with_its_identity(tmp_path: Path) -> None:
    store = open_ledger(tmp_path / "new.db")
    header = store.path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    connection = sqlite3.connect(store.path)
    assert schema_version(connection) == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_reading_never_creates_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such ledger"):
        open_ledger(tmp_path / "missing.db", create=False)
    assert main(["ledger", "log", str(tmp_path / "missing.db")]) == 2
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(StoreError, match="no directory"):
        open_ledger(tmp_path / "no" / "such.db")


def test_a_ledger_of_a_newer_ikueval_is_refused(tmp_path: Path) -> None:
    path = ledger_with_events(tmp_path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError) as error:
        open_ledger(path)
    assert "the ledger has schema version 99; this ikueval reads up to 1" in str(error.value)


def test_a_ledger_of_an_older_schema_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # version 0: no tables
    connection.commit()
    connection.close()
    store = open_ledger(path)
    assert store.snapshot is not None
    connection = sqlite3.connect(path)
    assert schema_version(connection) == SCHEMA_VERSION
    connection.close()


def test_migrations_run_in_order_once(tmp_path: Path) -> None:
    path = ledger_with_events(tmp_path)
    later = (
        *MIGRATIONS,
        Migration(2, "a test table", ("CREATE TABLE notes (note TEXT)",)),
    )
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, "x", later) == 1
    assert migrate(connection, "x", later) == 2  # nothing left to do
    assert schema_version(connection) == 2
    assert connection.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    connection.close()
    assert all(m.version == n for n, m in enumerate(MIGRATIONS, start=1))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET value = '50' WHERE entry = 1",
        "DELETE FROM entries WHERE entry = 2",
        "UPDATE batches SET actor = 'someone else'",
        "DELETE FROM batches",
        "DELETE FROM rule_versions",
        "UPDATE rule_versions SET text = ''",
        "DELETE FROM contents",
        "INSERT OR REPLACE INTO entries (entry, batch, kind, period, value, dimensions, "
        "indicator) VALUES (1, 1, 'number', '2025-Q1', '50', '{}', 'A')",
        "INSERT INTO entries (entry, batch, kind, period, value, dimensions, indicator) "
        "VALUES (7, 2, 'number', '2025-Q1', '50', '{}', 'A')",
        "INSERT INTO batches VALUES (2, '2024-01-01T00:00:00Z', 'x', 'import', 1, 3, 2, NULL)",
    ],
)
def test_the_database_refuses_to_rewrite_history(tmp_path: Path, statement: str) -> None:
    path = ledger_with_events(tmp_path)
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="ikueval ledger"):
        connection.execute(statement)
    connection.close()
    assert list(open_ledger(path).log())[1].endswith("entries 1-2, 2 events")


def test_an_entry_is_superseded_once_and_a_withdrawal_never(tmp_path: Path) -> None:
    path = ledger_with_events(tmp_path)
    connection = sqlite3.connect(path, isolation_level=None)
    columns = "(entry, batch, supersedes, kind, period, value, dimensions, indicator)"
    connection.execute("BEGIN")
    connection.execute(
        f"INSERT INTO entries {columns} VALUES (3, 2, 1, 'withdrawn', '2025-Q1', NULL, '{{}}', 'A')"
    )
    for supersedes in (1, 3):
        with pytest.raises(sqlite3.DatabaseError, match="superseded once"):
            connection.execute(
                f"INSERT INTO entries {columns} "
                f"VALUES (4, 2, {supersedes}, 'number', '2025-Q1', '1', '{{}}', 'A')"
            )
    connection.execute("ROLLBACK")
    connection.close()


def test_a_removed_trigger_is_reported(tmp_path: Path) -> None:
    path = ledger_with_events(tmp_path)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("DROP TRIGGER entries_never_delete")
    connection.execute("DELETE FROM entries WHERE entry = 2")
    connection.close()
    with pytest.raises(StoreError) as error:
        open_ledger(path)
    assert "trigger entries_never_delete was removed outside ikueval" in str(error.value)
    assert "the ledger was altered outside ikueval" in str(error.value)


def test_moments_never_go_back(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    first = store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,1,L,"])], rules=rules, actor="t"
    )
    clock.tick(days=-3)  # the clock was set back
    second = store.import_files([events_file(tmp_path, "b.csv", ["A,2025-Q1,2,L,"])], actor="t")
    assert first.batch is not None
    assert second.batch is not None
    assert second.batch.recorded_at == first.batch.recorded_at == "2025-04-01T00:00:00Z"
