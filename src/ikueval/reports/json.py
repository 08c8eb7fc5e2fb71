"""JSON: an evaluation with its whole audit trail, numbers as strings.

The document is described in ``docs/audit.md``. Each indicator carries an
``achievement`` object with exactly the four basis keys and the rounded
figures (``"33.64"``, or null with the reason under ``bases``), then the full
trail of every basis. :func:`evaluation_from_data` reads such a document back
into an :class:`~ikueval.results.Evaluation` that :func:`ikueval.audit.replay`
can check.
"""

from __future__ import annotations

import json
from typing import Any, Final

from ..converters import results_converter
from ..model import Basis
from ..results import Achievement, Evaluation, IndicatorResult

#: Version of the JSON document. Bumped when a key changes meaning or is removed.
FORMAT_VERSION: Final = 1


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON-ready data (dicts, lists, strings, null)."""
    data = results_converter().unstructure(evaluation)
    data["indicators"] = [
        _indicator_data(result, raw)
        for result, raw in zip(evaluation.indicators, data["indicators"], strict=True)
    ]
    return {"ikueval": FORMAT_VERSION, **data}


def render_json(evaluation: Evaluation) -> str:
    """The evaluation as a JSON document (UTF-8 text, stable key order)."""
    return json.dumps(evaluation_data(evaluation), ensure_ascii=False, indent=2) + "\n"


def evaluation_from_data(data: dict[str, Any]) -> Evaluation:
    """Read back what :func:`evaluation_data` wrote."""
    body = {key: value for key, value in data.items() if key != "ikueval"}
    body["indicators"] = [_indicator_body(item) for item in data["indicators"]]
    return results_converter().structure(body, Evaluation)


def _indicator_data(result: IndicatorResult, raw: dict[str, Any]) -> dict[str, Any]:
    head = {key: raw[key] for key in ("id", "name", "unit")}
    pairs = list(zip(Basis, result.achievements, strict=True))
    summary = {basis.value: _figure(a) for basis, a in pairs}
    statuses = {basis.value: a.status.value for basis, a in pairs}
    bases = {a["basis"]: a for a in raw["achievements"]}
    last = ("achievements", "comparisons")
    rest = {k: v for k, v in raw.items() if k not in (*head, *last)}
    return {
        **head,
        "achievement": summary,
        "status": statuses,
        **rest,
        "bases": bases,
        "comparisons": raw["comparisons"],
    }


def _indicator_body(item: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in item.items() if k not in ("achievement", "status", "bases")}
    body["achievements"] = [item["bases"][basis.value] for basis in Basis]
    return body


def _figure(achievement: Achievement) -> str | None:
    return None if achievement.value is None else format(achievement.value, "f")
