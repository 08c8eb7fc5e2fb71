"""Reconciling a publication: every printed figure, its claim, its alternatives, its verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reconciliation itself is loaded when a report is reconciled
    from .._aggregation import Ledger
    from .._model import RuleSet
    from .._publication import Publication
    from .verdicts import Reconciliation


def reconcile(ruleset: RuleSet, ledger: Ledger, publication: Publication) -> Reconciliation:
    """Give every printed figure of a publication its verdict.

    Args:
        ruleset: the rule set the report is about.
        ledger: the events (see :func:`ikueval.build_ledger`).
        publication: the printed figures (:func:`ikueval._loading.load_publication`).
    """
    # ``import ikueval`` binds this function (the package has the same name), so the
    # modules it needs are imported at its first call, not by every program
    from .alternatives import Alternatives
    from .categories import with_category_checks
    from .claims import printed_figures
    from .contradictions import with_contradictions
    from .verdicts import Reconciliation, judge

    alternatives = Alternatives(ruleset, ledger)
    judged = [
        judge(
            figure,
            alternatives.of(figure),
            alternatives.rounding(figure),
            alternatives.tries(figure),
        )
        for figure in printed_figures(ruleset, publication)
    ]
    rounding = ruleset.rounding
    return Reconciliation(
        ruleset=ruleset.id,
        document=publication.document,
        title=publication.title,
        period=publication.period,
        rounding=f"{rounding.mode.value} to {rounding.places} places",
        figures=with_category_checks(ruleset, with_contradictions(judged)),
        tables={t.id: t.title for t in publication.tables},
    )
