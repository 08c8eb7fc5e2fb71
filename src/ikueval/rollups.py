"""Roll-ups: the mean achievement of all indicators, per strategic objective
and per budget activity, on the basis and missing-data policy the rule set
declares. Each roll-up lists every member and what it contributed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .decimals import ZERO, divide, exact_sum, round_figure
from .model import MemberValues, MissingPolicy, RollupPolicy, RuleSet
from .results import IndicatorResult, Rollup, RollupMember, Status


def compute_rollups(ruleset: RuleSet, results: Sequence[IndicatorResult]) -> tuple[Rollup, ...]:
    """Every roll-up the rule set declares (none when it has no ``[rollups]``)."""
    policy = ruleset.rollups
    if policy is None:
        return ()
    head = {i.id for i in ruleset.head_indicators}
    results = [r for r in results if r.id in head]  # sub-units are not the office's IKU
    groups: list[tuple[str, str, str, list[IndicatorResult]]] = [
        ("all", "all", f"all {len(results)} indicators", list(results))
    ]
    for objective in ruleset.objectives:
        members = [r for r in results if r.objective == objective.id]
        if members:
            groups.append((f"objective:{objective.id}", "objective", objective.name, members))
    for activity in ruleset.activities:
        members = [r for r in results if r.activity == activity.id]
        if members:
            groups.append((f"activity:{activity.id}", "activity", activity.name, members))
    return tuple(
        rollup(ruleset, policy, rollup_id, group, label, members)
        for rollup_id, group, label, members in groups
    )


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
    total = exact_sum(counted) if counted else None
    unrounded = divide(total, Decimal(len(counted))) if total is not None else None
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
    if achievement.status is Status.COMPUTED:
        value = (
            achievement.value
            if policy.member_values is MemberValues.ROUNDED
            else achievement.unrounded
        )
        return RollupMember(result.id, achievement.status, value, counted=True)
    if policy.missing is MissingPolicy.ZERO:
        return RollupMember(result.id, achievement.status, ZERO, counted=True)
    return RollupMember(result.id, achievement.status, None, counted=False)
