"""The rule-set model: what a TOML rule file declares, as immutable values.

The classes mirror the file format key for key (see ``docs/rules.md``), so a
rule set can be written back to TOML and read again unchanged. Everything is
frozen; mappings are read-only views.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, NoReturn, TypeVar

from attrs import field, frozen

from ._decimals import RoundingMode, plain
from ._formulas import Formula

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(dict[K, V]):
    """A read-only mapping: hashable, picklable, equal to a dict with the same items.

    A ``dict`` whose methods that would change it raise ``TypeError``, so that
    reading it (iterating, ``items()``, ``json.dumps``, unstructuring) runs at
    the speed of a dict. Use it where a frozen value holds a mapping
    (:func:`frozen_mapping` is the attrs converter).
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return dict.__eq__(self, other)
        if isinstance(other, Mapping):
            return dict.__eq__(self, dict(other.items()))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __repr__(self) -> str:
        return dict.__repr__(self)

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self),))

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"a {type(self).__name__} cannot be changed")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse


def frozen_mapping(value: Mapping[Any, Any] | None) -> Mapping[Any, Any]:
    """A read-only copy of a mapping (attrs converter); a FrozenMap is already one."""
    if type(value) is FrozenMap:
        return value
    return FrozenMap(value or {})


def _frozen_target_inputs(
    value: Mapping[str, Mapping[str, Mapping[str, Decimal]]],
) -> Mapping[str, Mapping[str, Mapping[str, Decimal]]]:
    return frozen_mapping(
        {
            document: frozen_mapping(
                {slot: frozen_mapping(inputs) for slot, inputs in slots.items()}
            )
            for document, slots in value.items()
        }
    )


def _frozen_targets(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return frozen_mapping({document: frozen_mapping(slots) for document, slots in value.items()})


class Aggregation(Enum):
    """How values of several periods combine into one figure for a longer span."""

    CUMULATIVE = "cumulative"
    """Sum: persons served, documents signed, spending."""
    LATEST = "latest"
    """The most recent value in the span: scores, stocks, re-reported data."""
    AVERAGE = "average"
    """Mean of the values of the periods in the span."""


class Direction(Enum):
    """Whether a higher or a lower realisation is better."""

    HIGHER = "higher"
    LOWER = "lower"


class LowerIsBetter(Enum):
    """The achievement formula of lower-is-better indicators."""

    MIRRORED = "2t-r"
    """``(2 x target - realisation) / target x 100``: 200% at zero, 0% at twice the target."""
    INVERSE = "t/r"
    """``target / realisation x 100``: undefined at zero, 50% at twice the target."""


class NoCap(Enum):
    """An indicator's explicit "no cap", overriding the rule set's ``[achievement] cap``."""

    NONE = "none"


class RangeRule(Enum):
    """How a realisation is compared with a target range (a band such as 80..90)."""

    NEAREST_BOUND = "nearest-bound"
    """Inside the range 100%; above it, against the upper bound; below it, against the
    lower bound (PermenPAN-RB 8/2021, for individual performance)."""
    LOWER_BOUND = "lower-bound"
    """Always against the lower bound: the range read as "at least 80"."""
    UPPER_BOUND = "upper-bound"
    """Always against the upper bound: the range read as "up to 90"."""


class Basis(Enum):
    """What an achievement compares (see ``docs/concepts.md``)."""

    PERIOD = "period"
    """The period's realisation against the period's target."""
    PERIOD_VS_ANNUAL = "period_vs_annual"
    """The period's realisation against the annual target."""
    TO_DATE = "to_date"
    """The realisation from January to the end of the period against the annual target."""
    TO_DATE_VS_TARGET_TO_DATE = "to_date_vs_target_to_date"
    """The realisation to date against the targets of the same months."""


class RollupMethod(Enum):
    """How a roll-up combines its members' figures (see :data:`ikueval._rollup_methods.METHODS`)."""

    MEAN = "mean"
    """The arithmetic mean: the sum of the figures divided by their number."""
    WEIGHTED = "weighted"
    """The weighted mean: the sum of weight x figure divided by the sum of the weights."""
    GEOMETRIC = "geometric"
    """The geometric mean: the n-th root of the product of the n figures."""


class MemberFigure(Enum):
    """Which figure of an indicator a composite combines."""

    ACHIEVEMENT = "achievement"
    """Its achievement on the composite's basis."""
    REALISATION = "realisation"
    """Its realisation over the composite's span: the components of an index."""


class MissingPolicy(Enum):
    """How an indicator without a computed achievement enters a roll-up."""

    ZERO = "zero"
    """It counts as 0%."""
    EXCLUDE = "exclude"
    """It is left out of the mean."""


class MemberValues(Enum):
    """Which achievement of each member a roll-up averages."""

    UNROUNDED = "unrounded"
    ROUNDED = "rounded"


class DocumentKind(Enum):
    """The kind of a planning or reporting document."""

    RENSTRA = "renstra"
    """Five-year strategic plan."""
    RKT = "rkt"
    """Annual work plan."""
    PK = "pk"
    """Performance agreement (Perjanjian Kinerja)."""
    LKJ = "lkj"
    """Performance report (Laporan Kinerja)."""
    OTHER = "other"


@frozen
class TargetRange:
    """A target band: the realisation should lie from ``min`` to ``max`` (80..90).

    Written in a target slot as ``{ min = 80, max = 90 }``; compared with a
    realisation by the rule set's (or the indicator's) ``range`` rule.
    """

    min: Decimal
    max: Decimal

    def __str__(self) -> str:
        return f"{plain(self.min)}..{plain(self.max)}"


TargetValue = Decimal | str
"""A value: a number in the indicator's unit, or a category of its scale."""

TargetFigure = Decimal | str | TargetRange
"""A target: a number in the indicator's unit, a category of its scale, or a range."""


@frozen
class Meta:
    """What the rule set is about."""

    id: str
    office: str
    years: tuple[int, ...]
    title: str | None = None
    description: str | None = None


@frozen
class Document:
    """A source document that targets (and events) come from."""

    id: str
    title: str
    kind: DocumentKind = DocumentKind.OTHER
    date: str | None = None
    note: str | None = None


@frozen
class Rounding:
    """How published figures are rounded: once, at the end."""

    mode: RoundingMode
    places: int


@frozen
class IndicatorRounding:
    """An indicator's own rounding: what it gives replaces the rule set's ``[rounding]``.

    Args:
        mode: the rounding mode; the rule set's when omitted.
        places: the decimal places; the rule set's when omitted.
    """

    mode: RoundingMode | None = None
    places: int | None = None

    def over(self, default: Rounding) -> Rounding:
        """The rounding that applies: this one's keys, the rule set's for the others."""
        return Rounding(
            self.mode if self.mode is not None else default.mode,
            self.places if self.places is not None else default.places,
        )


@frozen
class AchievementPolicy:
    """Rule-set-wide choices about achievements."""

    lower_is_better: LowerIsBetter | None = None
    cap: Decimal | None = None
    range: RangeRule | None = None


@frozen
class RollupPolicy:
    """How the mean achievements of groups of indicators are computed."""

    basis: Basis
    missing: MissingPolicy
    member_values: MemberValues = MemberValues.UNROUNDED


@frozen
class MediumTerm:
    """The medium-term (Renstra) target: the target of a year of the rule set.

    Args:
        year: the year whose target is the medium-term one (the plan's final year).
        document: the document that gives it; without one, the binding target of
            that year (``[targets] precedence``).
    """

    year: int
    document: str | None = None


@frozen
class TargetPolicy:
    """Which document wins when several give a target for the same period, and which
    year's target is the medium-term one."""

    precedence: tuple[str, ...] = ()
    medium_term: MediumTerm | None = None


@frozen
class Dimension:
    """A way of breaking events down (gender, channel, sector...)."""

    values: tuple[str, ...]
    label: str | None = None


@frozen
class Level:
    """One category of an ordered scale.

    Args:
        label: the category as written (``"Baik"``).
        score: the number an achievement compares (realised score / target score).
        min: the lowest numeric value in this category, to map numeric
            realisations onto the scale.
        above: the value this category's numbers lie above (the category
            starts just past it: "more than 80"), instead of ``min``.
    """

    label: str
    score: Decimal
    min: Decimal | None = None
    above: Decimal | None = None

    @property
    def threshold(self) -> Decimal | None:
        """Where the level starts: its ``min`` or its ``above``."""
        return self.min if self.min is not None else self.above

    def admits(self, value: Decimal) -> bool:
        """Whether a number reaches this level: at least ``min``, more than ``above``
        (a level without either admits none)."""
        if self.min is not None:
            return value >= self.min
        return self.above is not None and value > self.above


@frozen
class Scale:
    """An ordered scale of categories, lowest first."""

    levels: tuple[Level, ...]
    label: str | None = None
    source: str | None = None

    def level(self, label: str) -> Level | None:
        """The level with this label, or None."""
        for level in self.levels:
            if level.label == label:
                return level
        return None

    def classify(self, value: Decimal) -> Level | None:
        """The level a numeric value falls in: the last (highest) level it reaches, at
        least its ``min`` or more than its ``above`` (None below every level)."""
        found = None
        for level in self.levels:
            if level.admits(value):
                found = level
        return found

    def next_after(self, level: Level) -> Level | None:
        """The next level that starts higher, which bounds ``level`` from above."""
        position = self.levels.index(level)
        return next((lv for lv in self.levels[position + 1 :] if lv.threshold is not None), None)


@frozen
class Objective:
    """A strategic objective (Sasaran Strategis) grouping indicators."""

    id: str
    name: str


@frozen
class Budget:
    """The budget ceiling (pagu) of an activity and where it is stated.

    Args:
        ceiling: the amount.
        document: the document that states it.
        year: the year it is for; required in a rule set of several years.
    """

    ceiling: Decimal
    document: str
    year: int | None = None


@frozen
class Activity:
    """A budget activity (kegiatan) funding indicators.

    Its spending (realisasi anggaran) comes from events that name the activity
    instead of an indicator: balances to a date, so the latest one counts.
    """

    id: str
    name: str
    budget: Budget | None = None


@frozen
class Subunit:
    """A sub-unit of the office with its own performance agreement.

    Its indicators name it in ``subunit``; an indicator of a sub-unit that
    ``contributes_to`` an indicator of the head should, with the other
    contributors, add up to the head's target. Budgets of sub-units should add
    up to the budgets of the head's activities.
    """

    id: str
    name: str
    budget: Budget | None = None


@frozen
class Input:
    """A named input of an indicator, aggregated on its own before the formula."""

    aggregation: Aggregation
    unit: str | None = None
    label: str | None = None


@frozen
class CompositeMember:
    """A member of a composite: an indicator, or a roll-up (a group of ``[rollups]`` or
    another composite), with its weight when the composite is weighted."""

    indicator: str | None = None
    rollup: str | None = None
    weight: Decimal | None = None

    @property
    def id(self) -> str:
        """The indicator's or roll-up's id."""
        return self.indicator if self.indicator is not None else self.rollup or ""


@frozen
class Composite:
    """A declared roll-up: its members combined by a method (a composite index).

    Args:
        id: unique among composites; not ``all`` and without ``:`` (the names of the
            roll-ups of ``[rollups]``).
        name: the composite as the documents name it.
        method: how the members' figures combine.
        missing: how a member without a figure enters.
        members: the indicators and roll-ups combined, in order.
        figure: which figure of an indicator member enters: its achievement on
            ``basis``, or its realisation over ``span``.
        basis: the achievement basis, for a composite of achievements.
        span: ``period`` or ``to_date``, for a composite of realisations.
        member_values: rounded or unrounded member figures.
    """

    id: str
    name: str
    method: RollupMethod
    missing: MissingPolicy
    members: tuple[CompositeMember, ...]
    figure: MemberFigure = MemberFigure.ACHIEVEMENT
    basis: Basis | None = None
    span: str | None = None
    member_values: MemberValues = MemberValues.UNROUNDED
    description: str | None = None
    note: str | None = None


#: The name of the single input of an indicator declared without inputs.
IMPLICIT_INPUT = "value"


@frozen
class Indicator:
    """A key performance indicator (IKU) and everything needed to evaluate it.

    Args:
        id: ``IKU-01`` ... in the order of the performance agreement.
        name: the indicator as the documents name it.
        unit: Orang, %, Dokumen, Nilai... (a categorical indicator names its scale).
        aggregation: how the indicator's values combine over a span. For a plain
            indicator it applies to realisations and targets; with ``inputs``,
            realisations come from the formula over the inputs (each aggregated
            by its own rule), so it applies to targets.
        direction: whether higher or lower is better.
        targets: document id -> slot (``annual``, ``Q1``, ``M04``, ``2025-Q2``) -> value.
        formula: the realisation computed from ``inputs`` and ``parameters``.
        target_aggregation: overrides ``aggregation`` for targets.
        cap: the highest achievement this indicator may report (percent), or
            :attr:`NoCap.NONE` for none whatever the rule set's cap.
        scale: the name of the rule set's scale for a categorical indicator.
        dimensions: the dimensions its events may carry.
        bases: the achievement bases that apply (all when omitted).
        lower_is_better: this indicator's lower-is-better formula, in place of
            the rule set's ``[achievement] lower_is_better``.
        rounding: this indicator's rounding places (and mode), in place of the
            rule set's ``[rounding]``.
        category_scale: the scale on which a numeric indicator's realisations
            and targets get a category (``"nka"``: 94.48 is "Sangat Baik"),
            computed from the number, shown next to it; achievements still
            compare the numbers.
        range: how a realisation is compared with a target range, in place of
            the rule set's ``[achievement] range``.
        iku: whether it is one of the office's key performance indicators; the
            roll-ups of ``[rollups]`` leave the others out (the components of a
            composite index, say).
        target_inputs: document id -> slot -> the values of the formula's inputs
            whose formula result is the target of that slot.
    """

    id: str
    name: str
    unit: str
    aggregation: Aggregation
    direction: Direction
    targets: Mapping[str, Mapping[str, TargetFigure]] = field(
        factory=dict,
        converter=_frozen_targets,
    )
    objective: str | None = None
    activity: str | None = None
    description: str | None = None
    note: str | None = None
    formula: Formula | None = None
    inputs: Mapping[str, Input] = field(factory=dict, converter=frozen_mapping)
    parameters: Mapping[str, Decimal] = field(factory=dict, converter=frozen_mapping)
    target_aggregation: Aggregation | None = None
    cap: Decimal | NoCap | None = None
    scale: str | None = None
    dimensions: tuple[str, ...] = ()
    bases: tuple[Basis, ...] | None = None
    subunit: str | None = None
    contributes_to: str | None = None
    lower_is_better: LowerIsBetter | None = None
    rounding: IndicatorRounding | None = None
    category_scale: str | None = None
    range: RangeRule | None = None
    iku: bool = True
    target_inputs: Mapping[str, Mapping[str, Mapping[str, Decimal]]] = field(
        factory=dict, converter=_frozen_target_inputs
    )

    @property
    def input_names(self) -> tuple[str, ...]:
        """The names of the inputs (``("value",)`` for a plain indicator)."""
        return tuple(self.inputs) if self.inputs else (IMPLICIT_INPUT,)

    def input_aggregation(self, name: str) -> Aggregation:
        """How the named input aggregates."""
        if self.inputs:
            return self.inputs[name].aggregation
        return self.aggregation

    @property
    def targets_aggregate(self) -> Aggregation:
        """How this indicator's targets combine over a span."""
        return self.target_aggregation or self.aggregation

    @property
    def categorical(self) -> bool:
        """Whether realisations and targets are categories of a scale."""
        return self.scale is not None

    def applies(self, basis: Basis) -> bool:
        """Whether the basis applies to this indicator."""
        return self.bases is None or basis in self.bases


@frozen
class RuleSet:
    """A complete rule set: metadata, policies and indicators.

    Build one with :func:`ikueval.load_rules` or :func:`ikueval.loads_rules`,
    which check it; a rule set built by hand is checked with
    :func:`ikueval.check_ruleset`.
    """

    ruleset: Meta
    rounding: Rounding
    indicators: tuple[Indicator, ...]
    documents: tuple[Document, ...] = ()
    achievement: AchievementPolicy = AchievementPolicy()
    targets: TargetPolicy = TargetPolicy()
    rollups: RollupPolicy | None = None
    dimensions: Mapping[str, Dimension] = field(factory=dict, converter=frozen_mapping)
    scales: Mapping[str, Scale] = field(factory=dict, converter=frozen_mapping)
    objectives: tuple[Objective, ...] = ()
    activities: tuple[Activity, ...] = ()
    subunits: tuple[Subunit, ...] = ()
    composites: tuple[Composite, ...] = ()
    _by_id: Mapping[str, Indicator] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", FrozenMap({i.id: i for i in self.indicators}))

    @property
    def id(self) -> str:
        """The rule set's id."""
        return self.ruleset.id

    @property
    def years(self) -> tuple[int, ...]:
        """The years the rule set covers."""
        return self.ruleset.years

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        return self._by_id.get(indicator_id)

    def document(self, document_id: str) -> Document | None:
        """The document with this id, or None."""
        return next((d for d in self.documents if d.id == document_id), None)

    def objective(self, objective_id: str) -> Objective | None:
        """The strategic objective with this id, or None."""
        return next((o for o in self.objectives if o.id == objective_id), None)

    def activity(self, activity_id: str) -> Activity | None:
        """The activity with this id, or None."""
        return next((a for a in self.activities if a.id == activity_id), None)

    def subunit(self, subunit_id: str) -> Subunit | None:
        """The sub-unit with this id, or None."""
        return next((s for s in self.subunits if s.id == subunit_id), None)

    def composite(self, composite_id: str) -> Composite | None:
        """The composite with this id, or None."""
        return next((c for c in self.composites if c.id == composite_id), None)

    @property
    def head_indicators(self) -> tuple[Indicator, ...]:
        """The indicators of the office itself (not of a sub-unit)."""
        return tuple(i for i in self.indicators if i.subunit is None)

    def scale_of(self, indicator: Indicator) -> Scale | None:
        """The scale of a categorical indicator."""
        return self.scales.get(indicator.scale) if indicator.scale else None

    def lower_formula(self) -> LowerIsBetter | None:
        """The rule set's lower-is-better formula."""
        return self.achievement.lower_is_better

    def lower_formula_of(self, indicator: Indicator) -> LowerIsBetter | None:
        """The lower-is-better formula of an indicator (its own, else the rule set's)."""
        return indicator.lower_is_better or self.achievement.lower_is_better

    def cap_of(self, indicator: Indicator) -> Decimal | None:
        """The cap that applies to an indicator (its own, none when it declares
        ``cap = "none"``, else the rule set's)."""
        if indicator.cap is NoCap.NONE:
            return None
        return indicator.cap if indicator.cap is not None else self.achievement.cap

    def range_rule_of(self, indicator: Indicator) -> RangeRule | None:
        """How an indicator's realisations are compared with a target range (its own
        rule, else the rule set's)."""
        return indicator.range or self.achievement.range

    def rounding_of(self, indicator: Indicator) -> Rounding:
        """The rounding of an indicator's figures (its own keys, else the rule set's)."""
        if indicator.rounding is None:
            return self.rounding
        return indicator.rounding.over(self.rounding)

    def own_settings(self, indicator: Indicator) -> tuple[str, ...]:
        """The achievement settings an indicator declares itself, in place of the rule
        set's: ``lower_is_better``, ``cap``, ``rounding`` (the trail records them)."""
        own = []
        if indicator.lower_is_better is not None and indicator.direction is Direction.LOWER:
            own.append("lower_is_better")
        if indicator.cap is not None:
            own.append("cap")
        if indicator.rounding is not None:
            own.append("rounding")
        if indicator.range is not None:
            own.append("range")
        return tuple(own)
