"""Sections 5, 6 and 8 of the report: roll-ups, budget against performance, findings."""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import Problem
from .._model import MemberFigure, RuleSet
from .._reconcile import Reconciliation, Verdict
from .._results import CompositeResult, Evaluation, Rollup
from .._spans import SpanName
from .cells import Cells
from .document import (
    Align,
    BudgetChart,
    BudgetPair,
    Cell,
    Column,
    Label,
    MissingCell,
    Notes,
    PercentCell,
    PeriodName,
    Row,
    Section,
    Table,
    TextCell,
)


def rollup_label(rollup: Rollup) -> Label:
    """The name of a roll-up's group: all indicators, an objective, an activity."""
    if rollup.group == "all":
        return Label("rollup.all")
    _, _, ident = rollup.id.partition(":")
    return Label(f"rollup.{rollup.group}", {"id": ident})


def _policy(rollup: Rollup) -> dict[str, object]:
    return {
        "basis": Label(f"basis.phrase.{rollup.basis.value}"),
        "missing": Label(f"missing.{rollup.missing.value}"),
        "member_values": Label(f"member_values.{rollup.member_values.value}"),
    }


def rollup_section(evaluation: Evaluation, cells: Cells) -> Section:
    """Section 5: every roll-up with its policy stated, then the composites."""
    title = Label("section.rollups")
    composites = composite_table(evaluation, cells)
    if not evaluation.rollups:
        if composites is not None:
            return Section("rollups", 5, title, (), (composites,))
        return Section("rollups", 5, title, (), (Notes((Label("section.rollups.none"),)),))
    first = evaluation.rollups[0]
    columns = (
        Column(Label("col.group"), ident=True),
        Column(Label("col.name"), wide=True),
        Column(
            Label("col.mean", {"basis": Label(f"basis.phrase.{first.basis.value}")}),
            align=Align.RIGHT,
            basis=first.basis,
        ),
        Column(Label("col.members"), align=Align.RIGHT),
    )
    rows = tuple(
        Row(
            (
                TextCell(rollup_label(rollup)),
                TextCell("" if rollup.group == "all" else rollup.label),
                cells.rollup(evaluation, rollup),
                TextCell(
                    Label(
                        "col.members.value", {"count": rollup.count, "total": len(rollup.members)}
                    )
                ),
            ),
            total=rollup.group == "all",
        )
        for rollup in evaluation.rollups
    )
    tables = (Table("rollups", title, columns, rows),)
    return Section(
        "rollups",
        5,
        title,
        (Label("section.rollups.intro", _policy(first)),),
        tables if composites is None else (*tables, composites),
    )


def composite_table(evaluation: Evaluation, cells: Cells) -> Table | None:
    """The composites of the rule set: each with its method, what it combines, its value
    and how many members were counted (None when it declares none)."""
    if not evaluation.composites:
        return None
    columns = (
        Column(Label("col.composite"), ident=True),
        Column(Label("col.name"), wide=True),
        Column(Label("col.method")),
        Column(Label("col.combines")),
        Column(Label("col.value"), align=Align.RIGHT),
        Column(Label("col.members"), align=Align.RIGHT),
    )
    rows = tuple(
        Row(
            (
                TextCell(composite.id),
                TextCell(composite.label),
                TextCell(Label(f"rollup_method.{composite.method.value}")),
                TextCell(_combines(evaluation, composite)),
                cells.composite(evaluation, composite),
                TextCell(
                    Label(
                        "col.members.value",
                        {"count": composite.count, "total": len(composite.members)},
                    )
                ),
            )
        )
        for composite in evaluation.composites
    )
    title = Label("section.rollups.composites")
    return Table("composites", title, columns, rows)


def _combines(evaluation: Evaluation, composite: CompositeResult) -> Label:
    if composite.figure is MemberFigure.ACHIEVEMENT and composite.basis is not None:
        return Label(
            "composite.achievement", {"basis": Label(f"basis.phrase.{composite.basis.value}")}
        )
    span = evaluation.spans.get(SpanName(composite.span or SpanName.TO_DATE), evaluation.period)
    return Label("composite.realisation", {"span": PeriodName(span)})


def budget_section(evaluation: Evaluation, ruleset: RuleSet, cells: Cells) -> Section:
    """Section 6: per activity, ceiling, spending, absorption and mean achievement."""
    title = Label("section.budget")
    if not evaluation.budgets:
        return Section("budget", 6, title, (), (Notes((Label("section.budget.none"),)),))
    rollups = {rollup.id: rollup for rollup in evaluation.rollups}
    basis = evaluation.rollups[0].basis if evaluation.rollups else None
    phrase = Label(f"basis.phrase.{basis.value}") if basis else Label("report.no_data")
    columns = (
        Column(Label("col.activity"), ident=True),
        Column(Label("col.name"), wide=True),
        Column(Label("col.ceiling"), align=Align.RIGHT),
        Column(Label("col.spent"), align=Align.RIGHT),
        Column(Label("col.absorption"), align=Align.RIGHT),
        Column(Label("col.mean", {"basis": phrase}), align=Align.RIGHT, basis=basis),
        Column(Label("col.iku")),
    )
    rows = []
    pairs = []
    for budget in evaluation.budgets:
        total = budget.id == "total"
        rollup = rollups.get("all" if total else f"activity:{budget.id}")
        mean: PercentCell | MissingCell = (
            cells.rollup(evaluation, rollup)
            if rollup is not None
            else MissingCell(budget.status, None)
        )
        members = "" if rollup is None or total else ", ".join(m.indicator for m in rollup.members)
        absorption = cells.absorption(evaluation, budget)
        row: tuple[Cell, ...] = (
            TextCell(budget.id),
            TextCell(Label("budget.total") if total else budget.label),
            cells.amount(evaluation, budget, "ceiling"),
            cells.amount(evaluation, budget, "spent"),
            absorption,
            mean,
            TextCell(members),
        )
        rows.append(Row(row, total=total))
        label = Label("budget.total") if total else budget.label
        pairs.append(BudgetPair(budget.id, label, absorption, mean))
    intro = Label(
        "section.budget.intro",
        {"span": PeriodName(evaluation.budgets[0].span), "basis": phrase},
    )
    chart = BudgetChart(
        "budget-chart",
        Label("chart.budget"),
        Label("chart.budget.absorption"),
        Label("chart.budget.achievement", {"basis": phrase}),
        tuple(pairs),
    )
    del ruleset
    return Section(
        "budget", 6, title, (intro,), (Table("budget", title, columns, tuple(rows)), chart)
    )


def findings_section(warnings: Sequence[Problem], reconciliation: Reconciliation | None) -> Section:
    """Section 8: the plan's warnings and the verdicts on a published report's figures."""
    blocks: list[Notes | Table] = [
        Notes(
            tuple(str(p) for p in warnings) or (Label("section.findings.no_warnings"),),
            Label("section.findings.warnings"),
        )
    ]
    if reconciliation is None:
        blocks.append(Notes((Label("section.findings.no_reconciliation"),)))
    else:
        counts = reconciliation.counts()
        summary = Label(
            "verdict.counts",
            {
                "total": len(reconciliation.figures),
                "match": counts[Verdict.MATCH],
                "other": counts[Verdict.OTHER_COMPUTATION],
                "contradiction": counts[Verdict.CONTRADICTION],
                "not_reproduced": counts[Verdict.NOT_REPRODUCED],
            },
        )
        columns = (
            Column(Label("col.table")),
            Column(Label("col.where"), align=Align.RIGHT),
            Column(Label("col.subject")),
            Column(Label("col.column")),
            Column(Label("col.printed"), align=Align.RIGHT),
            Column(Label("col.verdict")),
            Column(Label("col.reason"), wide=True),
        )
        rows = tuple(
            Row(
                (
                    TextCell(item.figure.table),
                    TextCell(str(item.figure.line or item.figure.row)),
                    TextCell(item.claim.subject),
                    TextCell(item.figure.column),
                    TextCell(item.figure.text),
                    TextCell(Label(f"verdict.{item.verdict.value}")),
                    TextCell(
                        item.reason if item.verdict is not Verdict.MATCH or item.contradicts else ""
                    ),
                )
            )
            for item in reconciliation.figures
        )
        title = Label(
            "section.findings.reconciliation",
            {
                "document": reconciliation.document,
                "title": reconciliation.title or reconciliation.document,
                "count": len(reconciliation.figures),
            },
        )
        blocks.append(Table("reconciliation", title, columns, rows, (summary,)))
    return Section("findings", 8, Label("section.findings"), (), tuple(blocks))
