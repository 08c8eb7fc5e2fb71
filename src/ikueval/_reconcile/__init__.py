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

from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:
    from .alternatives import CAPS
    from .claims import Claim, FigureRef, Role
    from .run import reconcile
    from .verdict import Verdict
    from .verdicts import MAX_CHANGES, NEAREST, Candidate, Reconciled, Reconciliation

# Loaded when first used: the labels of the reports name the verdicts without
# loading the reconciliation.
__getattr__ = lazy_names(
    __name__,
    {
        "CAPS": ".alternatives",
        "Claim": ".claims",
        "FigureRef": ".claims",
        "Role": ".claims",
        "MAX_CHANGES": ".verdicts",
        "NEAREST": ".verdicts",
        "Candidate": ".verdicts",
        "Reconciled": ".verdicts",
        "Reconciliation": ".verdicts",
        "Verdict": ".verdict",
        "reconcile": ".run",
    },
)

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
