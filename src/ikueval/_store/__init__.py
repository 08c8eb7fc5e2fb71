"""A persistent, append-only ledger of events, corrections and rule-set versions.

:func:`open_ledger` opens (and on first use creates) a ledger store in an
SQLite file. Events are imported from files or from Python, checked exactly
as an evaluation checks them; corrections and withdrawals supersede earlier
entries without erasing them; every batch records when, by whom and under
which rule-set version. :meth:`~SQLiteLedgerStore.snapshot` gives the store
as it was at any moment, to evaluate, explain or reconcile with the engine.
See ``docs/ledger.md``.
"""

from typing import TYPE_CHECKING

from .._errors import StoreError
from .._lazy import lazy_names

if TYPE_CHECKING:
    from .asof import Snapshot
    from .corrections import CorrectionReport
    from .diff import Difference, FigureChange
    from .imports import ImportedContent, ImportReport
    from .interface import LedgerStore, StoreReader, StoreWriter
    from .moments import parse_moment
    from .sqlite import SQLiteLedgerStore, open_ledger
    from .states import DEFAULT_COUNTED, VerificationState
    from .values import (
        Batch,
        BatchKind,
        Content,
        EntryRow,
        RuleVersion,
    )

# The store is loaded when first used: the command line registers the ledger's
# commands without loading it.
__getattr__ = lazy_names(
    __name__,
    {
        "Snapshot": ".asof",
        "CorrectionReport": ".corrections",
        "Difference": ".diff",
        "FigureChange": ".diff",
        "ImportedContent": ".imports",
        "ImportReport": ".imports",
        "LedgerStore": ".interface",
        "StoreReader": ".interface",
        "StoreWriter": ".interface",
        "parse_moment": ".moments",
        "SQLiteLedgerStore": ".sqlite",
        "open_ledger": ".sqlite",
        "DEFAULT_COUNTED": ".states",
        "Batch": ".values",
        "BatchKind": ".values",
        "Content": ".values",
        "EntryRow": ".values",
        "RuleVersion": ".values",
        "VerificationState": ".states",
    },
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
