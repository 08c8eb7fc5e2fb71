"""The verdict on one printed figure: the computation it matches, and why.

Each computation is rounded the way a published figure is (achievements,
roll-ups and absorptions to the rule set's places with its mode; counts and
amounts only past those places) and compared with the printed figure. When the
claimed computation does not give it, every other computation is tried with
the declared rounding and with every other rounding mode, to the rule set's
places or to the places the figure is printed with: the explanations with the
fewest changes (at most :data:`MAX_CHANGES`) are reported; without one, the
:data:`NEAREST` nearest computations are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs
from attrs import field, frozen

from .._decimals import RoundingMode, distance, plain, round_figure
from .._model import Rounding, frozen_mapping
from .._publication import Printed
from .claims import Claim, FigureRef, PrintedFigure
from .computation import Computation, Trail
from .verdict import Verdict as Verdict

#: Most changes an explanation may combine (basis and rounding, say).
MAX_CHANGES: Final = 2
#: Nearest candidates shown for a figure no computation reproduces.
NEAREST: Final = 3

#: How a change of rounding mode is named in an explanation.
MODE_WORDS: Final = {
    RoundingMode.HALF_UP: "rounded half-up",
    RoundingMode.DOWN: "rounded down (truncated)",
    RoundingMode.HALF_EVEN: "rounded half-even",
}


@frozen
class Candidate:
    """A computation a printed figure is compared with, as compared.

    Args:
        description: what is computed, with the formula and values.
        changes: how it differs from what the figure claims (none for the claim).
        value: the unrounded value (a category, or None for "no figure").
        shown: the value as it is compared: rounded as ``rounding`` says.
        rounding: the rounding applied, in words.
        trail: the engine's figure behind it, with its audit trail, when there
            is one (a renderer serialises it).
    """

    description: str
    changes: tuple[str, ...] = ()
    value: Decimal | str | None = None
    shown: str | None = None
    rounding: str | None = None
    trail: Trail | None = None


@frozen
class Reconciled:
    """The verdict on one printed figure, with its reason and the computations behind it.

    Args:
        contradicts: the figures its reason names as contradicting it: the first
            few of those claiming the same thing printed differently (at most
            :data:`~ikueval._reconcile.contradictions.MAX_NAMED`), and the score or
            category printed in its own row that disagrees with it.
        printed_differently: how many figures claim the same thing and print it
            differently, named or not.
    """

    figure: FigureRef
    claim: Claim
    printed: Printed
    verdict: Verdict
    reason: str
    computed: Candidate
    explanations: tuple[Candidate, ...] = ()
    nearest: tuple[Candidate, ...] = ()
    contradicts: tuple[FigureRef, ...] = ()
    printed_differently: int = 0


@frozen
class Reconciliation:
    """Every figure of a publication with its verdict."""

    ruleset: str
    document: str
    title: str | None
    period: str
    rounding: str
    figures: tuple[Reconciled, ...]
    tables: Mapping[str, str] = field(factory=dict, converter=frozen_mapping)
    """Table id -> title, in the order of the publication."""

    def counts(self) -> dict[Verdict, int]:
        """How many figures got each verdict."""
        counted = dict.fromkeys(Verdict, 0)
        for figure in self.figures:
            counted[figure.verdict] += 1
        return counted

    @property
    def all_match(self) -> bool:
        """Whether every figure is a plain match."""
        return all(f.verdict is Verdict.MATCH for f in self.figures)

    def only(self, tables: Iterable[str]) -> Reconciliation:
        """The same reconciliation, showing the figures of some tables only."""
        wanted = set(tables)
        return attrs.evolve(
            self,
            figures=tuple(f for f in self.figures if f.figure.table in wanted),
            tables={k: v for k, v in self.tables.items() if k in wanted},
        )


def judge(
    figure: PrintedFigure,
    computations: Sequence[Computation],
    rounding: Rounding,
    tried: Sequence[Candidate] | None = None,
) -> Reconciled:
    """The verdict on a figure from its computations, the claimed one first.

    Contradictions with other figures are found afterwards
    (:func:`~ikueval._reconcile.contradictions.with_contradictions`).

    Args:
        figure: the printed figure.
        computations: its computations, the claimed one first.
        rounding: how they are rounded.
        tried: :func:`tries` of the computations for the figure's places, when
            already made (the figures of one claim share them).
    """
    printed, claimed = figure.printed, computations[0]
    computed = candidate(claimed, rounding)
    reconciled = Reconciled(figure.ref, figure.claim, printed, Verdict.MATCH, "", computed)
    if matches(computed, printed):
        return attrs.evolve(reconciled, reason=_match_reason(computed))
    if tried is None:
        tried = tries(computations, rounding, printed.places)
    found = [c for c in tried if matches(c, printed)]
    if found:
        fewest = min(len(c.changes) for c in found)
        best = tuple(c for c in found if len(c.changes) == fewest)
        alternatives = "; or ".join(
            f"{' and '.join(c.changes)} ({c.description} = {c.shown})" for c in best
        )
        reason = (
            f"the claimed computation gives {_shown(computed)}; the printed figure matches "
            f"{alternatives}"
        )
        return attrs.evolve(
            reconciled, verdict=Verdict.OTHER_COMPUTATION, reason=reason, explanations=best
        )
    near = nearest(computations, printed, rounding)
    listed = "; ".join(f"{c.description} = {c.shown}" for c in near) or "none"
    if printed.value is None:
        reason = f"printed '-' (no figure), but the data give {_shown(computed)}"
    else:
        reason = (
            f"no computation ikueval knows gives {printed.text}; the claimed one gives "
            f"{_shown(computed)}; nearest: {listed}"
        )
    return attrs.evolve(reconciled, verdict=Verdict.NOT_REPRODUCED, reason=reason, nearest=near)


def candidate(
    computation: Computation,
    rounding: Rounding,
    extra: tuple[str, ...] = (),
    mode: RoundingMode | None = None,
    places: int | None = None,
) -> Candidate:
    """A computation as compared: rounded (by default as the rule set rounds) when it rounds.

    Args:
        computation: the computation.
        rounding: the rule set's rounding.
        extra: the changes of rounding, in words.
        mode: another rounding mode.
        places: other decimal places.
    """
    mode = mode or rounding.mode
    places = rounding.places if places is None else places
    value = computation.value
    changes = computation.changes + extra
    if not isinstance(value, Decimal):
        shown = value if isinstance(value, str) else None
        return Candidate(computation.description, changes, value, shown, None, computation.trail)
    shown_value, words = value, None
    if computation.rounds and not (computation.counts and _places(value) <= places):
        shown_value = round_figure(value, mode, places)
        words = f"{mode.value} to {places} place{'s' if places != 1 else ''}"
    return Candidate(
        computation.description, changes, value, plain(shown_value), words, computation.trail
    )


def tries(
    computations: Sequence[Computation], rounding: Rounding, printed_places: int
) -> tuple[Candidate, ...]:
    """Every computation with every rounding tried on a figure printed with
    ``printed_places`` decimal places, as compared: the claimed computation with the
    declared rounding excepted, and at most :data:`MAX_CHANGES` changes in all."""
    tried = []
    for computation in computations:
        for mode, places, changes in _roundings(computation, printed_places, rounding):
            if not computation.changes and not changes:
                continue  # the claimed computation itself
            if len(computation.changes) + len(changes) > MAX_CHANGES:
                continue
            tried.append(candidate(computation, rounding, changes, mode, places))
    return tuple(tried)


def _roundings(
    computation: Computation, printed_places: int, rounding: Rounding
) -> list[tuple[RoundingMode, int, tuple[str, ...]]]:
    """The declared rounding, then every other mode to the declared or printed places."""
    roundings: list[tuple[RoundingMode, int, tuple[str, ...]]] = [
        (rounding.mode, rounding.places, ())
    ]
    if not isinstance(computation.value, Decimal) or not computation.rounds:
        return roundings
    for mode in RoundingMode:
        for places in sorted({rounding.places, printed_places}):
            if (mode, places) == (rounding.mode, rounding.places):
                continue
            words: list[str] = []
            if mode is not rounding.mode:
                words.append(MODE_WORDS[mode])
            if places != rounding.places:
                unit = "place" if places == 1 else "places"
                words.append(f"printed to {places} decimal {unit}")
            roundings.append((mode, places, tuple(words)))
    return roundings


def nearest(
    computations: Sequence[Computation], printed: Printed, rounding: Rounding
) -> tuple[Candidate, ...]:
    """The computations nearest to a printed number, each shown once."""
    if not isinstance(printed.value, Decimal):
        return ()
    target = printed.value
    numeric = [c for c in computations if isinstance(c.value, Decimal)]
    ranked = sorted(numeric, key=lambda c: (_distance(c.value, target), len(c.changes)))
    seen: set[str] = set()
    chosen = []
    for computation in ranked:
        near = candidate(computation, rounding)
        if near.shown in seen:
            continue
        seen.add(near.shown or "")
        chosen.append(near)
        if len(chosen) == NEAREST:
            break
    return tuple(chosen)


def matches(candidate: Candidate, printed: Printed) -> bool:
    """Whether a computation, as compared, gives the printed figure."""
    if printed.value is None:
        return candidate.value is None
    if isinstance(printed.value, str):
        return candidate.value == printed.value
    return (
        candidate.shown is not None
        and isinstance(candidate.value, Decimal)
        and Decimal(candidate.shown) == printed.value
    )


def _distance(value: Decimal | str | None, target: Decimal) -> Decimal:
    return distance(value, target) if isinstance(value, Decimal) else Decimal("Infinity")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _shown(candidate: Candidate) -> str:
    if candidate.value is None:
        return "no figure"
    return candidate.shown or str(candidate.value)


def _match_reason(candidate: Candidate) -> str:
    if candidate.value is None:
        return f"matches: {candidate.description}"
    rounding = f", rounded {candidate.rounding}" if candidate.rounding else ""
    return f"matches {candidate.shown}: {candidate.description}{rounding}"
