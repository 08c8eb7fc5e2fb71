"""Categories derived from numbers: a score and the category of a declared scale.

An indicator such as the budget performance value (*Nilai Kinerja Anggaran*)
is published as a score and a category ("94,48 Sangat Baik"). With
``category_scale`` the category is computed from the score, never typed in:
:func:`categorise` places a number on the scale's levels and records the band
that places it there, so that the trail shows, and ``audit.replay`` checks,
why 94.48 is "Sangat Baik" (more than 90).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

import attrs

from ._model import Indicator, Level, RuleSet, Scale
from ._results import Category, Realisation, Status, Target


def categorise(name: str, scale: Scale, value: Decimal) -> Category | None:
    """The category of a number on a scale, with its band (None below every level).

    Args:
        name: the scale's name, recorded in the category.
        scale: the scale.
        value: the number.
    """
    level = scale.classify(value)
    return None if level is None else band(name, scale, level)


def band(name: str, scale: Scale, level: Level) -> Category:
    """The category of a level of a scale, with the band of numbers it holds: from the
    level's start to the start of the next level."""
    upper = scale.next_after(level)
    return Category(
        scale=name,
        label=level.label,
        min=level.min,
        above=level.above if level.min is None else None,
        below=upper.min if upper is not None else None,
        up_to=upper.above if upper is not None and upper.min is None else None,
    )


F = TypeVar("F", Realisation, Target)


def with_category(ruleset: RuleSet, indicator: Indicator, figure: F) -> F:
    """A computed numeric realisation or target with the category of its value on the
    indicator's ``category_scale`` (the figure unchanged without one)."""
    name = indicator.category_scale
    scale = ruleset.scales.get(name) if name else None
    if (
        name is None
        or scale is None
        or figure.status is not Status.COMPUTED
        or not isinstance(figure.value, Decimal)
    ):
        return figure
    return attrs.evolve(figure, category=categorise(name, scale, figure.value))
