"""Contradictions: figures of one report that claim the same thing, printed differently.

Figures claim the same thing when their claims are equal: the same kind of
figure, of the same indicator, activity or group, for the same period, span or
basis, in the same unit. A figure that no computation reproduces and that
another such figure contradicts becomes a ``contradiction``; any other figure
keeps its verdict, and its reason names the figures printed differently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..publication import Printed
from .claims import Claim, FigureRef
from .verdicts import Reconciled, Verdict


def with_contradictions(judged: Sequence[Reconciled]) -> tuple[Reconciled, ...]:
    """The figures, each with the figures claiming the same thing printed differently."""
    by_claim: dict[Claim, list[Reconciled]] = {}
    for item in judged:
        by_claim.setdefault(item.claim, []).append(item)
    return tuple(
        _contradicted(
            item,
            tuple(
                other.figure
                for other in by_claim[item.claim]
                if other is not item and not _same_printed(other.printed, item.printed)
            ),
        )
        for item in judged
    )


def _contradicted(item: Reconciled, others: tuple[FigureRef, ...]) -> Reconciled:
    if not others:
        return item
    listed = _and(f"{o.table} ({o.text})" for o in others)
    if item.verdict is Verdict.NOT_REPRODUCED:
        claims = "claims" if len(others) == 1 else "claim"
        reason = f"contradicts {listed}, which {claims} the same figure; {item.reason}"
        return attrs.evolve(item, verdict=Verdict.CONTRADICTION, reason=reason, contradicts=others)
    prints = "prints" if len(others) == 1 else "print"
    reason = f"{item.reason}; {listed} {prints} the same figure differently"
    return attrs.evolve(item, reason=reason, contradicts=others)


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _same_printed(a: Printed, b: Printed) -> bool:
    """Whether two printed figures say the same (12,5 and 12,50 do)."""
    return a.value == b.value
