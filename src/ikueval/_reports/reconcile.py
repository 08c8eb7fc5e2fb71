"""A reconciliation as text (figure by figure) and as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

import attrs

from .._converters import results_converter
from .._reconcile import Candidate, FigureRef, Reconciled, Reconciliation, Verdict
from .text import table

if TYPE_CHECKING:
    from cattrs import Converter

    from .._reconcile.computation import Trail

#: How a verdict is written in the table.
VERDICT_WORDS: Final = {
    Verdict.MATCH: "match",
    Verdict.OTHER_COMPUTATION: "other computation",
    Verdict.CONTRADICTION: "contradiction",
    Verdict.NOT_REPRODUCED: "not reproduced",
}


def reconciliation_table(reconciliation: Reconciliation) -> str:
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


#: Version of the reconciliation's JSON document. 2: each printed figure, each
#: computation and each engine trail is written once; figures name their
#: computations, computations their trail, contradictions the figures, by key.
FORMAT_VERSION: Final = 2


def reconciliation_data(reconciliation: Reconciliation) -> dict[str, Any]:
    """The reconciliation as JSON-ready data (``docs/reconcile.md``, "JSON output").

    Every figure is written once, with its ``id`` (its number in the
    publication); the figures it contradicts are named by their ids, and those
    of tables not shown are written once under ``other_figures``. Every
    computation a figure is compared with is written once under
    ``computations`` (keyed ``c1``, ``c2``... in the order the figures first
    use them), and every engine figure behind one (its trail, serialised as
    ``ikueval evaluate --format json`` serialises it) once under ``trails``
    (``t1``, ``t2``...). The document grows with the figures, the computations
    and the trails, not with their product.
    """
    written = _Written(results_converter())
    shown = {item.figure.number for item in reconciliation.figures}
    others: dict[int, FigureRef] = {}
    figures = []
    for item in reconciliation.figures:
        figures.append(written.figure(item))
        for ref in item.contradicts:
            if ref.number not in shown:
                others.setdefault(ref.number, ref)
    return {
        "ikueval": FORMAT_VERSION,
        "ruleset": reconciliation.ruleset,
        "document": reconciliation.document,
        "title": reconciliation.title,
        "period": reconciliation.period,
        "rounding": reconciliation.rounding,
        "figures": figures,
        "tables": dict(reconciliation.tables),
        "counts": {v.value: n for v, n in reconciliation.counts().items()},
        "other_figures": [written.ref(others[n]) for n in sorted(others)],
        "computations": written.computations.items,
        "trails": written.trails.items,
    }


class _Keyed:
    """Things written once each under a key (``prefix`` and a number, from 1, in the
    order they are first written): two that write the same are one."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.items: dict[str, Any] = {}
        self._keys: dict[str, str] = {}

    def key(self, data: Any) -> str:
        """The key ``data`` is written under, adding it the first time."""
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        key = self._keys.get(text)
        if key is None:
            key = f"{self.prefix}{len(self.items) + 1}"
            self._keys[text] = key
            self.items[key] = data
        return key


class _Written:
    """How the figures of a reconciliation are written, with the tables of the
    computations and trails they name."""

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        self.computations = _Keyed("c")
        self.trails = _Keyed("t")
        #: the trails written, by object: the figures of one claim share their
        #: trails, which are serialised once (each kept, so that its id stays its own)
        self._trail_keys: dict[int, tuple[Trail, str]] = {}

    def figure(self, item: Reconciled) -> dict[str, Any]:
        """One figure: where it is printed, its claim and verdict, the computations it
        was compared with and the figures it contradicts, by key."""
        claim = self.converter.unstructure(item.claim)
        if claim["composite"] is None:
            del claim["composite"]  # only weighted values name their composite
        ref = self.ref(item.figure)
        return {
            "id": ref.pop("id"),
            "figure": ref,
            "claim": claim,
            "printed": self.converter.unstructure(item.printed),
            "verdict": item.verdict.value,
            "reason": item.reason,
            "computed": self.computation(item.computed),
            "explanations": [self.computation(c) for c in item.explanations],
            "nearest": [self.computation(c) for c in item.nearest],
            "contradicts": [other.number for other in item.contradicts],
            "printed_differently": item.printed_differently,
        }

    def ref(self, ref: FigureRef) -> dict[str, Any]:
        """Where a figure is printed, its ``id`` first."""
        data = self.converter.unstructure(ref)
        return {"id": data.pop("number"), **data}

    def computation(self, candidate: Candidate) -> str:
        """The key of a computation as compared, written with the key of its trail."""
        data: dict[str, Any] = self.converter.unstructure(attrs.evolve(candidate, trail=None))
        data["trail"] = self.trail(candidate.trail)
        return self.computations.key(data)

    def trail(self, trail: Trail | None) -> str | None:
        if trail is None:
            return None
        known = self._trail_keys.get(id(trail))
        if known is not None and known[0] is trail:
            return known[1]
        key = self.trails.key(self.converter.unstructure(trail))
        self._trail_keys[id(trail)] = (trail, key)
        return key


def reconciliation_json(reconciliation: Reconciliation) -> str:
    """The reconciliation as a JSON document (``docs/reconcile.md``, "JSON output")."""
    return json.dumps(reconciliation_data(reconciliation), ensure_ascii=False, indent=2) + "\n"
