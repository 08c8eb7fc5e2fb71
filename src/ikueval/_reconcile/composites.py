"""The computations of composite and comparison figures, made by the engine.

A composite's printed value is compared with the engine's composite, then with
the same composite changed in one setting: another roll-up method of
:data:`~ikueval._rollup_methods.METHODS` (a weighted index averaged plainly, a
mean taken geometrically), the other missing-data policy, rounded or unrounded
member figures; for a weighted composite also the sum of the weighted values
before the division by the weights counted, and the sum of the weighted values
each rounded first (what a hand calculation adds up). A member's printed
weighted value is compared with the engine's, and with the member's figure
times its weight (not divided by the sum of the weights) and the figure alone.

An achievement printed against the medium-term target, and a realisation or
achievement printed for the previous year, are compared with the engine's
comparisons (:mod:`ikueval._comparisons`) and with this year's figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from .._comparisons import COMPARED
from .._composites import composite_result
from .._decimals import exact_product, exact_sum, plain, round_figure
from .._model import MemberValues, MissingPolicy, RollupMethod, RuleSet
from .._results import CompositeResult, Evaluation, Status
from .._rollup_methods import METHODS
from .._spans import SpanName
from .claims import Claim
from .computation import Computation


def composite_computations(
    ruleset: RuleSet, evaluation: Evaluation, claim: Claim
) -> Iterator[Computation]:
    """The composite as declared first, then changed in one setting at a time."""
    declared = ruleset.composite(claim.subject)
    try:
        engine = evaluation.composite(claim.subject)
    except KeyError:
        engine = None
    if declared is None or engine is None:
        yield Computation(f"no composite {claim.subject}", None)
        return
    yield Computation(
        f"the {_named(engine)} of {engine.id}: {_how(engine)}", engine.unrounded, trail=engine
    )
    indicators = {r.id: r for r in evaluation.indicators}
    rollups = {r.id: r for r in evaluation.rollups}
    composites = {c.id: c for c in evaluation.composites}
    changes: list[tuple[str, object]] = []
    for method in RollupMethod:
        if method is declared.method:
            continue
        if METHODS[method].weighted and any(m.weight is None for m in declared.members):
            continue  # no weights to weigh by
        members = declared.members
        if not METHODS[method].weighted:
            members = tuple(attrs.evolve(m, weight=None) for m in members)
        changes.append(
            (
                f"with {METHODS[method].description.split(':')[0]}",
                attrs.evolve(declared, method=method, members=members),
            )
        )
    for missing in MissingPolicy:
        if missing is not declared.missing:
            words = (
                "counting members without a figure as 0"
                if missing is MissingPolicy.ZERO
                else "leaving out members without a figure"
            )
            changes.append((words, attrs.evolve(declared, missing=missing)))
    for values in MemberValues:
        if values is not declared.member_values:
            changes.append(
                (f"combining {values.value} figures", attrs.evolve(declared, member_values=values))
            )
    for words, changed in changes:
        assert isinstance(changed, type(declared))
        other = composite_result(ruleset, changed, indicators, rollups, composites)
        yield Computation(
            f"the {_named(other)} of {other.id}: {_how(other)}",
            other.unrounded,
            (words,),
            trail=other,
        )
    yield from _weighted_sums(engine)


def _weighted_sums(engine: CompositeResult) -> Iterator[Computation]:
    """A weighted composite's weighted values added up: unrounded (before dividing by the
    weights counted) and rounded one by one."""
    counted = [m for m in engine.members if m.counted and m.weighted is not None]
    if not counted or engine.declared_weight is None:
        return
    total = exact_sum(m.weighted for m in counted if m.weighted is not None)
    yield Computation(
        f"the sum of the weighted values of {engine.id} = {plain(total)}",
        total,
        ("adding the weighted values, without dividing by the share of the weights counted",),
    )
    rounding = engine.rounding
    rounded = exact_sum(
        round_figure(m.weighted, rounding.mode, rounding.places)
        for m in counted
        if m.weighted is not None
    )
    yield Computation(
        f"the sum of the weighted values of {engine.id}, each rounded first = {plain(rounded)}",
        rounded,
        ("adding the weighted values each rounded first",),
    )


def weighted_computations(evaluation: Evaluation, claim: Claim) -> Iterator[Computation]:
    """A member's weighted value in a composite; its figure x weight; its figure."""
    try:
        engine = evaluation.composite(claim.composite or "")
    except KeyError:
        yield Computation(f"no composite {claim.composite}", None)
        return
    found = [m for m in engine.members if m.id == claim.subject]
    if not found:
        yield Computation(f"{claim.subject} is not a member of {engine.id}", None)
        return
    member = found[0]
    if member.weighted is None or member.value is None or member.weight is None:
        why = member.status.value if not member.counted else "the composite has no weights"
        yield Computation(
            f"the weighted value of {member.id} in {engine.id}: none ({why})", None, trail=engine
        )
        return
    declared = plain(engine.declared_weight or Decimal(0))
    yield Computation(
        f"the weighted value of {member.id} in {engine.id}: {plain(member.value)} x "
        f"{plain(member.weight)} / {declared}",
        member.weighted,
        trail=engine,
    )
    yield Computation(
        f"{plain(member.value)} x {plain(member.weight)}",
        exact_product((member.value, member.weight)),
        ("the figure times its weight, not divided by the sum of the weights",),
    )
    yield Computation(
        f"the figure of {member.id}", member.value, ("the member's figure, without its weight",)
    )


def medium_term_computations(evaluation: Evaluation, claim: Claim) -> Iterator[Computation]:
    """The achievement against the medium-term target; then the four bases."""
    result = evaluation.indicator(claim.subject)
    compared = result.comparisons.medium_term if result.comparisons else None
    if compared is None or compared.achievement is None or compared.achievement.raw is None:
        reason = compared.reason if compared else "no comparison was computed"
        yield Computation(f"the achievement against the medium-term target: none ({reason})", None)
    else:
        target = compared.achievement.target
        yield Computation(
            f"the achievement against the medium-term target of {compared.year}: "
            f"{plain(_number(result.realisations[SpanName.TO_DATE].value))} / "
            f"{plain(_number(target.value))} x 100",
            compared.achievement.unrounded,
            trail=compared.achievement,
        )
    for achievement in result.achievements:
        if achievement.status is Status.COMPUTED and achievement.basis is not None:
            basis = achievement.basis.value
            yield Computation(
                f"{basis} achievement {achievement.method}",
                achievement.unrounded,
                (f"on basis {basis} instead of against the medium-term target",),
                trail=achievement,
            )


def previous_year_computations(evaluation: Evaluation, claim: Claim) -> Iterator[Computation]:
    """The previous year's realisation (or, claimed in percent, its achievement) to date;
    then this year's."""
    result = evaluation.indicator(claim.subject)
    compared = result.comparisons.previous_year if result.comparisons else None
    achievement = claim.basis is not None
    if compared is None or compared.realisation is None or compared.achievement is None:
        reason = compared.reason if compared else "no comparison was computed"
        yield Computation(f"the previous year's figure: none ({reason})", None)
    elif achievement:
        yield Computation(
            f"the achievement of {compared.period} to date: {compared.achievement.method}",
            compared.achievement.unrounded,
            trail=compared.achievement,
        )
    else:
        realisation = compared.realisation
        value = realisation.value if realisation.status is Status.COMPUTED else None
        yield Computation(
            f"the realisation over {realisation.span}", value, counts=True, trail=realisation
        )
    if achievement:
        now = result.achievement(claim.basis or COMPARED)
        yield Computation(
            f"this year's {now.basis.value if now.basis else ''} achievement",
            now.unrounded,
            ("this year's achievement instead of the previous year's",),
            trail=now,
        )
    else:
        current = result.realisations[SpanName.TO_DATE]
        yield Computation(
            f"the realisation over {current.span}",
            current.value if current.status is Status.COMPUTED else None,
            ("this year's realisation instead of the previous year's",),
            counts=True,
            trail=current,
        )


def _named(composite: CompositeResult) -> str:
    return METHODS[composite.method].description.split(":")[0].removeprefix("the ")


def _how(composite: CompositeResult) -> str:
    if composite.value is None or composite.total is None or composite.weight is None:
        return f"none ({composite.reason})"
    if composite.method is RollupMethod.GEOMETRIC:
        return f"{plain(composite.total)} ^ (1 / {plain(composite.weight)})"
    return f"{plain(composite.total)} / {plain(composite.weight)}"


def _number(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)
