"""What an evaluation produces: figures that carry their own audit trail.

Every figure names the span it covers, its status and, when it is missing, the
reason. An :class:`Achievement` holds everything needed to redo it: the parts
that were aggregated (with the files and rows they came from), the formula,
the target and the document it came from, the unrounded value, the cap and
the rounding. :func:`ikueval._audit.replay` recomputes a figure from this trail
alone. How finely the parts are cut is the evaluation's :class:`Trail`. The JSON
output is these classes unstructured, each realisation and target of an
indicator written once (``docs/audit.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum

from attrs import field, frozen

from ._model import (
    Aggregation,
    Basis,
    Direction,
    LowerIsBetter,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    RangeRule,
    RollupMethod,
    Rounding,
    TargetFigure,
    TargetValue,
    frozen_mapping,
)
from ._spans import SpanName


class Status(Enum):
    """Whether a figure could be computed, and if not, why."""

    COMPUTED = "computed"
    NO_REALISATION = "no_realisation"
    """Nothing was realised (reported) in the span yet; not the same as zero."""
    NO_TARGET = "no_target"
    """The rule set declares no target for the span."""
    TARGET_ZERO = "target_zero"
    """The target is zero: a percentage of it is not defined."""
    NOT_APPLICABLE = "not_applicable"
    """The basis does not apply to the indicator (see its ``bases``)."""
    UNDEFINED = "undefined"
    """The arithmetic has no value here (division by zero in a formula...)."""


class Trail(Enum):
    """How much of the trail an evaluation keeps behind each figure (``docs/audit.md``)."""

    FULL = "full"
    """A part per cell: per period and set of dimension values, with its sources."""
    COMPACT = "compact"
    """A part per month (or per declared period longer than a month), the dimension
    values merged, sources bounded: as many parts as the span has periods, whatever
    the number of events or cells. Replays exactly, as the full trail does."""


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


@frozen
class MediumTermComparison:
    """The realisation to date against the medium-term (Renstra) target.

    Args:
        status: computed, or why not (``not_applicable`` when the rule set
            declares no medium-term target).
        year: the year of the medium-term target (``[targets] medium_term``).
        document: the document it is taken from, when the rule set names one.
        achievement: the realisation to date against that target, with its
            whole trail (its ``basis`` is None: it is none of the four bases).
        value: the achievement, rounded (the same as ``achievement.value``).
    """

    status: Status
    year: int | None = None
    document: str | None = None
    achievement: Achievement | None = None
    value: Decimal | None = None
    reason: str | None = None


@frozen
class PreviousYearComparison:
    """The same span of the previous year: its realisation and achievement, and the change.

    Args:
        status: computed when both years have a numeric realisation to date, or
            why not (``not_applicable`` when the previous year is not a year of
            the rule set).
        period: the same period one year earlier (``2024-Q2``).
        realisation: the realisation to date of that year.
        achievement: that year's achievement to date against its annual target.
        change: this year's realisation to date minus that year's, exactly.
        growth_unrounded: the change in percent of that year's realisation.
        growth: ``growth_unrounded`` rounded.
        points_unrounded: this year's to_date achievement minus that year's, in
            percentage points, both unrounded.
        points: ``points_unrounded`` rounded.
        notes: why the growth or the points are missing.
    """

    status: Status
    rounding: Rounding
    period: str | None = None
    realisation: Realisation | None = None
    achievement: Achievement | None = None
    change: Decimal | None = None
    growth_unrounded: Decimal | None = None
    growth: Decimal | None = None
    points_unrounded: Decimal | None = None
    points: Decimal | None = None
    reason: str | None = None
    notes: tuple[str, ...] = ()


@frozen
class Comparisons:
    """What an LKj compares a realisation with besides its target (PermenPAN-RB 53/2014)."""

    medium_term: MediumTermComparison
    previous_year: PreviousYearComparison


@frozen
class IndicatorResult:
    """All figures of one indicator for the evaluated period."""

    id: str
    name: str
    unit: str
    aggregation: Aggregation
    direction: Direction
    objective: str | None
    activity: str | None
    realisations: Mapping[SpanName, Realisation] = field(converter=frozen_mapping)
    """The realisations of the spans that have one (see :data:`~ikueval._spans.SPANS`)."""
    targets: Mapping[SpanName, Target] = field(converter=frozen_mapping)
    """The targets of every span."""
    achievements: tuple[Achievement, ...]
    subunit: str | None = None
    rounding: Rounding | None = None
    """The indicator's own rounding, when it declares one (else the evaluation's)."""
    comparisons: Comparisons | None = None
    """Against the medium-term target and the previous year (None when not computed)."""

    def achievement(self, basis: Basis | str) -> Achievement:
        """The achievement on one basis (``Basis.TO_DATE`` or ``"to_date"``)."""
        wanted = Basis(basis)
        for achievement in self.achievements:
            if achievement.basis is wanted:
                return achievement
        raise KeyError(wanted.value)  # pragma: no cover - every basis is always present


@frozen
class RollupMember:
    """One indicator in a roll-up, and how it entered the mean."""

    indicator: str
    status: Status
    value: Decimal | None
    counted: bool


@frozen
class Rollup:
    """The mean achievement of a group of indicators.

    Args:
        id: ``all``, ``objective:SS-1``, ``activity:A1``...
        group: ``all``, ``objective`` or ``activity``.
        label: the group's name.
        basis: the achievement basis averaged.
        missing: how members without an achievement entered.
        member_values: whether rounded or unrounded member values were averaged.
        members: every member with its status and the value it contributed.
        total: the sum of the counted values.
        count: how many values were counted.
        unrounded: total / count.
        value: ``unrounded`` rounded with the rule set's rounding.
    """

    id: str
    group: str
    label: str
    basis: Basis
    missing: MissingPolicy
    member_values: MemberValues
    members: tuple[RollupMember, ...]
    status: Status
    rounding: Rounding
    total: Decimal | None = None
    count: int = 0
    unrounded: Decimal | None = None
    value: Decimal | None = None
    reason: str | None = None


@frozen
class CompositeMemberResult:
    """One member of a composite, and how it entered.

    Args:
        indicator / rollup: the member (one of the two).
        status: the status of its figure.
        value: the figure it entered with (0 when counted as zero, None when left out).
        counted: whether it entered.
        weight: its declared weight (weighted composites).
        weighted: value x weight / the sum of all members' weights: its weighted
            value (the *nilai akhir* of an IKPA component), when counted.
    """

    status: Status
    value: Decimal | None
    counted: bool
    indicator: str | None = None
    rollup: str | None = None
    weight: Decimal | None = None
    weighted: Decimal | None = None

    @property
    def id(self) -> str:
        """The indicator's or roll-up's id."""
        return self.indicator if self.indicator is not None else self.rollup or ""


@frozen
class CompositeResult:
    """A composite of ``[[composites]]``: its members' figures combined by its method.

    Args:
        id, label: the composite's id and name.
        method: how the figures combine (:data:`ikueval._rollup_methods.METHODS`).
        figure: which figure of an indicator member entered.
        basis: the achievement basis (composites of achievements).
        span: the realisation span (composites of realisations).
        missing, member_values: the composite's policy.
        members: every member with what it contributed.
        total: what the method takes from the counted figures (a sum, a sum of
            weight x figure, or a product).
        weight: what it divides or roots by (the count, or the sum of the
            counted members' weights).
        declared_weight: the sum of all members' weights (weighted composites).
        count: how many members were counted.
        unrounded: the combined value.
        value: ``unrounded`` rounded with the rule set's rounding.
    """

    id: str
    label: str
    method: RollupMethod
    figure: MemberFigure
    missing: MissingPolicy
    member_values: MemberValues
    members: tuple[CompositeMemberResult, ...]
    status: Status
    rounding: Rounding
    basis: Basis | None = None
    span: str | None = None
    total: Decimal | None = None
    weight: Decimal | None = None
    declared_weight: Decimal | None = None
    count: int = 0
    unrounded: Decimal | None = None
    value: Decimal | None = None
    reason: str | None = None


@frozen
class BudgetResult:
    """How much of a budget was spent by the end of the period (penyerapan anggaran).

    Args:
        id: the activity's id, or ``total`` for all activities with a budget.
        label: the activity's name.
        span: the span of the spending (January to the end of the period).
        ceiling: the budget ceiling (pagu); for the total, the sum of ``ceilings``.
        documents: where the ceilings are stated.
        spending: the latest spending balance of each activity in the span.
        spent: the amount spent (the total of ``spending``).
        unrounded: spent / ceiling x 100.
        value: ``unrounded`` rounded with the rule set's rounding.
    """

    id: str
    label: str
    span: str
    ceiling: Decimal
    documents: tuple[str, ...]
    status: Status
    rounding: Rounding
    ceilings: Mapping[str, Decimal] = field(factory=dict, converter=frozen_mapping)
    """The ceiling of each activity the budget covers (one, or all for the total)."""
    spending: tuple[Aggregate, ...] = ()
    spent: Decimal | None = None
    unrounded: Decimal | None = None
    value: Decimal | None = None
    reason: str | None = None


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
