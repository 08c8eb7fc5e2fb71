"""The figures of the evaluation document as JSON data, written by hand.

An indicator's realisations, targets and achievements are the bulk of the document
(at 10 000 indicators, some 200 000 objects). cattrs' generated functions walk
every field through its generic hooks; these functions give the same data (the
same keys in the same order, numbers as ``format(value, "f")``, enums as their
values, the fields of :data:`~ikueval._converters.OMITTED_IF_DEFAULT` left out
when they have their default) in a few dict displays. Whatever is rare (a
category, a computed target, a scored achievement, a target range) is handed to
the converter, so that it is written exactly as before.
``tests/test_json_figures.py`` compares them with the converter.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import cattrs

from .._converters import part_data
from .._results import (
    Achievement,
    Aggregate,
    Comparisons,
    IndicatorResult,
    Part,
    Realisation,
    Target,
)


class FigureData:
    """Unstructures the figures of an indicator as ``converter`` (the document
    converter, which leaves out what the document writes apart) would."""

    __slots__ = ("_convert",)

    def __init__(self, converter: cattrs.Converter) -> None:
        self._convert = converter.unstructure

    def part(self, part: Part) -> dict[str, Any]:
        """A part of an aggregate; ``periods`` only when it is not 1."""
        return part_data(part, self._convert)

    def aggregate(self, aggregate: Aggregate) -> dict[str, Any]:
        """An aggregate and its parts."""
        value = aggregate.value
        part = self.part
        return {
            "quantity": aggregate.quantity,
            "span": aggregate.span,
            "method": aggregate.method._value_,
            "parts": [part(p) for p in aggregate.parts],
            "value": _figure(value)
            if value is None or type(value) is Decimal
            else self._convert(value),
            "notes": list(aggregate.notes),
        }

    def realisation(self, realisation: Realisation) -> dict[str, Any]:
        """A realisation, its inputs and its parameters."""
        value = realisation.value
        aggregate = self.aggregate
        data: dict[str, Any] = {
            "span": realisation.span,
            "status": realisation.status._value_,
            "value": _figure(value) if value is None or type(value) is Decimal else value,
            "inputs": [aggregate(a) for a in realisation.inputs],
            "formula": realisation.formula,
            "parameters": {k: format(v, "f") for k, v in realisation.parameters.items()},
            "reason": realisation.reason,
        }
        if realisation.category is not None:
            data["category"] = self._convert(realisation.category)
        return data

    def target(self, target: Target) -> dict[str, Any]:
        """A target, its aggregate and what it was computed from."""
        value = target.value
        aggregate = target.aggregate
        data: dict[str, Any] = {
            "span": target.span,
            "status": target.status._value_,
            "value": _figure(value)
            if value is None or type(value) is Decimal
            else self._convert(value),
            "aggregate": None if aggregate is None else self.aggregate(aggregate),
            "reason": target.reason,
        }
        if target.category is not None:
            data["category"] = self._convert(target.category)
        if target.computed:
            data["computed"] = self._convert(target.computed)
        return data

    def achievement(self, achievement: Achievement) -> dict[str, Any]:
        """An achievement without its realisation and target (written apart)."""
        basis = achievement.basis
        rounding = achievement.rounding
        lower = achievement.lower_is_better
        realisation_scored = achievement.realisation_scored
        target_scored = achievement.target_scored
        data: dict[str, Any] = {
            "basis": None if basis is None else basis._value_,
            "status": achievement.status._value_,
            "method": achievement.method,
            "direction": achievement.direction._value_,
            "rounding": {"mode": rounding.mode._value_, "places": rounding.places},
            "lower_is_better": None if lower is None else lower._value_,
            "realisation_scored": (
                None if realisation_scored is None else self._convert(realisation_scored)
            ),
            "target_scored": None if target_scored is None else self._convert(target_scored),
            "raw": _figure(achievement.raw),
            "cap": _figure(achievement.cap),
            "unrounded": _figure(achievement.unrounded),
            "value": _figure(achievement.value),
            "reason": achievement.reason,
        }
        if achievement.indicator_settings:
            data["indicator_settings"] = list(achievement.indicator_settings)
        if achievement.range_rule is not None:
            data["range_rule"] = achievement.range_rule._value_
        if achievement.compared_with is not None:
            data["compared_with"] = format(achievement.compared_with, "f")
        return data

    def indicator(self, result: IndicatorResult) -> dict[str, Any]:
        """An indicator without its achievements and comparisons (written apart)."""
        realisation, target = self.realisation, self.target
        rounding = result.rounding
        data: dict[str, Any] = {
            "id": result.id,
            "name": result.name,
            "unit": result.unit,
            "aggregation": result.aggregation._value_,
            "direction": result.direction._value_,
            "objective": result.objective,
            "activity": result.activity,
            "realisations": {k._value_: realisation(v) for k, v in result.realisations.items()},
            "targets": {k._value_: target(v) for k, v in result.targets.items()},
            "subunit": result.subunit,
        }
        if rounding is not None:
            data["rounding"] = {"mode": rounding.mode._value_, "places": rounding.places}
        return data

    def comparisons(self, comparisons: Comparisons | None) -> dict[str, Any] | None:
        """An indicator's comparisons, their achievements without realisation and target."""
        if comparisons is None:
            return None
        medium, previous = comparisons.medium_term, comparisons.previous_year
        achievement = self.achievement
        rounding = previous.rounding
        earlier = previous.realisation
        return {
            "medium_term": {
                "status": medium.status._value_,
                "year": medium.year,
                "document": medium.document,
                "achievement": (
                    None if medium.achievement is None else achievement(medium.achievement)
                ),
                "value": _figure(medium.value),
                "reason": medium.reason,
            },
            "previous_year": {
                "status": previous.status._value_,
                "rounding": {"mode": rounding.mode._value_, "places": rounding.places},
                "period": previous.period,
                "realisation": None if earlier is None else self.realisation(earlier),
                "achievement": (
                    None if previous.achievement is None else achievement(previous.achievement)
                ),
                "change": _figure(previous.change),
                "growth_unrounded": _figure(previous.growth_unrounded),
                "growth": _figure(previous.growth),
                "points_unrounded": _figure(previous.points_unrounded),
                "points": _figure(previous.points),
                "reason": previous.reason,
                "notes": list(previous.notes),
            },
        }


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")
