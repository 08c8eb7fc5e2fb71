"""ikueval: evaluate key performance indicators against targets, and explain every figure.

The steps, each a plain function over immutable values:

1. :func:`load_rules` / :func:`loads_rules` read a TOML rule set
   (:func:`check_ruleset` checks one built in Python);
2. :func:`read_ledger` reads event files into a ledger in one pass
   (:func:`read_events` gives their events), or :func:`events_from_records`
   checks records given from Python;
3. :func:`evaluate` computes every figure of every indicator for a period;
4. :func:`render_table`, :func:`render_json` and :func:`render_explain`
   present the result, and :func:`replay` recomputes any figure from its
   audit trail;
5. :func:`reconcile` checks the figures a report prints
   (:func:`load_publication`) against what the data give;
6. :func:`open_ledger` keeps events, corrections and rule-set versions in
   an append-only ledger, to evaluate as of any moment.

See ``docs/embedding.md`` for a walk-through.
"""

from typing import TYPE_CHECKING

from .aggregation import Ledger, build_ledger
from .decimals import NumberFormat, RoundingMode
from .errors import (
    AuditError,
    EventConflictError,
    EventError,
    FormulaError,
    IkuEvalError,
    Location,
    NumberFormatError,
    PeriodError,
    Problem,
    RuleSetError,
    Severity,
    StoreError,
    UsageError,
)
from .evaluation import evaluate
from .events import Event, EventSource, events_from_records
from .lazy import lazy_names
from .loading import (
    RuleReport,
    check_ruleset,
    dumps_rules,
    inspect_rules,
    load_rules,
    loads_rules,
    read_events,
    read_ledger,
)
from .model import Aggregation, Basis, Direction, Indicator, RuleSet
from .periods import Period, Span
from .reconcile.run import reconcile
from .results import (
    Achievement,
    BudgetResult,
    CompositeResult,
    Evaluation,
    IndicatorResult,
    Rollup,
    Status,
    Trail,
)

if TYPE_CHECKING:
    from .audit import (
        AuditMismatchError,
        replay,
        replay_budget,
        replay_comparisons,
        replay_composite,
        replay_rollup,
    )
    from .loading.published import PublicationError, load_publication, loads_publication
    from .reconcile import Reconciliation, Verdict
    from .reports import (
        evaluation_data,
        evaluation_from_data,
        render_explain,
        render_json,
        render_table,
        write_json,
    )
    from .reports.reconcile import render_reconciliation, render_reconciliation_json
    from .store import LedgerStore, SQLiteLedgerStore, open_ledger

# Loaded when first used: a program that only evaluates never loads the report
# renderers or the ledger store. (``reconcile`` is bound above: the package
# ``ikueval.reconcile`` has the same name, and loading it later would hide the
# function.)
__getattr__ = lazy_names(
    __name__,
    {
        "AuditMismatchError": ".audit",
        "replay": ".audit",
        "replay_budget": ".audit",
        "replay_comparisons": ".audit",
        "replay_composite": ".audit",
        "replay_rollup": ".audit",
        "PublicationError": ".loading.published",
        "load_publication": ".loading.published",
        "loads_publication": ".loading.published",
        "Reconciliation": ".reconcile",
        "Verdict": ".reconcile",
        "evaluation_data": ".reports",
        "evaluation_from_data": ".reports",
        "render_explain": ".reports",
        "render_json": ".reports",
        "render_table": ".reports",
        "write_json": ".reports",
        "render_reconciliation": ".reports.reconcile",
        "render_reconciliation_json": ".reports.reconcile",
        "LedgerStore": ".store",
        "SQLiteLedgerStore": ".store",
        "open_ledger": ".store",
    },
)

#: The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"

__all__ = [
    "Achievement",
    "Aggregation",
    "AuditError",
    "AuditMismatchError",
    "Basis",
    "BudgetResult",
    "CompositeResult",
    "Direction",
    "Evaluation",
    "Event",
    "EventConflictError",
    "EventError",
    "EventSource",
    "FormulaError",
    "IkuEvalError",
    "Indicator",
    "IndicatorResult",
    "Ledger",
    "LedgerStore",
    "Location",
    "NumberFormat",
    "NumberFormatError",
    "Period",
    "PeriodError",
    "Problem",
    "PublicationError",
    "Reconciliation",
    "Rollup",
    "RoundingMode",
    "RuleReport",
    "RuleSet",
    "RuleSetError",
    "SQLiteLedgerStore",
    "Severity",
    "Span",
    "Status",
    "StoreError",
    "Trail",
    "UsageError",
    "Verdict",
    "__version__",
    "build_ledger",
    "check_ruleset",
    "dumps_rules",
    "evaluate",
    "evaluation_data",
    "evaluation_from_data",
    "events_from_records",
    "inspect_rules",
    "load_publication",
    "load_rules",
    "loads_publication",
    "loads_rules",
    "open_ledger",
    "read_events",
    "read_ledger",
    "reconcile",
    "render_explain",
    "render_json",
    "render_reconciliation",
    "render_reconciliation_json",
    "render_table",
    "replay",
    "replay_budget",
    "replay_comparisons",
    "replay_composite",
    "replay_rollup",
    "write_json",
]
