"""ikueval: evaluate key performance indicators against targets, and explain every figure.

The steps, each a plain function over immutable values:

1. :func:`load_rules` / :func:`loads_rules` read a TOML rule set
   (:func:`check_ruleset` checks one built in Python);
2. :func:`read_ledger` reads event files into a ledger in one pass
   (:func:`read_events` gives their events), or :func:`events_from_records`
   checks records given from Python;
3. :func:`evaluate` computes every figure of every indicator for a period;
4. :func:`render_table`, :func:`render_json` and :func:`render_explain`
   present the result (:func:`render_table` and :func:`render_json` a
   reconciliation too), and :func:`replay` recomputes any figure from its
   audit trail;
5. :func:`reconcile` checks the figures a report prints
   (:func:`load_publication`) against what the data give;
6. :func:`open_ledger` keeps events, corrections and rule-set versions in
   an append-only ledger, to evaluate as of any moment.

See ``docs/embedding.md`` for a walk-through.
"""

from typing import TYPE_CHECKING

from ._aggregation import Ledger, build_ledger
from ._decimals import NumberFormat, RoundingMode
from ._errors import (
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
from ._evaluation import evaluate
from ._events import Event, EventSource, events_from_records
from ._lazy import lazy_names
from ._loading import (
    RuleReport,
    check_ruleset,
    dumps_rules,
    inspect_rules,
    load_rules,
    loads_rules,
    read_events,
    read_ledger,
)
from ._model import Aggregation, Basis, Direction, Indicator, RuleSet
from ._periods import Period, Span
from ._results import (
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
    from ._audit import (
        AuditMismatchError,
        replay,
        replay_budget,
        replay_comparisons,
        replay_composite,
        replay_rollup,
    )
    from ._formulas import (
        Formula,
        FormulaUndefinedError,
    )
    from ._loading.published import (
        PublicationError,
        load_publication,
        loads_publication,
    )
    from ._publication import (
        Publication,
    )
    from ._reconcile import (
        Candidate,
        Claim,
        FigureRef,
        Reconciled,
        Reconciliation,
        Role,
        Verdict,
    )
    from ._reconcile.run import (
        reconcile,
    )
    from ._reports import (
        RENDERERS,
        Explanation,
        Format,
        Lang,
        RenderOptions,
        Report,
        build_report,
        evaluation_data,
        evaluation_from_data,
        render_explain,
        render_html,
        render_json,
        render_markdown,
        render_table,
        render_xlsx,
        report_of,
        write_json,
    )
    from ._store import (
        DEFAULT_COUNTED,
        Batch,
        BatchKind,
        Content,
        CorrectionReport,
        Difference,
        EntryRow,
        FigureChange,
        ImportedContent,
        ImportReport,
        LedgerStore,
        RuleVersion,
        Snapshot,
        SQLiteLedgerStore,
        StoreReader,
        StoreWriter,
        VerificationState,
        open_ledger,
        parse_moment,
    )

# Loaded when first used: a program that only evaluates never loads the
# reconciliation, the report renderers or the ledger store.
__getattr__ = lazy_names(
    __name__,
    {
        "AuditMismatchError": "._audit",
        "replay": "._audit",
        "replay_budget": "._audit",
        "replay_comparisons": "._audit",
        "replay_composite": "._audit",
        "replay_rollup": "._audit",
        "Formula": "._formulas",
        "FormulaUndefinedError": "._formulas",
        "PublicationError": "._loading.published",
        "load_publication": "._loading.published",
        "loads_publication": "._loading.published",
        "Publication": "._publication",
        "Candidate": "._reconcile",
        "Claim": "._reconcile",
        "FigureRef": "._reconcile",
        "Reconciled": "._reconcile",
        "Reconciliation": "._reconcile",
        "Role": "._reconcile",
        "Verdict": "._reconcile",
        "reconcile": "._reconcile.run",
        "RENDERERS": "._reports",
        "Explanation": "._reports",
        "Format": "._reports",
        "Lang": "._reports",
        "RenderOptions": "._reports",
        "Report": "._reports",
        "build_report": "._reports",
        "evaluation_data": "._reports",
        "evaluation_from_data": "._reports",
        "render_explain": "._reports",
        "render_html": "._reports",
        "render_json": "._reports",
        "render_markdown": "._reports",
        "render_table": "._reports",
        "render_xlsx": "._reports",
        "report_of": "._reports",
        "write_json": "._reports",
        "Batch": "._store",
        "BatchKind": "._store",
        "Content": "._store",
        "CorrectionReport": "._store",
        "DEFAULT_COUNTED": "._store",
        "Difference": "._store",
        "EntryRow": "._store",
        "FigureChange": "._store",
        "ImportReport": "._store",
        "ImportedContent": "._store",
        "LedgerStore": "._store",
        "RuleVersion": "._store",
        "SQLiteLedgerStore": "._store",
        "Snapshot": "._store",
        "StoreReader": "._store",
        "StoreWriter": "._store",
        "VerificationState": "._store",
        "open_ledger": "._store",
        "parse_moment": "._store",
    },
)

#: The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"

__all__ = [
    "DEFAULT_COUNTED",
    "RENDERERS",
    "Achievement",
    "Aggregation",
    "AuditError",
    "AuditMismatchError",
    "Basis",
    "Batch",
    "BatchKind",
    "BudgetResult",
    "Candidate",
    "Claim",
    "CompositeResult",
    "Content",
    "CorrectionReport",
    "Difference",
    "Direction",
    "EntryRow",
    "Evaluation",
    "Event",
    "EventConflictError",
    "EventError",
    "EventSource",
    "Explanation",
    "FigureChange",
    "FigureRef",
    "Format",
    "Formula",
    "FormulaError",
    "FormulaUndefinedError",
    "IkuEvalError",
    "ImportReport",
    "ImportedContent",
    "Indicator",
    "IndicatorResult",
    "Lang",
    "Ledger",
    "LedgerStore",
    "Location",
    "NumberFormat",
    "NumberFormatError",
    "Period",
    "PeriodError",
    "Problem",
    "Publication",
    "PublicationError",
    "Reconciled",
    "Reconciliation",
    "RenderOptions",
    "Report",
    "Role",
    "Rollup",
    "RoundingMode",
    "RuleReport",
    "RuleSet",
    "RuleSetError",
    "RuleVersion",
    "SQLiteLedgerStore",
    "Severity",
    "Snapshot",
    "Span",
    "Status",
    "StoreError",
    "StoreReader",
    "StoreWriter",
    "Trail",
    "UsageError",
    "Verdict",
    "VerificationState",
    "__version__",
    "build_ledger",
    "build_report",
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
    "parse_moment",
    "read_events",
    "read_ledger",
    "reconcile",
    "render_explain",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
    "render_xlsx",
    "replay",
    "replay_budget",
    "replay_comparisons",
    "replay_composite",
    "replay_rollup",
    "report_of",
    "write_json",
]
