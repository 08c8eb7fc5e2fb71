"""Cells of the report model, read from engine objects, each with its source and trace.

:class:`Cells` makes the cells of one evaluation and records, in order, every
trace a cell links to. Nothing here computes a figure: a cell holds the value
the engine computed, or says why there is none. :func:`assess` classifies an
indicator as met, not met or not yet assessable from its achievement on one
basis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from .._combining import METHODS
from .._evaluation import BASES
from .._model import Basis, MemberFigure, TargetRange
from .._periods import Period
from .._results import (
    Achievement,
    BudgetResult,
    CompositeResult,
    Evaluation,
    IndicatorResult,
    Realisation,
    Rollup,
    Status,
    Target,
)
from .._spans import SpanName, span_periods
from .document import (
    AmountCell,
    Assessment,
    BudgetTrace,
    IndicatorTrace,
    Label,
    MissingCell,
    NumberCell,
    PercentCell,
    PeriodName,
    RollupTrace,
    Source,
    StatusCell,
    TextCell,
    Trace,
)

_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_-]")
#: The engine's words at the end of the reason of a realisation reported as "-".
_REPORTED_DASH: Final = "(reported as '-')"


def anchor(*parts: str) -> str:
    """An HTML id made of parts; characters other than letters, digits, ``_`` and ``-``
    are written as ``.XX`` (their code point in hex), so different ids never collide."""
    return "t-" + "-".join(_UNSAFE.sub(lambda m: f".{ord(m.group()):x}.", part) for part in parts)


class Cells:
    """Makes cells for figures of evaluations, and collects the traces they link to."""

    def __init__(self) -> None:
        self._traces: dict[str, Trace] = {}
        self._indicators: dict[tuple[str, str], str] = {}

    @property
    def traces(self) -> tuple[Trace, ...]:
        """Every trace linked to so far, in the order of first link."""
        return tuple(self._traces.values())

    def _trace(self, trace: Trace) -> str:
        self._traces.setdefault(trace.anchor, trace)
        return trace.anchor

    def achievement_trace(
        self, evaluation: Evaluation, result: IndicatorResult, basis: Basis
    ) -> str | None:
        """The anchor of the trace of an indicator's achievement on ``basis`` (None when the
        basis does not apply); the basis is a part of it."""
        if result.achievement(basis).status is Status.NOT_APPLICABLE:
            return None
        return self.indicator_trace(evaluation, result)

    def indicator_trace(self, evaluation: Evaluation, result: IndicatorResult) -> str:
        """The anchor of the trace of an indicator's figures (every basis, the comparisons)."""
        key = (evaluation.period, result.id)
        known = self._indicators.get(key)
        if known is None:
            known = self._trace(
                Trace(
                    anchor=anchor(evaluation.period, result.id),
                    title=Label("trace.indicator", {"id": result.id, "name": result.name}),
                    period=evaluation.period,
                    subject=IndicatorTrace(result),
                )
            )
            self._indicators[key] = known
        return known

    def achievement(
        self, evaluation: Evaluation, result: IndicatorResult, basis: Basis
    ) -> PercentCell | MissingCell:
        """An indicator's achievement on one basis."""
        achievement = result.achievement(basis)
        source = Source(
            figure=f"indicators[{result.id}].achievement.{basis.value}",
            period=evaluation.period,
            trace=self.achievement_trace(evaluation, result, basis),
            part=basis.value,
            engine=achievement,
        )
        if achievement.value is None:
            return MissingCell(achievement.status, achievement.reason, source)
        return PercentCell(achievement.value, source)

    def figure(
        self, evaluation: Evaluation, result: IndicatorResult, kind: str, span: SpanName
    ) -> NumberCell | TextCell | MissingCell:
        """A realisation (``kind="realisations"``) or target (``"targets"``) over a span
        (``period``, ``to_date``, ``annual``)."""
        figure: Realisation | Target = (
            result.realisations[span] if kind == "realisations" else result.targets[span]
        )
        trace, part = None, None
        for basis in _bases_using(kind, span):
            trace = self.achievement_trace(evaluation, result, basis)
            if trace is not None:
                part = basis.value
                break
        source = Source(
            figure=f"indicators[{result.id}].{kind}.{span}.value",
            period=evaluation.period,
            trace=trace,
            part=part,
            engine=figure,
        )
        if figure.value is None:
            return MissingCell(figure.status, figure.reason, source)
        if isinstance(figure.value, str):
            return TextCell(figure.value, source)
        category = figure.category.label if figure.category else None
        rounding = evaluation.rounding_of(result)
        if isinstance(figure.value, TargetRange):
            band = figure.value
            return NumberCell(band.min, source, rounding, result.unit, upper=band.max)
        return NumberCell(figure.value, source, rounding, result.unit, category)

    def rollup(self, evaluation: Evaluation, rollup: Rollup) -> PercentCell | MissingCell:
        """A roll-up's mean achievement."""
        trace = self._trace(
            Trace(
                anchor=anchor(evaluation.period, "rollup", rollup.id),
                title=Label("trace.rollup", {"id": rollup.id}),
                period=evaluation.period,
                subject=RollupTrace(rollup),
            )
        )
        source = Source(f"rollups[{rollup.id}].value", evaluation.period, trace, engine=rollup)
        if rollup.value is None:
            return MissingCell(rollup.status, rollup.reason, source)
        return PercentCell(rollup.value, source)

    def composite(
        self, evaluation: Evaluation, composite: CompositeResult
    ) -> PercentCell | NumberCell | MissingCell:
        """A composite's value: a percentage when it combines achievements, else a figure."""
        trace = self._trace(
            Trace(
                anchor=anchor(evaluation.period, "composite", composite.id),
                title=Label("trace.composite", {"id": composite.id}),
                period=evaluation.period,
                subject=RollupTrace(composite),
            )
        )
        source = Source(
            f"composites[{composite.id}].value", evaluation.period, trace, engine=composite
        )
        if composite.value is None:
            return MissingCell(composite.status, composite.reason, source)
        if composite.figure is MemberFigure.ACHIEVEMENT:
            return PercentCell(composite.value, source)
        return NumberCell(composite.value, source, evaluation.rounding)

    def derived(
        self,
        evaluation: Evaluation,
        result: IndicatorResult,
        part: str,
        figure: str,
        value: Decimal | None,
        why: tuple[Status, str | None],
        *,
        percent: bool = False,
    ) -> PercentCell | NumberCell | MissingCell:
        """A figure of an indicator's comparisons, linking to its part of the trace.

        Args:
            evaluation: the evaluation.
            result: the indicator's figures.
            part: the part of the indicator's trace (``medium_term``, ``previous_year``).
            figure: the figure's path in the JSON.
            value: the figure, or None.
            why: the status and reason of a missing figure.
            percent: whether it is a percentage (an achievement, a change in percent).
        """
        source = Source(
            figure=figure,
            period=evaluation.period,
            trace=self.indicator_trace(evaluation, result),
            part=part,
            engine=result.comparisons,
        )
        if value is None:
            status, reason = why
            return MissingCell(
                Status.UNDEFINED if status is Status.COMPUTED else status, reason, source
            )
        if percent:
            return PercentCell(value, source)
        return NumberCell(value, source, evaluation.rounding, result.unit)

    def _budget_source(self, evaluation: Evaluation, budget: BudgetResult, field: str) -> Source:
        trace = self._trace(
            Trace(
                anchor=anchor(evaluation.period, "budget", budget.id),
                title=Label("trace.budget", {"id": budget.id}),
                period=evaluation.period,
                subject=BudgetTrace(budget),
            )
        )
        return Source(f"budgets[{budget.id}].{field}", evaluation.period, trace, engine=budget)

    def amount(
        self, evaluation: Evaluation, budget: BudgetResult, field: str
    ) -> AmountCell | MissingCell:
        """A budget's ``ceiling`` or ``spent``, in rupiah."""
        source = self._budget_source(evaluation, budget, field)
        value: Decimal | None = getattr(budget, field)
        if value is None:
            return MissingCell(budget.status, budget.reason, source)
        return AmountCell(value, source)

    def absorption(self, evaluation: Evaluation, budget: BudgetResult) -> PercentCell | MissingCell:
        """A budget's absorption: spent / ceiling x 100."""
        source = self._budget_source(evaluation, budget, "value")
        if budget.value is None:
            return MissingCell(budget.status, budget.reason, source)
        return PercentCell(budget.value, source)

    def status(self, evaluation: Evaluation, result: IndicatorResult, basis: Basis) -> StatusCell:
        """Whether an indicator met its target on ``basis`` (see :func:`assess`)."""
        assessment, reason = assess(evaluation, result, basis)
        source = Source(
            figure=f"indicators[{result.id}].achievement.{basis.value}",
            period=evaluation.period,
            trace=self.achievement_trace(evaluation, result, basis),
            part=basis.value,
            engine=result.achievement(basis),
        )
        return StatusCell(assessment, reason, source)


def _bases_using(kind: str, span: SpanName) -> list[Basis]:
    """The bases that use a realisation or target span, in order: the first details it
    (as ``explain`` details a figure under the first basis that shows it)."""
    if kind == "realisations":
        return [basis for basis, rule in BASES.items() if rule.realisation is span]
    return [basis for basis, rule in BASES.items() if rule.target is span]


def basis_label(basis: Basis) -> Label:
    """A basis in words, naming the evaluation's spans: filled in by the renderer."""
    return Label(f"basis.{basis.value}")


def assess(
    evaluation: Evaluation, result: IndicatorResult, basis: Basis
) -> tuple[Assessment, Label | None]:
    """Met, not met, or not yet assessable, with the reason when it is not assessable.

    Met means the achievement on ``basis``, as rounded and published, is at
    least 100. Not yet assessable: there is no realisation or no target for
    the span, the achievement is not defined, or the data do not cover the
    span (a period with nothing reported), so incomplete data is never met.
    """
    achievement = result.achievement(basis)
    if achievement.status is not Status.COMPUTED or achievement.value is None:
        return Assessment.NOT_ASSESSABLE, _why_not(achievement)
    gaps = _gaps(evaluation, achievement, basis)
    if gaps:
        periods = tuple(PeriodName(gap, short=False) for gap in gaps)
        return Assessment.NOT_ASSESSABLE, Label("reason.incomplete", {"periods": periods})
    if achievement.value >= 100:
        return Assessment.MET, None
    return Assessment.NOT_MET, None


def _why_not(achievement: Achievement) -> Label:
    status = achievement.status
    if status is Status.NO_REALISATION:
        span = achievement.realisation.span
        reported = (achievement.realisation.reason or "").endswith(_REPORTED_DASH)
        key = "reason.no_realisation_dash" if reported else "reason.no_realisation"
        return Label(key, {"span": PeriodName(span)})
    if status is Status.NO_TARGET:
        return Label("reason.no_target", {"span": PeriodName(achievement.target.span)})
    if status is Status.TARGET_ZERO:
        return Label("reason.target_zero", {"span": PeriodName(achievement.target.span)})
    if status is Status.NOT_APPLICABLE:
        return Label("reason.not_applicable")
    return Label("reason.undefined", {"detail": achievement.reason or ""})


def _gaps(evaluation: Evaluation, achievement: Achievement, basis: Basis) -> list[str]:
    """The periods of the realisation's span in which an input has nothing reported.

    The span is cut into periods of the evaluated granularity (quarters when a
    quarter is evaluated). A cumulative or average input needs a part in every
    one of them; a latest input in the last one.
    """
    spans = span_periods(Period.parse(evaluation.period))
    periods: Sequence[Period] = spans[BASES[basis].realisation][1]
    if not periods:
        return []
    missing: dict[str, None] = {}  # ordered, without repeats
    for aggregate in achievement.realisation.inputs:
        parts = [Period.parse(part.period) for part in aggregate.parts]
        wanted = periods if METHODS[aggregate.method].every_period else periods[-1:]
        for period in wanted:
            if not any(period.overlaps(p) for p in parts):
                missing[period.label] = None
    return sorted(missing, key=lambda label: Period.parse(label).sort_key())
