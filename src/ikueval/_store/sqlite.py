"""The SQLite backend of the ledger store: one file per store, the standard library only.

Each operation opens its own connection and closes it when done, so one
:class:`SQLiteLedgerStore` can be shared by any number of threads (a web
application keeps one per office): a connection never crosses threads, and
``check_same_thread`` keeps its default. The file is in WAL mode, set once
when it is created: readers never block the writer nor each other, and each
read sees one consistent state. Writers are serialised: a writing
transaction starts with ``BEGIN IMMEDIATE``, which takes the write lock at
once (so it never fails half way on a lock upgrade) and waits up to
:data:`BUSY_TIMEOUT_SECONDS` for another writer to finish before refusing
with a clear :class:`~ikueval._errors.StoreError`. Commits are synchronous
(``synchronous = FULL``): an import that was acknowledged survives a crash of
the process or of the machine.

WAL needs shared memory between the processes using the file: keep a ledger
on a local disk, not on a network share (see ``docs/ledger.md``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from .._errors import Location, Problem, StoreError
from .._loading.rules import RuleReport, inspect_rules
from . import schema
from .damage import batch_of, content_of, explained, rules_of
from .moments import Clock, system_clock
from .operations import LedgerOperations
from .values import ENTRY_COLUMNS, Batch, Content, EntryRow, RuleVersion

#: How long a writer waits for another writer (an import of a large file) to
#: finish. Half a minute covers an import of a million events; longer, a
#: person at the command line would rather be told and try again.
BUSY_TIMEOUT_SECONDS: Final = 30.0
#: Event ids named in one query; more take several. A query stays well
#: under the 999 parameters older SQLite libraries allow.
_IDS_PER_QUERY: Final = 500
#: Rule-set versions kept parsed per store: reading a rule set costs tens of
#: milliseconds, and an application evaluates with one or two versions.
MAX_CACHED_RULE_VERSIONS: Final = 8

_COLUMNS: Final = ", ".join(f'"{c}"' if c == "table" else c for c in ENTRY_COLUMNS)
_E_COLUMNS: Final = ", ".join(f'e."{c}"' if c == "table" else f"e.{c}" for c in ENTRY_COLUMNS)
#: An entry's subject: its indicator, or ``activity:ID`` for spending.
_SUBJECT: Final = "coalesce(indicator, 'activity:' || activity)"
_E_SUBJECT: Final = "coalesce(e.indicator, 'activity:' || e.activity)"
#: The temporary table of the spans of entries a check reads (see ``counted_in``).
_SPANS: Final = "ikueval_check_spans"
_BATCH: Final = "batch, recorded_at, actor, kind, rule_version, first_entry, last_entry, reason"
_CONTENT: Final = "batch, name, sha256, first_entry, last_entry"
_RULES: Final = "version, ruleset, sha256, source, text"
#: Every table and its columns, to find a damaged row.
_TABLES: Final = (("rule_versions", _RULES), ("batches", _BATCH), ("contents", _CONTENT))


class SQLiteLedgerStore(LedgerOperations):
    """A ledger store in one SQLite file (see :func:`open_ledger`).

    Args:
        path: the ledger file.
        name: how the trail and messages name the store (default: ``path`` as given).
        clock: where recording moments come from (default: the system clock, UTC).
        create: create the ledger when the file does not exist (else refuse).
        busy_timeout: seconds a writer waits for another one.

    Raises:
        StoreError: the file is not an ikueval ledger (it is left untouched),
            is damaged, was altered outside ikueval, was written by a newer
            ikueval, or does not exist and ``create`` is false.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        clock: Clock = system_clock,
        create: bool = True,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self._path = Path(path)
        self._name = str(path) if name is None else name
        self._clock = clock
        self._timeout = busy_timeout
        self._parsed: OrderedDict[str, RuleReport] = OrderedDict()
        self._lock = threading.Lock()
        if not schema.recognise(self._path, self._name):
            if not create:
                raise StoreError(
                    Problem(
                        "no such ledger",
                        Location(self._name),
                        hint="create it with 'ikueval ledger init' or by an import",
                    )
                )
            if not self._path.parent.is_dir():
                raise StoreError(
                    Problem(
                        f"cannot create the ledger: no directory {str(self._path.parent)!r}",
                        Location(self._name),
                    )
                )
            schema.create(self._path, self._name)
        self._connect(readonly=True).close()  # recognised, migrated and unaltered

    @property
    def name(self) -> str:
        """How the trail and messages name the store."""
        return self._name

    @property
    def path(self) -> Path:
        """The ledger file."""
        return self._path

    @property
    def clock(self) -> Clock:
        """Where recording moments come from."""
        return self._clock

    def __repr__(self) -> str:
        return f"SQLiteLedgerStore({str(self._path)!r})"

    @contextmanager
    def reading(self) -> Iterator[_Reader]:
        """A consistent read-only snapshot (a read transaction on its own connection)."""
        connection = self._connect(readonly=True)
        try:
            with _translated(self._name), explained(lambda: _rows(connection), self._name):
                connection.execute("BEGIN")
                yield _Reader(connection, self._name)
        finally:
            connection.close()

    @contextmanager
    def writing(self) -> Iterator[_Writer]:
        """An exclusive transaction: ``BEGIN IMMEDIATE``, then all of it or nothing."""
        connection = self._connect(readonly=False)
        try:
            with _translated(self._name), explained(lambda: _rows(connection), self._name):
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield _Writer(connection, self._name)
                except BaseException:
                    _rollback(connection)
                    raise
                connection.execute("COMMIT")
        finally:
            connection.close()

    def parse_rules(self, version: RuleVersion) -> RuleReport:
        """Read a stored rule-set version, keeping the last few read."""
        with self._lock:
            report = self._parsed.get(version.sha256)
            if report is not None:
                self._parsed.move_to_end(version.sha256)
                return report
        report = inspect_rules(version.text, source=version.source)
        with self._lock:
            self._parsed[version.sha256] = report
            while len(self._parsed) > MAX_CACHED_RULE_VERSIONS:
                self._parsed.popitem(last=False)
        return report

    def _connect(self, *, readonly: bool) -> sqlite3.Connection:
        """A connection to the recognised ledger, at the current schema version."""
        if not schema.recognise(self._path, self._name):
            raise StoreError(Problem("no such ledger (was it removed?)", Location(self._name)))
        mode = "ro" if readonly else "rw"
        uri = f"{self._path.resolve().as_uri()}?mode={mode}"
        with _translated(self._name):
            connection = sqlite3.connect(uri, uri=True, timeout=self._timeout, isolation_level=None)
            try:
                connection.execute("PRAGMA trusted_schema = OFF")
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute("PRAGMA synchronous = FULL")
                version = schema.schema_version(connection)
                if version > schema.SCHEMA_VERSION:
                    raise schema.newer_version(version, self._name)
                if version < schema.SCHEMA_VERSION:
                    if readonly:  # migrate on a connection that may write, then read
                        connection.close()
                        self._connect(readonly=False).close()
                        return self._connect(readonly=True)
                    schema.migrate(connection, self._name)
                schema.check_schema(connection, self._name)
            except BaseException:
                connection.close()
                raise
        return connection


def open_ledger(
    path: str | Path,
    *,
    name: str | None = None,
    clock: Clock = system_clock,
    create: bool = True,
) -> SQLiteLedgerStore:
    """Open the ledger store in an SQLite file, creating it on first use.

    Args:
        path: the ledger file (one per office, or per rule set).
        name: how the trail and messages name the store (default: ``path``).
        clock: where recording moments come from (default: the system clock).
        create: create the file when it does not exist.

    Raises:
        StoreError: the file is not a ledger (left untouched), is damaged or
            altered, or does not exist and ``create`` is false.
    """
    return SQLiteLedgerStore(path, name=name, clock=clock, create=create)


@contextmanager
def _translated(name: str) -> Iterator[None]:
    """Turn SQLite's errors into :class:`StoreError` naming the ledger."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite quoting a damaged schema
        raise _store_error(exc, name) from None


def _store_error(exc: sqlite3.Error | UnicodeDecodeError, name: str) -> StoreError:
    text = str(exc)
    where = Location(name)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return StoreError(
            Problem(
                "the ledger is busy: another process kept it locked for writing",
                where,
                hint="try again when the other import has finished",
            )
        )
    if "ikueval ledger" in text:
        return StoreError(Problem(f"refused by the ledger: {text}", where))
    operational = isinstance(exc, sqlite3.OperationalError)
    if not operational and isinstance(exc, UnicodeDecodeError | sqlite3.DatabaseError):
        return StoreError(
            Problem(f"the ledger file is damaged: {text}", where, hint="restore it from a backup")
        )
    return StoreError(Problem(f"cannot use the ledger: {text}", where))


def _rollback(connection: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):  # the transaction may be gone already
        connection.execute("ROLLBACK")


def _rows(connection: sqlite3.Connection) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every row of the ledger, with its table (read to find a damaged one)."""
    for table, columns in (*_TABLES, ("entries", _COLUMNS)):
        for row in connection.execute(f"SELECT {columns} FROM {table}"):
            yield table, row


def _entry(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> EntryRow:
    return EntryRow._make(row)


class _Reader:
    """The SQL of reading (see :class:`~ikueval._store.interface.StoreReader`)."""

    def __init__(self, connection: sqlite3.Connection, name: str) -> None:
        self._connection = connection
        self._name = name  # names the ledger in the message of a damaged row

    def _one(self, sql: str, *parameters: Any) -> Any:
        return self._connection.execute(sql, parameters).fetchone()

    def _entries(self, sql: str, *parameters: Any) -> Iterator[EntryRow]:
        cursor = self._connection.cursor()
        cursor.row_factory = _entry
        rows: Iterator[EntryRow] = cursor.execute(sql, parameters)
        return rows

    def head(self) -> Batch | None:
        row = self._one(f"SELECT {_BATCH} FROM batches ORDER BY batch DESC LIMIT 1")
        return None if row is None else batch_of(row, self._name)

    def batch_at(self, moment: str) -> Batch | None:
        row = self._one(
            f"SELECT {_BATCH} FROM batches WHERE recorded_at <= ? "
            "ORDER BY recorded_at DESC, batch DESC LIMIT 1",
            moment,
        )
        return None if row is None else batch_of(row, self._name)

    def batch(self, number: int) -> Batch | None:
        row = self._one(f"SELECT {_BATCH} FROM batches WHERE batch = ?", number)
        return None if row is None else batch_of(row, self._name)

    def batches(self, first: int, last: int) -> Iterator[Batch]:
        cursor = self._connection.execute(
            f"SELECT {_BATCH} FROM batches WHERE batch BETWEEN ? AND ? ORDER BY batch",
            (first, last),
        )
        return (batch_of(row, self._name) for row in cursor)

    def contents(self, batch: int) -> list[Content]:
        rows = self._connection.execute(
            f"SELECT {_CONTENT} FROM contents WHERE batch = ? ORDER BY first_entry", (batch,)
        )
        return [content_of(row, self._name) for row in rows]

    def rules(self, version: int) -> RuleVersion:
        row = self._one(f"SELECT {_RULES} FROM rule_versions WHERE version = ?", version)
        if row is None:  # pragma: no cover - the foreign key and the triggers prevent it
            raise StoreError(f"the ledger has no rule version {version}")
        return rules_of(row, self._name)

    def find_content(self, sha256: str) -> Content | None:
        row = self._one(
            f"SELECT {_CONTENT} FROM contents WHERE sha256 = ? ORDER BY batch LIMIT 1", sha256
        )
        return None if row is None else content_of(row, self._name)

    def find_rules(self, sha256: str) -> RuleVersion | None:
        row = self._one(f"SELECT {_RULES} FROM rule_versions WHERE sha256 = ?", sha256)
        return None if row is None else rules_of(row, self._name)

    def entry(self, number: int) -> EntryRow | None:
        row = self._one(f"SELECT {_COLUMNS} FROM entries WHERE entry = ?", number)
        return None if row is None else EntryRow._make(row)

    def successor(self, number: int, last_entry: int) -> int | None:
        row = self._one(
            "SELECT entry FROM entries WHERE supersedes = ? AND entry <= ?", number, last_entry
        )
        return None if row is None else int(row[0])

    def counted(
        self, last_entry: int, states: frozenset[str], subjects: frozenset[str] | None = None
    ) -> Iterator[EntryRow]:
        marks = ", ".join("?" for _ in states)
        state_test = f"e.state IS NULL OR e.state IN ({marks})" if states else "e.state IS NULL"
        subject_test, named = "", []
        if subjects is not None:
            indicators = sorted(s for s in subjects if not s.startswith("activity:"))
            activities = sorted(
                s.removeprefix("activity:") for s in subjects if s.startswith("activity:")
            )
            subject_test = (
                f"AND (e.indicator IN ({', '.join('?' for _ in indicators)}) "
                f"OR e.activity IN ({', '.join('?' for _ in activities)})) "
            )
            named = [*indicators, *activities]
        return self._entries(
            f"SELECT {_E_COLUMNS} FROM entries AS e "
            f"WHERE e.entry <= ? AND e.kind != 'withdrawn' AND ({state_test}) {subject_test}"
            "AND NOT EXISTS (SELECT 1 FROM entries AS s WHERE s.supersedes = e.entry "
            "AND s.entry <= ?) ORDER BY e.entry",
            last_entry,
            *sorted(states),
            *named,
            last_entry,
        )

    def checked_with(self, last_entry: int) -> list[tuple[int, int]]:
        rows = self._connection.execute(
            "SELECT first_entry, rule_version FROM (SELECT first_entry, rule_version, "
            "lag(rule_version) OVER (ORDER BY batch) AS previous FROM batches "
            "WHERE first_entry <= ?) WHERE previous IS NULL OR previous != rule_version",
            (last_entry,),
        )
        return [(int(first), int(version)) for first, version in rows]

    def entries(self, first: int, last: int, subject: str | None = None) -> Iterator[EntryRow]:
        if subject is None:
            return self._entries(
                f"SELECT {_COLUMNS} FROM entries WHERE entry BETWEEN ? AND ? ORDER BY entry",
                first,
                last,
            )
        column = "activity" if subject.startswith("activity:") else "indicator"
        return self._entries(
            f"SELECT {_COLUMNS} FROM entries WHERE entry BETWEEN ? AND ? AND {column} = ? "
            "ORDER BY entry",
            first,
            last,
            subject.removeprefix("activity:"),
        )


class _Writer(_Reader):
    """The SQL of appending (see :class:`~ikueval._store.interface.StoreWriter`)."""

    def live_with_id(self, event_id: str) -> int | None:
        row = self._one(
            "SELECT e.entry FROM entries AS e WHERE e.event_id = ? AND e.kind != 'withdrawn' "
            "AND NOT EXISTS (SELECT 1 FROM entries AS s WHERE s.supersedes = e.entry) "
            "ORDER BY e.entry DESC LIMIT 1",
            event_id,
        )
        return None if row is None else int(row[0])

    def live_with_ids(self, event_ids: Collection[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        ids = sorted(event_ids)
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            rows = self._connection.execute(
                "SELECT e.event_id, max(e.entry) FROM entries AS e "
                f"WHERE e.event_id IN ({', '.join('?' for _ in chunk)}) "
                "AND e.kind != 'withdrawn' AND NOT EXISTS "
                "(SELECT 1 FROM entries AS s WHERE s.supersedes = e.entry) GROUP BY e.event_id",
                chunk,
            )
            found.update((str(event_id), int(entry)) for event_id, entry in rows)
        return found

    def batch_periods(self, first: int, last: int) -> set[tuple[str, str]]:
        rows = self._connection.execute(
            f"SELECT DISTINCT {_SUBJECT}, period FROM entries "
            "WHERE entry BETWEEN ? AND ? AND kind != 'withdrawn'",
            (first, last),
        )
        return {(str(subject), str(period)) for subject, period in rows}

    def breakdowns(self, last_entry: int, subjects: Collection[str]) -> Iterator[tuple[str, str]]:
        self._spans([(subject, "", "") for subject in subjects])
        rows: Iterator[tuple[str, str]] = self._connection.execute(
            f"SELECT DISTINCT {_SUBJECT}, dimensions FROM entries "
            f"WHERE entry <= ? AND {_SUBJECT} IN (SELECT subject FROM temp.{_SPANS})",
            (last_entry,),
        )
        return rows

    def counted_in(
        self,
        last_entry: int,
        states: frozenset[str],
        spans: Collection[tuple[str, str, str]],
    ) -> Iterator[EntryRow]:
        self._spans(spans)
        marks = ", ".join("?" for _ in states)
        state_test = f"e.state IS NULL OR e.state IN ({marks})" if states else "e.state IS NULL"
        return self._entries(
            f"SELECT {_E_COLUMNS} FROM entries AS e "
            f"WHERE e.entry <= ? AND e.kind != 'withdrawn' AND ({state_test}) "
            f"AND (SELECT s.hi FROM temp.{_SPANS} AS s WHERE s.subject = {_E_SUBJECT} "
            "AND s.lo <= e.period ORDER BY s.lo DESC LIMIT 1) >= e.period "
            "AND NOT EXISTS (SELECT 1 FROM entries AS s WHERE s.supersedes = e.entry "
            "AND s.entry <= ?) ORDER BY e.entry",
            last_entry,
            *sorted(states),
            last_entry,
        )

    def _spans(self, spans: Iterable[tuple[str, str, str]]) -> None:
        """Fill the temporary table of spans (subject, first label, last label)."""
        self._connection.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_SPANS} (subject TEXT NOT NULL, "
            "lo TEXT NOT NULL, hi TEXT NOT NULL, PRIMARY KEY (subject, lo)) WITHOUT ROWID"
        )
        self._connection.execute(f"DELETE FROM temp.{_SPANS}")
        self._connection.executemany(f"INSERT INTO temp.{_SPANS} VALUES (?, ?, ?)", spans)

    def add_rules(self, version: RuleVersion) -> None:
        self._connection.execute(
            f"INSERT INTO rule_versions ({_RULES}) VALUES (?, ?, ?, ?, ?)",
            (version.version, version.ruleset, version.sha256, version.source, version.text),
        )

    def add_entries(self, rows: Iterable[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in ENTRY_COLUMNS)
        self._connection.executemany(f"INSERT INTO entries ({_COLUMNS}) VALUES ({marks})", rows)

    def add_content(self, content: Content) -> None:
        self._connection.execute(
            f"INSERT INTO contents ({_CONTENT}) VALUES (?, ?, ?, ?, ?)",
            (content.batch, content.name, content.sha256, content.first_entry, content.last_entry),
        )

    def add_batch(self, batch: Batch) -> None:
        self._connection.execute(
            f"INSERT INTO batches ({_BATCH}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch.number,
                batch.recorded_at,
                batch.actor,
                batch.kind.value,
                batch.rule_version,
                batch.first_entry,
                batch.last_entry,
                batch.reason,
            ),
        )

    def last_rule_version(self) -> int:
        row = self._one("SELECT coalesce(max(version), 0) FROM rule_versions")
        return int(row[0])
