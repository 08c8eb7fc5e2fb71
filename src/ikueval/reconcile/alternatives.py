"""The computations a printed figure is compared with, every one made by the engine.

The claimed computation comes first: the engine's figure for what the figure
claims. The others are the engine's figures with one setting changed: another
basis or span (the engine computes them all), another cap
(:func:`~ikueval.achievement.apply_cap`), the other lower-is-better formula
(:func:`~ikueval.achievement.achieve` on the rule set with that formula),
another roll-up policy (:func:`~ikueval.rollups.rollup` with that policy), a
realisation printed as an achievement or the reverse. Rounding is tried later,
on each of them (:mod:`.verdicts`). Nothing here computes a figure the engine
computes: which span each basis uses, which indicators a roll-up has and which
budgets a year has are the engine's (:data:`~ikueval.evaluation.BASES`,
:func:`~ikueval.rollups.rollup_groups`, :func:`~ikueval.budgets.ceiling_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Final

import attrs

from ..achievement import LOWER_IS_BETTER, achieve, apply_cap, substituted
from ..aggregation import Ledger
from ..decimals import divide, multiply, plain
from ..errors import IkuEvalError
from ..evaluation import BASES, evaluate
from ..model import Basis, Direction, Indicator, LowerIsBetter, RuleSet
from ..results import Achievement, Evaluation, IndicatorResult, Status
from ..spans import SpanName
from ..units import same_unit
from .claims import Claim, PrintedFigure, Role
from .computation import Computation
from .groups import budget_computations, rollup_computations

#: Caps tried when a figure matches no uncapped computation.
CAPS: Final = (Decimal(100), Decimal(110), Decimal(120))


class Alternatives:
    """Asks the engine for every computation of a claim (one evaluation per period)."""

    def __init__(self, ruleset: RuleSet, ledger: Ledger) -> None:
        self.ruleset = ruleset
        self.ledger = ledger
        self._evaluations: dict[str, Evaluation] = {}
        self._lower: dict[LowerIsBetter, RuleSet] = {}

    def evaluation(self, period: str) -> Evaluation:
        """The engine's evaluation of a period (computed once)."""
        if period not in self._evaluations:
            self._evaluations[period] = evaluate(self.ruleset, self.ledger, period)
        return self._evaluations[period]

    def of(self, figure: PrintedFigure) -> list[Computation]:
        """The computations for a figure's claim: the claimed one first, then the others."""
        claim = figure.claim
        if claim.role is Role.ROLLUP:
            evaluation = self.evaluation(claim.period)
            return [*rollup_computations(self.ruleset, evaluation, claim, figure.table)]
        if claim.role in (Role.CEILING, Role.SPENDING, Role.ABSORPTION):
            evaluation = self.evaluation(claim.period)
            return [*budget_computations(self.ruleset, evaluation, claim, figure.table, figure.row)]
        indicator = self.ruleset.indicator(claim.subject)
        assert indicator is not None  # checked when the publication was read
        result = self.evaluation(claim.period).indicator(claim.subject)
        computations = {
            Role.ACHIEVEMENT: self.achievements,
            Role.REALISATION: realisations,
            Role.TARGET: targets,
            Role.INPUT: inputs,
            Role.PARAMETER: parameters,
        }[claim.role]
        return [*computations(claim, indicator, result)]

    def achievements(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[Computation]:
        """The achievement on every basis, with every cap and formula; the realisations."""
        assert claim.basis is not None
        for basis in [claim.basis, *(b for b in Basis if b is not claim.basis)]:
            achievement = result.achievement(basis)
            changes = () if basis is claim.basis else (f"on basis {basis.value}",)
            if achievement.status is not Status.COMPUTED or achievement.raw is None:
                words = f"{basis.value} achievement: none ({achievement.reason})"
                yield Computation(words, None, changes, trail=achievement)
                continue
            text = f"{basis.value} achievement {_substituted(achievement)}"
            yield Computation(text, achievement.unrounded, changes, trail=achievement)
            for cap in (None, *CAPS):
                if cap == achievement.cap:
                    continue
                words = "without the cap" if cap is None else f"with a cap of {plain(cap)}%"
                capped = apply_cap(achievement.raw, cap)
                yield Computation(f"{text}, {words}", capped, (*changes, words), trail=achievement)
            if indicator.direction is Direction.LOWER:
                yield from self.other_formulas(indicator, achievement, changes)
        for span, realisation in result.realisations.items():
            if isinstance(realisation.value, Decimal):
                yield Computation(
                    f"the realisation over {realisation.span}",
                    realisation.value,
                    (f"printing the {span} realisation as the achievement",),
                    counts=True,
                    trail=realisation,
                )

    def other_formulas(
        self, indicator: Indicator, achievement: Achievement, changes: tuple[str, ...]
    ) -> Iterator[Computation]:
        """The achievement with each lower-is-better formula the rule set does not declare."""
        for formula in LOWER_IS_BETTER:
            if formula is achievement.lower_is_better:
                continue
            other = achieve(
                self.with_formula(formula),
                indicator,
                achievement.basis,
                achievement.realisation,
                achievement.target,
            )
            if other.status is Status.COMPUTED:
                yield Computation(
                    f"{achievement.basis.value} achievement with the formula {formula.value}",
                    other.unrounded,
                    (*changes, f"with the lower-is-better formula {formula.value}"),
                    trail=other,
                )

    def with_formula(self, formula: LowerIsBetter) -> RuleSet:
        """The rule set with another lower-is-better formula."""
        if formula not in self._lower:
            policy = attrs.evolve(self.ruleset.achievement, lower_is_better=formula)
            self._lower[formula] = attrs.evolve(self.ruleset, achievement=policy)
        return self._lower[formula]


def _substituted(achievement: Achievement) -> str:
    """The achievement's formula with the values it compared (the scores of categories)."""
    r, t = achievement.realisation.value, achievement.target.value
    if achievement.realisation_scored and achievement.target_scored:
        r, t = achievement.realisation_scored.score, achievement.target_scored.score
    return substituted(achievement.direction, achievement.lower_is_better, r, t)


def _claimed_first(claimed: SpanName | None, spans: Iterable[SpanName]) -> list[SpanName]:
    """The engine's spans, the claimed one first."""
    ordered = list(spans)
    first = claimed if claimed in ordered else ordered[0]
    return [first, *(s for s in ordered if s != first)]


def _over(span: SpanName, claim: Claim) -> tuple[str, ...]:
    return () if span == claim.span else (f"over the span {span}",)


def realisations(
    claim: Claim, indicator: Indicator, result: IndicatorResult
) -> Iterator[Computation]:
    """The realisation over every span; the achievements whose realisation is over the
    claimed span (against each target span in turn), printed as the realisation."""
    for span in _claimed_first(claim.span, result.realisations):
        realisation = result.realisations[span]
        value = realisation.value if realisation.status is Status.COMPUTED else None
        detail = f"= {realisation.formula}" if realisation.formula else ""
        words = f"the realisation over {realisation.span} {detail}".rstrip()
        if value is None:
            words = f"the realisation over {realisation.span}: none ({realisation.reason})"
        yield Computation(words, value, _over(span, claim), counts=True, trail=realisation)
    claimed = claim.span or next(iter(result.realisations))
    for target_span in result.targets:
        for basis, rule in BASES.items():
            achievement = result.achievement(basis)
            spans = (rule.realisation, rule.target)
            if spans != (claimed, target_span) or achievement.unrounded is None:
                continue
            yield Computation(
                f"the {basis.value} achievement: {achievement.method}",
                achievement.unrounded,
                (f"printing the {basis.value} achievement as the realisation",),
                trail=achievement,
            )


def targets(claim: Claim, indicator: Indicator, result: IndicatorResult) -> Iterator[Computation]:
    """The target of every span, the claimed one first."""
    for span in _claimed_first(claim.span, result.targets):
        target = result.targets[span]
        documents = (
            ", ".join(p.sources[0] for p in target.aggregate.parts) if target.aggregate else ""
        )
        words = f"the target for {target.span}" + (f" from {documents}" if documents else "")
        if target.value is None:
            words = f"the target for {target.span}: none ({target.reason})"
        yield Computation(words, target.value, _over(span, claim), counts=True, trail=target)


def inputs(claim: Claim, indicator: Indicator, result: IndicatorResult) -> Iterator[Computation]:
    """The inputs in the figure's unit over every span; then the formula's parameters."""
    for span in _claimed_first(claim.span, result.realisations):
        for aggregate in result.realisations[span].inputs:
            declared = indicator.inputs.get(aggregate.quantity)
            if (
                declared is None
                or not declared.unit
                or not same_unit(declared.unit, claim.unit or "")
            ):
                continue
            yield Computation(
                f"input {aggregate.quantity} over {aggregate.span}",
                aggregate.value,
                _over(span, claim),
                counts=True,
                trail=aggregate,
            )
    yield from parameters(claim, indicator, result)


def parameters(
    claim: Claim, indicator: Indicator, result: IndicatorResult
) -> Iterator[Computation]:
    """For a figure in an input's unit in a target column: the target in that unit,
    then the formula's parameters."""
    if claim.role is Role.PARAMETER:
        yield from _target_in_input_unit(claim, indicator, result)
    for name, value in indicator.parameters.items():
        changes = () if claim.role is Role.PARAMETER else ("a parameter of the formula",)
        words = f"parameter {name} of the formula {indicator.formula}"
        yield Computation(words, value, changes, rounds=False)


def _target_in_input_unit(
    claim: Claim, indicator: Indicator, result: IndicatorResult
) -> Iterator[Computation]:
    """The target expressed in the unit of the indicator's single input.

    Only for a formula linear in its input through zero (``documents /
    planned * 100``): a target t is then t / f(1) of the input.
    """
    per_unit = _per_unit(indicator)
    if per_unit is None:
        yield Computation(
            f"{indicator.id} has no single linear input to express its target in", None
        )
        return
    (name,) = indicator.inputs
    for span in _claimed_first(claim.span, result.targets):
        target = result.targets[span]
        if not isinstance(target.value, Decimal):
            continue
        yield Computation(
            f"the target for {target.span} in {name}: {_short(target.value)} / {_short(per_unit)}",
            divide(target.value, per_unit),
            _over(span, claim),
            counts=True,
            trail=target,
        )


def _per_unit(indicator: Indicator) -> Decimal | None:
    """What one unit of the single input gives in the formula, if the formula is linear."""
    if indicator.formula is None or len(indicator.inputs) != 1:
        return None
    (name,) = indicator.inputs
    try:
        at = [
            indicator.formula.evaluate({**indicator.parameters, name: Decimal(x)})
            for x in (0, 1, 2)
        ]
    except IkuEvalError:
        return None
    if at[0] != 0 or at[1] == 0 or at[2] != multiply(Decimal(2), at[1]):
        return None
    return at[1]


def _short(value: Decimal) -> str:
    """A decimal without trailing zeros: 12.500 -> 12.5 (for descriptions only)."""
    text = plain(value)
    return text.rstrip("0").rstrip(".") if "." in text else text
