"""What ``explain`` renders, and its JSON: the trail of some indicators down to each event.

An :class:`Explanation` is an evaluation with its rule set and the ledger its
events were read into. ``ikueval explain`` renders it as text
(:func:`~ikueval._reports.explain.render_explain`) or, with ``--format json``, as
the JSON document of ``evaluate`` (``docs/audit.md``) for the indicators asked
for, in which each part of a realisation also lists every event behind it
(:func:`explanation_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from .._aggregation import Ledger
from .._converters import results_converter
from .._events import Event
from .._model import Basis, RuleSet
from .._results import Evaluation, IndicatorResult, Part, Realisation
from .json import SECTIONS, document_parts, indicator_data
from .json_layout import object_pieces

_Cells = dict[tuple[str, tuple[tuple[str, str], ...]], tuple[Event, ...]]


@frozen
class Explanation:
    """What ``explain`` renders.

    Args:
        evaluation: the evaluation to explain.
        ruleset: its rule set (for document titles).
        ledger: the ledger it was evaluated from, built with ``retain`` for the
            indicators explained (:func:`~ikueval._aggregation.build_ledger`), to
            list every event behind each part; without it no event is listed.
    """

    evaluation: Evaluation
    ruleset: RuleSet
    ledger: Ledger | None = None


def explanation_data(
    explanation: Explanation, indicators: Sequence[str] | None = None
) -> dict[str, Any]:
    """The trail of some indicators (all when None) as JSON-ready data.

    The document is that of :func:`~ikueval._reports.json.evaluation_data` for
    the chosen indicators, with ``rollups``, ``budgets`` and ``composites`` only
    when every indicator is explained, and an ``events`` list in every part of a
    realisation's inputs: each event with its ``source`` (``file``, ``line``,
    ``ref``), ``value``, ``id``, ``unit``, ``document``, ``table`` and ``note``.
    """
    head, lists = _document(explanation, indicators)
    return {**head, **{key: list(items) for key, items in lists}}


def explanation_pieces(
    explanation: Explanation, indicators: Sequence[str] | None = None
) -> Iterator[str]:
    """The document of :func:`explanation_data` as JSON text, in pieces (an indicator
    at a time), laid out as ``evaluate``'s."""
    head, lists = _document(explanation, indicators)
    return object_pieces(head, lists)


def render_explanation_json(
    explanation: Explanation, indicators: Sequence[str] | None = None
) -> str:
    """The trail of some indicators (all when None) as a JSON document (see
    :func:`explanation_data`)."""
    return "".join(explanation_pieces(explanation, indicators))


def _document(
    explanation: Explanation, indicators: Sequence[str] | None
) -> tuple[dict[str, Any], list[tuple[str, Iterable[Any]]]]:
    evaluation = explanation.evaluation
    chosen = tuple(
        result for result in evaluation.indicators if indicators is None or result.id in indicators
    )
    shown = attrs.evolve(evaluation, indicators=chosen)

    def with_events(result: IndicatorResult) -> dict[str, Any]:
        item = indicator_data(result)
        events = _Events(explanation.ledger, result.id)
        for name, realisation in result.realisations.items():
            _add_events(item["realisations"][name.value], realisation, events)
        for basis, achievement in zip(Basis, result.achievements, strict=True):
            trail = item["bases"][basis.value]["realisation"]
            if isinstance(trail, dict):  # written out, not named
                _add_events(trail, achievement.realisation, events)
        return item

    return document_parts(shown, with_events, SECTIONS if indicators is None else ())


class _Events:
    """The retained events of one indicator's cells, by input, period and dimensions."""

    def __init__(self, ledger: Ledger | None, indicator: str) -> None:
        self.ledger = ledger
        self.indicator = indicator
        self.by_input: dict[str, _Cells] = {}

    def of(self, quantity: str, part: Part) -> tuple[Event, ...]:
        """The events behind one part of an input's aggregate."""
        if self.ledger is None:
            return ()
        if quantity not in self.by_input:
            self.by_input[quantity] = {
                (cell.period.label, cell.dimensions): cell.events
                for cell in self.ledger.of(self.indicator, quantity).cells
            }
        key = (part.period, tuple(sorted(part.dimensions.items())))
        return self.by_input[quantity].get(key, ())


def _add_events(data: dict[str, Any], realisation: Realisation, events: _Events) -> None:
    for aggregate, aggregate_data in zip(realisation.inputs, data["inputs"], strict=True):
        for part, part_data in zip(aggregate.parts, aggregate_data["parts"], strict=True):
            part_data["events"] = [
                _event_data(event) for event in events.of(aggregate.quantity, part)
            ]


def _event_data(event: Event) -> dict[str, Any]:
    value = event.value
    return {
        "source": results_converter().unstructure(event.source),
        "value": format(value, "f") if isinstance(value, Decimal) else value,
        "id": event.id,
        "unit": event.unit,
        "document": event.document,
        "table": event.table,
        "note": event.note,
    }
