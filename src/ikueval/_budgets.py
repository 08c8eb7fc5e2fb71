"""Budget absorption: how much of each activity's budget was spent to date.

Spending comes from events that name an activity: each is the amount spent
from January to the end of its period (the *realisasi s.d.* of the reports),
so over a span the latest one counts. Absorption is spent / ceiling x 100,
rounded like every other figure. The total adds the ceilings and the spending
of all activities that have a budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ._aggregation import Ledger, aggregate
from ._decimals import exact_sum, percentage, round_figure
from ._events import SPENDING
from ._model import Activity, Aggregation, Budget, RuleSet
from ._periods import Span
from ._results import Aggregate, BudgetResult, Status, Trail

#: The budget of all activities together.
TOTAL = "total"


def budgeted(ruleset: RuleSet, year: int) -> tuple[tuple[Activity, Budget], ...]:
    """The activities with a budget for the year, each with that budget, in the rule set's order."""
    return tuple(
        (activity, activity.budget)
        for activity in ruleset.activities
        if activity.budget is not None and activity.budget.year in (None, year)
    )


def ceiling_of(ruleset: RuleSet, budget_id: str, year: int) -> Decimal | None:
    """The budget ceiling of an activity for a year, or of all activities (``total``).

    None when the activity has no budget for the year (or, for the total, none has).
    """
    ceilings = [b.ceiling for a, b in budgeted(ruleset, year) if budget_id in (TOTAL, a.id)]
    return exact_sum(ceilings) if ceilings else None


def compute_budgets(
    ruleset: RuleSet, ledger: Ledger, span: Span, trail: Trail = Trail.FULL
) -> tuple[BudgetResult, ...]:
    """The absorption of every activity with a budget for the span's year, and the total
    when there are several (the spending's trail as ``trail`` asks)."""
    results = []
    for activity, budget in budgeted(ruleset, span.start.year):
        spending = aggregate(
            ledger.spending(activity.id),
            span,
            Aggregation.LATEST,
            f"{SPENDING} of {activity.id}",
            trail,
        )
        results.append(
            absorption(
                ruleset,
                activity.id,
                activity.name,
                span,
                {activity.id: budget.ceiling},
                (budget.document,),
                (spending,),
            )
        )
    if len(results) > 1:
        ceilings = {k: v for r in results for k, v in r.ceilings.items()}
        documents = tuple(dict.fromkeys(d for r in results for d in r.documents))
        spendings = tuple(s for r in results for s in r.spending)
        results.append(
            absorption(ruleset, TOTAL, "all activities", span, ceilings, documents, spendings)
        )
    return tuple(results)


def absorption(
    ruleset: RuleSet,
    budget_id: str,
    label: str,
    span: Span,
    ceilings: Mapping[str, Decimal],
    documents: tuple[str, ...],
    spending: Sequence[Aggregate],
) -> BudgetResult:
    """The absorption of one budget from its ceilings and the spending aggregates."""
    rounding = ruleset.rounding
    ceiling = exact_sum(ceilings.values())

    def result(
        status: Status, reason: str | None = None, spent: Decimal | None = None
    ) -> BudgetResult:
        unrounded = None if spent is None else absorbed(spent, ceiling)
        return BudgetResult(
            id=budget_id,
            label=label,
            span=span.label,
            ceiling=ceiling,
            ceilings=ceilings,
            documents=documents,
            status=status,
            rounding=rounding,
            spending=tuple(spending),
            spent=spent,
            unrounded=unrounded,
            value=None
            if unrounded is None
            else round_figure(unrounded, rounding.mode, rounding.places),
            reason=reason,
        )

    if any(s.value is None for s in spending):
        return result(Status.NO_REALISATION, f"no spending is recorded in {span.label}")
    spent = exact_sum(s.value for s in spending if isinstance(s.value, Decimal))
    if ceiling == 0:
        reason = "the budget ceiling is 0: a share of it is not defined"
        return result(Status.TARGET_ZERO, reason, spent)
    return result(Status.COMPUTED, spent=spent)


def absorbed(spent: Decimal, ceiling: Decimal) -> Decimal | None:
    """Spent / ceiling x 100, unrounded (None for a zero ceiling: no share of it is defined)."""
    return None if ceiling == 0 else percentage(spent, ceiling)
