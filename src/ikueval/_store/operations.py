"""The operations of a ledger store, for any backend that provides the storage interface.

:class:`LedgerOperations` gives a backend (which implements
:class:`~ikueval._store.interface.LedgerStore`) the methods applications call:
imports, corrections, snapshots, the log and the diff. Each method is the
module function of the same job, applied to the store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._decimals import NumberFormat
from .._periods import Period
from .._results import Evaluation
from . import asof, corrections, diff, imports, log
from .states import VerificationState

if TYPE_CHECKING:
    from .interface import LedgerStore


class LedgerOperations:
    """Imports, corrections, snapshots, log and diff, as methods of a store."""

    def _store(self) -> LedgerStore:
        store: LedgerStore = self  # type: ignore[assignment]
        return store

    def record_rules(self, text: str, *, source: str, actor: str) -> imports.ImportReport:
        """Put a rule-set version in force (see :func:`~ikueval._store.imports.record_rules`)."""
        return imports.record_rules(self._store(), text, source=source, actor=actor)

    def import_files(
        self,
        paths: Iterable[str | Path],
        *,
        actor: str,
        rules: str | Path | None = None,
        state: VerificationState | str | None = None,
    ) -> imports.ImportReport:
        """Import event files (see :func:`~ikueval._store.imports.import_files`)."""
        return imports.import_files(self._store(), paths, actor=actor, rules=rules, state=state)

    def import_records(
        self,
        records: Iterable[Mapping[str, Any] | object],
        *,
        actor: str,
        rules: str | Path | None = None,
        origin: str | None = None,
        number_format: NumberFormat | None = None,
        state: VerificationState | str | None = None,
    ) -> imports.ImportReport:
        """Import events given from Python (see :func:`~ikueval._store.imports.import_records`)."""
        return imports.import_records(
            self._store(),
            records,
            actor=actor,
            rules=rules,
            origin=origin,
            number_format=number_format,
            state=state,
        )

    def correct(
        self,
        entries: Iterable[int],
        changes: Mapping[str, Any] | None = None,
        *,
        reason: str,
        actor: str,
        state: VerificationState | str | None = None,
    ) -> corrections.CorrectionReport:
        """Correct entries (see :func:`~ikueval._store.corrections.correct`)."""
        return corrections.correct(
            self._store(), entries, changes, reason=reason, actor=actor, state=state
        )

    def withdraw(
        self, entries: Iterable[int], *, reason: str, actor: str
    ) -> corrections.CorrectionReport:
        """Withdraw entries (see :func:`~ikueval._store.corrections.withdraw`)."""
        return corrections.withdraw(self._store(), entries, reason=reason, actor=actor)

    def snapshot(
        self,
        as_of: datetime | str | None = None,
        *,
        states: Collection[VerificationState | str] | None = None,
    ) -> asof.Snapshot:
        """The store as it was at a moment (see :func:`~ikueval._store.asof.snapshot`)."""
        return asof.snapshot(self._store(), as_of, states=states)

    def evaluate(
        self,
        period: Period | str,
        as_of: datetime | str | None = None,
        *,
        states: Collection[VerificationState | str] | None = None,
    ) -> Evaluation:
        """Evaluate a period with the events and rules in force at a moment (default: now)."""
        return self.snapshot(as_of, states=states).evaluate(period)

    def log(self, subject: str | None = None) -> Iterator[str]:
        """The log, line by line (see :func:`~ikueval._store.log.log_lines`)."""
        return log.log_lines(self._store(), subject)

    def diff(
        self,
        period: Period | str,
        since: datetime | str,
        until: datetime | str | None = None,
        *,
        states: Collection[VerificationState | str] | None = None,
    ) -> diff.Difference:
        """What changed between two moments (see :func:`~ikueval._store.diff.diff`)."""
        return diff.diff(self._store(), period, since, until, states=states)
