"""Checks of what a rule set declares besides its indicators: its years, rounding and
cap, unique ids, the documents of ``[targets] precedence``, dimensions, scales, and the
budgets of activities and sub-units."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Final

from .._decimals import is_decimal_text
from .._events import FIELDS as EVENT_FIELDS
from .._model import Activity, Budget, Document, Indicator, Objective, RuleSet, Subunit
from .findings import Finding
from .known_names import Known
from .toml_positions import Path

#: Most decimal places a rule set (or an indicator) may round to.
MAX_PLACES: Final = 10


#: The longest name of a dimension, in characters. It is a column name of event
#: files (``gender``, ``channel``), written once in a file's header, but the
#: trail of every figure repeats it for each part (each row of different
#: dimensions) it lists: its length multiplies the output. At 64 characters the
#: JSON of an evaluation stays within 128 bytes per byte of input (docs/limits.md,
#: "Output"); a name of 5,000 characters made 48 MB of JSON from 75 KB.
MAX_DIMENSION_NAME_CHARS: Final = 64


def check_meta(ruleset: RuleSet) -> Iterator[Finding]:
    years = ruleset.ruleset.years
    if not years:
        yield Finding(("ruleset", "years"), "list at least one year, e.g. years = [2025]")
    for index, year in enumerate(years):
        if not 1900 <= year <= 2999:
            yield Finding(("ruleset", "years", index), f"{year} is not a plausible year")
    if len(set(years)) != len(years):
        yield Finding(("ruleset", "years"), "a year is listed twice")
    if not 0 <= ruleset.rounding.places <= MAX_PLACES:
        yield Finding(
            ("rounding", "places"),
            f"places must be 0..{MAX_PLACES}, found {ruleset.rounding.places}",
        )
    cap = ruleset.achievement.cap
    if cap is not None and cap < 100:
        yield Finding(
            ("achievement", "cap"),
            f"a cap of {cap}% is below 100%: no indicator could be fully achieved",
        )
    if ruleset.rollups is not None and not ruleset.indicators:
        yield Finding(("rollups",), "roll-ups need indicators")


def check_duplicates(ruleset: RuleSet) -> Iterator[Finding]:
    tables: tuple[
        tuple[str, Sequence[Indicator | Document | Objective | Activity | Subunit]], ...
    ] = (
        ("indicators", ruleset.indicators),
        ("documents", ruleset.documents),
        ("objectives", ruleset.objectives),
        ("activities", ruleset.activities),
        ("subunits", ruleset.subunits),
    )
    for table, items in tables:
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                yield Finding(
                    (table, index, "id"),
                    f"duplicate id {item.id!r} (first used by entry {seen[item.id] + 1} of "
                    f"[[{table}]])",
                )
            else:
                seen[item.id] = index


def check_precedence(ruleset: RuleSet, known: Known) -> Iterator[Finding]:
    for index, document in enumerate(ruleset.targets.precedence):
        if document not in known.documents:
            yield Finding(
                ("targets", "precedence", index),
                f"unknown document {document!r}",
                hint=known.hint(document, known.documents),
            )


def check_dimensions_and_scales(ruleset: RuleSet) -> Iterator[Finding]:
    for name, dimension in ruleset.dimensions.items():
        if len(name) > MAX_DIMENSION_NAME_CHARS:
            yield Finding(
                ("dimensions", name),
                f"the name has {len(name)} characters; the name of a dimension, a column "
                f"of event files, may have at most {MAX_DIMENSION_NAME_CHARS}",
                hint="choose a shorter name: its label can say more",
            )
        if name in (*EVENT_FIELDS, "dimensions"):
            yield Finding(
                ("dimensions", name),
                f"{name!r} is an event field, so a column of that name is not a dimension",
                hint="choose another name",
            )
        if not dimension.values:
            yield Finding(("dimensions", name, "values"), "list the values of the dimension")
        duplicated = [v for v, n in Counter(dimension.values).items() if n > 1]
        if duplicated:
            yield Finding(("dimensions", name, "values"), f"{duplicated[0]!r} is listed twice")
    for name, scale in ruleset.scales.items():
        if not scale.levels:
            yield Finding(("scales", name, "levels"), "a scale needs at least one level")
        labels = [level.label for level in scale.levels]
        for index, level in enumerate(scale.levels):
            if labels.count(level.label) > 1:
                yield Finding(
                    ("scales", name, "levels", index, "label"), f"{level.label!r} is listed twice"
                )
            if is_decimal_text(level.label):
                yield Finding(
                    ("scales", name, "levels", index, "label"),
                    f"a category label cannot be a number ({level.label!r}); numbers are scores",
                )
        scores = [level.score for level in scale.levels]
        if scores != sorted(scores):
            yield Finding(
                ("scales", name, "levels"), "levels are listed lowest first: scores must not fall"
            )
        for index, level in enumerate(scale.levels):
            if level.min is not None and level.above is not None:
                yield Finding(
                    ("scales", name, "levels", index),
                    "a level starts at its min or above a value, not both",
                    hint="min = 80 places 80 in the level; above = 80 places 80 below it",
                )
        # a level starting at 80 (min) comes before one starting just above 80 (above)
        starts = [
            (level.threshold, level.min is None)
            for level in scale.levels
            if level.threshold is not None
        ]
        if any(later <= earlier for earlier, later in pairwise(starts)):
            what = "min or above" if any(lv.above is not None for lv in scale.levels) else "min"
            yield Finding(("scales", name, "levels"), f"the {what} of each level must rise")


def _budget(ruleset: RuleSet, known: Known, at: Path, budget: Budget) -> Iterator[Finding]:
    """Check the budget of an activity or a sub-unit found at ``at``."""
    if budget.year is None and len(ruleset.years) > 1:
        yield Finding(
            (*at, "budget"),
            "a rule set of several years needs the year of each budget",
            hint="add year = ... to the budget",
        )
    elif budget.year is not None and budget.year not in ruleset.years:
        yield Finding((*at, "budget", "year"), f"{budget.year} is not a year of the rule set")
    if budget.document not in known.documents:
        yield Finding(
            (*at, "budget", "document"),
            f"unknown document {budget.document!r}",
            hint=known.hint(budget.document, known.documents),
        )
    if budget.ceiling < 0:
        yield Finding((*at, "budget", "ceiling"), "a budget cannot be negative")


def check_activities(ruleset: RuleSet, known: Known) -> Iterator[Finding]:
    for index, activity in enumerate(ruleset.activities):
        if activity.budget is not None:
            yield from _budget(ruleset, known, ("activities", index), activity.budget)


def check_subunits(ruleset: RuleSet, known: Known) -> Iterator[Finding]:
    for index, subunit in enumerate(ruleset.subunits):
        if subunit.budget is not None:
            yield from _budget(ruleset, known, ("subunits", index), subunit.budget)
