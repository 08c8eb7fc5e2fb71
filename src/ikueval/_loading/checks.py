"""Semantic checks of a rule set: what a well-formed file can still get wrong.

Each check yields :class:`Finding` values that point at a key path of the
file; :mod:`ikueval._loading.rules` turns them into located problems. Errors
make a rule set unusable; warnings point at something a planner should look
at (an input declared and never used, quarterly targets that add up to more
than the annual one...).
"""

from __future__ import annotations

import keyword
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Final

from attrs import frozen

from .._achievement import LOWER_IS_BETTER, RANGE_RULES
from .._combining import METHODS
from .._decimals import is_decimal_text, plain
from .._errors import IkuEvalError, Severity
from .._events import FIELDS as EVENT_FIELDS
from .._formulas import FUNCTIONS
from .._model import (
    Activity,
    Aggregation,
    Budget,
    Direction,
    Document,
    Indicator,
    Objective,
    RuleSet,
    Subunit,
    TargetRange,
)
from .._periods import parse_slot
from .._suggest import did_you_mean
from .._targets import TargetEntry
from .._units import UnitKind, same_unit, unit_kind
from .composite_checks import check_composites, check_medium_term
from .findings import Finding
from .plan import check_plan
from .target_inputs import check_target_inputs
from .toml_positions import Path

#: Most decimal places a rule set (or an indicator) may round to.
MAX_PLACES: Final = 10

#: The most names compared for "did you mean" hints in one check of a rule set.
#: A hint compares the unknown name with every name it could have meant, so a
#: file with thousands of unknown references among thousands of names would
#: take minutes; 100,000 comparisons take about a fifth of a second. Past the
#: budget, problems are reported without their hint.
MAX_HINT_COMPARISONS: Final = 100_000

#: The longest name of a dimension, in characters. It is a column name of event
#: files (``gender``, ``channel``), written once in a file's header, but the
#: trail of every figure repeats it for each part (each row of different
#: dimensions) it lists: its length multiplies the output. At 64 characters the
#: JSON of an evaluation stays within 128 bytes per byte of input (docs/limits.md,
#: "Output"); a name of 5,000 characters made 48 MB of JSON from 75 KB.
MAX_DIMENSION_NAME_CHARS: Final = 64


class _Hints:
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
class _Known:
    """The names a reference may use, and the hints for those it may not."""

    documents: frozenset[str]
    objectives: frozenset[str]
    activities: frozenset[str]
    dimensions: frozenset[str]
    scales: frozenset[str]
    subunits: frozenset[str]
    indicators: frozenset[str]
    hint: _Hints


def check_ruleset(ruleset: RuleSet) -> list[Finding]:
    """Every semantic problem of a rule set, in file order."""
    known = _Known(
        documents=frozenset(d.id for d in ruleset.documents),
        objectives=frozenset(o.id for o in ruleset.objectives),
        activities=frozenset(a.id for a in ruleset.activities),
        dimensions=frozenset(ruleset.dimensions),
        scales=frozenset(ruleset.scales),
        subunits=frozenset(s.id for s in ruleset.subunits),
        indicators=frozenset(i.id for i in ruleset.indicators),
        hint=_Hints(),
    )
    findings = [
        *_meta(ruleset),
        *_duplicates(ruleset),
        *_precedence(ruleset, known),
        *_dimensions_and_scales(ruleset),
        *_activities(ruleset, known),
    ]
    entries: list[list[TargetEntry]] = []
    for index, indicator in enumerate(ruleset.indicators):
        entries.append([])
        findings.extend(_indicator(ruleset, known, index, indicator, entries[-1]))
    findings.extend(_subunits(ruleset, known))
    findings.extend(check_composites(ruleset, known.hint))
    findings.extend(check_medium_term(ruleset, entries, known.hint))
    findings.extend(check_plan(ruleset, entries))
    return findings


def _meta(ruleset: RuleSet) -> Iterator[Finding]:
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


def _duplicates(ruleset: RuleSet) -> Iterator[Finding]:
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


def _precedence(ruleset: RuleSet, known: _Known) -> Iterator[Finding]:
    for index, document in enumerate(ruleset.targets.precedence):
        if document not in known.documents:
            yield Finding(
                ("targets", "precedence", index),
                f"unknown document {document!r}",
                hint=known.hint(document, known.documents),
            )


def _dimensions_and_scales(ruleset: RuleSet) -> Iterator[Finding]:
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


def _budget(ruleset: RuleSet, known: _Known, at: Path, budget: Budget) -> Iterator[Finding]:
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


def _activities(ruleset: RuleSet, known: _Known) -> Iterator[Finding]:
    for index, activity in enumerate(ruleset.activities):
        if activity.budget is not None:
            yield from _budget(ruleset, known, ("activities", index), activity.budget)


def _indicator(
    ruleset: RuleSet, known: _Known, index: int, indicator: Indicator, valid: list[TargetEntry]
) -> Iterator[Finding]:
    at: Path = ("indicators", index)
    yield from _references(ruleset, known, at, indicator)
    yield from _formula(known, at, indicator)
    yield from _direction_and_scale(ruleset, known, at, indicator)
    yield from _targets(ruleset, known, at, indicator, valid)
    yield from _fit(at, indicator)


def _references(
    ruleset: RuleSet, known: _Known, at: Path, indicator: Indicator
) -> Iterator[Finding]:
    for key, wanted, names in (
        ("objective", indicator.objective, known.objectives),
        ("activity", indicator.activity, known.activities),
    ):
        if wanted is not None and wanted not in names:
            table = "objectives" if key == "objective" else "activities"
            yield Finding(
                (*at, key),
                f"unknown {key} {wanted!r}: declare it in [[{table}]]",
                hint=known.hint(wanted, names),
            )
    for position, name in enumerate(indicator.dimensions):
        if name not in known.dimensions:
            yield Finding(
                (*at, "dimensions", position),
                f"unknown dimension {name!r}: declare it in [dimensions.{name}]",
                hint=known.hint(name, known.dimensions),
            )
    if indicator.subunit is not None and indicator.subunit not in known.subunits:
        yield Finding(
            (*at, "subunit"),
            f"unknown sub-unit {indicator.subunit!r}: declare it in [[subunits]]",
            hint=known.hint(indicator.subunit, known.subunits),
        )
    if indicator.contributes_to is not None:
        yield from _contribution(ruleset, known, at, indicator)
    if indicator.bases is not None and len(set(indicator.bases)) != len(indicator.bases):
        yield Finding((*at, "bases"), "a basis is listed twice")
    if isinstance(indicator.cap, Decimal) and indicator.cap < 100:
        yield Finding(
            (*at, "cap"),
            f"a cap of {indicator.cap}% is below 100%: the indicator could never be fully achieved",
        )


def _contribution(
    ruleset: RuleSet, known: _Known, at: Path, indicator: Indicator
) -> Iterator[Finding]:
    head = ruleset.indicator(indicator.contributes_to or "")
    where = (*at, "contributes_to")
    if head is None:
        yield Finding(
            where,
            f"unknown indicator {indicator.contributes_to!r}",
            hint=known.hint(indicator.contributes_to or "", known.indicators),
        )
    elif indicator.subunit is None:
        yield Finding(where, "only an indicator of a sub-unit contributes to the head's")
    elif head.subunit is not None:
        yield Finding(where, f"{head.id} belongs to a sub-unit: contribute to the head's indicator")
    elif not same_unit(indicator.unit, head.unit):
        yield Finding(
            where,
            f"{indicator.id} is in {indicator.unit!r} and {head.id} in {head.unit!r}: "
            "targets in different units cannot add up",
        )


def _subunits(ruleset: RuleSet, known: _Known) -> Iterator[Finding]:
    for index, subunit in enumerate(ruleset.subunits):
        if subunit.budget is not None:
            yield from _budget(ruleset, known, ("subunits", index), subunit.budget)


def _formula(known: _Known, at: Path, indicator: Indicator) -> Iterator[Finding]:
    names = {*indicator.inputs, *indicator.parameters}
    for table, declared in (("inputs", indicator.inputs), ("parameters", indicator.parameters)):
        for name in declared:
            if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
                yield Finding(
                    (*at, table, name),
                    f"{name!r} cannot be used in a formula: use letters, digits and '_', "
                    "starting with a letter",
                )
            elif name in FUNCTIONS:
                yield Finding((*at, table, name), f"{name!r} is the name of a function")
    overlap = set(indicator.inputs) & set(indicator.parameters)
    for name in sorted(overlap):
        yield Finding((*at, "parameters", name), f"{name!r} is both an input and a parameter")
    if indicator.formula is None:
        if indicator.inputs:
            yield Finding(
                (*at, "inputs"),
                "an indicator with inputs needs a formula computing its realisation",
            )
        if indicator.parameters:
            yield Finding((*at, "parameters"), "parameters are only used by a formula")
        return
    if not indicator.inputs:
        yield Finding(
            (*at, "formula"),
            "a formula computes the realisation from inputs: declare them in inputs",
        )
    for name in sorted(indicator.formula.names - names):
        yield Finding(
            (*at, "formula"),
            f"the formula uses {name!r}, which is neither an input nor a parameter",
            hint=known.hint(name, names),
        )
    for table, declared in (("inputs", indicator.inputs), ("parameters", indicator.parameters)):
        for name in declared:
            usable = name.isidentifier() and name not in FUNCTIONS and not name.startswith("_")
            if usable and name not in indicator.formula.names:
                yield Finding(
                    (*at, table, name),
                    f"{name!r} is declared but the formula does not use it",
                    Severity.WARNING,
                )


def _direction_and_scale(
    ruleset: RuleSet, known: _Known, at: Path, indicator: Indicator
) -> Iterator[Finding]:
    formulas = " or ".join(f'"{formula.value}"' for formula in LOWER_IS_BETTER)
    if indicator.direction is Direction.LOWER and ruleset.lower_formula_of(indicator) is None:
        yield Finding(
            (*at, "direction"),
            "lower is better, but neither the indicator nor the rule set says which formula to use",
            hint=f"declare [achievement] lower_is_better = {formulas}, or lower_is_better on "
            "the indicator",
        )
    if indicator.lower_is_better is not None and indicator.direction is not Direction.LOWER:
        yield Finding(
            (*at, "lower_is_better"),
            f"{indicator.id} is higher-is-better: a lower-is-better formula would never be used",
            hint='remove lower_is_better, or declare direction = "lower"',
        )
    yield from _rounding(at, indicator)
    yield from _category_scale(ruleset, known, at, indicator)
    if indicator.scale is None:
        return
    if indicator.scale not in known.scales:
        yield Finding(
            (*at, "scale"),
            f"unknown scale {indicator.scale!r}: declare it in [scales.{indicator.scale}]",
            hint=known.hint(indicator.scale, known.scales),
        )
    if indicator.inputs or indicator.formula is not None:
        yield Finding((*at, "scale"), "a categorical indicator cannot have inputs or a formula")
    if indicator.dimensions:
        yield Finding(
            (*at, "dimensions"), "a categorical indicator cannot be broken down by dimensions"
        )
    for key, aggregation in (
        ("aggregation", indicator.aggregation),
        ("target_aggregation", indicator.target_aggregation),
    ):
        if aggregation is not None and not METHODS[aggregation].categories:
            yield Finding(
                (*at, key),
                f"categories cannot be {aggregation.value}: a categorical indicator is "
                + _either(m for m, method in METHODS.items() if method.categories),
            )


def _category_scale(
    ruleset: RuleSet, known: _Known, at: Path, indicator: Indicator
) -> Iterator[Finding]:
    name = indicator.category_scale
    if name is None:
        return
    where = (*at, "category_scale")
    scale = ruleset.scales.get(name)
    if scale is None:
        yield Finding(
            where,
            f"unknown scale {name!r}: declare it in [scales.{name}]",
            hint=did_you_mean(name, sorted(known.scales)),
        )
    elif indicator.scale is not None:
        yield Finding(
            where,
            f"{indicator.id} is categorical (scale = {indicator.scale!r}): its values are "
            "categories already",
            hint="category_scale is for a numeric indicator whose number has a category",
        )
    elif all(level.threshold is None for level in scale.levels):
        yield Finding(
            where,
            f"scale {name!r} cannot place a number: none of its levels has a min or above",
        )


def _rounding(at: Path, indicator: Indicator) -> Iterator[Finding]:
    rounding = indicator.rounding
    if rounding is None:
        return
    if rounding.mode is None and rounding.places is None:
        yield Finding(
            (*at, "rounding"),
            "an indicator's rounding gives places, mode or both",
            hint="e.g. rounding = { places = 0 }; leave it out to use [rounding]",
        )
    if rounding.places is not None and not 0 <= rounding.places <= MAX_PLACES:
        yield Finding(
            (*at, "rounding", "places"),
            f"places must be 0..{MAX_PLACES}, found {rounding.places}",
        )


def _targets(
    ruleset: RuleSet, known: _Known, at: Path, indicator: Indicator, entries: list[TargetEntry]
) -> Iterator[Finding]:
    """Problems of the targets; the valid ones are appended to ``entries``."""
    scale = ruleset.scales.get(indicator.scale) if indicator.scale else None
    for document, slots in indicator.targets.items():
        if document not in known.documents:
            yield Finding(
                (*at, "targets", document),
                f"unknown document {document!r}: declare it in [[documents]]",
                hint=known.hint(document, known.documents),
            )
        for slot, value in slots.items():
            where = (*at, "targets", document, slot)
            try:
                period = parse_slot(slot, ruleset.years)
            except IkuEvalError as exc:
                yield Finding(where, exc.problems[0].message)
                continue
            if period.year not in ruleset.years:
                years = ", ".join(str(y) for y in ruleset.years)
                yield Finding(where, f"{period.label} is outside the rule set's years ({years})")
                continue
            if isinstance(value, str):
                if scale is None:
                    yield Finding(
                        where,
                        f"{value!r} is text, but {indicator.id} is numeric",
                        hint="write numbers without quotes, or give the indicator a scale",
                    )
                    continue
                if scale.level(value) is None:
                    yield Finding(
                        where,
                        f"{value!r} is not a category of scale {indicator.scale!r} "
                        f"({', '.join(level.label for level in scale.levels)})",
                        hint=known.hint(value, [level.label for level in scale.levels]),
                    )
                    continue
            elif isinstance(value, TargetRange):
                problems = list(_range(ruleset, where, indicator, value))
                yield from problems
                if problems:
                    continue
            elif value < 0 and unit_kind(indicator.unit) in (UnitKind.COUNT, UnitKind.SCORE):
                yield Finding(where, f"a target in {indicator.unit!r} cannot be negative")
            entries.append(TargetEntry(period, value, document, slot))
    yield from check_target_inputs(ruleset, known.documents, at, indicator, entries, known.hint)
    yield from _conflicting_documents(ruleset, at, entries)
    ranges = any(isinstance(entry.value, TargetRange) for entry in entries)
    if indicator.range is not None and not ranges:
        yield Finding(
            (*at, "range"),
            f"{indicator.id} has no target range, so its range rule is never used",
            Severity.WARNING,
        )


def _range(
    ruleset: RuleSet, where: Path, indicator: Indicator, band: TargetRange
) -> Iterator[Finding]:
    """Problems of one target range."""
    if indicator.scale is not None:
        yield Finding(
            where,
            f"{indicator.id} is categorical: its targets are categories, not ranges",
        )
        return
    if band.min > band.max:
        yield Finding(
            where,
            f"the range's min {plain(band.min)} is above its max {plain(band.max)}",
            hint="write { min = LOWER, max = UPPER }",
        )
    elif band.min == band.max:
        yield Finding(
            where,
            f"the range's min and max are both {plain(band.min)}",
            hint=f"write the target as the number {plain(band.min)}",
        )
    if band.min < 0 and unit_kind(indicator.unit) in (UnitKind.COUNT, UnitKind.SCORE):
        yield Finding(where, f"a target in {indicator.unit!r} cannot be negative")
    if ruleset.range_rule_of(indicator) is None:
        rules = " or ".join(f'"{rule.value}"' for rule in RANGE_RULES)
        yield Finding(
            where,
            "a target range, but neither the indicator nor the rule set says how a realisation "
            "is compared with it",
            hint=f"declare [achievement] range = {rules}, or range on the indicator",
        )


def _conflicting_documents(
    ruleset: RuleSet, at: Path, entries: list[TargetEntry]
) -> Iterator[Finding]:
    by_period: dict[object, list[TargetEntry]] = {}
    for entry in entries:
        by_period.setdefault(entry.period, []).append(entry)
    precedence = set(ruleset.targets.precedence)
    for group in by_period.values():
        if len({e.value for e in group}) > 1 and not any(e.document in precedence for e in group):
            values = ", ".join(f"{e.document} gives {e.value}" for e in group)
            yield Finding(
                (*at, group[1].table, group[1].document, group[1].slot),
                f"documents disagree on the target for {group[0].period.label} ({values}) and "
                "[targets] precedence does not say which binds",
                hint="list the binding document first in [targets] precedence",
            )


def _fit(at: Path, indicator: Indicator) -> Iterator[Finding]:
    kind = unit_kind(indicator.unit)
    if indicator.inputs or not METHODS[indicator.aggregation].adds:
        return
    if kind in (UnitKind.PERCENT, UnitKind.SCORE):
        what = "percentages" if kind is UnitKind.PERCENT else "scores"
        others = _either(m for m, method in METHODS.items() if not method.adds)
        yield Finding(
            (*at, "aggregation"),
            f"{indicator.aggregation.value!r} adds {what} of successive periods, which rarely "
            "means anything",
            Severity.WARNING,
            hint=f"use {others}, or declare inputs (numerator, denominator) and a formula",
        )


def _either(methods: Iterable[Aggregation]) -> str:
    """Aggregation methods as a rule file writes them: ``'latest' or 'average'``."""
    return " or ".join(repr(method.value) for method in methods)
