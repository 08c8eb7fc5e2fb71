"""The evaluation as a readable table: every indicator, every basis, the roll-ups."""

from __future__ import annotations

from ..evaluation import BASES
from ..results import Evaluation, IndicatorResult, Status
from ..spans import REALISED, SPANS
from .text import STATUS_MARKS, STATUS_WORDS, number, table

#: Basis legends printed per line under the table.
_LEGENDS_PER_LINE = 2


def render_table(evaluation: Evaluation) -> str:
    """The evaluation as text: a table of figures, notes, indicator names, roll-ups."""
    spans = evaluation.spans
    rounding = evaluation.rounding
    lines = [
        f"{evaluation.office} - rule set {evaluation.ruleset} - {evaluation.period}",
        ", ".join(f"{rule.header} {spans[name]}" for name, rule in SPANS.items())
        + f"; achievements in %, rounded {rounding.mode.value} to {rounding.places} places",
        "",
    ]
    groups = (("target", tuple(SPANS)), ("realisation", REALISED), ("achievement %", BASES))
    header_top = ["", "", *(cell for word, keys in groups for cell in _over(word, len(keys)))]
    header = [
        "IKU",
        "unit",
        *(SPANS[name].header for name in SPANS),
        *(SPANS[name].header for name in REALISED),
        *(rule.header for rule in BASES.values()),
    ]
    rows = [header_top, header]
    notes = []
    for result in evaluation.indicators:
        rows.append(_row(result, evaluation))
        notes.extend(_notes(result))
    lines.extend(table(rows, [False, False, *([True] * (len(header) - 2))]))
    lines.append("")
    legends = [f"{rule.header}: {rule.legend}" for rule in BASES.values()]
    for start in range(0, len(legends), _LEGENDS_PER_LINE):
        last = start + _LEGENDS_PER_LINE >= len(legends)
        lines.append("; ".join(legends[start : start + _LEGENDS_PER_LINE]) + ("." if last else ";"))
    marks = ", ".join(f"{mark} {STATUS_WORDS[status]}" for status, mark in STATUS_MARKS.items())
    lines.append(f"Marks: - nothing to show, {marks}.")
    if notes:
        lines.extend(["", "Notes", *notes])
    lines.extend(["", "Indicators", *_names(evaluation)])
    if evaluation.rollups:
        lines.extend(["", *_rollups(evaluation)])
    if evaluation.budgets:
        lines.extend(["", *_budgets(evaluation)])
    return "\n".join(lines) + "\n"


def _row(result: IndicatorResult, evaluation: Evaluation) -> list[str]:
    rounding = evaluation.rounding
    targets = result.targets
    realisations = result.realisations
    cells = [
        result.id,
        result.unit,
        *(number(targets[name].value, rounding) for name in SPANS),
        *(number(realisations[name].value, rounding) for name in REALISED),
    ]
    for achievement in result.achievements:
        if achievement.status is Status.COMPUTED:
            cells.append(format(achievement.value, "f"))
        else:
            cells.append(STATUS_MARKS[achievement.status])
    return cells


def _over(word: str, columns: int) -> list[str]:
    """A heading over some columns: the word over the first, nothing over the others."""
    return [word, *([""] * (columns - 1))]


def _notes(result: IndicatorResult) -> list[str]:
    seen: list[str] = []
    for achievement in result.achievements:
        for reason in (achievement.reason or "").split("; "):
            if reason and reason not in seen:
                seen.append(reason)
    for name, target in result.targets.items():
        if target.aggregate is not None:
            for note in target.aggregate.notes:
                text = f"target {name}: {note}"
                if text not in seen:
                    seen.append(text)
    return [f"  {result.id}: {text}" for text in seen]


def _names(evaluation: Evaluation) -> list[str]:
    lines = []
    for result in evaluation.indicators:
        where = ", ".join(x for x in (result.objective, result.activity) if x)
        how = f"{result.aggregation.value}, {result.direction.value} is better"
        lines.append(f"  {result.id}  {result.name} ({f'{where}; ' if where else ''}{how})")
    return lines


def _budgets(evaluation: Evaluation) -> list[str]:
    span = evaluation.budgets[0].span
    lines = [f"Budget absorption {span}: spent / ceiling x 100"]
    rows = [["", "ceiling", "spent", "%", ""]]
    for budget in evaluation.budgets:
        spent = format(budget.spent, "f") if budget.spent is not None else "-"
        value = (
            format(budget.value, "f") if budget.value is not None else STATUS_MARKS[budget.status]
        )
        rows.append([budget.id, format(budget.ceiling, "f"), spent, value, budget.label])
    lines.extend("  " + line for line in table(rows, [False, True, True, True, False]))
    return lines


def _rollups(evaluation: Evaluation) -> list[str]:
    first = evaluation.rollups[0]
    missing = "counted as 0" if first.missing.value == "zero" else "left out"
    lines = [
        f"Roll-ups: mean {first.basis.value} achievement, indicators without one {missing}, "
        f"{first.member_values.value} member values"
    ]
    rows = []
    for rollup in evaluation.rollups:
        value = format(rollup.value, "f") if rollup.value is not None else "n/r"
        counted = f"{rollup.count} of {len(rollup.members)}"
        rows.append([rollup.id, value, counted, rollup.label])
    lines.extend("  " + line for line in table(rows, [False, True, True, False]))
    return lines
