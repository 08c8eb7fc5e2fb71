"""The evaluation as a readable table: every indicator, every basis, the roll-ups."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from ..evaluation import BASES
from ..model import Rounding, TargetValue
from ..results import Evaluation, IndicatorResult, Status
from ..spans import REALISED, SPANS
from .formats import TERMINAL_MARKS, Marks, number, with_marks
from .labels import Lang, Words
from .text import STATUS_MARKS, table

#: Basis legends printed per line under the table.
_LEGENDS_PER_LINE: Final = 2


def render_table(evaluation: Evaluation, *, lang: Lang = Lang.EN) -> str:
    """The evaluation as text: a table of figures, notes, indicator names, roll-ups.

    Args:
        evaluation: the evaluation to show.
        lang: the language of the labels and number format (English by default,
            whose numbers have no thousands separator).
    """
    w = Words(lang)
    marks = TERMINAL_MARKS[lang]
    spans = evaluation.spans
    rounding = evaluation.rounding
    lines = [
        w(
            "table.title",
            office=evaluation.office,
            ruleset=evaluation.ruleset,
            period=evaluation.period,
        ),
        w(
            "table.spans",
            spans=", ".join(f"{w(f'table.span.{name.value}')} {spans[name]}" for name in SPANS),
            rounding=_rounding(w, rounding),
        ),
        "",
    ]
    groups = (
        ("table.target", len(SPANS)),
        ("table.realisation", len(REALISED)),
        ("table.achievement", len(BASES)),
    )
    header_top = ["", "", *(cell for key, columns in groups for cell in _over(w(key), columns))]
    header = [
        w("table.iku"),
        w("table.unit"),
        *(w(f"table.span.{name.value}") for name in SPANS),
        *(w(f"table.span.{name.value}") for name in REALISED),
        *(w(f"table.basis.{basis.value}") for basis in BASES),
    ]
    rows = [header_top, header]
    notes = []
    for result in evaluation.indicators:
        rows.append(_row(result, rounding, w, marks))
        notes.extend(_notes(result, w))
    lines.extend(table(rows, [False, False, *([True] * (len(header) - 2))]))
    lines.append("")
    lines.extend(_legend(w))
    legend = ", ".join(
        f"{w(f'mark.{status.value}')} {w(f'status.{status.value}')}" for status in STATUS_MARKS
    )
    lines.append(w("table.marks", marks=legend))
    if notes:
        lines.extend(["", w("table.notes"), *notes])
    lines.extend(["", w("table.indicators"), *_names(evaluation, w)])
    if evaluation.rollups:
        lines.extend(["", *_rollups(evaluation, w, marks)])
    if evaluation.budgets:
        lines.extend(["", *_budgets(evaluation, w, marks)])
    return "\n".join(lines) + "\n"


def _over(word: str, columns: int) -> list[str]:
    """A heading over some columns: the word over the first, nothing over the others."""
    return [word, *([""] * (columns - 1))]


def _legend(w: Words) -> list[str]:
    """What each basis heading means, a few per line; each line ends with ``;``, the last
    with a full stop (unless its last word, an abbreviation, has one)."""
    legends = [
        f"{w(f'table.basis.{basis.value}')}: {w(f'table.legend.{basis.value}')}" for basis in BASES
    ]
    lines = []
    for start in range(0, len(legends), _LEGENDS_PER_LINE):
        line = "; ".join(legends[start : start + _LEGENDS_PER_LINE])
        if start + _LEGENDS_PER_LINE < len(legends):
            lines.append(f"{line};")
        else:
            lines.append(line if line.endswith(".") else f"{line}.")
    return lines


def _rounding(w: Words, rounding: Rounding) -> str:
    return w("rounding", mode=rounding.mode.value, places=rounding.places)


def _figure(value: TargetValue | None, rounding: Rounding, marks: Marks) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return number(value, marks, rounding)
    return value


def _row(result: IndicatorResult, rounding: Rounding, w: Words, marks: Marks) -> list[str]:
    targets = result.targets
    realisations = result.realisations
    cells = [
        result.id,
        result.unit,
        *(_figure(targets[name].value, rounding, marks) for name in SPANS),
        *(_figure(realisations[name].value, rounding, marks) for name in REALISED),
    ]
    for achievement in result.achievements:
        if achievement.status is Status.COMPUTED and achievement.value is not None:
            cells.append(number(achievement.value, marks))
        else:
            cells.append(w(f"mark.{achievement.status.value}"))
    return cells


def _notes(result: IndicatorResult, w: Words) -> list[str]:
    seen: list[str] = []
    for achievement in result.achievements:
        for reason in (achievement.reason or "").split("; "):
            if reason and reason not in seen:
                seen.append(reason)
    for name, target in result.targets.items():
        if target.aggregate is not None:
            for note in target.aggregate.notes:
                text = w("table.target_note", name=name, note=note)
                if text not in seen:
                    seen.append(text)
    return [f"  {result.id}: {text}" for text in seen]


def _names(evaluation: Evaluation, w: Words) -> list[str]:
    lines = []
    for result in evaluation.indicators:
        where = ", ".join(x for x in (result.objective, result.activity) if x)
        how = (
            f"{w(f'aggregation.{result.aggregation.value}')}, "
            f"{w(f'direction.{result.direction.value}')}"
        )
        lines.append(f"  {result.id}  {result.name} ({f'{where}; ' if where else ''}{how})")
    return lines


def _budgets(evaluation: Evaluation, w: Words, marks: Marks) -> list[str]:
    span = evaluation.budgets[0].span
    lines = [w("table.budgets", span=span)]
    rows = [["", w("table.ceiling"), w("table.spent"), "%", ""]]
    for budget in evaluation.budgets:
        spent = with_marks(format(budget.spent, "f"), marks) if budget.spent is not None else "-"
        value = (
            with_marks(format(budget.value, "f"), marks)
            if budget.value is not None
            else w(f"mark.{budget.status.value}")
        )
        ceiling = with_marks(format(budget.ceiling, "f"), marks)
        rows.append([budget.id, ceiling, spent, value, budget.label])
    lines.extend("  " + line for line in table(rows, [False, True, True, True, False]))
    return lines


def _rollups(evaluation: Evaluation, w: Words, marks: Marks) -> list[str]:
    first = evaluation.rollups[0]
    missing = w("table.counted_as_zero" if first.missing.value == "zero" else "table.left_out")
    lines = [
        w(
            "table.rollups",
            basis=first.basis.value,
            missing=missing,
            member_values=w(f"member_values.{first.member_values.value}"),
        )
    ]
    rows = []
    for rollup in evaluation.rollups:
        value = (
            with_marks(format(rollup.value, "f"), marks)
            if rollup.value is not None
            else w("mark.no_realisation")
        )
        counted = w("table.of", count=rollup.count, total=len(rollup.members))
        rows.append([rollup.id, value, counted, rollup.label])
    lines.extend("  " + line for line in table(rows, [False, True, True, False]))
    return lines
