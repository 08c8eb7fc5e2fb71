"""Achievement (capaian): a realisation compared with a target, in percent.

* higher is better: ``realisation / target x 100`` (:data:`HIGHER_IS_BETTER`);
* lower is better, with the formula the rule set declares, one of
  :data:`LOWER_IS_BETTER`: ``(2 x target - realisation) / target x 100``
  (``"2t-r"``) or ``target / realisation x 100`` (``"t/r"``);
* a categorical indicator compares the scores of the two categories on its
  scale with the same formulas.

A cap, when declared, limits the result. Rounding happens once, at the end.
A zero target, a missing realisation or a missing target give a status, never
a number that was not computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

from attrs import frozen

from ._decimals import multiply, percentage, round_figure, subtract
from ._model import (
    Basis,
    Direction,
    FrozenMap,
    Indicator,
    LowerIsBetter,
    RangeRule,
    RuleSet,
    Scale,
    TargetRange,
    TargetValue,
)
from ._results import Achievement, Realisation, Scored, Status, Target

_TWO: Final = Decimal(2)


@frozen
class AchievementFormula:
    """How an achievement compares a realisation with a target, in percent.

    Args:
        compute: ``(realisation, target) -> percent``, unrounded; the target is
            never 0 (that is a status). Raises ZeroDivisionError when it divides
            by a realisation of 0.
        template: the formula with ``{realisation}`` and ``{target}`` standing for
            the values: it gives both the formula in words and the formula with
            the values substituted.
        undefined: what has no value when the realisation is 0, for the reason
            of the status ``undefined`` (``target / realisation``).
    """

    compute: Callable[[Decimal, Decimal], Decimal]
    template: str
    undefined: str

    @property
    def text(self) -> str:
        """The formula in words: ``realisation / target x 100``."""
        return self.template.format(realisation="realisation", target="target")


#: The formula of higher-is-better indicators.
HIGHER_IS_BETTER: Final = AchievementFormula(
    percentage, "{realisation} / {target} x 100", "realisation / target"
)

#: Every lower-is-better formula (:class:`~ikueval._model.LowerIsBetter`) a rule set
#: may declare. The engine, ``audit.replay``, ``explain`` and ``reconcile`` (which
#: tries every formula the rule set does not declare) look formulas up here.
LOWER_IS_BETTER: Final[Mapping[LowerIsBetter, AchievementFormula]] = FrozenMap(
    {
        LowerIsBetter.MIRRORED: AchievementFormula(
            lambda r, t: percentage(subtract(multiply(_TWO, t), r), t),
            "(2 x {target} - {realisation}) / {target} x 100",
            "(2 x target - realisation) / target",
        ),
        LowerIsBetter.INVERSE: AchievementFormula(
            lambda r, t: percentage(t, r),
            "{target} / {realisation} x 100",
            "target / realisation",
        ),
    }
)


@frozen
class RangeRuleEntry:
    """How a realisation is compared with a target range.

    Args:
        compare: ``(realisation, range)`` to the bound the realisation is compared
            with by the direction's formula, or None when it lies within the range
            and the achievement is 100%.
        text: the rule in words.
    """

    compare: Callable[[Decimal, TargetRange], Decimal | None]
    text: str


def _nearest_bound(realisation: Decimal, band: TargetRange) -> Decimal | None:
    if realisation > band.max:
        return band.max
    if realisation < band.min:
        return band.min
    return None


#: Every rule of comparing a realisation with a target range
#: (:class:`~ikueval._model.RangeRule`). The engine, ``audit.replay`` and
#: ``reconcile`` (which tries every rule the indicator does not use) look rules up here.
RANGE_RULES: Final[Mapping[RangeRule, RangeRuleEntry]] = FrozenMap(
    {
        RangeRule.NEAREST_BOUND: RangeRuleEntry(
            _nearest_bound,
            "within the range 100%; above it against the upper bound, below it against "
            "the lower bound",
        ),
        RangeRule.LOWER_BOUND: RangeRuleEntry(lambda r, band: band.min, "against the lower bound"),
        RangeRule.UPPER_BOUND: RangeRuleEntry(lambda r, band: band.max, "against the upper bound"),
    }
)

#: The achievement of a realisation within a target range, under ``nearest-bound``.
WITHIN_RANGE: Final = Decimal(100)


def range_method(
    formula: AchievementFormula | None, rule: RangeRule, band: TargetRange, bound: Decimal | None
) -> str:
    """An achievement against a target range in words: what was compared, and why."""
    if bound is None:
        return f"100 within the target range {band} (range rule {rule.value})"
    side = "upper" if bound == band.max else "lower"
    formula_text = NO_FORMULA if formula is None else formula.text
    return f"{formula_text}, against the {side} bound of the target range {band} ({rule.value})"


#: The method of a lower-is-better indicator in a rule set that declares no formula.
NO_FORMULA: Final = "lower is better, but the rule set declares no formula"


def formula_of(direction: Direction, lower: LowerIsBetter | None) -> AchievementFormula | None:
    """The achievement formula of a direction (and, lower being better, the declared
    formula); None when lower is better and no formula is declared."""
    if direction is Direction.HIGHER:
        return HIGHER_IS_BETTER
    return None if lower is None else LOWER_IS_BETTER[lower]


def method_text(direction: Direction, lower: LowerIsBetter | None) -> str:
    """The achievement formula in words."""
    formula = formula_of(direction, lower)
    return NO_FORMULA if formula is None else formula.text


def substituted(
    direction: Direction, lower: LowerIsBetter | None, realisation: object, target: object
) -> str:
    """The achievement formula with its values: ``36 / 107 x 100``."""
    formula = formula_of(direction, lower)
    if formula is None:
        return NO_FORMULA
    return formula.template.format(realisation=_text(realisation), target=_text(target))


def _text(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def raw_achievement(
    direction: Direction, lower: LowerIsBetter | None, realisation: Decimal, target: Decimal
) -> Decimal:
    """The achievement before cap and rounding.

    Raises:
        ZeroDivisionError: when the denominator is zero.
        ValueError: when lower is better and no formula is declared.
    """
    formula = formula_of(direction, lower)
    if formula is None:
        raise ValueError("lower is better, but no formula is declared")
    return formula.compute(realisation, target)


def apply_cap(raw: Decimal, cap: Decimal | None) -> Decimal:
    """``raw`` limited to ``cap`` (percent), when a cap is declared."""
    return raw if cap is None or raw <= cap else cap


def score(scale: Scale, value: TargetValue) -> Scored | None:
    """The category and score of a value on a scale (None when it is off the scale)."""
    level = scale.level(value) if isinstance(value, str) else scale.classify(value)
    return None if level is None else Scored(level.label, level.score)


def achieve(
    ruleset: RuleSet,
    indicator: Indicator,
    basis: Basis,
    realisation: Realisation,
    target: Target,
) -> Achievement:
    """The achievement of an indicator on one basis, with its whole trail."""
    lower = ruleset.lower_formula_of(indicator) if indicator.direction is Direction.LOWER else None
    rounding = ruleset.rounding_of(indicator)

    ranged: dict[str, Any] = {}

    def result(
        status: Status,
        reason: str | None = None,
        scored: tuple[Scored | None, Scored | None] = (None, None),
        raw: Decimal | None = None,
        cap: Decimal | None = None,
        unrounded: Decimal | None = None,
    ) -> Achievement:
        value = None
        if unrounded is not None:
            value = round_figure(unrounded, rounding.mode, rounding.places)
        return Achievement(
            basis=basis,
            status=status,
            realisation=realisation,
            target=target,
            method=ranged.get("method") or method_text(indicator.direction, lower),
            direction=indicator.direction,
            rounding=rounding,
            lower_is_better=lower,
            realisation_scored=scored[0],
            target_scored=scored[1],
            raw=raw,
            cap=cap,
            unrounded=unrounded,
            value=value,
            reason=reason,
            indicator_settings=ruleset.own_settings(indicator),
            range_rule=ranged.get("rule"),
            compared_with=ranged.get("bound"),
        )

    if not indicator.applies(basis):
        declared = ", ".join(b.value for b in indicator.bases or ())
        return result(Status.NOT_APPLICABLE, f"{indicator.id} declares only the bases {declared}")
    missing = _missing(realisation, target)
    if missing is not None:
        return result(*missing)
    r_value, t_value = realisation.value, target.value
    formula = formula_of(indicator.direction, lower)
    if isinstance(t_value, TargetRange):
        rule = ruleset.range_rule_of(indicator)
        if rule is None:
            return result(
                Status.UNDEFINED,
                f"the target for {target.span} is a range, but no range rule is declared",
            )
        if not isinstance(r_value, Decimal):
            return result(Status.UNDEFINED, f"{r_value!r} cannot be compared with a range")
        bound = RANGE_RULES[rule].compare(r_value, t_value)
        ranged.update(rule=rule, bound=bound, method=range_method(formula, rule, t_value, bound))
        if bound is None:
            cap = ruleset.cap_of(indicator)
            return result(
                Status.COMPUTED,
                None,
                raw=WITHIN_RANGE,
                cap=cap,
                unrounded=apply_cap(WITHIN_RANGE, cap),
            )
        t_value = bound
    scored: tuple[Scored | None, Scored | None] = (None, None)
    scale = ruleset.scale_of(indicator)
    if (
        scale is not None
        and r_value is not None
        and t_value is not None
        and not isinstance(t_value, TargetRange)
    ):
        scored = (score(scale, r_value), score(scale, t_value))
        r_scored, t_scored = scored
        if r_scored is None or t_scored is None:
            off = [
                f"{what} {value!r}"
                for what, value, found in zip(
                    ("realisation", "target"), (r_value, t_value), scored, strict=True
                )
                if found is None
            ]
            return result(
                Status.UNDEFINED, f"{' and '.join(off)} not on the scale {indicator.scale!r}"
            )
        r_value, t_value = r_scored.score, t_scored.score
    if not isinstance(r_value, Decimal) or not isinstance(t_value, Decimal):
        return result(Status.UNDEFINED, f"{indicator.id} has no scale to compare categories")
    if t_value == 0:
        what = "the target" if "bound" not in ranged else "the bound compared of the target"
        return result(
            Status.TARGET_ZERO,
            f"{what} for {target.span} is 0: a percentage of it is not defined",
            scored,
        )
    if formula is None:
        return result(Status.UNDEFINED, NO_FORMULA, scored)
    try:
        raw = formula.compute(r_value, t_value)
    except ZeroDivisionError:
        return result(
            Status.UNDEFINED,
            f"the realisation for {realisation.span} is 0: {formula.undefined} is not defined",
            scored,
        )
    cap = ruleset.cap_of(indicator)
    return result(Status.COMPUTED, None, scored, raw, cap, apply_cap(raw, cap))


def _missing(realisation: Realisation, target: Target) -> tuple[Status, str] | None:
    reasons = [r for r in (realisation.reason, target.reason) if r]
    if realisation.status is not Status.COMPUTED:
        return realisation.status, "; ".join(reasons)
    if target.status is not Status.COMPUTED:
        return target.status, "; ".join(reasons)
    return None
