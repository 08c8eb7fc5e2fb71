"""The engine: evaluate every indicator of a rule set for one period.

:func:`evaluate` is a pure function of a rule set, events and a period. It
computes, for each indicator, the realisation of the period and to date, the
targets of the period, of the year and to date, and the achievement on all
four bases (:class:`~ikueval._model.Basis`), each with its status and trail,
and its comparisons with the medium-term target and the previous year
(:mod:`ikueval._comparisons`); then the roll-ups and composites the rule set
declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
from attrs import frozen

from ._achievement import achieve
from ._aggregation import Ledger, aggregate, build_ledger
from ._budgets import compute_budgets
from ._categories import with_category
from ._comparisons import comparisons, previous_period
from ._composites import compute_composites
from ._converters import describe
from ._errors import PeriodError, UsageError
from ._events import events_from_records
from ._formulas import FormulaUndefinedError
from ._model import Basis, FrozenMap, Indicator, RuleSet, TargetRange, TargetValue
from ._periods import Granularity, Period, Span
from ._results import Evaluation, IndicatorResult, Realisation, Status, Target, Trail
from ._rollups import compute_rollups
from ._spans import REALISED, SpanName, span_periods
from ._targets import TargetChoice, binding_targets, choose_targets, target_for


@frozen
class BasisRule:
    """What an achievement basis compares.

    Args:
        realisation: the span of the realisation compared (one the engine realises).
        target: the span of the target it is compared with.
    """

    realisation: SpanName
    target: SpanName


#: Every achievement basis, in the order of :class:`~ikueval._model.Basis`: which
#: realisation it compares with which target. The engine computes an achievement
#: on each; reports, ``explain`` and ``reconcile`` look bases up here, and find
#: their words in :data:`ikueval._reports.labels.MEMBER_LABELS`.
BASES: Final[Mapping[Basis, BasisRule]] = FrozenMap(
    {
        Basis.PERIOD: BasisRule(SpanName.PERIOD, SpanName.PERIOD),
        Basis.PERIOD_VS_ANNUAL: BasisRule(SpanName.PERIOD, SpanName.ANNUAL),
        Basis.TO_DATE: BasisRule(SpanName.TO_DATE, SpanName.ANNUAL),
        Basis.TO_DATE_VS_TARGET_TO_DATE: BasisRule(SpanName.TO_DATE, SpanName.TO_DATE),
    }
)


def evaluate(
    ruleset: RuleSet,
    events: Ledger | Iterable[Any],
    period: Period | str,
    *,
    trail: Trail | str = Trail.FULL,
) -> Evaluation:
    """Evaluate a rule set for one period.

    Args:
        ruleset: the rule set (:func:`ikueval.load_rules`).
        events: a :class:`~ikueval._aggregation.Ledger`, or an iterable of
            :class:`~ikueval._events.Event`, dicts or objects with event
            attributes (streamed once).
        period: ``"2025"``, ``"2025-Q2"`` or ``"2025-04"``. To keep the
            individual events of some indicators (``explain`` lists them),
            pass a ledger built with :func:`~ikueval._aggregation.build_ledger`
            and ``retain``.
        trail: ``"full"`` (the default): every aggregate keeps a part per cell
            (per period and dimension values), as ``explain``, the reports and
            ``reconcile`` show them; ``"compact"``: a part per month, the
            dimension values merged, so that the evaluation's size grows with
            the indicators and months, not with the cells
            (:class:`~ikueval._results.Trail`). The figures are the same, and
            both replay (``docs/audit.md``).

    Raises:
        PeriodError: the period is malformed or outside the rule set's years.
        EventError: an event is malformed or events conflict.
        UsageError: ``trail`` is neither ``"full"`` nor ``"compact"``.
    """
    kept = _trail(trail)
    evaluated = parse_evaluation_period(ruleset, period)
    if isinstance(events, Ledger):
        ledger = events
    else:
        ledger = build_ledger(ruleset, events_from_records(ruleset, events))
    spans = span_periods(evaluated)
    earlier = previous_period(evaluated) if evaluated.year - 1 in ruleset.years else None
    previous_spans = span_periods(earlier) if earlier is not None else None
    compared_with = earlier or _year_before(evaluated)  # the same for every indicator
    results = []
    binding = binding_targets(ruleset)
    for indicator, choices in zip(ruleset.indicators, binding, strict=True):
        result = evaluate_indicator(ruleset, ledger, indicator, spans, choices, kept)
        previous = None
        if previous_spans is not None:
            previous = evaluate_indicator(ruleset, ledger, indicator, previous_spans, choices, kept)
        compared = comparisons(ruleset, indicator, result, previous, compared_with, choices)
        results.append(attrs.evolve(result, comparisons=compared))
    rollups = compute_rollups(ruleset, results)
    return Evaluation(
        ruleset=ruleset.id,
        office=ruleset.ruleset.office,
        period=evaluated.label,
        spans={name: span.label for name, (span, _) in spans.items()},
        rounding=ruleset.rounding,
        indicators=tuple(results),
        rollups=rollups,
        budgets=compute_budgets(ruleset, ledger, spans[SpanName.TO_DATE][0], kept),
        composites=compute_composites(ruleset, results, rollups),
        trail=kept,
    )


def _trail(trail: Trail | str) -> Trail:
    if isinstance(trail, Trail):
        return trail
    for member in Trail:
        if member.value == trail:
            return member
    choices = " or ".join(repr(member.value) for member in Trail)
    raise UsageError(f"expected the trail {choices}, found {describe(trail)}")


def _year_before(period: Period) -> Period:
    """The same period a year earlier, for labels; the period itself when out of range."""
    try:
        return previous_period(period)
    except PeriodError:
        return period


def parse_evaluation_period(ruleset: RuleSet, period: Period | str) -> Period:
    """Read and check the period to evaluate.

    Raises:
        PeriodError: when it is a day, malformed, not text, or outside the rule
            set's years.
    """
    if isinstance(period, Period):
        evaluated = period
    elif isinstance(period, str):
        evaluated = Period.parse(period)
    else:
        raise PeriodError(
            f"expected a period as text ('2025-Q2', '2025-04', '2025') or a Period, found "
            f"{describe(period)}"
        )
    if evaluated.granularity is Granularity.DAY:
        raise PeriodError(f"evaluate a year, quarter or month, not the day {evaluated.label}")
    if evaluated.year not in ruleset.years:
        years = ", ".join(str(y) for y in ruleset.years)
        raise PeriodError(
            f"{evaluated.label} is outside the years of rule set {ruleset.id!r} ({years})"
        )
    return evaluated


def evaluate_indicator(
    ruleset: RuleSet,
    ledger: Ledger,
    indicator: Indicator,
    spans: Mapping[SpanName, tuple[Span, tuple[Period, ...]]],
    choices: Mapping[Period, TargetChoice] | None = None,
    trail: Trail = Trail.FULL,
) -> IndicatorResult:
    """All figures of one indicator (see :func:`evaluate`); ``choices`` are its binding
    targets (:func:`~ikueval._targets.choose_targets`), when already chosen."""
    if choices is None:
        choices = choose_targets(ruleset, indicator)
    made: dict[str, dict[Any, Any]] = {}  # compact parts, shared by the spans
    realisations = {
        name: with_category(
            ruleset, indicator, realise(ruleset, ledger, indicator, spans[name][0], trail, made)
        )
        for name in REALISED
    }
    formula = indicator.formula.expression if indicator.formula else ""
    targets: dict[SpanName, Target] = {
        name: with_category(
            ruleset,
            indicator,
            target_for(
                choices, span, periods, indicator.targets_aggregate, formula, indicator.parameters
            ),
        )
        for name, (span, periods) in spans.items()
    }
    achievements = tuple(
        achieve(ruleset, indicator, basis, realisations[rule.realisation], targets[rule.target])
        for basis, rule in BASES.items()
    )
    return IndicatorResult(
        id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        aggregation=indicator.aggregation,
        direction=indicator.direction,
        objective=indicator.objective,
        activity=indicator.activity,
        realisations=realisations,
        targets=targets,
        achievements=achievements,
        subunit=indicator.subunit,
        rounding=None if indicator.rounding is None else ruleset.rounding_of(indicator),
    )


def realise(
    ruleset: RuleSet,
    ledger: Ledger,
    indicator: Indicator,
    span: Span,
    trail: Trail = Trail.FULL,
    made: dict[str, dict[Any, Any]] | None = None,
) -> Realisation:
    """The realisation of an indicator over a span: inputs aggregated, then the formula.

    ``made`` keeps, per input, the parts of a compact trail made for another span of the
    same indicator, to be used again (a month is the same in every span holding it).
    """
    if made is None:
        made = {}
    inputs = tuple(
        aggregate(
            ledger.of(indicator.id, name),
            span,
            indicator.input_aggregation(name),
            name,
            trail,
            made.setdefault(name, {}),
        )
        for name in indicator.input_names
    )
    formula = indicator.formula.expression if indicator.formula else None

    def result(
        status: Status, value: TargetValue | None = None, reason: str | None = None
    ) -> Realisation:
        return Realisation(
            span=span.label,
            status=status,
            value=value,
            inputs=inputs,
            formula=formula,
            parameters=indicator.parameters if formula else {},
            reason=reason,
        )

    empty = [a for a in inputs if a.value is None]
    if empty:
        if indicator.inputs:
            names = ", ".join(a.quantity for a in empty)
            reason = f"no realisation of input {names} in {span.label}"
        else:
            reason = f"no realisation in {span.label}"
        if any("reported as '-'" in note for a in empty for note in a.notes):
            reason += " (reported as '-')"
        return result(Status.NO_REALISATION, reason=reason)
    if indicator.formula is None:
        value = inputs[0].value
        assert not isinstance(value, TargetRange)  # events are numbers or categories
        return result(Status.COMPUTED, value)
    bindings = {**indicator.parameters}
    for a in inputs:
        if not isinstance(a.value, Decimal):
            return result(Status.UNDEFINED, reason=f"input {a.quantity} is not a number")
        bindings[a.quantity] = a.value
    try:
        return result(Status.COMPUTED, indicator.formula.evaluate(bindings))
    except FormulaUndefinedError as exc:
        return result(Status.UNDEFINED, reason=str(exc))
