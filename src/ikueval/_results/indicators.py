"""The result of one indicator: its realisations, targets and achievements, and its
comparisons with the medium-term target and the previous year."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from attrs import field, frozen

from .._model import (
    Aggregation,
    Basis,
    Direction,
    Rounding,
    frozen_mapping,
)
from .._spans import SpanName
from .figures import Achievement, Realisation, Target
from .statuses import Status


@frozen
class MediumTermComparison:
    """The realisation to date against the medium-term (Renstra) target.

    Args:
        status: computed, or why not (``not_applicable`` when the rule set
            declares no medium-term target).
        year: the year of the medium-term target (``[targets] medium_term``).
        document: the document it is taken from, when the rule set names one.
        achievement: the realisation to date against that target, with its
            whole trail (its ``basis`` is None: it is none of the four bases).
        value: the achievement, rounded (the same as ``achievement.value``).
    """

    status: Status
    year: int | None = None
    document: str | None = None
    achievement: Achievement | None = None
    value: Decimal | None = None
    reason: str | None = None


@frozen
class PreviousYearComparison:
    """The same span of the previous year: its realisation and achievement, and the change.

    Args:
        status: computed when both years have a numeric realisation to date, or
            why not (``not_applicable`` when the previous year is not a year of
            the rule set).
        period: the same period one year earlier (``2024-Q2``).
        realisation: the realisation to date of that year.
        achievement: that year's achievement to date against its annual target.
        change: this year's realisation to date minus that year's, exactly.
        growth_unrounded: the change in percent of that year's realisation.
        growth: ``growth_unrounded`` rounded.
        points_unrounded: this year's to_date achievement minus that year's, in
            percentage points, both unrounded.
        points: ``points_unrounded`` rounded.
        notes: why the growth or the points are missing.
    """

    status: Status
    rounding: Rounding
    period: str | None = None
    realisation: Realisation | None = None
    achievement: Achievement | None = None
    change: Decimal | None = None
    growth_unrounded: Decimal | None = None
    growth: Decimal | None = None
    points_unrounded: Decimal | None = None
    points: Decimal | None = None
    reason: str | None = None
    notes: tuple[str, ...] = ()


@frozen
class Comparisons:
    """What an LKj compares a realisation with besides its target (PermenPAN-RB 53/2014)."""

    medium_term: MediumTermComparison
    previous_year: PreviousYearComparison


@frozen
class IndicatorResult:
    """All figures of one indicator for the evaluated period."""

    id: str
    name: str
    unit: str
    aggregation: Aggregation
    direction: Direction
    objective: str | None
    activity: str | None
    realisations: Mapping[SpanName, Realisation] = field(converter=frozen_mapping)
    """The realisations of the spans that have one (see :data:`~ikueval._spans.SPANS`)."""
    targets: Mapping[SpanName, Target] = field(converter=frozen_mapping)
    """The targets of every span."""
    achievements: tuple[Achievement, ...]
    subunit: str | None = None
    rounding: Rounding | None = None
    """The indicator's own rounding, when it declares one (else the evaluation's)."""
    comparisons: Comparisons | None = None
    """Against the medium-term target and the previous year (None when not computed)."""

    def achievement(self, basis: Basis | str) -> Achievement:
        """The achievement on one basis (``Basis.TO_DATE`` or ``"to_date"``)."""
        wanted = Basis(basis)
        for achievement in self.achievements:
            if achievement.basis is wanted:
                return achievement
        raise KeyError(wanted.value)  # pragma: no cover - every basis is always present
