"""The evaluation as a readable table: every indicator, every basis, the roll-ups."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from .._evaluation import BASES
from .._model import MemberFigure, Rounding, TargetRange
from .._results import CompositeResult, Evaluation, IndicatorResult, Realisation, Status, Target
from .._spans import REALISED, SPANS
from .formats import TERMINAL_MARKS, Marks, number, with_marks
from .labels import Words
from .lang import Lang
from .text import STATUS_MARKS, table

#: Basis legends printed per line under the table.
_LEGENDS_PER_LINE: Final = 2


def evaluation_table(evaluation: Evaluation, *, lang: Lang = Lang.EN) -> str:
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
        rows.append(_row(result, evaluation.rounding_of(result), w, marks))
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
    if evaluation.composites:
        lines.extend(["", *_composites(evaluation, w, marks)])
    compared = [r for r in evaluation.indicators if _compared(r)]
    if compared:
        lines.extend(["", *_comparisons(compared, rounding, w, marks)])
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


def _figure(figure: Realisation | Target, rounding: Rounding, marks: Marks) -> str:
    value = figure.value
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        shown = number(value, marks, rounding)
        return f"{shown} ({figure.category.label})" if figure.category else shown
    if isinstance(value, TargetRange):
        return f"{number(value.min, marks, rounding)}..{number(value.max, marks, rounding)}"
    return str(value)


def _row(result: IndicatorResult, rounding: Rounding, w: Words, marks: Marks) -> list[str]:
    targets = result.targets
    realisations = result.realisations
    cells = [
        result.id,
        result.unit,
        *(_figure(targets[name], rounding, marks) for name in SPANS),
        *(_figure(realisations[name], rounding, marks) for name in REALISED),
    ]
    for achievement in result.achievements:
        if achievement.status is Status.COMPUTED and achievement.value is not None:
            cells.append(number(achievement.value, marks))
        else:
            cells.append(w(f"mark.{achievement.status.value}"))
    return cells


def _notes(result: IndicatorResult, w: Words) -> list[str]:
    seen: list[str] = []
    untargeted = all(t.status is Status.NO_TARGET for t in result.targets.values())
    skipped = {t.reason for t in result.targets.values()} if untargeted else set()
    if untargeted:
        seen.append(w("table.no_targets"))  # one note, not one per span
    for achievement in result.achievements:
        for reason in (achievement.reason or "").split("; "):
            if reason and reason not in seen and reason not in skipped:
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


def figure_phrase(w: Words, composite: CompositeResult) -> str:
    """What a composite combines: ``to_date achievements``, ``realisations to date``."""
    if composite.figure is MemberFigure.ACHIEVEMENT:
        basis = composite.basis.value if composite.basis else "-"
        return w("member_figure.achievement", basis=basis)
    return w("member_figure.realisation", span=w(f"table.span.{composite.span}"))


def _composites(evaluation: Evaluation, w: Words, marks: Marks) -> list[str]:
    lines = [w("table.composites")]
    rows = []
    for composite in evaluation.composites:
        value = (
            with_marks(format(composite.value, "f"), marks)
            if composite.value is not None
            else w(f"mark.{composite.status.value}")
        )
        counted = w("table.of", count=composite.count, total=len(composite.members))
        rows.append(
            [
                composite.id,
                value,
                w(f"rollup_method.{composite.method.value}"),
                counted,
                figure_phrase(w, composite),
                composite.label,
            ]
        )
    lines.extend("  " + line for line in table(rows, [False, True, False, True, False, False]))
    return lines


def _compared(result: IndicatorResult) -> bool:
    """Whether an indicator has a comparison that applies (not ``not_applicable``)."""
    found = result.comparisons
    return found is not None and (
        found.medium_term.status is not Status.NOT_APPLICABLE
        or found.previous_year.status is not Status.NOT_APPLICABLE
    )


def _comparisons(
    results: list[IndicatorResult], rounding: Rounding, w: Words, marks: Marks
) -> list[str]:
    """The comparisons with the medium-term target and the previous year, one row each."""
    lines = [w("table.comparisons")]
    rows = [
        [
            w("table.iku"),
            w("table.year"),
            w("table.target"),
            w("table.achievement"),
            w("table.previous"),
            w("table.realisation"),
            w("table.change"),
            w("table.change_percent"),
            w("table.achievement"),
            w("table.points"),
        ],
    ]
    for result in results:
        assert result.comparisons is not None
        medium, previous = result.comparisons.medium_term, result.comparisons.previous_year
        achieved = previous.achievement.value if previous.achievement else None
        rows.append(
            [
                result.id,
                str(medium.year) if medium.year is not None else "-",
                _figure(medium.achievement.target, rounding, marks) if medium.achievement else "-",
                _percent(medium.value, medium.status, w, marks),
                previous.period or "-",
                _figure(previous.realisation, rounding, marks) if previous.realisation else "-",
                number(previous.change, marks, rounding) if previous.change is not None else "-",
                _percent(previous.growth, previous.status, w, marks),
                _percent(achieved, previous.status, w, marks),
                _percent(previous.points, previous.status, w, marks),
            ]
        )
    lines.extend("  " + line for line in table(rows, [False, *([True] * 9)]))
    lines.append(w("table.comparisons_legend"))
    return lines


def _percent(value: Decimal | None, status: Status, w: Words, marks: Marks) -> str:
    if value is not None:
        return number(value, marks)
    return "-" if status is Status.COMPUTED else w(f"mark.{status.value}")
