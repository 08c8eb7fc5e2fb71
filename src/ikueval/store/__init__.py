"""A persistent, append-only ledger of events, corrections and rule-set versions.

:func:`open_ledger` opens (and on first use creates) a ledger store in an
SQLite file. Events are imported from files or from Python, checked exactly
as an evaluation checks them; corrections and withdrawals supersede earlier
entries without erasing them; every batch records when, by whom and under
which rule-set version. :meth:`~SQLiteLedgerStore.snapshot` gives the store
as it was at any moment, to evaluate, explain or reconcile with the engine.
See ``docs/ledger.md``.
"""

from ..errors import StoreError
from .asof import Snapshot
from .corrections import CorrectionReport
from .diff import Difference, FigureChange
from .imports import ImportedContent, ImportReport
from .interface import LedgerStore, StoreReader, StoreWriter
from .moments import parse_moment
from .sqlite import SQLiteLedgerStore, open_ledger
from .values import (
    DEFAULT_COUNTED,
    Batch,
    BatchKind,
    Content,
    EntryRow,
    RuleVersion,
    VerificationState,
)

__all__ = [
    "DEFAULT_COUNTED",
    "Batch",
    "BatchKind",
    "Content",
    "CorrectionReport",
    "Difference",
    "EntryRow",
    "FigureChange",
    "ImportReport",
    "ImportedContent",
    "LedgerStore",
    "RuleVersion",
    "SQLiteLedgerStore",
    "Snapshot",
    "StoreError",
    "StoreReader",
    "StoreWriter",
    "VerificationState",
    "open_ledger",
    "parse_moment",
]
