"""Checks of an indicator's targets: their documents and slots, their values (numbers,
categories of its scale, ranges), those written as inputs (:mod:`.target_inputs`), and
documents that disagree."""

from __future__ import annotations

from collections.abc import Iterator

from .._achievement import RANGE_RULES
from .._decimals import plain
from .._errors import Severity
from .._model import Indicator, RuleSet, TargetRange
from .._targets import TargetEntry
from .._units import UnitKind, unit_kind
from .findings import Finding
from .known_names import Known
from .target_inputs import check_target_inputs, slot_period
from .toml_positions import Path


def check_targets(
    ruleset: RuleSet, known: Known, at: Path, indicator: Indicator, entries: list[TargetEntry]
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
            period = slot_period(ruleset, where, slot, known.slots)
            if isinstance(period, Finding):
                yield period
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
    if len({entry.period for entry in entries}) == len(entries):
        return  # the usual case: no period has a target from two documents
    by_period: dict[object, list[TargetEntry]] = {}
    for entry in entries:
        by_period.setdefault(entry.period, []).append(entry)
    precedence = set(ruleset.targets.precedence)
    for group in by_period.values():
        if len(group) < 2:  # the usual case: one document gives the period a target
            continue
        if len({e.value for e in group}) > 1 and not any(e.document in precedence for e in group):
            values = ", ".join(f"{e.document} gives {e.value}" for e in group)
            yield Finding(
                (*at, group[1].table, group[1].document, group[1].slot),
                f"documents disagree on the target for {group[0].period.label} ({values}) and "
                "[targets] precedence does not say which binds",
                hint="list the binding document first in [targets] precedence",
            )
