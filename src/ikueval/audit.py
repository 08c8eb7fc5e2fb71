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

from .achievement import apply_cap, formula_of
from .combining import combine
from .decimals import divide, exact_sum, percentage, round_figure
from .errors import AuditError, IkuEvalError
from .formulas import Formula, FormulaUndefinedError
from .model import TargetValue
from .results import (
    Achievement,
    Aggregate,
    BudgetResult,
    Realisation,
    Rollup,
    Status,
    Target,
)


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
    _same(achievement.raw, raw, "achievement before the cap")
    unrounded = apply_cap(raw, achievement.cap)
    _same(achievement.unrounded, unrounded, "unrounded achievement")
    rounding = achievement.rounding
    value = round_figure(unrounded, rounding.mode, rounding.places)
    _same(achievement.value, value, "rounded achievement")
    return value


@_replayable
def replay_aggregate(aggregate: Aggregate) -> TargetValue | None:
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
        (value,) = values.values()
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
    return value


@_replayable
def replay_target(target: Target) -> TargetValue | None:
    """Recombine a target from its parts."""
    if target.aggregate is None:
        _same(target.value, None, f"target over {target.span}")
        return None
    value = replay_aggregate(target.aggregate)
    _same(target.value, value, f"target over {target.span}")
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
    """Recompute a roll-up's mean from its members."""
    counted = [m.value for m in rollup.members if m.counted and m.value is not None]
    if not counted:
        _same(rollup.value, None, f"roll-up {rollup.id}")
        return None
    total = exact_sum(counted)
    _same(rollup.total, total, f"total of roll-up {rollup.id}")
    unrounded = divide(total, Decimal(len(counted)))
    _same(rollup.unrounded, unrounded, f"mean of roll-up {rollup.id}")
    value = round_figure(unrounded, rollup.rounding.mode, rollup.rounding.places)
    _same(rollup.value, value, f"rounded roll-up {rollup.id}")
    return value


def _same(recorded: object, replayed: object, what: str) -> None:
    # Decimal("120") == Decimal("120.0"), but a trail must be exact to the digit.
    if recorded != replayed or _text(recorded) != _text(replayed):
        raise AuditMismatchError(
            f"{what}: the trail records {recorded}, replaying gives {replayed}"
        )


def _text(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _same_label(value: TargetValue | None, label: str, what: str) -> None:
    if isinstance(value, str) and value != label:
        raise AuditMismatchError(f"{what}: the trail records {label!r}, replaying gives {value!r}")
