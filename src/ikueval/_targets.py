"""Targets: which declared target applies to a span, and from which document.

An indicator declares targets per document and slot (``annual``, ``Q2``,
``M04``...). When several documents give a target for the same period, the
rule set's ``[targets] precedence`` decides which one binds; the others are
kept as alternatives so that reports can show where the plan disagrees with
itself.

A target may be written as the values of the indicator's formula inputs
(``target_inputs``): its value is the formula applied to them and to the
indicator's parameters (a rate target of 162 per 100,000 written as 162 and
100,000), and the target of a span keeps that computation in its trail.

The target of a span is the target declared for exactly that period, or else
the aggregate of the targets of its parts: the year from its quarters, a
quarter from its months, and *to date* from the periods of the evaluated
granularity (Q1..Q2 for a quarter, January..May for a month).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from attrs import field, frozen

from ._combining import combine
from ._decimals import SUM_CONTEXT as EXACT
from ._decimals import without_exponent
from ._errors import RuleSetError
from ._formulas import Formula, FormulaUndefinedError
from ._model import Aggregation, FrozenMap, Indicator, RuleSet, TargetFigure
from ._periods import Granularity, Period, Span, parse_slot
from ._results import Aggregate, ComputedTarget, Part, Status, Target


def _optional_mapping(value: Mapping[str, Decimal] | None) -> Mapping[str, Decimal] | None:
    return None if value is None else FrozenMap(value)


@frozen
class TargetEntry:
    """A target as declared: its period, value, document and the slot key written.

    Args:
        inputs: for a target written as the values of the formula's inputs
            (``target_inputs``), those values; ``value`` is the formula's result.
    """

    period: Period
    value: TargetFigure
    document: str
    slot: str
    inputs: Mapping[str, Decimal] | None = field(default=None, converter=_optional_mapping)

    @property
    def table(self) -> str:
        """The indicator's key the entry is declared under: ``targets`` or ``target_inputs``."""
        return "targets" if self.inputs is None else "target_inputs"


@frozen
class TargetChoice:
    """The binding target of one period and every declared alternative."""

    chosen: TargetEntry
    alternatives: tuple[TargetEntry, ...]

    @property
    def disagreeing(self) -> tuple[TargetEntry, ...]:
        """Alternatives whose value differs from the chosen one."""
        return tuple(e for e in self.alternatives if e.value != self.chosen.value)


def declared_targets(ruleset: RuleSet, indicator: Indicator) -> list[TargetEntry]:
    """Every target the indicator declares, in file order: those written as figures,
    then those written as the values of the formula's inputs.

    Raises:
        PeriodError: when a slot key is not a valid slot for the rule set's years.
        RuleSetError: when a target written as inputs has no value (the formula is
            undefined for them, or the indicator has no formula).
    """
    entries = []
    for document, slots in indicator.targets.items():
        for slot, value in slots.items():
            entries.append(TargetEntry(parse_slot(slot, ruleset.years), value, document, slot))
    for document, computed in indicator.target_inputs.items():
        for slot, inputs in computed.items():
            period = parse_slot(slot, ruleset.years)
            value = computed_target(indicator, inputs)
            entries.append(TargetEntry(period, value, document, slot, inputs))
    return entries


def computed_target(indicator: Indicator, inputs: Mapping[str, Decimal]) -> Decimal:
    """The target that the values of the formula's inputs give: the formula applied to
    them and to the indicator's parameters.

    Raises:
        RuleSetError: when the indicator has no formula or the formula has no value.
    """
    if indicator.formula is None:
        raise RuleSetError(f"{indicator.id}: a target written as inputs needs a formula")
    try:
        return target_of_inputs(indicator.formula, indicator.parameters, inputs)
    except FormulaUndefinedError as exc:
        raise RuleSetError(f"{indicator.id}: {exc}") from None


def target_of_inputs(
    formula: Formula, parameters: Mapping[str, Decimal], inputs: Mapping[str, Decimal]
) -> Decimal:
    """The formula's result for the inputs of a target, written as a target is: without
    trailing zeros (``2 / 8 * 100`` is the target 25, as if written 25).

    Raises:
        FormulaUndefinedError: when the formula has no value for them.
    """
    return without_exponent(formula.evaluate({**parameters, **inputs}).normalize(EXACT))


def choose_targets(ruleset: RuleSet, indicator: Indicator) -> dict[Period, TargetChoice]:
    """The binding target of every period that has one.

    Documents earlier in ``[targets] precedence`` win; documents not listed
    there come after, in the order of ``[[documents]]``. (Loading refuses a
    rule set where two documents disagree and precedence does not decide.)
    """
    return rank_targets(ruleset, declared_targets(ruleset, indicator))


#: The name under which a rule set keeps :func:`binding_targets` (:meth:`RuleSet.derived`).
BINDING_TARGETS: Final = "binding_targets"


def binding_targets(ruleset: RuleSet) -> tuple[Mapping[Period, TargetChoice], ...]:
    """The binding targets of every indicator, in the order of the indicators
    (:func:`choose_targets` of each), worked out once per rule set.

    Raises:
        PeriodError, RuleSetError: as :func:`declared_targets` (a rule set not checked).
    """
    found: tuple[Mapping[Period, TargetChoice], ...] = ruleset.derived(
        BINDING_TARGETS, _all_binding_targets
    )
    return found


def _all_binding_targets(ruleset: RuleSet) -> tuple[Mapping[Period, TargetChoice], ...]:
    order = document_order(ruleset)
    return tuple(
        FrozenMap(rank_targets(ruleset, declared_targets(ruleset, indicator), order))
        for indicator in ruleset.indicators
    )


def rank_targets(
    ruleset: RuleSet,
    entries: Sequence[TargetEntry],
    order: Mapping[str, int] | None = None,
) -> dict[Period, TargetChoice]:
    """Group entries by period and pick the binding one of each (see :func:`choose_targets`).

    Args:
        ruleset: the rule set.
        entries: the target entries of one indicator.
        order: :func:`document_order` of the rule set, when the caller ranks the
            targets of many indicators (computed here otherwise).
    """
    if order is None:
        order = document_order(ruleset)
    first: dict[Period, TargetEntry] = {}
    more: dict[Period, list[TargetEntry]] = {}  # periods given by several documents
    for entry in entries:
        period = entry.period
        if period in first:
            more.setdefault(period, [first[period]]).append(entry)
        else:
            first[period] = entry
    choices = {}
    last = len(order)
    for period, entry in first.items():
        group = more.get(period)
        if group is None:  # the usual case: one document gives the period a target
            choices[period] = TargetChoice(entry, ())
            continue
        ranked = sorted(group, key=lambda e: order.get(e.document, last))
        choices[period] = TargetChoice(ranked[0], tuple(ranked[1:]))
    return choices


def document_order(ruleset: RuleSet) -> dict[str, int]:
    """The rank of each document: first those of ``[targets] precedence``, then the others."""
    order: dict[str, int] = {}
    for document in (*ruleset.targets.precedence, *(d.id for d in ruleset.documents)):
        order.setdefault(document, len(order))
    return order


def target_for(
    choices: Mapping[Period, TargetChoice],
    span: Span,
    periods: Sequence[Period],
    method: Aggregation,
    formula: str = "",
    parameters: Mapping[str, Decimal] | None = None,
) -> Target:
    """The target of a span covered by ``periods``.

    Args:
        choices: the indicator's binding targets (:func:`choose_targets`).
        span: the span, for labels.
        periods: the periods that make up the span, each taken as declared or
            built from its parts (a year from quarters, a quarter from months).
        method: how the targets combine.
        formula, parameters: the indicator's formula and parameters, recorded
            with each target written as the values of its inputs.
    """
    parameters = parameters or {}
    entries: list[TargetEntry] = []
    notes: list[str] = []
    for period in periods:
        found = _cover(choices, period)
        if found is None:
            return Target(
                span=span.label,
                status=Status.NO_TARGET,
                value=None,
                reason=f"no target is declared for {period.label}" + _PARTS[period.granularity],
            )
        if len(found) > 1 or found[0].period != period:
            pieces = ", ".join(e.period.label for e in found)
            notes.append(f"{period.label} has no target of its own; built from {pieces}")
        entries.extend(found)
    for entry in entries:
        choice = choices[entry.period]
        for other in choice.disagreeing:
            notes.append(
                f"{entry.period.label}: {other.document} gives {other.value}, "
                f"{entry.document} (used) gives {entry.value}"
            )
    parts = tuple(
        Part(period=e.period.label, value=e.value, sources=(e.document,)) for e in entries
    )
    computed = tuple(
        ComputedTarget(
            period=e.period.label,
            document=e.document,
            inputs=e.inputs,
            parameters=parameters,
            formula=formula,
            value=e.value,
        )
        for e in entries
        if e.inputs is not None and isinstance(e.value, Decimal)
    )
    try:
        value = combine(method, parts)
    except TypeError:
        return Target(
            span=span.label,
            status=Status.UNDEFINED,
            value=None,
            reason=f"categorical targets cannot be combined by {method.value}",
        )
    aggregate = Aggregate("target", span.label, method, parts, value, tuple(notes))
    return Target(
        span=span.label,
        status=Status.COMPUTED,
        value=value,
        aggregate=aggregate,
        computed=computed,
    )


_PARTS: Final = {
    Granularity.YEAR: " (nor for each of its quarters)",
    Granularity.QUARTER: " (nor for each of its months)",
    Granularity.MONTH: "",
    Granularity.DAY: "",
}


def _cover(choices: Mapping[Period, TargetChoice], period: Period) -> list[TargetEntry] | None:
    """The declared targets that make up one period, coarsest first."""
    if period in choices:
        return [choices[period].chosen]
    if period.granularity is Granularity.YEAR:
        subperiods = period.quarters()
    elif period.granularity is Granularity.QUARTER:
        subperiods = period.months()
    else:
        return None
    found: list[TargetEntry] = []
    for sub in subperiods:
        part = _cover(choices, sub)
        if part is None:
            return None
        found.extend(part)
    return found
