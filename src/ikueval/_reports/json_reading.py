"""Reading an evaluation document back: :func:`evaluation_from_data`.

A document of this ikueval (format 2) writes an indicator's realisations and
targets once and lets its bases and comparisons name them
(``"realisation": "realisations.to_date"``); one of the first ikueval
(format 1) copied them into every basis. Both are read, with either trail.
Whatever the document holds, reading raises an
:class:`~ikueval._errors.AuditError` naming the JSON path of each problem, never
anything else.
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

from .._converters import describe, results_converter
from .._errors import AuditError, IkuEvalError, Location, Problem
from .._model import Basis
from .._results import Evaluation

#: Version of the JSON document. Bumped when a key changes meaning or is removed:
#: 2 writes each realisation and target once and refers to them, and says its trail.
FORMAT_VERSION: Final = 2
#: The versions :func:`evaluation_from_data` reads.
READ_VERSIONS: Final = (1, 2)

#: Where a reference may point, by what it stands for: keys of the same indicator
#: (``*`` is any key of that object: a span).
_REFERABLE: Final = {
    "realisation": (("realisations", "*"), ("comparisons", "previous_year", "realisation")),
    "target": (("targets", "*"),),
}

_Path = tuple[str | int, ...]


def evaluation_from_data(data: Any) -> Evaluation:
    """Read back what :func:`~ikueval._reports.json.evaluation_data` wrote (a document
    parsed with ``json.loads``), of this format or the first.

    Raises:
        AuditError: the document is not one ikueval writes, naming the JSON
            path of each problem (``$.indicators[2].bases.to_date.value``).
    """
    if not isinstance(data, dict):
        raise AuditError(
            _problem("$", f"expected an evaluation document {{...}}, found {describe(data)}")
        )
    version = data.get("ikueval")
    if isinstance(version, bool) or version not in READ_VERSIONS:
        found = describe(version) if "ikueval" in data else "nothing"
        raise AuditError(
            _problem(
                "$.ikueval",
                f"expected {FORMAT_VERSION}, the version this ikueval writes (or 1), found {found}",
            )
        )
    indicators = data.get("indicators")
    if not isinstance(indicators, list):
        raise AuditError(_problem("$.indicators", f"expected a list, found {describe(indicators)}"))
    body = {key: value for key, value in data.items() if key != "ikueval"}
    aliases: dict[_Path, _Path] = {}
    body["indicators"] = [
        _indicator_body(item, index, aliases) for index, item in enumerate(indicators)
    ]
    try:
        return results_converter().structure(body, Evaluation)
    except (ClassValidationError, IterableValidationError) as exc:
        problems: dict[str, Problem] = {}
        for path, leaf in _leaves(exc, ()):
            problem = _problem(_json_path(_unaliased(path, aliases)), _leaf_message(leaf))
            problems.setdefault(str(problem), problem)
        raise AuditError(
            list(problems.values()), summary="not an evaluation document ikueval wrote"
        ) from None


def _indicator_body(item: Any, index: int, aliases: dict[_Path, _Path]) -> dict[str, Any]:
    """An indicator of the document as the results model has it: ``bases`` as a list of
    achievements, references replaced by what they name (noted in ``aliases``)."""
    where = f"$.indicators[{index}]"
    if not isinstance(item, dict):
        raise AuditError(_problem(where, f"expected an object {{...}}, found {describe(item)}"))
    bases = item.get("bases")
    if not isinstance(bases, dict):
        raise AuditError(_problem(f"{where}.bases", f"expected an object, found {describe(bases)}"))
    missing = [basis.value for basis in Basis if basis.value not in bases]
    if missing:
        raise AuditError(_problem(f"{where}.bases.{missing[0]}", "required key is missing"))
    model = ("indicators", index)
    body = {k: v for k, v in item.items() if k not in ("achievement", "status", "bases")}
    body["achievements"] = [
        _resolved(bases[basis.value], item, (*model, "achievements", number), aliases)
        for number, basis in enumerate(Basis)
    ]
    comparisons = item.get("comparisons")
    if isinstance(comparisons, dict):
        body["comparisons"] = comparisons = dict(comparisons)
        for key in ("medium_term", "previous_year"):
            compared = comparisons.get(key)
            if isinstance(compared, dict) and "achievement" in compared:
                path = (*model, "comparisons", key, "achievement")
                comparisons[key] = {
                    **compared,
                    "achievement": _resolved(compared["achievement"], item, path, aliases),
                }
    return body


def _resolved(
    achievement: Any, item: dict[str, Any], path: _Path, aliases: dict[_Path, _Path]
) -> Any:
    """An achievement whose realisation and target are written out, where they were
    references to the indicator's own (``"realisations.to_date"``)."""
    if not isinstance(achievement, dict):
        return achievement
    resolved = dict(achievement)
    for kind, shapes in _REFERABLE.items():
        reference = achievement.get(kind)
        if not isinstance(reference, str):
            continue
        node: Any = None
        steps = reference.split(".")
        if any(_fits(steps, shape) for shape in shapes):
            node = item
            for step in steps:
                node = node.get(step) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            written = _json_path((*path, kind))
            raise AuditError(
                _problem(
                    written,
                    f"expected a {kind} {{...}} or where the indicator writes one "
                    f"(such as {_EXAMPLES[kind]!r}), found {describe(reference)}",
                )
            )
        resolved[kind] = node
        aliases[(*path, kind)] = (*path[:2], *steps)
    return resolved


_EXAMPLES: Final = {"realisation": "realisations.to_date", "target": "targets.annual"}


def _fits(steps: list[str], shape: tuple[str, ...]) -> bool:
    return len(steps) == len(shape) and all(
        want in ("*", step) for step, want in zip(steps, shape, strict=True)
    )


def _unaliased(path: _Path, aliases: dict[_Path, _Path]) -> _Path:
    """A path through a resolved reference as the path of what it names."""
    for length in range(len(path), 2, -1):
        written = aliases.get(path[:length])
        if written is not None:
            return (*written, *path[length:])
    return path


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
