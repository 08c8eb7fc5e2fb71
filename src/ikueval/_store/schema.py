"""The SQLite schema of a ledger store: versioned, recognisable, append-only.

A ledger file is recognised before SQLite touches it: its first 100 bytes
must be an SQLite header whose *application id* is :data:`APPLICATION_ID`.
A file that is not (another application's database, a spreadsheet, a damaged
file) is refused with a clear error and is never opened by SQLite, so it is
never modified, not even by a change of journal mode.

The schema's version is SQLite's ``user_version``; :data:`MIGRATIONS` brings
a file of any earlier version to :data:`SCHEMA_VERSION`, in one transaction.
A file written by a newer ikueval is refused.

The database itself keeps the store append-only: triggers refuse any UPDATE
or DELETE of entries, batches, rule versions and contents, and any INSERT
that does not append in order (numbers one after the last, moments never
earlier than the last, an entry superseded at most once, never a
withdrawal). A tool that writes SQL directly can only append what ikueval
would. The schema is compared with the expected one each time the file is
opened, so a trigger dropped or changed behind ikueval's back is reported.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from attrs import frozen

from .._errors import Location, Problem, StoreError

#: SQLite's application id of an ikueval ledger: "IKUL" in ASCII.
APPLICATION_ID: Final = 0x494B554C
#: The schema version this ikueval writes and reads (SQLite's ``user_version``).
SCHEMA_VERSION: Final = 1
#: The first bytes of every SQLite database file.
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
#: The size of an SQLite file header; the application id is at offset 68.
HEADER_SIZE: Final = 100

NOT_A_LEDGER: Final = "not an ikueval ledger"


@frozen
class Migration:
    """The statements that bring a ledger from ``version - 1`` to ``version``."""

    version: int
    description: str
    statements: tuple[str, ...]


_IN_ORDER: Final = "ikueval ledger: append in order"

_SCHEMA_1: Final = (
    """CREATE TABLE rule_versions (
    version INTEGER PRIMARY KEY,
    ruleset TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL
)""",
    """CREATE TABLE batches (
    batch INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    actor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('import', 'correction', 'rules')),
    rule_version INTEGER NOT NULL REFERENCES rule_versions (version),
    first_entry INTEGER NOT NULL,
    last_entry INTEGER NOT NULL,
    reason TEXT,
    CHECK (last_entry >= first_entry - 1)
)""",
    "CREATE INDEX batches_recorded_at ON batches (recorded_at, batch)",
    """CREATE TABLE contents (
    batch INTEGER NOT NULL REFERENCES batches (batch) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    first_entry INTEGER NOT NULL,
    last_entry INTEGER NOT NULL
)""",
    "CREATE INDEX contents_sha256 ON contents (sha256)",
    "CREATE INDEX contents_batch ON contents (batch)",
    """CREATE TABLE entries (
    entry INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL REFERENCES batches (batch) DEFERRABLE INITIALLY DEFERRED,
    supersedes INTEGER REFERENCES entries (entry),
    kind TEXT NOT NULL CHECK (kind IN ('number', 'category', 'missing', 'withdrawn')),
    state TEXT CHECK (state IN ('draft', 'submitted', 'verified', 'rejected')),
    indicator TEXT,
    activity TEXT,
    input TEXT,
    period TEXT NOT NULL,
    value TEXT,
    dimensions TEXT NOT NULL,
    event_id TEXT,
    unit TEXT,
    document TEXT,
    "table" TEXT,
    note TEXT,
    ref TEXT,
    origin_file TEXT,
    origin_line INTEGER,
    CHECK ((kind IN ('missing', 'withdrawn')) = (value IS NULL)),
    CHECK (kind != 'withdrawn' OR supersedes IS NOT NULL),
    CHECK ((indicator IS NULL) != (activity IS NULL))
)""",
    "CREATE INDEX entries_supersedes ON entries (supersedes) WHERE supersedes IS NOT NULL",
    "CREATE INDEX entries_event_id ON entries (event_id) WHERE event_id IS NOT NULL",
    "CREATE INDEX entries_indicator ON entries (indicator) WHERE indicator IS NOT NULL",
    "CREATE INDEX entries_activity ON entries (activity) WHERE activity IS NOT NULL",
    *(
        f"""CREATE TRIGGER {table}_never_{verb} BEFORE {verb.upper()} ON {table}
BEGIN SELECT RAISE(ABORT, 'ikueval ledger: {table} are append-only: {verb} refused'); END"""
        for table in ("rule_versions", "batches", "contents", "entries")
        for verb in ("update", "delete")
    ),
    f"""CREATE TRIGGER rule_versions_in_order BEFORE INSERT ON rule_versions
WHEN NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1 FROM rule_versions)
    OR EXISTS (SELECT 1 FROM rule_versions WHERE sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, '{_IN_ORDER}: a rule version is numbered one after the last');
END""",
    f"""CREATE TRIGGER entries_in_order BEFORE INSERT ON entries
WHEN NEW.entry IS NOT (SELECT coalesce(max(entry), 0) + 1 FROM entries)
    OR NEW.batch IS NOT (SELECT coalesce(max(batch), 0) + 1 FROM batches)
BEGIN SELECT RAISE(ABORT, '{_IN_ORDER}: an entry is numbered one after the last'); END""",
    f"""CREATE TRIGGER entries_supersede_once BEFORE INSERT ON entries
WHEN NEW.supersedes IS NOT NULL AND (
    NOT EXISTS (SELECT 1 FROM entries WHERE entry = NEW.supersedes AND kind != 'withdrawn')
    OR EXISTS (SELECT 1 FROM entries WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, '{_IN_ORDER}: an entry is superseded once, a withdrawal never'); END""",
    f"""CREATE TRIGGER contents_in_order BEFORE INSERT ON contents
WHEN NEW.batch IS NOT (SELECT coalesce(max(batch), 0) + 1 FROM batches)
BEGIN SELECT RAISE(ABORT, '{_IN_ORDER}: contents belong to the batch being recorded'); END""",
    f"""CREATE TRIGGER batches_in_order BEFORE INSERT ON batches
WHEN NEW.batch IS NOT (SELECT coalesce(max(batch), 0) + 1 FROM batches)
    OR NEW.recorded_at < (SELECT max(recorded_at) FROM batches)
    OR NEW.first_entry IS NOT (SELECT coalesce(max(last_entry), 0) + 1 FROM batches)
    OR NEW.last_entry IS NOT (SELECT coalesce(max(entry), 0) FROM entries)
BEGIN SELECT RAISE(ABORT,
    '{_IN_ORDER}: a batch follows the last, never earlier, and holds the entries since');
END""",
)

#: Every schema change, in order. A new version appends one; none is ever edited.
MIGRATIONS: Final = (Migration(1, "the first schema", _SCHEMA_1),)


def recognise(path: Path, name: str) -> bool:
    """Check, from its first bytes only, that a file is an ikueval ledger.

    Returns:
        False when the file does not exist (it may be created), True for a ledger.

    Raises:
        StoreError: the path is not a file, cannot be read, or is not a ledger.
    """
    where = Location(name)
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER_SIZE)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise StoreError(Problem("is a directory, not a ledger file", where)) from None
    except OSError as exc:
        raise StoreError(Problem(f"cannot read: {exc.strerror}", where)) from None
    if not header:
        raise StoreError(
            Problem(
                f"{NOT_A_LEDGER}: the file is empty",
                where,
                hint="remove it, and ikueval creates the ledger there",
            )
        )
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise StoreError(Problem(f"{NOT_A_LEDGER}: not an SQLite database", where))
    application = int.from_bytes(header[68:72], "big")
    if application != APPLICATION_ID:
        whose = "no application id" if application == 0 else f"application id {application:#010x}"
        raise StoreError(
            Problem(f"{NOT_A_LEDGER}: an SQLite database of another application ({whose})", where)
        )
    return True


def create(path: Path, name: str) -> None:
    """Create an empty ledger at ``path`` (unless one appears there meanwhile).

    The ledger is built in a temporary file beside ``path`` and linked into
    place at once, so a ledger is never seen half made, and two processes
    creating the same ledger both end up using one of them.

    Raises:
        StoreError: the directory does not exist or cannot be written.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(connection, name)
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()
        _place(temporary, path)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(Problem(f"cannot create the ledger: {reason}", Location(name))) from None
    finally:
        for leftover in (temporary, *(Path(f"{temporary}{s}") for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _place(temporary: Path, path: Path) -> None:
    """Put a new ledger at ``path``, unless a file appeared there meanwhile."""
    try:
        os.link(temporary, path)  # fails if the path exists: never replaces a file
    except FileExistsError:
        return  # made meanwhile by another process: use theirs
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(temporary, path)


def migrate(
    connection: sqlite3.Connection, name: str, migrations: tuple[Migration, ...] = MIGRATIONS
) -> int:
    """Bring a ledger to the latest schema version, in one transaction.

    Returns:
        The version the ledger had before.

    Raises:
        StoreError: the ledger was written by a newer ikueval.
    """
    latest = migrations[-1].version if migrations else 0
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(connection)
        if current > latest:
            raise newer_version(current, name, latest)
        for migration in migrations:
            if migration.version > current:
                for statement in migration.statements:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {int(migration.version)}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return current


def newer_version(version: int, name: str, latest: int = SCHEMA_VERSION) -> StoreError:
    """The error for a ledger written by a newer ikueval."""
    return StoreError(
        Problem(
            f"the ledger has schema version {version}; this ikueval reads up to {latest}",
            Location(name),
            hint="upgrade ikueval",
        )
    )


def schema_version(connection: sqlite3.Connection) -> int:
    """The ledger's schema version (SQLite's ``user_version``)."""
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def check_schema(connection: sqlite3.Connection, name: str) -> None:
    """Check that the ledger's tables, indexes and triggers are exactly ikueval's.

    Raises:
        StoreError: naming what was removed, changed or added outside ikueval.
    """
    found = _objects(connection)
    expected = expected_objects()
    problems = []
    for key in sorted(expected.keys() | found.keys()):
        kind, object_name = key
        if key not in found:
            change = "was removed"
        elif key not in expected:
            change = "was added"
        elif _normal(found[key]) != _normal(expected[key]):
            change = "was changed"
        else:
            continue
        problems.append(
            Problem(f"{kind} {object_name} {change} outside ikueval", Location(name, key=None))
        )
    if problems:
        raise StoreError(
            problems,
            summary="the ledger was altered outside ikueval: its append-only guarantee cannot "
            "be trusted; restore it from a backup",
        )


@functools.cache
def expected_objects() -> Mapping[tuple[str, str], str]:
    """The tables, indexes and triggers of a ledger of the latest schema."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(connection, ":memory:")
        return MappingProxyType(_objects(connection))
    finally:
        connection.close()


def _objects(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = connection.execute(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
    )
    return {(kind, name): sql or "" for kind, name, sql in rows}


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()
