"""What an evaluation produces: figures that carry their own audit trail.

Every figure names the span it covers, its status and, when it is missing, the
reason. An :class:`Achievement` holds everything needed to redo it: the parts
that were aggregated (with the files and rows they came from), the formula,
the target and the document it came from, the unrounded value, the cap and
the rounding. :func:`ikueval._audit.replay` recomputes a figure from this trail
alone. How finely the parts are cut is the evaluation's :class:`Trail`. The JSON
output is these classes unstructured, each realisation and target of an
indicator written once (``docs/audit.md``).

The modules: :mod:`.statuses` (a figure's status, the trail's detail),
:mod:`.figures` (the figures of an indicator and their parts),
:mod:`.indicators` (an indicator's result and its comparisons),
:mod:`.summaries` (roll-ups, composites, budgets) and :mod:`.evaluation`.
"""

from .evaluation import Evaluation
from .figures import (
    Achievement,
    Aggregate,
    Category,
    ComputedTarget,
    Part,
    Realisation,
    Scored,
    Target,
)
from .indicators import Comparisons, IndicatorResult, MediumTermComparison, PreviousYearComparison
from .statuses import Status, Trail
from .summaries import BudgetResult, CompositeMemberResult, CompositeResult, Rollup, RollupMember

__all__ = [
    "Achievement",
    "Aggregate",
    "BudgetResult",
    "Category",
    "Comparisons",
    "CompositeMemberResult",
    "CompositeResult",
    "ComputedTarget",
    "Evaluation",
    "IndicatorResult",
    "MediumTermComparison",
    "Part",
    "PreviousYearComparison",
    "Realisation",
    "Rollup",
    "RollupMember",
    "Scored",
    "Status",
    "Target",
    "Trail",
]
