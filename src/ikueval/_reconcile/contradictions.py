"""Contradictions: figures of one report that claim the same thing, printed differently.

Figures claim the same thing when their claims are equal: the same kind of
figure, of the same indicator, activity or group, for the same period, span or
basis, in the same unit. A figure that no computation reproduces and that
another such figure contradicts becomes a ``contradiction``; any other figure
keeps its verdict, and its reason names the figures printed differently.

A report may print one claim in any number of cells, so a figure names at most
:data:`MAX_NAMED` of the figures printed differently (the first in the file),
each by its table and its text shortened to :data:`MAX_NAMED_CHARS`, and
counts them all (:attr:`~.verdicts.Reconciled.printed_differently`). The work
and the text grow with the figures, not with the figures squared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from .._errors import echo
from .claims import Claim, FigureRef
from .verdicts import Reconciled, Verdict

#: Figures printed differently that a figure's reason names (and its
#: ``contradicts`` holds): the first in the file. A real report prints a figure
#: in three or four places (Tables 1, 3, 4 and 18 of the example); beyond that,
#: naming them all under each of them would grow as their number squared, so
#: the rest are counted.
MAX_NAMED: Final = 3
#: The longest table id or printed text a reason repeats when it names another
#: figure: a longer one is named by its start, its length and its end. The
#: example's longest are 24 characters (``teks-ringkasan-eksekutif``).
MAX_NAMED_CHARS: Final = 40

#: What makes two printed figures say the same (12,5 and 12,50 do): the number,
#: the category, or None for "-".
_Value = Decimal | str | None


class _Claimed:
    """The figures of one claim, as far as naming them needs: how many print each
    value, and the first :data:`MAX_NAMED` figures of each of the first
    ``MAX_NAMED + 1`` values printed (in the order of the file)."""

    __slots__ = ("counts", "first", "total")

    def __init__(self) -> None:
        self.total = 0
        self.counts: dict[_Value, int] = {}
        self.first: dict[_Value, list[tuple[int, FigureRef]]] = {}

    def add(self, index: int, value: _Value, ref: FigureRef) -> None:
        self.total += 1
        self.counts[value] = self.counts.get(value, 0) + 1
        if value not in self.first:
            if len(self.first) > MAX_NAMED:
                return
            self.first[value] = []
        firsts = self.first[value]
        if len(firsts) < MAX_NAMED:
            firsts.append((index, ref))

    def differently(self, value: _Value) -> int:
        """How many figures print another value than ``value``."""
        return self.total - self.counts[value]

    def named(self, value: _Value) -> tuple[FigureRef, ...]:
        """The first :data:`MAX_NAMED` figures, in the order of the file, printing another
        value than ``value``.

        Each is among the first ``MAX_NAMED`` of its value, and its value among the
        first ``MAX_NAMED + 1`` printed: any other has ``MAX_NAMED`` figures printed
        differently before it.
        """
        others = sorted(
            (
                found
                for printed, firsts in self.first.items()
                if printed != value
                for found in firsts
            ),
            key=lambda found: found[0],
        )
        return tuple(ref for _, ref in others[:MAX_NAMED])


def with_contradictions(judged: Sequence[Reconciled]) -> tuple[Reconciled, ...]:
    """The figures, each with the figures claiming the same thing printed differently."""
    by_claim: dict[Claim, _Claimed] = {}
    for index, item in enumerate(judged):
        by_claim.setdefault(item.claim, _Claimed()).add(index, item.printed.value, item.figure)
    contradicted = []
    for item in judged:
        claimed = by_claim[item.claim]
        value = item.printed.value
        contradicted.append(_contradicted(item, claimed.named(value), claimed.differently(value)))
    return tuple(contradicted)


def _contradicted(item: Reconciled, named: tuple[FigureRef, ...], count: int) -> Reconciled:
    if not count:
        return item
    listed = _and([f"{name(o.table)} ({name(o.text)})" for o in named], count - len(named))
    if item.verdict is Verdict.NOT_REPRODUCED:
        claims = "claims" if count == 1 else "claim"
        reason = f"contradicts {listed}, which {claims} the same figure; {item.reason}"
        verdict = Verdict.CONTRADICTION
    else:
        prints = "prints" if count == 1 else "print"
        reason = f"{item.reason}; {listed} {prints} the same figure differently"
        verdict = item.verdict
    return attrs.evolve(
        item, verdict=verdict, reason=reason, contradicts=named, printed_differently=count
    )


def name(text: str) -> str:
    """A table id or a printed text as a reason names another figure by it (at most
    :data:`MAX_NAMED_CHARS` characters, else its start, length and end)."""
    return echo(text, MAX_NAMED_CHARS)


def _and(items: Iterable[str], more: int = 0) -> str:
    """``a``, ``a and b``, ``a, b and c``; ``a, b, c and 2 other figures``."""
    listed = list(items)
    if more:
        listed.append(f"{more} other figure{'s' if more != 1 else ''}")
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
