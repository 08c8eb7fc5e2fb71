"""The audit trail: replay a figure from its trail alone.

An auditor (or a test) can recompute every figure of an :class:`Evaluation`
from what its trail records: the parts aggregated, the formula and its
parameters, the target's parts, the achievement formula, the cap and the
rounding. :func:`replay` does exactly that and compares each intermediate
result with the recorded one, so a trail that is incomplete or was edited is
caught. It reads no events and no rule set.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

from ._achievement import RANGE_RULES, WITHIN_RANGE, apply_cap, formula_of
from ._combining import combine
from ._decimals import divide, exact_product, exact_sum, percentage, round_figure, subtract
from ._errors import AuditError, IkuEvalError
from ._formulas import Formula, FormulaUndefinedError
from ._model import Basis, RollupMethod, TargetFigure, TargetRange, TargetValue
from ._results import (
    Achievement,
    Aggregate,
    BudgetResult,
    Category,
    CompositeResult,
    IndicatorResult,
    Realisation,
    Rollup,
    Status,
    Target,
)
from ._rollup_methods import METHODS as ROLLUP_METHODS
from ._rollup_methods import combine as combine_figures
from ._spans import SpanName
from ._targets import target_of_inputs


class AuditMismatchError(AuditError):
    """A figure replayed from its trail differs from the recorded one."""


F = TypeVar("F", bound=Callable[..., Any])


def _replayable(replay_step: F) -> F:
    """Report a trail that cannot be computed at all (a category where a number
    belongs, a zero ceiling, a rounding to a billion places) as a mismatch: a
    trail read from a document may have been edited into anything."""

    @functools.wraps(replay_step)
    def replaying(*args: Any, **kwargs: Any) -> Any:
        try:
            return replay_step(*args, **kwargs)
        except IkuEvalError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise AuditMismatchError(f"the trail cannot be replayed: {exc}") from None

    return cast(F, replaying)


@_replayable
def replay(achievement: Achievement) -> Decimal | None:
    """Recompute an achievement from its trail; return the rounded figure.

    Returns None for an achievement that has no figure (its status says why),
    after checking the parts of the trail that exist.

    Raises:
        AuditMismatchError: a recomputed value differs from the recorded one.
    """
    realisation = replay_realisation(achievement.realisation)
    target = replay_target(achievement.target)
    if achievement.status is not Status.COMPUTED:
        _same(achievement.value, None, "achievement of a figure that was not computed")
        return None
    if isinstance(target, TargetRange):
        compared = _compared(achievement, realisation, target)
        if compared is None:  # within the range
            return _finish(achievement, WITHIN_RANGE)
        target = compared
    if achievement.realisation_scored is not None and achievement.target_scored is not None:
        _same_label(realisation, achievement.realisation_scored.label, "realisation category")
        _same_label(target, achievement.target_scored.label, "target category")
        realisation = achievement.realisation_scored.score
        target = achievement.target_scored.score
    if not isinstance(realisation, Decimal) or not isinstance(target, Decimal):
        raise AuditMismatchError("a computed achievement needs a numeric realisation and target")
    formula = formula_of(achievement.direction, achievement.lower_is_better)
    if formula is None:
        raise AuditMismatchError("a computed lower-is-better achievement needs its formula")
    try:
        raw = formula.compute(realisation, target)
    except ZeroDivisionError:
        raise AuditMismatchError(
            f"recorded as computed, but {formula.undefined} is not defined"
        ) from None
    return _finish(achievement, raw)


def _finish(achievement: Achievement, raw: Decimal) -> Decimal:
    """Check the raw achievement, the cap and the rounding; return the rounded figure."""
    _same(achievement.raw, raw, "achievement before the cap")
    unrounded = apply_cap(raw, achievement.cap)
    _same(achievement.unrounded, unrounded, "unrounded achievement")
    rounding = achievement.rounding
    value = round_figure(unrounded, rounding.mode, rounding.places)
    _same(achievement.value, value, "rounded achievement")
    return value


def _compared(
    achievement: Achievement, realisation: TargetFigure | None, band: TargetRange
) -> Decimal | None:
    """The bound of a target range the realisation is compared with, by the recorded rule
    (None within the range under ``nearest-bound``)."""
    rule = achievement.range_rule
    if rule is None:
        raise AuditMismatchError("an achievement against a target range needs its range rule")
    if not isinstance(realisation, Decimal):
        raise AuditMismatchError("a target range is compared with a numeric realisation")
    bound = RANGE_RULES[rule].compare(realisation, band)
    _same(achievement.compared_with, bound, f"bound of the target range {band} compared")
    return bound


@_replayable
def replay_aggregate(aggregate: Aggregate) -> TargetFigure | None:
    """Recombine an aggregate's parts and check the recorded value."""
    value = combine(aggregate.method, aggregate.parts)
    _same(aggregate.value, value, f"{aggregate.method.value} of {aggregate.quantity}")
    return value


@_replayable
def replay_realisation(realisation: Realisation) -> TargetValue | None:
    """Recompute a realisation from its input aggregates and formula."""
    values = {a.quantity: replay_aggregate(a) for a in realisation.inputs}
    if realisation.status is not Status.COMPUTED:
        return None
    if realisation.formula is None:
        if len(values) != 1:
            raise AuditMismatchError(
                f"realisation over {realisation.span}: without a formula it has one input, "
                f"the trail records {len(values)}"
            )
        (only,) = values.values()
        if isinstance(only, TargetRange):
            raise AuditMismatchError(f"the realisation over {realisation.span} is a range")
        value = only
    else:
        bindings = dict(realisation.parameters)
        for name, input_value in values.items():
            if not isinstance(input_value, Decimal):
                raise AuditMismatchError(f"input {name} of a formula is not a number")
            bindings[name] = input_value
        try:
            value = Formula.compile(realisation.formula).evaluate(bindings)
        except FormulaUndefinedError as exc:
            raise AuditMismatchError(f"recorded as computed, but {exc}") from None
    _same(realisation.value, value, f"realisation over {realisation.span}")
    _check_category(realisation.category, value, f"realisation over {realisation.span}")
    return value


@_replayable
def replay_target(target: Target) -> TargetFigure | None:
    """Recombine a target from its parts; a part written as the values of the formula's
    inputs is recomputed from them first."""
    if target.aggregate is None:
        _same(target.value, None, f"target over {target.span}")
        return None
    parts = {part.period: part.value for part in target.aggregate.parts}
    for computed in target.computed:
        what = f"target for {computed.period} from its inputs"
        try:
            recomputed = target_of_inputs(
                Formula.compile(computed.formula), computed.parameters, computed.inputs
            )
        except (FormulaUndefinedError, IkuEvalError) as exc:
            raise AuditMismatchError(f"{what}: {exc}") from None
        _same(computed.value, recomputed, what)
        _same(parts.get(computed.period), recomputed, f"target part {computed.period}")
    value = replay_aggregate(target.aggregate)
    _same(target.value, value, f"target over {target.span}")
    _check_category(target.category, value, f"target over {target.span}")
    return value


@_replayable
def replay_budget(budget: BudgetResult) -> Decimal | None:
    """Recompute a budget absorption from its ceiling and spending trail."""
    values = [replay_aggregate(s) for s in budget.spending]
    _same(budget.ceiling, exact_sum(budget.ceilings.values()), f"ceiling of {budget.id}")
    if budget.status is not Status.COMPUTED:
        _same(budget.value, None, f"absorption of {budget.id}")
        return None
    spent = exact_sum(v for v in values if isinstance(v, Decimal))
    if len(values) != len([v for v in values if isinstance(v, Decimal)]):
        raise AuditMismatchError(f"absorption of {budget.id}: spending is missing from the trail")
    _same(budget.spent, spent, f"spending of {budget.id}")
    unrounded = percentage(spent, budget.ceiling)
    _same(budget.unrounded, unrounded, f"absorption of {budget.id}")
    value = round_figure(unrounded, budget.rounding.mode, budget.rounding.places)
    _same(budget.value, value, f"rounded absorption of {budget.id}")
    return value


@_replayable
def replay_rollup(rollup: Rollup) -> Decimal | None:
    """Recompute a roll-up's mean from its members (the ``mean`` roll-up method)."""
    counted = [m.value for m in rollup.members if m.counted and m.value is not None]
    if not counted:
        _same(rollup.value, None, f"roll-up {rollup.id}")
        return None
    _same(rollup.count, len(counted), f"count of roll-up {rollup.id}")
    found = combine_figures(RollupMethod.MEAN, counted)
    _same(rollup.total, found.total, f"total of roll-up {rollup.id}")
    _same(rollup.unrounded, found.value, f"mean of roll-up {rollup.id}")
    value = round_figure(found.value, rollup.rounding.mode, rollup.rounding.places)
    _same(rollup.value, value, f"rounded roll-up {rollup.id}")
    return value


@_replayable
def replay_composite(composite: CompositeResult) -> Decimal | None:
    """Recompute a composite from its members' figures and weights, by its method.

    Each member's weighted value (value x weight / the sum of all weights) is
    checked too. The members' own figures are taken from the trail: replay
    the achievements, realisations and roll-ups they come from to check them.

    Raises:
        AuditMismatchError: a recomputed value differs from the recorded one.
    """
    method = ROLLUP_METHODS[composite.method]
    what = f"composite {composite.id}"
    declared = (
        exact_sum(m.weight for m in composite.members if m.weight is not None)
        if method.weighted
        else None
    )
    _same(composite.declared_weight, declared, f"sum of the weights of {what}")
    for member in composite.members:
        weighted = None
        if method.weighted and member.counted and member.value is not None:
            if member.weight is None or not declared:
                raise AuditMismatchError(f"{what}: member {member.id} has no weight")
            weighted = divide(exact_product((member.value, member.weight)), declared)
        _same(member.weighted, weighted, f"weighted value of {member.id} in {what}")
    counted = [m for m in composite.members if m.counted and m.value is not None]
    if not counted or composite.status is not Status.COMPUTED:
        _same(composite.value, None, what)
        return None
    _same(composite.count, len(counted), f"count of {what}")
    figures = [m.value for m in counted if m.value is not None]
    weights = [m.weight or Decimal(0) for m in counted] if method.weighted else None
    try:
        found = combine_figures(composite.method, figures, weights)
    except (ValueError, ZeroDivisionError) as exc:
        raise AuditMismatchError(f"{what}: recorded as computed, but {exc}") from None
    _same(composite.total, found.total, f"total of {what}")
    _same(composite.weight, found.weight, f"weight of {what}")
    _same(composite.unrounded, found.value, f"{composite.method.value} of {what}")
    value = round_figure(found.value, composite.rounding.mode, composite.rounding.places)
    _same(composite.value, value, f"rounded {what}")
    return value


def _check_category(category: Category | None, value: TargetFigure | None, what: str) -> None:
    """A recorded category must hold the value: at least its min, more than its above,
    below its below, at most its up_to."""
    if category is None:
        return
    if not isinstance(value, Decimal) or not category.holds(value):
        raise AuditMismatchError(
            f"category of the {what}: the trail records {category.label!r} on the scale "
            f"{category.scale!r}, whose band does not hold {_text(value)}"
        )


def _same(recorded: object, replayed: object, what: str) -> None:
    # Decimal("120") == Decimal("120.0"), but a trail must be exact to the digit.
    if recorded != replayed or _text(recorded) != _text(replayed):
        raise AuditMismatchError(
            f"{what}: the trail records {recorded}, replaying gives {replayed}"
        )


def _text(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _same_label(value: TargetFigure | None, label: str, what: str) -> None:
    if isinstance(value, str) and value != label:
        raise AuditMismatchError(f"{what}: the trail records {label!r}, replaying gives {value!r}")


@_replayable
def replay_comparisons(result: IndicatorResult) -> None:
    """Recompute an indicator's comparisons from its trail.

    The achievement against the medium-term target and the previous year's
    achievement are replayed like any achievement (:func:`replay`); the change
    of the realisation, the change in percent and the change of the
    achievement in points are recomputed from the two years' realisations and
    achievements to date, and rounded.

    Raises:
        AuditMismatchError: a recomputed value differs from the recorded one.
    """
    found = result.comparisons
    if found is None:
        return
    medium = found.medium_term
    if medium.achievement is not None:
        _same(medium.value, replay(medium.achievement), f"{result.id} against the medium term")
    else:
        _same(medium.value, None, f"{result.id} against the medium term")
    previous = found.previous_year
    what = f"{result.id} against {previous.period}"
    now = result.realisations[SpanName.TO_DATE]
    now_achievement = result.achievement(Basis.TO_DATE)
    then = previous.realisation
    then_achievement = previous.achievement
    if then is not None:
        replay_realisation(then)
    if then_achievement is not None:
        replay(then_achievement)
    change = growth = points = None
    if (
        then is not None
        and now.status is Status.COMPUTED
        and then.status is Status.COMPUTED
        and isinstance(now.value, Decimal)
        and isinstance(then.value, Decimal)
    ):
        change = subtract(now.value, then.value)
        if then.value != 0:
            growth = percentage(change, then.value.copy_abs())
    before = then_achievement.unrounded if then_achievement is not None else None
    if before is not None and now_achievement.unrounded is not None:
        points = subtract(now_achievement.unrounded, before)
    rounding = previous.rounding
    for name, recorded, replayed, rounded in (
        ("change", previous.change, change, None),
        ("change in percent", previous.growth_unrounded, growth, previous.growth),
        ("change of the achievement", previous.points_unrounded, points, previous.points),
    ):
        _same(recorded, replayed, f"{name} of {what}")
        if name != "change":
            value = (
                None if replayed is None else round_figure(replayed, rounding.mode, rounding.places)
            )
            _same(rounded, value, f"rounded {name} of {what}")
