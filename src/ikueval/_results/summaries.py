"""The figures over several indicators: roll-ups, composites and budget absorption."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from attrs import field, frozen

from .._model import (
    Basis,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    RollupMethod,
    Rounding,
    frozen_mapping,
)
from .figures import Aggregate
from .statuses import Status


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
