"""The evaluation as a readable table: every indicator, every basis, the roll-ups."""

from __future__ import annotations

from ..model import Basis
from ..results import Evaluation, IndicatorResult, Status
from .text import STATUS_MARKS, STATUS_WORDS, number, table

_BASIS_HEADERS = {
    Basis.PERIOD: "period",
    Basis.PERIOD_VS_ANNUAL: "vs year",
    Basis.TO_DATE: "to date",
    Basis.TO_DATE_VS_TARGET_TO_DATE: "td vs ttd",
}


def render_table(evaluation: Evaluation) -> str:
    """The evaluation as text: a table of figures, notes, indicator names, roll-ups."""
    spans = evaluation.spans
    rounding = evaluation.rounding
    lines = [
        f"{evaluation.office} - rule set {evaluation.ruleset} - {evaluation.period}",
        f"period {spans['period']}, to date {spans['to_date']}, year {spans['annual']}; "
        f"achievements in %, rounded {rounding.mode.value} to {rounding.places} places",
        "",
    ]
    header_top = ["", "", "target", "", "", "realisation", "", "achievement %", "", "", ""]
    header = [
        "IKU",
        "unit",
        "period",
        "to date",
        "year",
        "period",
        "to date",
        *(_BASIS_HEADERS[b] for b in Basis),
    ]
    rows = [header_top, header]
    notes = []
    for result in evaluation.indicators:
        rows.append(_row(result, evaluation))
        notes.extend(_notes(result))
    lines.extend(table(rows, [False, False, *([True] * 9)]))
    lines.append("")
    lines.append(
        "period: the period against its target; vs year: the period against the annual target;"
    )
    lines.append(
        "to date: January to the period's end against the annual target; td vs ttd: to date "
        "against the targets to date."
    )
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
        number(targets["period"].value, rounding),
        number(targets["to_date"].value, rounding),
        number(targets["annual"].value, rounding),
        number(realisations["period"].value, rounding),
        number(realisations["to_date"].value, rounding),
    ]
    for achievement in result.achievements:
        if achievement.status is Status.COMPUTED:
            cells.append(format(achievement.value, "f"))
        else:
            cells.append(STATUS_MARKS[achievement.status])
    return cells


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
