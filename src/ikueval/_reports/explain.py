"""Explain a figure: everything a reader needs to redo it by hand (``ikueval explain``).

The trace of an indicator's figures is written by :mod:`.explain_figures`, that
of roll-ups, composites and budgets by :mod:`.explain_summaries`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._aggregation import Ledger
from .._model import RuleSet
from .._results import Evaluation
from .explain_summaries import Explainer
from .lang import Lang


def render_explain(
    evaluation: Evaluation,
    ruleset: RuleSet,
    indicators: Sequence[str] | None = None,
    *,
    ledger: Ledger | None = None,
    rollups: bool = True,
    lang: Lang = Lang.EN,
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
        lang: the language of the words and numbers (English by default). The
            engine's reasons and notes are printed as the engine gives them.
    """
    explainer = Explainer(lang, document_titles(ruleset), ledger)
    chosen = [
        result for result in evaluation.indicators if indicators is None or result.id in indicators
    ]
    blocks = [explainer.indicator(result, evaluation) for result in chosen]
    if rollups and indicators is None:
        blocks.extend("\n".join(explainer.rollup(r)) + "\n" for r in evaluation.rollups)
        blocks.extend("\n".join(explainer.budget(b)) + "\n" for b in evaluation.budgets)
        blocks.extend("\n".join(explainer.composite(c)) + "\n" for c in evaluation.composites)
    return "\n".join(blocks)


def document_titles(ruleset: RuleSet) -> dict[str, str]:
    """Document id -> title, for naming where a target or ceiling comes from."""
    return {document.id: document.title for document in ruleset.documents}
