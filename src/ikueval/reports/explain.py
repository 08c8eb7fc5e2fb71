"""Explain a figure: everything a reader needs to redo it by hand.

For each basis: the events (file and row) that entered, how they were
aggregated, the target and the document it came from, the formula with the
values substituted, the unrounded result and the rounding applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..achievement import substituted
from ..aggregation import METHODS, Ledger
from ..evaluation import BASES
from ..model import RuleSet
from ..periods import Period
from ..results import (
    Achievement,
    Aggregate,
    BudgetResult,
    Evaluation,
    IndicatorResult,
    Part,
    Realisation,
    Rollup,
    Status,
    Target,
)
from .text import STATUS_WORDS, plain


def render_explain(
    evaluation: Evaluation,
    ruleset: RuleSet,
    indicators: Sequence[str] | None = None,
    *,
    ledger: Ledger | None = None,
    rollups: bool = True,
) -> str:
    """How every figure of the chosen indicators (all when None) was computed.

    Args:
        evaluation: the evaluation to explain.
        ruleset: its rule set (for document titles and units).
        indicators: the ids to explain; all indicators when None.
        ledger: a ledger built with ``retain`` for these indicators, to list
            every event (file, line, note) behind each part.
        rollups: whether to explain the roll-ups too (only when all
            indicators are explained).
    """
    chosen = [
        result for result in evaluation.indicators if indicators is None or result.id in indicators
    ]
    blocks = [_indicator(result, evaluation, ruleset, ledger) for result in chosen]
    if rollups and indicators is None:
        blocks.extend(_rollup(rollup) for rollup in evaluation.rollups)
        blocks.extend(_budget(budget, ruleset) for budget in evaluation.budgets)
    return "\n".join(blocks)


def _indicator(
    result: IndicatorResult, evaluation: Evaluation, ruleset: RuleSet, ledger: Ledger | None
) -> str:
    rounding = evaluation.rounding
    lines = [
        f"{result.id}  {result.name}",
        f"unit {result.unit}; {result.aggregation.value}; {result.direction.value} is better"
        + "".join(
            f"; {label} {value}"
            for label, value in (("objective", result.objective), ("activity", result.activity))
            if value
        ),
        f"evaluated for {evaluation.period}; achievements rounded {rounding.mode.value} to "
        f"{rounding.places} places",
    ]
    shown: dict[int, str] = {}
    for achievement in result.achievements:
        lines.append("")
        lines.extend(_achievement(achievement, result, ruleset, ledger, shown))
    return "\n".join(lines) + "\n"


def _achievement(
    achievement: Achievement,
    result: IndicatorResult,
    ruleset: RuleSet,
    ledger: Ledger | None,
    shown: dict[int, str],
) -> list[str]:
    """One basis; a realisation or target already detailed under ``shown`` is referred to."""
    basis = achievement.basis.value
    lines = [f"[{basis}] {BASES[achievement.basis].text}"]
    if achievement.status is Status.NOT_APPLICABLE:
        return [*lines, f"  not applicable: {achievement.reason}"]
    details: tuple[tuple[object, list[str]], ...] = (
        (achievement.realisation, _realisation(achievement.realisation, result, ledger)),
        (achievement.target, _target(achievement.target, result, ruleset)),
    )
    for figure, detail in details:
        if id(figure) in shown:  # the same object: shared by two bases
            lines.append(f"{detail[0]}  (detailed under [{shown[id(figure)]}])")
        else:
            shown[id(figure)] = basis
            lines.extend(detail)
    if achievement.status is not Status.COMPUTED:
        words = STATUS_WORDS[achievement.status]
        return [*lines, f"  achievement: none ({words}): {achievement.reason}"]
    r, t = achievement.realisation.value, achievement.target.value
    if achievement.realisation_scored and achievement.target_scored:
        rs, ts = achievement.realisation_scored, achievement.target_scored
        lines.append(
            f"  on the scale: {rs.label!r} scores {plain(rs.score)}, {ts.label!r} scores "
            f"{plain(ts.score)}"
        )
        r, t = rs.score, ts.score
    lines.append(f"  achievement = {achievement.method}")
    formula = substituted(achievement.direction, achievement.lower_is_better, r, t)
    lines.append(f"              = {formula}")
    lines.append(f"              = {plain(achievement.raw)} (unrounded)")
    if achievement.cap is not None:
        capped = "applies" if achievement.unrounded != achievement.raw else "does not apply"
        lines.append(f"  cap {plain(achievement.cap)}% {capped}: {plain(achievement.unrounded)}")
    rounding = achievement.rounding
    lines.append(
        f"  rounded {rounding.mode.value} to {rounding.places} places: {plain(achievement.value)}"
    )
    return lines


def _realisation(
    realisation: Realisation, result: IndicatorResult, ledger: Ledger | None
) -> list[str]:
    value = (
        plain(realisation.value) if not isinstance(realisation.value, str) else realisation.value
    )
    if realisation.status is Status.COMPUTED:
        head = f"  realisation over {realisation.span} = {value} {result.unit}"
    else:
        head = f"  realisation over {realisation.span}: none ({realisation.reason})"
    lines = [head]
    for aggregate in realisation.inputs:
        name = "" if realisation.formula is None else f"input {aggregate.quantity}: "
        lines.extend(_aggregate(aggregate, name, result, ledger))
    if realisation.formula is not None:
        bindings: dict[str, Decimal] = dict(realisation.parameters)
        for a in realisation.inputs:
            if isinstance(a.value, Decimal):
                bindings[a.quantity] = a.value
        listed = ", ".join(f"{k} = {plain(v)}" for k, v in sorted(bindings.items()))
        lines.append(f"    formula: {realisation.formula}  with {listed}")
        if realisation.status is Status.COMPUTED:
            lines.append(f"           = {value}")
        elif realisation.reason:
            lines.append(f"           : {realisation.reason}")
    return lines


def _aggregate(
    aggregate: Aggregate, name: str, result: IndicatorResult, ledger: Ledger | None
) -> list[str]:
    count = sum(part.count for part in aggregate.parts)
    if not aggregate.parts:
        lines = [f"    {name}no events in {aggregate.span}"]
    else:
        total = plain(aggregate.value) if not isinstance(aggregate.value, str) else aggregate.value
        lines = [
            f"    {name}{METHODS[aggregate.method].words} {len(aggregate.parts)} part"
            f"{'s' if len(aggregate.parts) != 1 else ''} ({count} event"
            f"{'s' if count != 1 else ''}) = {total}"
        ]
    for part in aggregate.parts:
        lines.append(f"      {_part(part)}")
        if ledger is not None:
            lines.extend(_events(ledger, result, aggregate.quantity, part))
    lines.extend(f"    note: {note}" for note in aggregate.notes)
    return lines


def _part(part: Part) -> str:
    dims = ", ".join(f"{k}={v}" for k, v in part.dimensions.items())
    value = part.value if isinstance(part.value, str) else plain(part.value)
    text = f"{part.period}{f' [{dims}]' if dims else ''}: {value}"
    if part.count != 1:
        text += f" ({part.count} events)"
    return f"{text}  from {', '.join(part.sources)}" if part.sources else text


def _events(ledger: Ledger, result: IndicatorResult, quantity: str, part: Part) -> list[str]:
    lines = []
    period = Period.parse(part.period)
    for cell in ledger.of(result.id, quantity).cells:
        if cell.period != period or dict(cell.dimensions) != dict(part.dimensions):
            continue
        if len(cell.events) < 2:
            continue
        for event in cell.events:
            value = event.value if isinstance(event.value, str) else plain(event.value)
            where = " ".join(x for x in (event.document, event.table) if x)
            extra = "; ".join(x for x in (event.id, where, event.note) if x)
            lines.append(f"        {event.source}: {value}" + (f"  ({extra})" if extra else ""))
    return lines


def _target(target: Target, result: IndicatorResult, ruleset: RuleSet) -> list[str]:
    if target.status is not Status.COMPUTED or target.aggregate is None:
        return [f"  target for {target.span}: none ({target.reason})"]
    value = target.value if isinstance(target.value, str) else plain(target.value)
    lines = [f"  target for {target.span} = {value} {result.unit}"]
    parts = target.aggregate.parts
    if len(parts) > 1:
        lines.append(f"    {METHODS[target.aggregate.method].words} {len(parts)} targets")
    for part in parts:
        shown = part.value if isinstance(part.value, str) else plain(part.value)
        documents = "; ".join(_document(ruleset, d) for d in part.sources)
        lines.append(f"      {part.period}: {shown}  from {documents}")
    lines.extend(f"    note: {note}" for note in target.aggregate.notes)
    return lines


def _document(ruleset: RuleSet, document_id: str) -> str:
    document = ruleset.document(document_id)
    return f"{document_id} ({document.title})" if document else document_id


def _budget(budget: BudgetResult, ruleset: RuleSet) -> str:
    documents = "; ".join(_document(ruleset, d) for d in budget.documents)
    lines = [
        f"Budget {budget.id}: {budget.label}",
        f"  ceiling = {plain(budget.ceiling)}  from {documents}",
    ]
    for spending in budget.spending:
        balance = "none" if not isinstance(spending.value, Decimal) else plain(spending.value)
        lines.append(f"  {spending.quantity} over {spending.span}: latest balance = {balance}")
        lines.extend(f"      {_part(part)}" for part in spending.parts)
        lines.extend(f"    note: {note}" for note in spending.notes)
    if budget.value is None:
        lines.append(f"  absorption: none ({budget.reason})")
    else:
        lines.append(
            f"  absorption = spent / ceiling x 100 = {plain(budget.spent)} / "
            f"{plain(budget.ceiling)} x 100"
        )
        lines.append(f"             = {plain(budget.unrounded)} (unrounded)")
        lines.append(
            f"  rounded {budget.rounding.mode.value} to {budget.rounding.places} places: "
            f"{plain(budget.value)}"
        )
    return "\n".join(lines) + "\n"


def _rollup(rollup: Rollup) -> str:
    lines = [
        f"Roll-up {rollup.id}: {rollup.label}",
        f"  mean of the {rollup.basis.value} achievements ({rollup.member_values.value}); "
        f"indicators without one are "
        + ("counted as 0" if rollup.missing.value == "zero" else "left out"),
    ]
    for member in rollup.members:
        if member.counted:
            lines.append(f"    {member.indicator}: {plain(member.value)}")
        else:
            lines.append(f"    {member.indicator}: left out ({STATUS_WORDS[member.status]})")
        if member.counted and member.status is not Status.COMPUTED:
            lines[-1] += f"  (counted as 0: {STATUS_WORDS[member.status]})"
    if rollup.value is None:
        lines.append(f"  none: {rollup.reason}")
    else:
        lines.append(f"  sum {plain(rollup.total)} / {rollup.count} = {plain(rollup.unrounded)}")
        lines.append(
            f"  rounded {rollup.rounding.mode.value} to {rollup.rounding.places} places: "
            f"{plain(rollup.value)}"
        )
    return "\n".join(lines) + "\n"
