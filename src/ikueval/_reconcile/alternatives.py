"""The computations a printed figure is compared with, every one made by the engine.

The claimed computation comes first: the engine's figure for what the figure
claims. The others are the engine's figures with one setting changed: another
basis or span (the engine computes them all), another cap
(:func:`~ikueval._achievement.apply_cap`), the other lower-is-better formula
(:func:`~ikueval._achievement.achieve` on the rule set with that formula),
another roll-up policy (:func:`~ikueval._rollups.rollup` with that policy), a
realisation printed as an achievement or the reverse. Rounding is tried later,
on each of them (:mod:`.verdicts`). Nothing here computes a figure the engine
computes: which span each basis uses, which indicators a roll-up has and which
budgets a year has are the engine's (:data:`~ikueval._evaluation.BASES`,
:func:`~ikueval._rollups.rollup_groups`, :func:`~ikueval._budgets.ceiling_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Final

import attrs

from .._achievement import LOWER_IS_BETTER, RANGE_RULES, achieve, apply_cap, substituted
from .._aggregation import Ledger
from .._comparisons import COMPARED
from .._decimals import divide, multiply, plain
from .._errors import IkuEvalError
from .._evaluation import BASES, evaluate
from .._model import Basis, Direction, Indicator, Rounding, RuleSet, TargetRange
from .._results import Achievement, Evaluation, IndicatorResult, Realisation, Status, Target
from .._spans import SpanName
from .._units import same_unit
from .claims import Claim, PrintedFigure, Role
from .composites import (
    composite_computations,
    medium_term_computations,
    previous_year_computations,
    weighted_computations,
)
from .computation import Computation
from .groups import budget_computations, rollup_computations
from .verdicts import Candidate, tries

#: The claims about a group of indicators or a budget, rounded as the rule set rounds.
_GROUP_ROLES: Final = frozenset({Role.ROLLUP, Role.CEILING, Role.SPENDING, Role.ABSORPTION})

#: The claims about a budget, whose computations also read the figures printed in the row.
_BUDGET_ROLES: Final = frozenset({Role.CEILING, Role.SPENDING, Role.ABSORPTION})

#: Caps tried when a figure matches no uncapped computation.
CAPS: Final = (Decimal(100), Decimal(110), Decimal(120))


#: What the computations of a figure depend on: its claim, and for a roll-up the table
#: (the means of its printed columns), for a budget figure the table and row (the
#: spending and ceiling printed beside it).
_Key = tuple[Claim, str | None, int | None]


class Alternatives:
    """Asks the engine for every computation of a claim (one evaluation per period).

    The computations of a claim are made once: a table that prints the same claim
    in many cells costs one set of computations, and its figures share the engine
    figures (the trails) behind them.
    """

    def __init__(self, ruleset: RuleSet, ledger: Ledger) -> None:
        self.ruleset = ruleset
        self.ledger = ledger
        self._evaluations: dict[str, Evaluation] = {}
        self._computations: dict[_Key, tuple[Computation, ...]] = {}
        self._tries: dict[tuple[_Key, int], tuple[Candidate, ...]] = {}

    def rounding(self, figure: PrintedFigure) -> Rounding:
        """How the figure's computations are rounded: as the indicator it is about rounds
        its figures, else (roll-ups, budgets) as the rule set does."""
        indicator = self.ruleset.indicator(figure.claim.subject)
        if figure.claim.role in _GROUP_ROLES or indicator is None:
            return self.ruleset.rounding
        return self.ruleset.rounding_of(indicator)

    def evaluation(self, period: str) -> Evaluation:
        """The engine's evaluation of a period (computed once)."""
        if period not in self._evaluations:
            self._evaluations[period] = evaluate(self.ruleset, self.ledger, period)
        return self._evaluations[period]

    def of(self, figure: PrintedFigure) -> list[Computation]:
        """The computations for a figure's claim: the claimed one first, then the others."""
        key = self._key(figure)
        if key not in self._computations:
            self._computations[key] = tuple(self._made(figure))
        return list(self._computations[key])

    def tries(self, figure: PrintedFigure) -> tuple[Candidate, ...]:
        """Every computation of :meth:`of` with every rounding a figure printed as this
        one is compared with (:func:`~.verdicts.tries`), made once per claim and places."""
        key = (self._key(figure), figure.printed.places)
        if key not in self._tries:
            self._tries[key] = tries(self.of(figure), self.rounding(figure), key[1])
        return self._tries[key]

    def _key(self, figure: PrintedFigure) -> _Key:
        claim = figure.claim
        table = figure.ref.table if claim.role in _GROUP_ROLES else None
        row = figure.ref.row if claim.role in _BUDGET_ROLES else None
        return (claim, table, row)

    def _made(self, figure: PrintedFigure) -> list[Computation]:
        claim = figure.claim
        if claim.role is Role.ROLLUP:
            evaluation = self.evaluation(claim.period)
            return [*rollup_computations(self.ruleset, evaluation, claim, figure.table)]
        if claim.role in _BUDGET_ROLES:
            evaluation = self.evaluation(claim.period)
            return [*budget_computations(self.ruleset, evaluation, claim, figure.table, figure.row)]
        if claim.role is Role.COMPOSITE:
            evaluation = self.evaluation(claim.period)
            return [*composite_computations(self.ruleset, evaluation, claim)]
        if claim.role is Role.WEIGHTED:
            return [*weighted_computations(self.evaluation(claim.period), claim)]
        if claim.role is Role.MEDIUM_TERM:
            return [*medium_term_computations(self.evaluation(claim.period), claim)]
        if claim.role is Role.PREVIOUS_YEAR:
            return [*previous_year_computations(self.evaluation(claim.period), claim)]
        indicator = self.ruleset.indicator(claim.subject)
        assert indicator is not None  # checked when the publication was read
        result = self.evaluation(claim.period).indicator(claim.subject)
        computations = {
            Role.ACHIEVEMENT: self.achievements,
            Role.REALISATION: realisations,
            Role.TARGET: targets,
            Role.INPUT: inputs,
            Role.PARAMETER: parameters,
            Role.CATEGORY: categories,
            Role.TARGET_CATEGORY: categories,
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
            if achievement.range_rule is not None:
                yield from self.other_range_rules(indicator, achievement, changes)
        for span, realisation in result.realisations.items():
            if isinstance(realisation.value, Decimal):
                yield Computation(
                    f"the realisation over {realisation.span}",
                    realisation.value,
                    (f"printing the {span} realisation as the achievement",),
                    counts=True,
                    trail=realisation,
                )
        yield from compared_achievements(result)

    def other_formulas(
        self, indicator: Indicator, achievement: Achievement, changes: tuple[str, ...]
    ) -> Iterator[Computation]:
        """The achievement with each lower-is-better formula other than the indicator's
        (its own, else the rule set's)."""
        basis = achievement.basis or COMPARED  # a comparison compares the realisation to date
        name = achievement.basis.value if achievement.basis else "medium-term"
        for formula in LOWER_IS_BETTER:
            if formula is achievement.lower_is_better:
                continue
            other = achieve(
                self.ruleset,
                attrs.evolve(indicator, lower_is_better=formula),
                basis,
                achievement.realisation,
                achievement.target,
            )
            if other.status is Status.COMPUTED:
                yield Computation(
                    f"{name} achievement with the formula {formula.value}",
                    other.unrounded,
                    (*changes, f"with the lower-is-better formula {formula.value}"),
                    trail=other,
                )

    def other_range_rules(
        self, indicator: Indicator, achievement: Achievement, changes: tuple[str, ...]
    ) -> Iterator[Computation]:
        """The achievement against a target range with each rule other than the one used."""
        for rule in RANGE_RULES:
            if rule is achievement.range_rule:
                continue
            other = achieve(
                self.ruleset,
                attrs.evolve(indicator, range=rule),
                achievement.basis or COMPARED,
                achievement.realisation,
                achievement.target,
            )
            if other.status is Status.COMPUTED:
                yield Computation(
                    f"{(achievement.basis or COMPARED).value} achievement: {other.method}",
                    other.unrounded,
                    (*changes, f"with the range rule {rule.value}"),
                    trail=other,
                )


def _substituted(achievement: Achievement) -> str:
    """The achievement's formula with the values it compared (the scores of categories)."""
    r, t = achievement.realisation.value, achievement.target.value
    if achievement.realisation_scored and achievement.target_scored:
        r, t = achievement.realisation_scored.score, achievement.target_scored.score
    if isinstance(t, TargetRange):
        if achievement.compared_with is None:
            return f"= 100 (within the target range {t})"
        t = achievement.compared_with
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
    previous = result.comparisons.previous_year if result.comparisons else None
    if previous is not None and previous.realisation is not None:
        then = previous.realisation
        if then.status is Status.COMPUTED and then.value is not None:
            yield Computation(
                f"the realisation over {then.span}",
                then.value,
                (f"the previous year's realisation ({then.span})",),
                counts=True,
                trail=then,
            )


def compared_achievements(result: IndicatorResult) -> Iterator[Computation]:
    """The achievement against the medium-term target and the previous year's to date,
    when the engine computed them (``ikueval._comparisons``)."""
    if result.comparisons is None:
        return
    medium = result.comparisons.medium_term
    if medium.achievement is not None and medium.achievement.unrounded is not None:
        yield Computation(
            f"the achievement against the medium-term target of {medium.year}: "
            f"{_substituted(medium.achievement)}",
            medium.achievement.unrounded,
            (f"against the medium-term target ({medium.year})",),
            trail=medium.achievement,
        )
    previous = result.comparisons.previous_year
    if previous.achievement is not None and previous.achievement.unrounded is not None:
        yield Computation(
            f"the to_date achievement of {previous.period}: {_substituted(previous.achievement)}",
            previous.achievement.unrounded,
            (f"the previous year's achievement ({previous.period})",),
            trail=previous.achievement,
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
        value = target.value
        if isinstance(value, TargetRange):  # compared as written: 80..90
            value = str(value)
        yield Computation(words, value, _over(span, claim), counts=True, trail=target)
    medium = result.comparisons.medium_term if result.comparisons else None
    if medium is not None and medium.achievement is not None:
        target = medium.achievement.target
        if target.value is not None:
            written = str(target.value) if isinstance(target.value, TargetRange) else target.value
            yield Computation(
                f"the medium-term target of {medium.year}",
                written,
                (f"the medium-term target ({medium.year})",),
                counts=True,
                trail=target,
            )


def categories(
    claim: Claim, indicator: Indicator, result: IndicatorResult
) -> Iterator[Computation]:
    """The category of the realisation (or target) over every span, the claimed one first:
    computed from the number on the indicator's ``category_scale``."""
    figures: Mapping[SpanName, Realisation | Target] = (
        result.targets if claim.role is Role.TARGET_CATEGORY else result.realisations
    )
    what = "target" if claim.role is Role.TARGET_CATEGORY else "realisation"
    for span in _claimed_first(claim.span, figures):
        figure = figures[span]
        category = figure.category
        if category is None:
            reason = figure.reason or f"{_value_text(figure.value)} is on no level of the scale"
            words = f"the category of the {what} over {figure.span}: none ({reason})"
            yield Computation(words, None, _over(span, claim), rounds=False, trail=figure)
            continue
        words = (
            f"the category of the {what} over {figure.span}, "
            f"{_value_text(figure.value)} on the scale {category.scale}"
        )
        yield Computation(words, category.label, _over(span, claim), rounds=False, trail=figure)


def _value_text(value: object) -> str:
    return plain(value) if isinstance(value, Decimal) else str(value)


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
            assert not isinstance(aggregate.value, TargetRange)  # inputs are never ranges
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
