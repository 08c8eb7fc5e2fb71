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
import re
from typing import Any, Final

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
)

from ..converters import describe, results_converter
from ..errors import AuditError, IkuEvalError, Location, Problem
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


def evaluation_from_data(data: Any) -> Evaluation:
    """Read back what :func:`evaluation_data` wrote (a document parsed with ``json.loads``).

    Raises:
        AuditError: the document is not one ikueval writes, naming the JSON
            path of each problem (``$.indicators[2].bases.to_date.value``).
    """
    if not isinstance(data, dict):
        raise AuditError(
            _problem("$", f"expected an evaluation document {{...}}, found {describe(data)}")
        )
    if data.get("ikueval") != FORMAT_VERSION:
        found = describe(data["ikueval"]) if "ikueval" in data else "nothing"
        raise AuditError(
            _problem(
                "$.ikueval",
                f"expected {FORMAT_VERSION}, the version this ikueval writes, found {found}",
            )
        )
    indicators = data.get("indicators")
    if not isinstance(indicators, list):
        raise AuditError(_problem("$.indicators", f"expected a list, found {describe(indicators)}"))
    body = {key: value for key, value in data.items() if key != "ikueval"}
    body["indicators"] = [_indicator_body(item, index) for index, item in enumerate(indicators)]
    try:
        return results_converter().structure(body, Evaluation)
    except (ClassValidationError, IterableValidationError) as exc:
        raise AuditError(
            [_problem(_json_path(path), _leaf_message(leaf)) for path, leaf in _leaves(exc, ())],
            summary="not an evaluation document ikueval wrote",
        ) from None


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


def _indicator_body(item: Any, index: int) -> dict[str, Any]:
    """An indicator of the document as the results model has it: ``bases`` as a list."""
    where = f"$.indicators[{index}]"
    if not isinstance(item, dict):
        raise AuditError(_problem(where, f"expected an object {{...}}, found {describe(item)}"))
    bases = item.get("bases")
    if not isinstance(bases, dict):
        raise AuditError(_problem(f"{where}.bases", f"expected an object, found {describe(bases)}"))
    missing = [basis.value for basis in Basis if basis.value not in bases]
    if missing:
        raise AuditError(_problem(f"{where}.bases.{missing[0]}", "required key is missing"))
    body = {k: v for k, v in item.items() if k not in ("achievement", "status", "bases")}
    body["achievements"] = [bases[basis.value] for basis in Basis]
    return body


_Path = tuple[str | int, ...]


def _leaves(exc: BaseException, path: _Path) -> list[tuple[_Path, BaseException]]:
    """The errors at the leaves of a cattrs error tree, with their paths."""
    if not isinstance(exc, ClassValidationError | IterableValidationError):
        return [(path, exc)]
    found = []
    with_notes, without = exc.group_exceptions()
    for sub, note in with_notes:
        step = note.name if isinstance(note, AttributeValidationNote) else note.index
        found.extend(_leaves(sub, (*path, step)))
    for sub in without:
        found.extend(_leaves(sub, path))
    return found


def _json_path(path: _Path) -> str:
    """A path in the results model as a path in the document: achievements are ``bases``."""
    text = "$"
    for index, step in enumerate(path):
        if isinstance(step, int):
            previous = path[index - 1] if index else None
            text += f".{_BASES[step]}" if previous == "achievements" else f"[{step}]"
        elif step == "achievements" and index >= 2 and path[index - 2] == "indicators":
            text += ".bases"
        else:
            text += f".{step}" if _KEY.fullmatch(step) else f"[{json.dumps(step)}]"
    return text


_BASES: Final = [basis.value for basis in Basis]
_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _leaf_message(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required key is missing"
    if isinstance(exc, IkuEvalError):
        return exc.problems[0].message
    return str(exc)


def _problem(path: str, message: str) -> Problem:
    return Problem(message, Location(key=path))


def _figure(achievement: Achievement) -> str | None:
    return None if achievement.value is None else format(achievement.value, "f")
