"""Roll-ups: the mean achievement of all indicators, per strategic objective
and per budget activity, on the basis and missing-data policy the rule set
declares. Each roll-up lists every member and what it contributed. The mean is
the ``mean`` method of :data:`ikueval._rollup_methods.METHODS`; the roll-ups a
rule set declares with other methods and weights are composites
(:mod:`ikueval._composites`). Indicators that are not key performance
indicators (``iku = false``) are in no roll-up group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from attrs import frozen

from ._decimals import ZERO, round_figure
from ._model import MemberValues, MissingPolicy, RollupMethod, RollupPolicy, RuleSet
from ._results import IndicatorResult, Rollup, RollupMember, Status
from ._rollup_methods import combine

#: The roll-up of all the office's indicators.
ALL = "all"


@frozen
class RollupGroup:
    """A group of indicators a roll-up can average.

    Args:
        id: ``all``, ``objective:SS-1`` or ``activity:A1``.
        group: ``all``, ``objective`` or ``activity``.
        label: the group's name.
        members: the ids of its indicators, the office's own key performance
            indicators only (sub-units' indicators and those declared ``iku =
            false`` are not the office's IKU), in the rule set's order.
    """

    id: str
    group: str
    label: str
    members: tuple[str, ...]


def rollup_groups(ruleset: RuleSet) -> tuple[RollupGroup, ...]:
    """Every group a roll-up can be about: all indicators, each objective, each activity.

    Groups without members are listed too (a published roll-up may name one);
    the evaluation computes the roll-ups of ``all`` and of the groups with members.
    """
    head = [i for i in ruleset.head_indicators if i.iku]
    groups = [RollupGroup(ALL, "all", f"all {len(head)} indicators", tuple(i.id for i in head))]
    for objective in ruleset.objectives:
        members = tuple(i.id for i in head if i.objective == objective.id)
        groups.append(
            RollupGroup(f"objective:{objective.id}", "objective", objective.name, members)
        )
    for activity in ruleset.activities:
        members = tuple(i.id for i in head if i.activity == activity.id)
        groups.append(RollupGroup(f"activity:{activity.id}", "activity", activity.name, members))
    return tuple(groups)


def compute_rollups(ruleset: RuleSet, results: Sequence[IndicatorResult]) -> tuple[Rollup, ...]:
    """Every roll-up the rule set declares (none when it has no ``[rollups]``)."""
    policy = ruleset.rollups
    if policy is None:
        return ()
    by_id = {r.id: r for r in results}
    return tuple(
        rollup(ruleset, policy, group.id, group.group, group.label, members_of(group, by_id))
        for group in rollup_groups(ruleset)
        if group.members or group.id == ALL
    )


def members_of(group: RollupGroup, results: dict[str, IndicatorResult]) -> list[IndicatorResult]:
    """The results of a group's members, from the results by indicator id."""
    return [results[member_id] for member_id in group.members]


def rollup(
    ruleset: RuleSet,
    policy: RollupPolicy,
    rollup_id: str,
    group: str,
    label: str,
    results: Sequence[IndicatorResult],
) -> Rollup:
    """The mean achievement of one group of indicators."""
    members = tuple(member(result, policy) for result in results)
    counted = [m.value for m in members if m.counted and m.value is not None]
    found = combine(RollupMethod.MEAN, counted) if counted else None
    total = found.total if found else None
    unrounded = found.value if found else None
    return Rollup(
        id=rollup_id,
        group=group,
        label=label,
        basis=policy.basis,
        missing=policy.missing,
        member_values=policy.member_values,
        members=members,
        status=Status.COMPUTED if counted else Status.NO_REALISATION,
        rounding=ruleset.rounding,
        total=total,
        count=len(counted),
        unrounded=unrounded,
        value=(
            None
            if unrounded is None
            else round_figure(unrounded, ruleset.rounding.mode, ruleset.rounding.places)
        ),
        reason=None if counted else f"no member has a {policy.basis.value} achievement",
    )


def member(result: IndicatorResult, policy: RollupPolicy) -> RollupMember:
    """How one indicator enters a roll-up."""
    achievement = result.achievement(policy.basis)
    figure = None
    if achievement.status is Status.COMPUTED:
        figure = (
            achievement.value
            if policy.member_values is MemberValues.ROUNDED
            else achievement.unrounded
        )
    value = entered(figure, policy.missing)
    return RollupMember(result.id, achievement.status, value, counted=value is not None)


def entered(figure: Decimal | None, missing: MissingPolicy) -> Decimal | None:
    """What a member's figure contributes to a mean: itself; without one, 0 or nothing
    (None: it is left out), as the missing-data policy says."""
    if figure is not None:
        return figure
    return ZERO if missing is MissingPolicy.ZERO else None


def average(figures: Iterable[Decimal | None], missing: MissingPolicy) -> Decimal | None:
    """The mean of some figures, those without one entering as the policy says (None when
    none is counted)."""
    counted = [v for v in (entered(f, missing) for f in figures) if v is not None]
    return combine(RollupMethod.MEAN, counted).value if counted else None
