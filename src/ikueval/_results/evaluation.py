"""The evaluation of a rule set for one period: every result, and how to find one."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from .._model import (
    Rounding,
    frozen_mapping,
)
from .._spans import SpanName
from .indicators import IndicatorResult
from .statuses import Trail
from .summaries import BudgetResult, CompositeResult, Rollup


@frozen
class Evaluation:
    """The evaluation of a rule set for one period.

    Args:
        ruleset: the rule set's id.
        office: the office it belongs to.
        period: the evaluated period (``2025-Q2``).
        spans: the labels of the ``period``, ``to_date`` and ``annual`` spans.
        rounding: the rounding applied to published figures.
        indicators: one result per indicator, in the rule set's order.
        rollups: the mean achievements, when the rule set declares them.
        budgets: the budget absorption of each activity with a budget, and in total.
        composites: the composites the rule set declares, in its order.
        trail: whether the aggregates keep a part per cell or a compact one per
            month (:class:`Trail`).
    """

    ruleset: str
    office: str
    period: str
    spans: Mapping[SpanName, str] = field(converter=frozen_mapping)
    rounding: Rounding
    indicators: tuple[IndicatorResult, ...]
    rollups: tuple[Rollup, ...] = ()
    budgets: tuple[BudgetResult, ...] = ()
    composites: tuple[CompositeResult, ...] = ()
    trail: Trail = Trail.FULL
    """How much trail the figures keep (``evaluate(..., trail=...)``)."""

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The result of one indicator.

        Raises:
            KeyError: when the rule set has no such indicator.
        """
        for result in self.indicators:
            if result.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    def rounding_of(self, result: IndicatorResult) -> Rounding:
        """The rounding of an indicator's figures: its own, else the evaluation's."""
        return result.rounding or self.rounding

    def budget(self, budget_id: str) -> BudgetResult:
        """The budget absorption of an activity (by id) or ``total``.

        Raises:
            KeyError: when there is no such budget.
        """
        for budget in self.budgets:
            if budget.id == budget_id:
                return budget
        raise KeyError(budget_id)

    def rollup(self, rollup_id: str) -> Rollup:
        """One roll-up by id (``all``, ``objective:SS-1``, ``activity:A1``).

        Raises:
            KeyError: when there is no such roll-up.
        """
        for rollup in self.rollups:
            if rollup.id == rollup_id:
                return rollup
        raise KeyError(rollup_id)

    def composite(self, composite_id: str) -> CompositeResult:
        """One composite by id.

        Raises:
            KeyError: when there is no such composite.
        """
        for composite in self.composites:
            if composite.id == composite_id:
                return composite
        raise KeyError(composite_id)
