"""Checks of one indicator: its references, its formula, its direction, scale and
rounding, whether its aggregation fits its unit, and its targets (:mod:`.target_checks`)."""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Iterator
from decimal import Decimal

from .._achievement import LOWER_IS_BETTER
from .._combining import METHODS
from .._errors import Severity
from .._formulas import FUNCTIONS
from .._model import Aggregation, Direction, Indicator, RuleSet
from .._suggest import did_you_mean
from .._targets import TargetEntry
from .._units import UnitKind, same_unit, unit_kind
from .declaration_checks import MAX_PLACES
from .findings import Finding
from .known_names import Known
from .target_checks import check_targets
from .toml_positions import Path


def check_indicator(
    ruleset: RuleSet, known: Known, index: int, indicator: Indicator, valid: list[TargetEntry]
) -> Iterator[Finding]:
    at: Path = ("indicators", index)
    yield from _references(ruleset, known, at, indicator)
    yield from _formula(known, at, indicator)
    yield from _direction_and_scale(ruleset, known, at, indicator)
    yield from check_targets(ruleset, known, at, indicator, valid)
    yield from _fit(at, indicator)


def _references(
    ruleset: RuleSet, known: Known, at: Path, indicator: Indicator
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
    ruleset: RuleSet, known: Known, at: Path, indicator: Indicator
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


def _formula(known: Known, at: Path, indicator: Indicator) -> Iterator[Finding]:
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
    ruleset: RuleSet, known: Known, at: Path, indicator: Indicator
) -> Iterator[Finding]:
    if indicator.direction is Direction.LOWER and ruleset.lower_formula_of(indicator) is None:
        formulas = " or ".join(f'"{formula.value}"' for formula in LOWER_IS_BETTER)
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
    ruleset: RuleSet, known: Known, at: Path, indicator: Indicator
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


def _fit(at: Path, indicator: Indicator) -> Iterator[Finding]:
    if indicator.inputs or not METHODS[indicator.aggregation].adds:
        return
    kind = unit_kind(indicator.unit)
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
