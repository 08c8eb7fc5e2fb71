"""Checks of targets written as the values of the formula's inputs (``target_inputs``).

A rate target such as 162 deaths per 100,000 births is written as its inputs,
``{ deaths = 162, births = 100_000 }``, and its value is the indicator's
formula applied to them (and to its parameters). Such a target needs an
indicator with a formula; its document, slot and inputs must exist, every
input the formula uses must have a value, the slot must not also be written as
a figure, and the formula must have a value for them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from .._errors import IkuEvalError
from .._model import Indicator, RuleSet
from .._periods import Period, parse_slot
from .._targets import TargetEntry, computed_target
from .._units import UnitKind, unit_kind
from .findings import Finding
from .toml_positions import Path


def slot_period(
    ruleset: RuleSet, where: Path, slot: str, read: dict[str, Period | str] | None = None
) -> Period | Finding:
    """The period of a target slot (``annual``, ``Q2``, ``2025-Q2``) in the rule set's
    years, or the finding that refuses it; ``where`` is the slot's key path. ``read``
    keeps the slots read so far in this check (their periods, or why they are refused,
    for the same rule set):
    a rule set of thousands of indicators writes the same few slots in each."""
    period: Period | str | None = None if read is None else read.get(slot)
    if period is None:
        try:
            period = parse_slot(slot, ruleset.years)
        except IkuEvalError as exc:
            period = exc.problems[0].message
        else:
            if period.year not in ruleset.years:
                years = ", ".join(str(y) for y in ruleset.years)
                period = f"{period.label} is outside the rule set's years ({years})"
        if read is not None:
            read[slot] = period
    if isinstance(period, str):
        return Finding(where, period)
    return period


def check_target_inputs(
    ruleset: RuleSet,
    documents: Collection[str],
    at: Path,
    indicator: Indicator,
    entries: list[TargetEntry],
    hint: Callable[[str, Collection[str]], str | None],
) -> Iterator[Finding]:
    """Problems of an indicator's ``target_inputs``; the valid ones are appended to
    ``entries``; ``hint`` suggests names."""
    if not indicator.target_inputs:
        return
    if indicator.formula is None or not indicator.inputs:
        yield Finding(
            (*at, "target_inputs"),
            "a target written as inputs needs an indicator with inputs and a formula",
            hint="write the target as a figure in targets, or declare inputs and a formula",
        )
        return
    names = sorted(indicator.inputs)
    used = sorted(name for name in indicator.formula.names if name in indicator.inputs)
    for document, slots in indicator.target_inputs.items():
        if document not in documents:
            yield Finding(
                (*at, "target_inputs", document),
                f"unknown document {document!r}: declare it in [[documents]]",
                hint=hint(document, sorted(documents)),
            )
        for slot, inputs in slots.items():
            where: Path = (*at, "target_inputs", document, slot)
            period = slot_period(ruleset, where, slot)
            if isinstance(period, Finding):
                yield period
                continue
            if slot in indicator.targets.get(document, {}):
                yield Finding(
                    where,
                    f"the target of {slot} in {document} is also written as a figure in targets",
                    hint="keep one of the two",
                )
                continue
            unknown = [name for name in inputs if name not in indicator.inputs]
            for name in unknown:
                yield Finding(
                    (*where, name),
                    f"{name!r} is not an input of {indicator.id} ({', '.join(names)})",
                    hint=hint(name, names),
                )
            lacking = [name for name in used if name not in inputs]
            if lacking:
                yield Finding(
                    where,
                    f"the formula {indicator.formula.expression!r} needs a value for "
                    + ", ".join(lacking),
                )
            if unknown or lacking:
                continue
            try:
                value = computed_target(indicator, inputs)
            except IkuEvalError as exc:
                yield Finding(where, exc.problems[0].message.removeprefix(f"{indicator.id}: "))
                continue
            if value < 0 and unit_kind(indicator.unit) in (UnitKind.COUNT, UnitKind.SCORE):
                yield Finding(where, f"the target {value} in {indicator.unit!r} is negative")
                continue
            entries.append(TargetEntry(period, value, document, slot, inputs))
