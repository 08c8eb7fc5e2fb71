"""A printed category against the score printed beside it.

An indicator with a ``category_scale`` is printed as a score and its category
(``94,48`` and ``Baik``). The category follows from the score, so a row whose
category is not the category of its own printed score contradicts itself,
whatever the data say: 94,48 is "Sangat Baik" on the budget performance scale,
not "Baik". :func:`with_category_checks` finds every such pair (the category
and the score of the same indicator, figure kind, period and span, printed in
one row) and marks both figures, as :mod:`.contradictions` marks two figures
that claim the same thing: each names the other, and one that no computation
reproduces becomes a ``contradiction``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

from .._categories import categorise
from .._model import RuleSet
from .claims import Claim, Role
from .contradictions import name as named
from .verdicts import Reconciled, Verdict

#: The figure whose category each category claim states.
_SCORED: Final = {Role.CATEGORY: Role.REALISATION, Role.TARGET_CATEGORY: Role.TARGET}


def with_category_checks(ruleset: RuleSet, judged: Sequence[Reconciled]) -> tuple[Reconciled, ...]:
    """The figures, each printed category checked against the score printed in its row."""
    scores: dict[tuple[str, int, Claim], tuple[int, Reconciled]] = {}
    for index, item in enumerate(judged):
        if item.claim.role in _SCORED.values() and isinstance(item.printed.value, Decimal):
            scores.setdefault((item.figure.table, item.figure.row, item.claim), (index, item))
    flagged: dict[int, list[tuple[Reconciled, str]]] = {}
    for index, item in enumerate(judged):
        scored = _SCORED.get(item.claim.role)
        if scored is None or not isinstance(item.printed.value, str):
            continue
        claim = attrs.evolve(item.claim, role=scored)
        found = scores.get((item.figure.table, item.figure.row, claim))
        indicator = ruleset.indicator(item.claim.subject)
        name = indicator.category_scale if indicator else None
        scale = ruleset.scales.get(name) if name else None
        if found is None or name is None or scale is None:
            continue
        other, score = found
        assert isinstance(score.printed.value, Decimal)
        category = categorise(name, scale, score.printed.value)
        label = category.label if category else None
        if label == item.printed.value:
            continue
        placed = f"{label!r} on the scale {name}" if label else f"on no level of the scale {name}"
        flagged.setdefault(index, []).append(
            (score, f"the score printed in the same row, {named(score.printed.text)}, is {placed}")
        )
        flagged.setdefault(other, []).append(
            (
                item,
                f"the category printed in the same row, {named(item.printed.text)!r}, is not "
                f"that of {named(score.printed.text)} ({placed})",
            )
        )
    return tuple(
        _flag(item, flagged[index]) if index in flagged else item
        for index, item in enumerate(judged)
    )


def _flag(item: Reconciled, others: list[tuple[Reconciled, str]]) -> Reconciled:
    refs = tuple(other.figure for other, _ in others)
    why = "; ".join(text for _, text in others)
    contradicts = (*item.contradicts, *(r for r in refs if r not in item.contradicts))
    if item.verdict is Verdict.NOT_REPRODUCED:
        return attrs.evolve(
            item,
            verdict=Verdict.CONTRADICTION,
            reason=f"contradicts its own row: {why}; {item.reason}",
            contradicts=contradicts,
        )
    return attrs.evolve(item, reason=f"{item.reason}; {why}", contradicts=contradicts)
