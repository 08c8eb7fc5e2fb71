"""The report as a view of an evaluation: sections 1-8 in the shape of an LKj.

:func:`build_report` reads an :class:`~ikueval._results.Evaluation` (and the
evaluations of the earlier periods of the year, the plan's warnings and a
reconciliation) into a :class:`~ikueval._reports.document.Report`. It adds no
figure: every number of the report is one the engine computed, with its
source and trace. The sections follow the tables of an Indonesian performance
report (*Laporan Kinerja*): the performance agreement, the quarterly
measurement, achievement to date, a status per indicator, roll-ups, budget
against performance, comparisons, and the plan's consistency.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .._aggregation import Ledger
from .._errors import Problem, UsageError
from .._evaluation import evaluate, parse_evaluation_period
from .._model import Basis, RuleSet
from .._periods import Granularity, Period
from .._reconcile import Reconciliation
from .._results import Evaluation, IndicatorResult
from .._spans import SpanName
from .cells import Cells, basis_label
from .comparisons import comparisons_section
from .document import (
    AchievementChart,
    Align,
    Bar,
    Block,
    Cell,
    Column,
    GroupRow,
    Label,
    PeriodName,
    ProgressChart,
    ProgressPanel,
    ProgressPoint,
    Report,
    Row,
    Section,
    Table,
    Text,
    TextCell,
)
from .explain import document_titles
from .findings import budget_section, findings_section, rollup_section

#: The basis on which an indicator's status (met, not met) is decided.
STATUS_BASIS = Basis.TO_DATE_VS_TARGET_TO_DATE


def measured_periods(period: str) -> tuple[str, ...]:
    """The periods of the quarterly measurement of a report on ``period``.

    The quarters from Q1 to a quarter, the months from January to a month, and
    the four quarters of a year.

    Raises:
        PeriodError: when the period is malformed or a day.
    """
    evaluated = Period.parse(period)
    year = Period.year_of(evaluated.year)
    if evaluated.granularity is Granularity.QUARTER:
        chosen = [q for q in year.quarters() if q.end <= evaluated.end]
    elif evaluated.granularity is Granularity.MONTH:
        chosen = [m for m in year.months() if m.end <= evaluated.end]
    elif evaluated.granularity is Granularity.YEAR:
        chosen = list(year.quarters())
    else:
        chosen = [evaluated]
    return tuple(p.label for p in chosen)


def build_report(
    evaluation: Evaluation,
    ruleset: RuleSet,
    *,
    measured: Sequence[Evaluation] = (),
    warnings: Sequence[Problem] = (),
    reconciliation: Reconciliation | None = None,
) -> Report:
    """The report of an evaluation, ready for a renderer.

    Args:
        evaluation: the evaluation of the report's period.
        ruleset: its rule set (objectives, activities, document titles).
        measured: the evaluations of :func:`measured_periods`, in order (the
            report's own evaluation may be one of them); without them the
            quarterly measurement shows the report's period alone.
        warnings: the rule set's warnings (``ikueval check``).
        reconciliation: the verdicts on a published report's figures.

    Raises:
        UsageError: when ``measured`` holds evaluations of another rule set or
            of periods other than :func:`measured_periods` gives.
    """
    from .. import __version__  # here: the package imports this module

    parse_evaluation_period(ruleset, evaluation.period)
    steps = _steps(evaluation, ruleset, measured)
    cells = Cells()
    sections = (
        _agreement(evaluation, ruleset, cells),
        _quarters(evaluation, ruleset, steps, cells),
        _achievement(evaluation, ruleset, cells),
        _status(evaluation, ruleset, cells),
        rollup_section(evaluation, cells),
        budget_section(evaluation, ruleset, cells),
        comparisons_section(evaluation, key_indicators(evaluation, ruleset), cells),
        findings_section(warnings, reconciliation),
    )
    return Report(
        office=evaluation.office,
        ruleset=evaluation.ruleset,
        title=ruleset.ruleset.title,
        period=evaluation.period,
        spans=evaluation.spans,
        rounding=evaluation.rounding,
        version=__version__,
        sections=sections,
        traces=cells.traces,
        documents=document_titles(ruleset),
    )


def report_of(
    ruleset: RuleSet,
    ledger: Ledger,
    period: str,
    *,
    warnings: Sequence[Problem] = (),
    reconciliation: Reconciliation | None = None,
) -> Report:
    """Evaluate a period and the periods of its quarterly measurement, and build the report.

    Args:
        ruleset: the rule set.
        ledger: the events (:func:`ikueval.build_ledger`).
        period: the report's period (``2025-Q2``).
        warnings: the rule set's warnings (``ikueval check``).
        reconciliation: the verdicts on a published report's figures.

    Raises:
        PeriodError: when the period is malformed or outside the rule set.
    """
    evaluation = evaluate(ruleset, ledger, period)
    measured = [
        evaluation if label == evaluation.period else evaluate(ruleset, ledger, label)
        for label in measured_periods(evaluation.period)
    ]
    return build_report(
        evaluation, ruleset, measured=measured, warnings=warnings, reconciliation=reconciliation
    )


def _steps(
    evaluation: Evaluation, ruleset: RuleSet, measured: Sequence[Evaluation]
) -> tuple[Evaluation, ...]:
    if not measured:
        return (evaluation,)
    expected = measured_periods(evaluation.period)
    given = tuple(e.period for e in measured)
    if given != expected or any(e.ruleset != ruleset.id for e in measured):
        raise UsageError(
            f"the quarterly measurement of {evaluation.period} needs the evaluations of "
            f"{', '.join(expected)} of rule set {ruleset.id!r}, in order; got {', '.join(given)}"
        )
    return tuple(evaluation if e.period == evaluation.period else e for e in measured)


def key_indicators(evaluation: Evaluation, ruleset: RuleSet) -> list[IndicatorResult]:
    """The results of the key performance indicators: not those declared ``iku = false``
    (the components of a composite index), which section 5 shows in their composites."""
    return [
        result
        for result in evaluation.indicators
        if (found := ruleset.indicator(result.id)) is None or found.iku
    ]


def grouped(
    evaluation: Evaluation, ruleset: RuleSet
) -> list[tuple[GroupRow | None, list[IndicatorResult]]]:
    """The key performance indicators by strategic objective (in the rule set's order),
    then those of no objective, then each sub-unit's."""
    groups: dict[str, list[IndicatorResult]] = {}
    for result in key_indicators(evaluation, ruleset):
        if result.subunit is not None:
            key = f"subunit:{result.subunit}"
        else:
            key = f"objective:{result.objective}" if result.objective else ""
        groups.setdefault(key, []).append(result)
    order = [f"objective:{o.id}" for o in ruleset.objectives]
    order += [""] + [f"subunit:{s.id}" for s in ruleset.subunits]
    rank = {key: index for index, key in enumerate(order)}
    found: list[tuple[GroupRow | None, list[IndicatorResult]]] = []
    for key in sorted(groups, key=lambda k: (rank.get(k, len(rank)), k)):
        kind, _, ident = key.partition(":")
        heading: GroupRow | None = None
        if kind == "objective":
            objective = ruleset.objective(ident)
            heading = GroupRow(objective.name if objective else ident, ident)
        elif kind == "subunit":
            subunit = ruleset.subunit(ident)
            heading = GroupRow(subunit.name if subunit else ident, ident)
        found.append((heading, groups[key]))
    return found


def _table_rows(
    evaluation: Evaluation,
    ruleset: RuleSet,
    figures: Callable[[IndicatorResult], tuple[Cell, ...]],
) -> tuple[Row | GroupRow, ...]:
    """Rows grouped by objective: No, IKU, name, then ``figures(result)``."""
    rows: list[Row | GroupRow] = []
    number = 0
    for heading, results in grouped(evaluation, ruleset):
        if heading is not None:
            rows.append(heading)
        for result in results:
            number += 1
            head: list[Cell] = [TextCell(str(number)), TextCell(result.id), TextCell(result.name)]
            rows.append(Row((*head, *figures(result))))
    return tuple(rows)


def _head_columns() -> list[Column]:
    return [
        Column(Label("col.no"), align=Align.RIGHT),
        Column(Label("col.iku"), ident=True),
        Column(Label("col.indicator"), wide=True),
    ]


def _spans(evaluation: Evaluation) -> dict[str, PeriodName]:
    return {name: PeriodName(label) for name, label in evaluation.spans.items()}


def _agreement(evaluation: Evaluation, ruleset: RuleSet, cells: Cells) -> Section:
    year = Period.parse(evaluation.period).year
    columns = (
        *_head_columns(),
        Column(Label("col.unit")),
        Column(Label("col.target_year", {"year": year}), align=Align.RIGHT),
    )

    def figures(result: IndicatorResult) -> tuple[Cell, ...]:
        return (TextCell(result.unit), cells.figure(evaluation, result, "targets", SpanName.ANNUAL))

    blocks: list[Block] = [
        Table(
            "agreement",
            Label("section.agreement"),
            columns,
            _table_rows(evaluation, ruleset, figures),
        )
    ]
    if evaluation.budgets:
        budget_rows = tuple(
            Row(
                (
                    TextCell(budget.id),
                    TextCell(Label("budget.total") if budget.id == "total" else budget.label),
                    cells.amount(evaluation, budget, "ceiling"),
                ),
                total=budget.id == "total",
            )
            for budget in evaluation.budgets
        )
        blocks.append(
            Table(
                "agreement-budget",
                Label("col.budget"),
                (
                    Column(Label("col.activity"), ident=True),
                    Column(Label("col.name"), wide=True),
                    Column(Label("col.ceiling"), align=Align.RIGHT),
                ),
                budget_rows,
            )
        )
    return Section(
        "agreement",
        1,
        Label("section.agreement"),
        (Label("section.agreement.intro"),),
        tuple(blocks),
    )


def _quarters(
    evaluation: Evaluation, ruleset: RuleSet, steps: Sequence[Evaluation], cells: Cells
) -> Section:
    columns = [*_head_columns(), Column(Label("col.unit"))]
    for step in steps:
        name = PeriodName(step.period)
        columns.append(Column(Label("col.target"), group=name, align=Align.RIGHT))
        columns.append(Column(Label("col.realisation"), group=name, align=Align.RIGHT))
    by_step = [{r.id: r for r in step.indicators} for step in steps]

    def figures(result: IndicatorResult) -> tuple[Cell, ...]:
        found: list[Cell] = [TextCell(result.unit)]
        for step, results in zip(steps, by_step, strict=True):
            own = results[result.id]
            found.append(cells.figure(step, own, "targets", SpanName.PERIOD))
            found.append(cells.figure(step, own, "realisations", SpanName.PERIOD))
        return tuple(found)

    table = Table(
        "quarters",
        Label("section.quarters"),
        tuple(columns),
        _table_rows(evaluation, ruleset, figures),
    )
    panels = []
    for heading, results in grouped(evaluation, ruleset):
        del heading
        for result in results:
            points = tuple(
                ProgressPoint(
                    step.period,
                    cells.figure(step, own[result.id], "realisations", SpanName.TO_DATE),
                    cells.figure(step, own[result.id], "targets", SpanName.TO_DATE),
                )
                for step, own in zip(steps, by_step, strict=True)
            )
            panels.append(ProgressPanel(result.id, result.name, result.unit, points))
    chart = ProgressChart(
        "progress",
        Label("chart.progress"),
        Label("chart.progress.realisation"),
        Label("chart.progress.target"),
        tuple(panels),
    )
    return Section(
        "quarters",
        2,
        Label("section.quarters"),
        (Label("section.quarters.intro"),),
        (table, chart),
    )


def _achievement(evaluation: Evaluation, ruleset: RuleSet, cells: Cells) -> Section:
    spans = _spans(evaluation)
    year = Period.parse(evaluation.period).year
    columns = (
        *_head_columns(),
        Column(Label("col.unit")),
        Column(Label("col.target_year", {"year": year}), align=Align.RIGHT),
        Column(Label("col.target_of", {"span": spans[SpanName.TO_DATE]}), align=Align.RIGHT),
        Column(Label("col.realisation_of", {"span": spans[SpanName.PERIOD]}), align=Align.RIGHT),
        Column(Label("col.realisation_of", {"span": spans[SpanName.TO_DATE]}), align=Align.RIGHT),
        *(Column(basis_label(b), align=Align.RIGHT, basis=b) for b in Basis),
    )

    def figures(result: IndicatorResult) -> tuple[Cell, ...]:
        return (
            TextCell(result.unit),
            cells.figure(evaluation, result, "targets", SpanName.ANNUAL),
            cells.figure(evaluation, result, "targets", SpanName.TO_DATE),
            cells.figure(evaluation, result, "realisations", SpanName.PERIOD),
            cells.figure(evaluation, result, "realisations", SpanName.TO_DATE),
            *(cells.achievement(evaluation, result, b) for b in Basis),
        )

    notes: list[Text] = []
    for result in key_indicators(evaluation, ruleset):
        for name, target in result.targets.items():
            if target.aggregate is not None:
                notes.extend(
                    f"{result.id}: target {name}: {note}" for note in target.aggregate.notes
                )
    table = Table(
        "achievement",
        Label("section.achievement"),
        columns,
        _table_rows(evaluation, ruleset, figures),
        tuple(dict.fromkeys(notes)),
    )
    bars: list[Bar] = []
    for _, results in grouped(evaluation, ruleset):
        bars.extend(
            Bar(r.id, r.name, cells.achievement(evaluation, r, STATUS_BASIS)) for r in results
        )
    chart = AchievementChart(
        "achievement-chart",
        Label("chart.achievement", {"basis": Label(f"basis.phrase.{STATUS_BASIS.value}")}),
        tuple(bars),
    )
    return Section(
        "achievement",
        3,
        Label("section.achievement"),
        (Label("section.achievement.intro"),),
        (table, chart),
    )


def _status(evaluation: Evaluation, ruleset: RuleSet, cells: Cells) -> Section:
    columns = (
        *_head_columns(),
        Column(basis_label(STATUS_BASIS), align=Align.RIGHT, basis=STATUS_BASIS),
        Column(Label("col.status")),
        Column(Label("col.reason"), wide=True),
    )

    def figures(result: IndicatorResult) -> tuple[Cell, ...]:
        status = cells.status(evaluation, result, STATUS_BASIS)
        reason: Cell = TextCell(status.reason if status.reason is not None else "")
        return (cells.achievement(evaluation, result, STATUS_BASIS), status, reason)

    phrase = Label(f"basis.phrase.{STATUS_BASIS.value}")
    return Section(
        "status",
        4,
        Label("section.status"),
        (Label("section.status.intro", {"basis": phrase}),),
        (
            Table(
                "status",
                Label("section.status"),
                columns,
                _table_rows(evaluation, ruleset, figures),
            ),
        ),
    )
