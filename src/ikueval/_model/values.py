"""What a target or a value can be: a number, a category of a scale, a range;
and the ordered scales categories belong to."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from .._decimals import plain


@frozen
class TargetRange:
    """A target band: the realisation should lie from ``min`` to ``max`` (80..90).

    Written in a target slot as ``{ min = 80, max = 90 }``; compared with a
    realisation by the rule set's (or the indicator's) ``range`` rule.
    """

    min: Decimal
    max: Decimal

    def __str__(self) -> str:
        return f"{plain(self.min)}..{plain(self.max)}"


TargetValue = Decimal | str
"""A value: a number in the indicator's unit, or a category of its scale."""

TargetFigure = Decimal | str | TargetRange
"""A target: a number in the indicator's unit, a category of its scale, or a range."""


@frozen
class Level:
    """One category of an ordered scale.

    Args:
        label: the category as written (``"Baik"``).
        score: the number an achievement compares (realised score / target score).
        min: the lowest numeric value in this category, to map numeric
            realisations onto the scale.
        above: the value this category's numbers lie above (the category
            starts just past it: "more than 80"), instead of ``min``.
    """

    label: str
    score: Decimal
    min: Decimal | None = None
    above: Decimal | None = None

    @property
    def threshold(self) -> Decimal | None:
        """Where the level starts: its ``min`` or its ``above``."""
        return self.min if self.min is not None else self.above

    def admits(self, value: Decimal) -> bool:
        """Whether a number reaches this level: at least ``min``, more than ``above``
        (a level without either admits none)."""
        if self.min is not None:
            return value >= self.min
        return self.above is not None and value > self.above


@frozen
class Scale:
    """An ordered scale of categories, lowest first."""

    levels: tuple[Level, ...]
    label: str | None = None
    source: str | None = None

    def level(self, label: str) -> Level | None:
        """The level with this label, or None."""
        for level in self.levels:
            if level.label == label:
                return level
        return None

    def classify(self, value: Decimal) -> Level | None:
        """The level a numeric value falls in: the last (highest) level it reaches, at
        least its ``min`` or more than its ``above`` (None below every level)."""
        found = None
        for level in self.levels:
            if level.admits(value):
                found = level
        return found

    def next_after(self, level: Level) -> Level | None:
        """The next level that starts higher, which bounds ``level`` from above."""
        position = self.levels.index(level)
        return next((lv for lv in self.levels[position + 1 :] if lv.threshold is not None), None)
