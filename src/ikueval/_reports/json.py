"""JSON: an evaluation with its audit trail, numbers as strings.

The document is described in ``docs/audit.md``. Each indicator carries an
``achievement`` object with exactly the four basis keys and the rounded
figures (``"33.64"``, or null with the reason under ``bases``), its
realisations and targets, each written once, then the trail of every basis,
which names the realisation and the target it compares by the key they are
written under (``"realisations.to_date"``). How much trail comes with the
figures is the evaluation's (``evaluate(..., trail=...)``): a part per cell, or
a compact one per month.

The document is written an indicator at a time (:func:`json_pieces`,
:func:`write_json`), so that its size never has to fit in memory twice, and
laid out by :mod:`ikueval._reports.json_layout`. :func:`evaluation_from_data`
reads it back into an :class:`~ikueval._results.Evaluation` that
:func:`ikueval._audit.replay` can check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, BinaryIO, Final

from .._converters import document_converter
from .._evaluation import BASES
from .._model import Basis
from .._results import Achievement, Evaluation, IndicatorResult, Realisation, Target
from .json_figures import FigureData
from .json_layout import object_pieces, write_utf8
from .json_reading import FORMAT_VERSION as FORMAT_VERSION
from .json_reading import evaluation_from_data as evaluation_from_data

#: The lists of the document after its indicators, in order.
SECTIONS: Final = ("rollups", "budgets", "composites")

IndicatorData = Callable[[IndicatorResult], dict[str, Any]]
"""How an indicator is written: :func:`indicator_data`, or ``explain``'s, which adds
the events behind each part."""


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON-ready data (dicts, lists, strings, null): the document."""
    head, lists = document_parts(evaluation)
    return {**head, **{key: list(items) for key, items in lists}}


def evaluation_json(evaluation: Evaluation) -> str:
    """The evaluation as a JSON document (text, stable key order and layout)."""
    return "".join(json_pieces(evaluation))


def write_json(evaluation: Evaluation, stream: BinaryIO) -> None:
    """Write the JSON document to a binary stream as UTF-8, an indicator at a time.

    The bytes are those of :func:`evaluation_json` encoded as UTF-8, except that a lone
    surrogate (from a file name that is not UTF-8) is written as its JSON escape.
    """
    write_utf8(json_pieces(evaluation), stream)


def json_pieces(evaluation: Evaluation) -> Iterator[str]:
    """The JSON document in pieces (the header, then each indicator, roll-up...):
    joined, they are :func:`evaluation_json`."""
    head, lists = document_parts(evaluation)
    return object_pieces(head, lists)


def document_parts(
    evaluation: Evaluation,
    indicator: IndicatorData | None = None,
    sections: tuple[str, ...] = SECTIONS,
) -> tuple[dict[str, Any], list[tuple[str, Iterable[Any]]]]:
    """The document as its header and its lists, each list's items made when iterated.

    Args:
        evaluation: what is written.
        indicator: how an indicator is written (:func:`indicator_data` by default).
        sections: which of :data:`SECTIONS` are written.
    """
    converter = document_converter()
    head = {
        "ikueval": FORMAT_VERSION,
        "trail": evaluation.trail.value,
        "ruleset": evaluation.ruleset,
        "office": evaluation.office,
        "period": evaluation.period,
        "spans": {name.value: label for name, label in evaluation.spans.items()},
        "rounding": converter.unstructure(evaluation.rounding),
    }
    write = indicator or indicator_data
    lists: list[tuple[str, Iterable[Any]]] = [
        ("indicators", (write(result) for result in evaluation.indicators))
    ]
    for name in sections:
        items = getattr(evaluation, name)
        lists.append((name, (converter.unstructure(item) for item in items)))
    return head, lists


def indicator_data(result: IndicatorResult) -> dict[str, Any]:
    """One indicator of the document: its figures, its realisations and targets once,
    the trail of every basis referring to them, its comparisons."""
    figures = _figures()
    raw = figures.indicator(result)  # without achievements and comparisons
    achievements = result.achievements
    references = _References(result)
    bases = {}
    for achievement in achievements:
        data = figures.achievement(achievement)  # without realisation and target
        basis = data["basis"]
        bases[basis] = references.achievement(data, achievement)
    comparisons = figures.comparisons(result.comparisons)
    if result.comparisons is not None:
        assert comparisons is not None
        medium = result.comparisons.medium_term
        previous = result.comparisons.previous_year
        for key, found in (("medium_term", medium), ("previous_year", previous)):
            written = comparisons[key]
            if found.achievement is not None:
                written["achievement"] = references.achievement(
                    written["achievement"], found.achievement
                )
    pairs = list(zip(Basis, achievements, strict=True))
    return {
        "id": raw.pop("id"),
        "name": raw.pop("name"),
        "unit": raw.pop("unit"),
        "achievement": {basis._value_: _figure(a) for basis, a in pairs},
        "status": {basis._value_: a.status._value_ for basis, a in pairs},
        **raw,
        "bases": bases,
        "comparisons": comparisons,
    }


@cache
def _figures() -> FigureData:
    """The figures written by hand as the document converter would (built once)."""
    return FigureData(document_converter())


class _References:
    """Where an indicator's realisations and targets are written, to refer to them."""

    def __init__(self, result: IndicatorResult) -> None:
        self.realisations: list[tuple[str, Realisation]] = [
            (f"realisations.{name.value}", found) for name, found in result.realisations.items()
        ]
        if result.comparisons is not None:
            earlier = result.comparisons.previous_year.realisation
            if earlier is not None:
                self.realisations.append(("comparisons.previous_year.realisation", earlier))
        self.targets: list[tuple[str, Target]] = [
            (f"targets.{name.value}", found) for name, found in result.targets.items()
        ]

    def achievement(self, data: dict[str, Any], achievement: Achievement) -> dict[str, Any]:
        """An achievement's data with its realisation and target: where they are
        written, or themselves when the indicator does not write them.

        The keys of its basis's spans come first (the comparisons' achievements are
        ``to_date``), so that equal figures of two spans (the period and the year,
        when a year is evaluated) are always named the same way.
        """
        rule = BASES[achievement.basis or Basis.TO_DATE]
        basis, status = data.pop("basis"), data.pop("status")
        return {
            "basis": basis,
            "status": status,
            "realisation": _key_of(
                achievement.realisation,
                self.realisations,
                f"realisations.{rule.realisation.value}",
                Realisation,
            ),
            "target": _key_of(
                achievement.target, self.targets, f"targets.{rule.target.value}", Target
            ),
            **data,
        }


def _key_of(
    value: Realisation | Target, written: list[tuple[str, Any]], first: str, cls: type
) -> str | dict[str, Any]:
    """Where an equal value is written (``first`` if it holds one), or the value itself."""
    for key, found in written:  # the key of its span first, without sorting
        if key == first and (found is value or found == value):
            return key
    for key, found in written:
        if key != first and (found is value or found == value):
            return key
    figures = _figures()
    if isinstance(value, Realisation):
        return figures.realisation(value)
    return figures.target(value)


def _figure(achievement: Achievement) -> str | None:
    return None if achievement.value is None else format(achievement.value, "f")
