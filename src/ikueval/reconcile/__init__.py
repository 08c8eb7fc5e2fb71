"""Reconciliation: check every figure a report prints against what its data give.

For each printed figure, the column it stands in and its unit say what it
claims to be (a target over a span, an achievement on a basis, a roll-up, a
budget figure: :mod:`.claims`). The engine computes that claim, and the same
figure with one setting changed (:mod:`.alternatives`); ikueval gives one
verdict (:mod:`.verdicts`):

* ``match``: the claimed computation gives the printed figure;
* ``other_computation``: only another computation does, and the verdict names
  every change: another basis or span, another rounding mode or number of
  places, a cap, the other lower-is-better formula, a realisation printed as an
  achievement (or the reverse), a roll-up averaging the table's printed figures;
* ``contradiction``: no computation gives it, and another published figure
  that claims the same thing is printed differently (:mod:`.contradictions`);
* ``not_reproduced``: no computation ikueval knows gives it; the nearest
  candidates are shown, and no explanation is invented.

The search tries every single change and every pair of changes; the
explanations with the fewest changes are reported.
"""

from __future__ import annotations

from ..aggregation import Ledger
from ..model import RuleSet
from ..publication import Publication
from .alternatives import CAPS, Alternatives
from .categories import with_category_checks
from .claims import Claim, FigureRef, Role, printed_figures
from .contradictions import with_contradictions
from .verdicts import MAX_CHANGES, NEAREST, Candidate, Reconciled, Reconciliation, Verdict, judge

__all__ = [
    "CAPS",
    "MAX_CHANGES",
    "NEAREST",
    "Candidate",
    "Claim",
    "FigureRef",
    "Reconciled",
    "Reconciliation",
    "Role",
    "Verdict",
    "reconcile",
]


def reconcile(ruleset: RuleSet, ledger: Ledger, publication: Publication) -> Reconciliation:
    """Give every printed figure of a publication its verdict.

    Args:
        ruleset: the rule set the report is about.
        ledger: the events (see :func:`ikueval.build_ledger`).
        publication: the printed figures (:func:`ikueval.loading.load_publication`).
    """
    alternatives = Alternatives(ruleset, ledger)
    judged = [
        judge(figure, alternatives.of(figure), alternatives.rounding(figure))
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
