"""An indicator: what it measures, how it aggregates, its targets and its settings."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from .._formulas import Formula
from .choices import Aggregation, Basis, Direction, LowerIsBetter, NoCap, RangeRule
from .frozen_maps import frozen_mapping
from .policies import IndicatorRounding
from .values import TargetFigure


def _frozen_target_inputs(
    value: Mapping[str, Mapping[str, Mapping[str, Decimal]]],
) -> Mapping[str, Mapping[str, Mapping[str, Decimal]]]:
    if not value:  # the usual case
        return frozen_mapping(value)
    return frozen_mapping(
        {
            document: frozen_mapping(
                {slot: frozen_mapping(inputs) for slot, inputs in slots.items()}
            )
            for document, slots in value.items()
        }
    )


def _frozen_targets(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return frozen_mapping({document: frozen_mapping(slots) for document, slots in value.items()})


@frozen
class Input:
    """A named input of an indicator, aggregated on its own before the formula."""

    aggregation: Aggregation
    unit: str | None = None
    label: str | None = None


IMPLICIT_INPUT = "value"


@frozen
class Indicator:
    """A key performance indicator (IKU) and everything needed to evaluate it.

    Args:
        id: ``IKU-01`` ... in the order of the performance agreement.
        name: the indicator as the documents name it.
        unit: Orang, %, Dokumen, Nilai... (a categorical indicator names its scale).
        aggregation: how the indicator's values combine over a span. For a plain
            indicator it applies to realisations and targets; with ``inputs``,
            realisations come from the formula over the inputs (each aggregated
            by its own rule), so it applies to targets.
        direction: whether higher or lower is better.
        targets: document id -> slot (``annual``, ``Q1``, ``M04``, ``2025-Q2``) -> value.
        formula: the realisation computed from ``inputs`` and ``parameters``.
        target_aggregation: overrides ``aggregation`` for targets.
        cap: the highest achievement this indicator may report (percent), or
            :attr:`NoCap.NONE` for none whatever the rule set's cap.
        scale: the name of the rule set's scale for a categorical indicator.
        dimensions: the dimensions its events may carry.
        bases: the achievement bases that apply (all when omitted).
        lower_is_better: this indicator's lower-is-better formula, in place of
            the rule set's ``[achievement] lower_is_better``.
        rounding: this indicator's rounding places (and mode), in place of the
            rule set's ``[rounding]``.
        category_scale: the scale on which a numeric indicator's realisations
            and targets get a category (``"nka"``: 94.48 is "Sangat Baik"),
            computed from the number, shown next to it; achievements still
            compare the numbers.
        range: how a realisation is compared with a target range, in place of
            the rule set's ``[achievement] range``.
        iku: whether it is one of the office's key performance indicators; the
            roll-ups of ``[rollups]`` leave the others out (the components of a
            composite index, say).
        target_inputs: document id -> slot -> the values of the formula's inputs
            whose formula result is the target of that slot.
    """

    id: str
    name: str
    unit: str
    aggregation: Aggregation
    direction: Direction
    targets: Mapping[str, Mapping[str, TargetFigure]] = field(
        factory=dict,
        converter=_frozen_targets,
    )
    objective: str | None = None
    activity: str | None = None
    description: str | None = None
    note: str | None = None
    formula: Formula | None = None
    inputs: Mapping[str, Input] = field(factory=dict, converter=frozen_mapping)
    parameters: Mapping[str, Decimal] = field(factory=dict, converter=frozen_mapping)
    target_aggregation: Aggregation | None = None
    cap: Decimal | NoCap | None = None
    scale: str | None = None
    dimensions: tuple[str, ...] = ()
    bases: tuple[Basis, ...] | None = None
    subunit: str | None = None
    contributes_to: str | None = None
    lower_is_better: LowerIsBetter | None = None
    rounding: IndicatorRounding | None = None
    category_scale: str | None = None
    range: RangeRule | None = None
    iku: bool = True
    target_inputs: Mapping[str, Mapping[str, Mapping[str, Decimal]]] = field(
        factory=dict, converter=_frozen_target_inputs
    )

    @property
    def input_names(self) -> tuple[str, ...]:
        """The names of the inputs (``("value",)`` for a plain indicator)."""
        return tuple(self.inputs) if self.inputs else (IMPLICIT_INPUT,)

    def input_aggregation(self, name: str) -> Aggregation:
        """How the named input aggregates."""
        if self.inputs:
            return self.inputs[name].aggregation
        return self.aggregation

    @property
    def targets_aggregate(self) -> Aggregation:
        """How this indicator's targets combine over a span."""
        return self.target_aggregation or self.aggregation

    @property
    def categorical(self) -> bool:
        """Whether realisations and targets are categories of a scale."""
        return self.scale is not None

    def applies(self, basis: Basis) -> bool:
        """Whether the basis applies to this indicator."""
        return self.bases is None or basis in self.bases
