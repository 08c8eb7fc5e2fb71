"""Composites: roll-ups the rule set declares, each with its members, method and weights.

A composite (``[[composites]]``) combines the figures of its members, which are
indicators (their achievement on the composite's basis, or their realisation
over its span) or roll-ups (a group of ``[rollups]``, or another composite), by
one of the roll-up methods (:data:`ikueval._rollup_methods.METHODS`): the
arithmetic mean, the weighted mean or the geometric mean. A member without a
figure counts as 0 or is left out, as the composite's ``missing`` says; a
weighted mean is then taken over the weights of the members counted (the
*konversi bobot* of the IKPA). Composites whose members are composites are
computed after them; ``ikueval check`` refuses a composite among its own members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ._decimals import divide, exact_product, exact_sum, round_figure
from ._model import Composite, CompositeMember, MemberFigure, MemberValues, RuleSet
from ._results import (
    CompositeMemberResult,
    CompositeResult,
    IndicatorResult,
    Rollup,
    Status,
)
from ._rollup_methods import METHODS, combine
from ._rollups import entered
from ._spans import REALISED, SpanName


def composite_order(ruleset: RuleSet) -> tuple[Composite, ...]:
    """The composites, each after the composites among its members (declared order
    otherwise). A cycle, which ``check`` refuses, is broken where it is met."""
    by_id = {c.id: c for c in ruleset.composites}
    order: list[Composite] = []
    placed: set[str] = set()
    visiting: set[str] = set()
    for root in ruleset.composites:
        stack: list[tuple[Composite, int]] = [(root, 0)]
        while stack:
            composite, index = stack.pop()
            if composite.id in placed:
                continue
            visiting.add(composite.id)
            members = composite.members
            while index < len(members):
                member = by_id.get(members[index].rollup or "")
                index += 1
                if member is not None and member.id not in placed | visiting:
                    stack.append((composite, index))
                    stack.append((member, 0))
                    break
            else:
                visiting.discard(composite.id)
                placed.add(composite.id)
                order.append(composite)
    return tuple(order)


def compute_composites(
    ruleset: RuleSet, results: Sequence[IndicatorResult], rollups: Sequence[Rollup]
) -> tuple[CompositeResult, ...]:
    """Every composite of the rule set, in its order (none when it declares none)."""
    if not ruleset.composites:
        return ()
    indicators = {r.id: r for r in results}
    groups = {r.id: r for r in rollups}
    done: dict[str, CompositeResult] = {}
    for composite in composite_order(ruleset):
        done[composite.id] = composite_result(ruleset, composite, indicators, groups, done)
    return tuple(done[c.id] for c in ruleset.composites if c.id in done)


def composite_result(
    ruleset: RuleSet,
    composite: Composite,
    indicators: Mapping[str, IndicatorResult],
    rollups: Mapping[str, Rollup],
    composites: Mapping[str, CompositeResult],
) -> CompositeResult:
    """One composite from the figures of its members."""
    method = METHODS[composite.method]
    figures = [
        member_figure(composite, m, indicators, rollups, composites) for m in composite.members
    ]
    declared = (
        exact_sum(m.weight or Decimal(0) for m in composite.members) if method.weighted else None
    )
    members = []
    for member, (status, figure) in zip(composite.members, figures, strict=True):
        value = entered(figure, composite.missing)
        weight = member.weight if method.weighted else None
        weighted = None
        if value is not None and weight is not None and declared:
            weighted = divide(exact_product((value, weight)), declared)
        members.append(
            CompositeMemberResult(
                status=status,
                value=value,
                counted=value is not None,
                indicator=member.indicator,
                rollup=member.rollup,
                weight=weight,
                weighted=weighted,
            )
        )
    result = CompositeResult(
        id=composite.id,
        label=composite.name,
        method=composite.method,
        figure=composite.figure,
        missing=composite.missing,
        member_values=composite.member_values,
        members=tuple(members),
        status=Status.NO_REALISATION,
        rounding=ruleset.rounding,
        basis=composite.basis if composite.figure is MemberFigure.ACHIEVEMENT else None,
        span=composite.span if composite.figure is MemberFigure.REALISATION else None,
        declared_weight=declared,
    )
    return combined(result)


def combined(result: CompositeResult) -> CompositeResult:
    """A composite with its members filled in, combined by its method and rounded."""
    counted = [m for m in result.members if m.counted and m.value is not None]
    if not counted:
        return attrs.evolve(result, reason="no member has a figure")
    figures = [m.value for m in counted if m.value is not None]
    weights = [m.weight or Decimal(0) for m in counted] if METHODS[result.method].weighted else None
    try:
        found = combine(result.method, figures, weights)
    except (ValueError, ZeroDivisionError) as exc:
        return attrs.evolve(
            result, status=Status.UNDEFINED, count=len(counted), reason=str(exc) or None
        )
    rounding = result.rounding
    return attrs.evolve(
        result,
        status=Status.COMPUTED,
        total=found.total,
        weight=found.weight,
        count=len(counted),
        unrounded=found.value,
        value=round_figure(found.value, rounding.mode, rounding.places),
    )


def member_figure(
    composite: Composite,
    member: CompositeMember,
    indicators: Mapping[str, IndicatorResult],
    rollups: Mapping[str, Rollup],
    composites: Mapping[str, CompositeResult],
) -> tuple[Status, Decimal | None]:
    """The status of a member's figure and the figure it brings (None without one)."""
    rounded = composite.member_values is MemberValues.ROUNDED
    if member.indicator is not None:
        result = indicators.get(member.indicator)
        if result is None:
            return Status.UNDEFINED, None
        if composite.figure is MemberFigure.REALISATION:
            span = SpanName(composite.span) if composite.span in REALISED else None
            if span is None:
                return Status.UNDEFINED, None
            realisation = result.realisations[span]
            if realisation.status is not Status.COMPUTED:
                return realisation.status, None
            if not isinstance(realisation.value, Decimal):
                return Status.UNDEFINED, None
            return Status.COMPUTED, realisation.value
        if composite.basis is None:
            return Status.UNDEFINED, None
        achievement = result.achievement(composite.basis)
        if achievement.status is not Status.COMPUTED:
            return achievement.status, None
        return Status.COMPUTED, achievement.value if rounded else achievement.unrounded
    found: Rollup | CompositeResult | None = rollups.get(member.rollup or "")
    if found is None:
        found = composites.get(member.rollup or "")
    if found is None:
        return Status.NO_REALISATION, None
    if found.status is not Status.COMPUTED:
        return found.status, None
    return Status.COMPUTED, found.value if rounded else found.unrounded
