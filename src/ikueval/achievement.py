"""Achievement (capaian): a realisation compared with a target, in percent.

* higher is better: ``realisation / target x 100``;
* lower is better, as the rule set declares:
  ``(2 x target - realisation) / target x 100`` (``"2t-r"``) or
  ``target / realisation x 100`` (``"t/r"``);
* a categorical indicator compares the scores of the two categories on its
  scale with the same formulas.

A cap, when declared, limits the result. Rounding happens once, at the end.
A zero target, a missing realisation or a missing target give a status, never
a number that was not computed.
"""

from __future__ import annotations

from decimal import Decimal

from .decimals import multiply, percentage, round_figure, subtract
from .model import Basis, Direction, Indicator, LowerIsBetter, RuleSet, Scale, TargetValue
from .results import Achievement, Realisation, Scored, Status, Target

_TWO = Decimal(2)


def method_text(direction: Direction, lower: LowerIsBetter | None) -> str:
    """The achievement formula in words."""
    if direction is Direction.HIGHER:
        return "realisation / target x 100"
    if lower is LowerIsBetter.MIRRORED:
        return "(2 x target - realisation) / target x 100"
    if lower is LowerIsBetter.INVERSE:
        return "target / realisation x 100"
    return "lower is better, but the rule set declares no formula"


def substituted(
    direction: Direction, lower: LowerIsBetter | None, realisation: object, target: object
) -> str:
    """The achievement formula with its values: ``36 / 107 x 100``."""
    r, t = (_text(v) for v in (realisation, target))
    if direction is Direction.HIGHER:
        return f"{r} / {t} x 100"
    if lower is LowerIsBetter.MIRRORED:
        return f"(2 x {t} - {r}) / {t} x 100"
    return f"{t} / {r} x 100"


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
    if direction is Direction.HIGHER:
        return percentage(realisation, target)
    if lower is LowerIsBetter.MIRRORED:
        return percentage(subtract(multiply(_TWO, target), realisation), target)
    if lower is LowerIsBetter.INVERSE:
        return percentage(target, realisation)
    raise ValueError("lower is better, but no formula is declared")


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
    lower = ruleset.lower_formula() if indicator.direction is Direction.LOWER else None

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
            value = round_figure(unrounded, ruleset.rounding.mode, ruleset.rounding.places)
        return Achievement(
            basis=basis,
            status=status,
            realisation=realisation,
            target=target,
            method=method_text(indicator.direction, lower),
            direction=indicator.direction,
            rounding=ruleset.rounding,
            lower_is_better=lower,
            realisation_scored=scored[0],
            target_scored=scored[1],
            raw=raw,
            cap=cap,
            unrounded=unrounded,
            value=value,
            reason=reason,
        )

    if not indicator.applies(basis):
        declared = ", ".join(b.value for b in indicator.bases or ())
        return result(Status.NOT_APPLICABLE, f"{indicator.id} declares only the bases {declared}")
    missing = _missing(realisation, target)
    if missing is not None:
        return result(*missing)
    r_value, t_value = realisation.value, target.value
    scored: tuple[Scored | None, Scored | None] = (None, None)
    scale = ruleset.scale_of(indicator)
    if scale is not None and r_value is not None and t_value is not None:
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
        return result(
            Status.TARGET_ZERO,
            f"the target for {target.span} is 0: a percentage of it is not defined",
            scored,
        )
    try:
        raw = raw_achievement(indicator.direction, lower, r_value, t_value)
    except ZeroDivisionError:
        return result(
            Status.UNDEFINED,
            f"the realisation for {realisation.span} is 0: target / realisation is not defined",
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
