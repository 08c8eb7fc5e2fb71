"""The names a rule set's references may use, and "did you mean" hints for the others,
within a budget."""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from attrs import field, frozen

from .._periods import Period
from .._suggest import did_you_mean

#: The most names compared for "did you mean" hints in one check of a rule set.
#: A hint compares the unknown name with every name it could have meant, so a
#: file with thousands of unknown references among thousands of names would
#: take minutes; 100,000 comparisons take about a fifth of a second. Past the
#: budget, problems are reported without their hint.
MAX_HINT_COMPARISONS: Final = 100_000


class Hints:
    """ "Did you mean" hints, within a budget of :data:`MAX_HINT_COMPARISONS` per check."""

    __slots__ = ("remaining",)

    def __init__(self) -> None:
        self.remaining = MAX_HINT_COMPARISONS

    def __call__(self, word: str, choices: Collection[str]) -> str | None:
        if len(choices) > self.remaining:
            return None
        self.remaining -= len(choices)
        return did_you_mean(word, choices)


@frozen
class Known:
    """The names a reference may use, and the hints for those it may not."""

    documents: frozenset[str]
    objectives: frozenset[str]
    activities: frozenset[str]
    dimensions: frozenset[str]
    scales: frozenset[str]
    subunits: frozenset[str]
    indicators: frozenset[str]
    hint: Hints
    slots: dict[str, Period | str] = field(factory=dict)
    """The target slots read so far in this check (:func:`.target_inputs.slot_period`)."""
