"""A rule set: its metadata, documents, dimensions, objectives, activities and
sub-units, composites, and the indicators with the settings that apply to each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from .choices import (
    Basis,
    Direction,
    DocumentKind,
    LowerIsBetter,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    NoCap,
    RangeRule,
    RollupMethod,
)
from .frozen_maps import FrozenMap, frozen_mapping
from .indicators import Indicator
from .policies import AchievementPolicy, RollupPolicy, Rounding, TargetPolicy
from .values import Scale


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
class Dimension:
    """A way of breaking events down (gender, channel, sector...)."""

    values: tuple[str, ...]
    label: str | None = None


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
    # Frozen: one shared default is safe.
    achievement: AchievementPolicy = AchievementPolicy()  # noqa: RUF009
    targets: TargetPolicy = TargetPolicy()  # noqa: RUF009
    rollups: RollupPolicy | None = None
    dimensions: Mapping[str, Dimension] = field(factory=dict, converter=frozen_mapping)
    scales: Mapping[str, Scale] = field(factory=dict, converter=frozen_mapping)
    objectives: tuple[Objective, ...] = ()
    activities: tuple[Activity, ...] = ()
    subunits: tuple[Subunit, ...] = ()
    composites: tuple[Composite, ...] = ()
    _by_id: Mapping[str, Indicator] = field(init=False, eq=False, repr=False)
    _derived: dict[str, Any] = field(init=False, eq=False, repr=False)
    """Facts the engine derives from the rule set, each worked out once, on first use
    (:meth:`derived`): immutable values only."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", FrozenMap({i.id: i for i in self.indicators}))
        object.__setattr__(self, "_derived", {})

    def derived(self, name: str, work_out: Callable[[RuleSet], Any]) -> Any:
        """A fact derived from the rule set alone (the indicators' binding targets...),
        worked out by ``work_out`` the first time it is asked for and kept with the rule
        set, which never changes. ``work_out`` must return an immutable value; threads
        asking at once may each work it out, and keep the same value.

        Raises:
            whatever ``work_out`` raises (nothing is kept then).
        """
        found = self._derived.get(name)
        if found is None:
            found = self._derived.setdefault(name, work_out(self))
        return found

    def keep_derived(self, name: str, value: Any) -> None:
        """Keep a fact that :meth:`derived` would work out, already known (the checks of
        a loaded rule set rank its targets): the caller vouches that it is the same."""
        self._derived.setdefault(name, value)

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
