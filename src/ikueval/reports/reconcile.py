"""A reconciliation as text (figure by figure) and as JSON."""

from __future__ import annotations

import json
from typing import Any, Final

from ..converters import results_converter
from ..reconcile import Reconciled, Reconciliation, Verdict
from .json import FORMAT_VERSION
from .text import table

#: How a verdict is written in the table.
VERDICT_WORDS: Final = {
    Verdict.MATCH: "match",
    Verdict.OTHER_COMPUTATION: "other computation",
    Verdict.CONTRADICTION: "contradiction",
    Verdict.NOT_REPRODUCED: "not reproduced",
}


def render_reconciliation(reconciliation: Reconciliation) -> str:
    """Every figure with its verdict, table by table; reasons under what is not a match."""
    title = f" ({reconciliation.title})" if reconciliation.title else ""
    lines = [
        f"Published figures of {reconciliation.document}{title}, {reconciliation.period}",
        f"against rule set {reconciliation.ruleset} and its data; rounding "
        f"{reconciliation.rounding}",
    ]
    current = None
    rows: list[list[str]] = []
    reasons: dict[int, str] = {}

    def flush() -> None:
        if rows:
            for index, line in enumerate(table(rows, [False, False, False, False, False])):
                lines.append("  " + line)
                if index in reasons:
                    lines.append(f"      {reasons[index]}")
            rows.clear()
            reasons.clear()

    for item in reconciliation.figures:
        if item.figure.table != current:
            flush()
            current = item.figure.table
            lines.extend(["", f"{current}: {reconciliation.tables.get(current, '')}"])
        rows.append(_row(item))
        if item.verdict is not Verdict.MATCH or item.contradicts:
            reasons[len(rows) - 1] = item.reason
    flush()
    counts = reconciliation.counts()
    total = len(reconciliation.figures)
    lines.extend(
        [
            "",
            f"{total} figure{'s' if total != 1 else ''}: {counts[Verdict.MATCH]} match, "
            f"{counts[Verdict.OTHER_COMPUTATION]} match only another computation, "
            f"{counts[Verdict.CONTRADICTION]} contradict another published figure, "
            f"{counts[Verdict.NOT_REPRODUCED]} not reproduced",
        ]
    )
    return "\n".join(lines) + "\n"


def _row(item: Reconciled) -> list[str]:
    figure = item.figure
    where = f"line {figure.line}" if figure.line else f"row {figure.row}"
    verdict = VERDICT_WORDS[item.verdict]
    if item.verdict is Verdict.MATCH:
        verdict += f" ({item.computed.shown})" if item.computed.shown else " (no figure)"
    return [where, item.claim.subject, figure.column, figure.text, verdict]


def reconciliation_data(reconciliation: Reconciliation) -> dict[str, Any]:
    """The reconciliation as JSON-ready data.

    The trail of each computation is the engine's own figure; it is serialised
    here, as ``ikueval evaluate --format json`` serialises it.
    """
    data = results_converter().unstructure(reconciliation)
    for figure in data["figures"]:
        if figure["claim"]["composite"] is None:
            del figure["claim"]["composite"]  # only weighted values name their composite
    data["counts"] = {v.value: n for v, n in reconciliation.counts().items()}
    return {"ikueval": FORMAT_VERSION, **data}


def render_reconciliation_json(reconciliation: Reconciliation) -> str:
    """The reconciliation as a JSON document."""
    return json.dumps(reconciliation_data(reconciliation), ensure_ascii=False, indent=2) + "\n"
