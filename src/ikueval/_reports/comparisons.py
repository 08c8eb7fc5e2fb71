"""Section 7 of the report: each indicator against the medium-term target and last year.

PermenPAN-RB 53/2014 asks a performance report to compare the realisation
with the medium-term (Renstra) target and with the realisation of the previous
year. The engine computes both for every indicator
(:mod:`ikueval._comparisons`); this section shows them, one row per indicator
for which at least one applies. When none applies (a rule set of one year
without a medium-term target), the section says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._results import Evaluation, IndicatorResult, Status
from .._spans import SpanName
from .cells import Cells
from .document import (
    Align,
    Cell,
    Column,
    Label,
    Notes,
    PeriodName,
    Row,
    Section,
    Table,
    TextCell,
)

#: The parts of an indicator's trace the comparisons link to (``{anchor}-{part}``).
MEDIUM_TERM = "medium_term"
PREVIOUS_YEAR = "previous_year"


def applies(result: IndicatorResult) -> bool:
    """Whether a comparison of the indicator applies (is not ``not_applicable``)."""
    found = result.comparisons
    return found is not None and (
        found.medium_term.status is not Status.NOT_APPLICABLE
        or found.previous_year.status is not Status.NOT_APPLICABLE
    )


def comparisons_section(
    evaluation: Evaluation, results: Sequence[IndicatorResult], cells: Cells
) -> Section:
    """Section 7: the medium-term target and the previous year, per indicator."""
    title = Label("section.comparisons")
    shown = [r for r in results if applies(r)]
    if not shown:
        return Section("comparisons", 7, title, (), (Notes((Label("section.comparisons.none"),)),))
    years = {r.comparisons.medium_term.year for r in shown if r.comparisons}
    periods = {r.comparisons.previous_year.period for r in shown if r.comparisons}
    year = next(iter(years)) if len(years) == 1 else None
    period = next(iter(periods)) if len(periods) == 1 else None
    medium = Label("col.medium_term", {"year": year if year is not None else ""})
    previous = Label("col.previous_year", {"period": PeriodName(period) if period else ""})
    columns = (
        Column(Label("col.no"), align=Align.RIGHT),
        Column(Label("col.iku"), ident=True),
        Column(Label("col.indicator"), wide=True),
        Column(Label("col.unit")),
        Column(Label("col.realisation_of", {"span": _span(evaluation)}), align=Align.RIGHT),
        Column(Label("col.target"), group=medium, align=Align.RIGHT),
        Column(Label("col.achievement"), group=medium, align=Align.RIGHT),
        Column(Label("col.realisation"), group=previous, align=Align.RIGHT),
        Column(Label("col.change"), group=previous, align=Align.RIGHT),
        Column(Label("col.change_percent"), group=previous, align=Align.RIGHT),
        Column(Label("col.achievement"), group=previous, align=Align.RIGHT),
        Column(Label("col.points"), group=previous, align=Align.RIGHT),
    )
    rows = tuple(
        Row(
            (
                TextCell(str(number)),
                TextCell(result.id),
                TextCell(result.name),
                TextCell(result.unit),
                *_figures(evaluation, result, cells),
            )
        )
        for number, result in enumerate(shown, start=1)
    )
    return Section(
        "comparisons",
        7,
        title,
        (Label("section.comparisons.intro"),),
        (Table("comparisons", title, columns, rows),),
    )


def _span(evaluation: Evaluation) -> PeriodName:
    return PeriodName(evaluation.spans[SpanName.TO_DATE])


def _figures(evaluation: Evaluation, result: IndicatorResult, cells: Cells) -> tuple[Cell, ...]:
    assert result.comparisons is not None
    medium = result.comparisons.medium_term
    previous = result.comparisons.previous_year
    base = f"indicators[{result.id}].comparisons"
    target = medium.achievement.target if medium.achievement else None
    then = previous.realisation
    achieved = previous.achievement
    return (
        cells.figure(evaluation, result, "realisations", SpanName.TO_DATE),
        cells.derived(
            evaluation,
            result,
            MEDIUM_TERM,
            f"{base}.medium_term." + ("achievement.target.value" if target else "value"),
            target.value if target and isinstance(target.value, Decimal) else None,
            (target.status, target.reason) if target else (medium.status, medium.reason),
        ),
        cells.derived(
            evaluation,
            result,
            MEDIUM_TERM,
            f"{base}.medium_term.value",
            medium.value,
            (medium.status, medium.reason),
            percent=True,
        ),
        cells.derived(
            evaluation,
            result,
            PREVIOUS_YEAR,
            f"{base}.previous_year." + ("realisation.value" if then else "change"),
            then.value if then and isinstance(then.value, Decimal) else None,
            (then.status, then.reason) if then else (previous.status, previous.reason),
        ),
        cells.derived(
            evaluation,
            result,
            PREVIOUS_YEAR,
            f"{base}.previous_year.change",
            previous.change,
            (previous.status, previous.reason),
        ),
        cells.derived(
            evaluation,
            result,
            PREVIOUS_YEAR,
            f"{base}.previous_year.growth",
            previous.growth,
            (previous.status, "; ".join(previous.notes) or previous.reason),
            percent=True,
        ),
        cells.derived(
            evaluation,
            result,
            PREVIOUS_YEAR,
            f"{base}.previous_year." + ("achievement.value" if achieved else "points"),
            achieved.value if achieved else None,
            (achieved.status, achieved.reason) if achieved else (previous.status, previous.reason),
            percent=True,
        ),
        cells.derived(
            evaluation,
            result,
            PREVIOUS_YEAR,
            f"{base}.previous_year.points",
            previous.points,
            (previous.status, "; ".join(previous.notes) or previous.reason),
        ),
    )
