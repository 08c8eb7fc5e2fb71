"""The storage interface of a ledger: what a backend must provide.

ikueval's ledger logic (imports, corrections, as-of reading, the log and the
diff) is written against these protocols, never against SQLite. A backend
provides two kinds of transaction:

* :meth:`LedgerStore.reading`: a consistent snapshot of the store, unchanged
  while it is open, however many batches are recorded meanwhile;
* :meth:`LedgerStore.writing`: an exclusive transaction. Appends made in it
  become visible all at once when it ends without an error, and not at all
  otherwise; two writing transactions never interleave, so numbers and
  moments computed from :meth:`StoreReader.head` inside one are final.

The SQLite backend (:class:`~ikueval._store.sqlite.SQLiteLedgerStore`) is one
file per store. A server database can take its place by implementing the
same methods: entries and batches are rows with the same columns, and a
writing transaction is a serialisable transaction (or one holding a lock on
the store's batch table). See ``docs/ledger.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from .._loading.rules import RuleReport
from .moments import Clock
from .values import Batch, Content, EntryRow, RuleVersion


class StoreReader(Protocol):
    """Reading a store inside one consistent snapshot."""

    def head(self) -> Batch | None:
        """The last batch recorded, or None for an empty store."""
        ...

    def batch_at(self, moment: str) -> Batch | None:
        """The last batch recorded at or before ``moment`` (stored text), if any."""
        ...

    def batch(self, number: int) -> Batch | None:
        """One batch by its number."""
        ...

    def batches(self, first: int, last: int) -> Iterator[Batch]:
        """The batches numbered ``first`` to ``last``, in order."""
        ...

    def contents(self, batch: int) -> list[Content]:
        """The files (or record sets) one import recorded, in entry order."""
        ...

    def rules(self, version: int) -> RuleVersion:
        """One rule-set version (every batch names an existing one)."""
        ...

    def find_content(self, sha256: str) -> Content | None:
        """The first import that recorded content with this hash, if any."""
        ...

    def find_rules(self, sha256: str) -> RuleVersion | None:
        """The rule-set version with this hash, if it was recorded."""
        ...

    def entry(self, number: int) -> EntryRow | None:
        """One entry by its number."""
        ...

    def successor(self, number: int, last_entry: int) -> int | None:
        """The entry, numbered at most ``last_entry``, that supersedes ``number``."""
        ...

    def counted(
        self, last_entry: int, states: frozenset[str], subjects: frozenset[str] | None = None
    ) -> Iterator[EntryRow]:
        """The entries that count at ``last_entry``, in entry order.

        Those numbered at most ``last_entry`` that are not withdrawals, are not
        superseded by an entry numbered at most ``last_entry``, and have no
        verification state or one of ``states``; with ``subjects``, only
        those of these indicators (and ``activity:ID`` spending).
        """
        ...

    def checked_with(self, last_entry: int) -> list[tuple[int, int]]:
        """The rule-set version each entry was checked against, up to ``last_entry``.

        Returns:
            ``(first entry, version)`` pairs, in entry order, one where the
            version changes: entries from the first entry of a pair on were
            checked against its version (the version of their batch).
        """
        ...

    def entries(self, first: int, last: int, subject: str | None = None) -> Iterator[EntryRow]:
        """The entries numbered ``first`` to ``last``, in order.

        Args:
            subject: only those of this indicator (or, written
                ``activity:ID``, of this activity's spending).
        """
        ...


class StoreWriter(StoreReader, Protocol):
    """Appending to a store inside one exclusive transaction."""

    def last_rule_version(self) -> int:
        """The number of the last rule-set version recorded (0 for none)."""
        ...

    def live_with_id(self, event_id: str) -> int | None:
        """The latest entry with this event id that is not withdrawn nor superseded, if any."""
        ...

    def live_with_ids(self, event_ids: Collection[str]) -> dict[str, int]:
        """:meth:`live_with_id` of many ids at once: those found, with their entry."""
        ...

    def batch_periods(self, first: int, last: int) -> set[tuple[str, str]]:
        """The subjects (``activity:ID`` for spending) and period labels of entries.

        Those numbered ``first`` to ``last`` that are not withdrawals.
        """
        ...

    def breakdowns(self, last_entry: int, subjects: Collection[str]) -> Iterator[tuple[str, str]]:
        """The distinct (subject, stored dimensions) of the entries up to ``last_entry``.

        Of every entry of ``subjects``, in force or not: a superset of the
        dimensions of those that count. Read it to the end before the next call.
        """
        ...

    def counted_in(
        self,
        last_entry: int,
        states: frozenset[str],
        spans: Collection[tuple[str, str, str]],
    ) -> Iterator[EntryRow]:
        """:meth:`counted`, of the entries within ``spans`` only.

        Args:
            spans: ``(subject, first, last)``: the entries of the subject whose
                period label lies between ``first`` and ``last`` (inclusive, in
                code-point order); the spans of one subject do not overlap.
        """
        ...

    def add_rules(self, version: RuleVersion) -> None:
        """Append a rule-set version (numbered one after the last)."""
        ...

    def add_entries(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Append entries (numbered consecutively after the last), streaming ``rows``.

        Each row has the columns of :class:`~.values.EntryRow`, in order (an
        ``EntryRow``, or a plain tuple).
        """
        ...

    def add_content(self, content: Content) -> None:
        """Append the record of an imported file or record set."""
        ...

    def add_batch(self, batch: Batch) -> None:
        """Append a batch, after its entries (numbered one after the last)."""
        ...


class LedgerStore(Protocol):
    """A persistent, append-only ledger of events, corrections and rule-set versions."""

    @property
    def name(self) -> str:
        """How the trail names the store: ``NAME:ENTRIES`` (``ledger.db:12-40``)."""
        ...

    @property
    def clock(self) -> Clock:
        """Where recording moments come from."""
        ...

    def reading(self) -> AbstractContextManager[StoreReader]:
        """A consistent read-only snapshot.

        Raises:
            StoreError: the store cannot be opened or read.
        """
        ...

    def writing(self) -> AbstractContextManager[StoreWriter]:
        """An exclusive transaction: all its appends, or none.

        Raises:
            StoreError: the store cannot be opened, is busy beyond the wait, or
                refused an append.
        """
        ...

    def parse_rules(self, version: RuleVersion) -> RuleReport:
        """Read a stored rule-set version (a backend may keep the result)."""
        ...
