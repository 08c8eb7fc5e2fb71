"""The figures of an indicator, each with its trail: the parts aggregated (with their
sources), the realisation, the target, the achievement."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from attrs import field, frozen

from .._model import (
    Aggregation,
    Basis,
    Direction,
    LowerIsBetter,
    RangeRule,
    Rounding,
    TargetFigure,
    TargetValue,
    frozen_mapping,
)
from .statuses import Status


@frozen
class Part:
    """One contribution to an aggregate: the events of one period and dimension set.

    In a compact trail (:attr:`Trail.COMPACT`) a part of a realisation merges the
    cells of one month (or of one longer period), whatever their dimensions:
    ``periods`` says how many distinct periods it adds up (for ``average``), and for
    ``latest`` a part is the period that ends last in its month.

    Args:
        period: the period of the events (``2025-04``, ``2025-Q1``).
        value: their total (a category label for a categorical indicator).
        count: how many events.
        dimensions: the dimension values they share.
        sources: where they came from: ``file:line`` or ``file:first-last``
            ranges, a document id for a target, or caller-given references.
        periods: how many distinct periods ``value`` adds up: 1, except for a part
            of a compact trail that merges several (the days of a month).
    """

    period: str
    value: TargetFigure
    count: int = 1
    dimensions: Mapping[str, str] = field(factory=dict, converter=frozen_mapping)
    sources: tuple[str, ...] = ()
    periods: int = 1


@frozen
class Aggregate:
    """Several parts combined over a span by one aggregation method.

    Args:
        quantity: what is aggregated: an input name, ``value`` or ``target``.
        span: the span's label (``2025-Q2``, ``2025-Q1..2025-Q2``).
        method: cumulative (sum), latest, or average (mean of the periods' totals).
        parts: the parts that lie in the span.
        value: the result, or None when no part lies in the span.
        notes: what a reader should know (values reported as "-", parts left
            out because their period reaches beyond the span...).
    """

    quantity: str
    span: str
    method: Aggregation
    parts: tuple[Part, ...]
    value: TargetFigure | None
    notes: tuple[str, ...] = ()


@frozen
class Category:
    """The category of a number on a scale, with the band that places it there.

    The number lies at least ``min`` or more than ``above`` (the level's start),
    and below ``below`` or at most ``up_to`` (where the next level starts), so
    :func:`ikueval._audit.replay` checks the category from the trail alone.

    Args:
        scale: the scale's name (``nka``).
        label: the category (``Sangat Baik``).
    """

    scale: str
    label: str
    min: Decimal | None = None
    above: Decimal | None = None
    below: Decimal | None = None
    up_to: Decimal | None = None

    def holds(self, value: Decimal) -> bool:
        """Whether a number lies in this category's band."""
        return (
            (self.min is None or value >= self.min)
            and (self.above is None or value > self.above)
            and (self.below is None or value < self.below)
            and (self.up_to is None or value <= self.up_to)
        )


@frozen
class Realisation:
    """What was realised over a span, from the aggregated inputs."""

    span: str
    status: Status
    value: TargetValue | None
    inputs: tuple[Aggregate, ...]
    formula: str | None = None
    parameters: Mapping[str, Decimal] = field(factory=dict, converter=frozen_mapping)
    reason: str | None = None
    category: Category | None = None
    """The category of the value on the indicator's ``category_scale``."""


@frozen
class ComputedTarget:
    """A declared target written as the values of the formula's inputs (``target_inputs``).

    Args:
        period: the period of the target slot.
        document: the document it comes from.
        inputs: the values of the inputs, as declared.
        parameters: the formula's parameters.
        formula: the indicator's formula.
        value: the formula's result: the target of the slot.
    """

    period: str
    document: str
    inputs: Mapping[str, Decimal] = field(converter=frozen_mapping)
    parameters: Mapping[str, Decimal] = field(converter=frozen_mapping)
    formula: str
    value: Decimal


@frozen
class Target:
    """The target of a span and the document(s) it came from.

    Args:
        computed: the targets among the aggregate's parts that the rule set writes
            as the values of the formula's inputs, with their computation (empty
            for targets written as figures; left out of the JSON then).
    """

    span: str
    status: Status
    value: TargetFigure | None
    aggregate: Aggregate | None = None
    reason: str | None = None
    category: Category | None = None
    """The category of the value on the indicator's ``category_scale``."""
    computed: tuple[ComputedTarget, ...] = ()


@frozen
class Scored:
    """A category of a scale and the score an achievement compares."""

    label: str
    score: Decimal


@frozen
class Achievement:
    """One achievement figure on one basis, with the whole trail behind it.

    Args:
        basis: what is compared with what; None for the achievement of a
            comparison (against the medium-term target), which is none of the bases.
        status: computed, or why not.
        realisation: the realisation used.
        target: the target used.
        method: the formula of the achievement, in words.
        direction: higher or lower is better.
        lower_is_better: the declared formula when lower is better.
        realisation_scored / target_scored: for a categorical indicator, the
            categories and their scores.
        raw: the achievement before the cap, unrounded.
        cap: the cap applied, if any.
        unrounded: the achievement after the cap, before rounding.
        rounding: the indicator's rounding (the rule set's, unless the
            indicator declares its own).
        value: the published figure: ``unrounded`` rounded once.
        indicator_settings: the settings the indicator declares itself in
            place of the rule set's (``lower_is_better``, ``cap``,
            ``rounding``); the others are the rule set's.
    """

    basis: Basis | None
    status: Status
    realisation: Realisation
    target: Target
    method: str
    direction: Direction
    rounding: Rounding
    lower_is_better: LowerIsBetter | None = None
    realisation_scored: Scored | None = None
    target_scored: Scored | None = None
    raw: Decimal | None = None
    cap: Decimal | None = None
    unrounded: Decimal | None = None
    value: Decimal | None = None
    reason: str | None = None
    indicator_settings: tuple[str, ...] = ()
    range_rule: RangeRule | None = None
    """For a target range: the rule that chose what the realisation is compared with."""
    compared_with: Decimal | None = None
    """For a target range: the bound compared (None when the realisation lies within
    the range and the rule gives 100%)."""
