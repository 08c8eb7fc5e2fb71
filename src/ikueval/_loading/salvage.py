"""Checking the readable rest of a rule file that failed to structure.

So that one run reports every problem of a file, a value cattrs refused is
replaced by a neutral placeholder of the right type, unknown keys are dropped,
and the resulting rule set goes through the semantic checks. Findings at or
below a replaced key are discarded: they would be about the placeholder, not
about the file.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from .._converters import rules_converter
from .._decimals import RoundingMode
from .._formulas import Formula
from .._model import Aggregation, Direction, RuleSet, TargetValue
from .toml_positions import Path

Leaf = tuple[Path, BaseException, Any]
"""A leaf error of cattrs: key path, exception, and the type expected there."""

#: The enum member that triggers the fewest checks, per enum.
_QUIET_MEMBERS: Final[Mapping[type[Enum], Enum]] = {
    Aggregation: Aggregation.LATEST,
    Direction: Direction.HIGHER,
    RoundingMode: RoundingMode.HALF_UP,
}
#: Keys whose replacement would make every other check meaningless.
_VITAL: Final = (("ruleset",), ("ruleset", "years"))
_ATTEMPTS: Final = 4


def salvage(data: dict[str, Any], leaves: Sequence[Leaf]) -> tuple[RuleSet, list[Path]] | None:
    """A rule set built from the readable part of ``data``, and the keys replaced.

    Returns None when nothing sensible can be checked (the years are unreadable,
    or the placeholders do not make the data structure).
    """
    reduced = _copied(data)
    replaced: list[Path] = []
    for _ in range(_ATTEMPTS):
        for path, exc, expected in leaves:
            if isinstance(exc, ForbiddenExtraKeysError):
                node = _get(reduced, path)
                for key in exc.extra_fields:
                    node.pop(key, None)
                continue
            if any(path[: len(vital)] == vital for vital in _VITAL):
                return None
            _set(reduced, path, _placeholder(expected, _get(reduced, path[:-1])))
            replaced.append(path)
        try:
            return rules_converter().structure(reduced, RuleSet), replaced
        except (ClassValidationError, IterableValidationError) as exc:
            leaves = leaves_of(exc)  # errors inside what a placeholder replaced
        except Exception:
            return None
    return None


def leaves_of(exc: BaseException, path: Path = ()) -> list[Leaf]:
    """The leaf errors of a cattrs error tree, with their key paths and expected types.

    The tree is walked with a stack, not by recursion, in the order cattrs gives.
    """
    found: list[Leaf] = []
    pending: list[tuple[BaseException, Path, Any]] = [(exc, path, None)]
    while pending:  # each round takes one error off; the tree is finite
        error, where, expected = pending.pop()
        if isinstance(error, ClassValidationError | IterableValidationError):
            with_notes, without = error.group_exceptions()
            children = [(sub, (*where, _step(note)), note.type) for sub, note in with_notes]
            children.extend((sub, where, expected) for sub in without)
            pending.extend(reversed(children))
        else:
            found.append((where, error, expected))
    return found


def _step(note: AttributeValidationNote | IterableValidationNote) -> str | int:
    """The key or index a cattrs note is about."""
    return note.name if isinstance(note, AttributeValidationNote) else note.index


def _copied(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of TOML data whose tables and lists can be changed (other values are immutable).

    Copied with a stack, not by recursion: every table and list is copied once.
    """
    root = dict(data)
    pending: list[dict[str, Any] | list[Any]] = [root]
    while pending:  # each round copies the children of one table or list, taken off
        node = pending.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in items:
            if isinstance(value, dict | list):
                child = dict(value) if isinstance(value, dict) else list(value)
                node[key] = child  # type: ignore[index]
                pending.append(child)
    return root


def is_under(path: Path, replaced: Sequence[Path]) -> bool:
    """Whether a finding's path is at or below a replaced key."""
    return any(path[: len(r)] == r for r in replaced)


def _placeholder(expected: Any, parent: Any) -> Any:
    """A value of the expected type that raises as few findings as possible."""
    if expected is None or expected is type(None):
        return None
    origin = typing.get_origin(expected)
    args = [a for a in typing.get_args(expected) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        optional = type(None) in typing.get_args(expected)
        if optional and args[0] is not Formula:  # a missing formula would raise findings
            return None
        return _placeholder(args[0], parent)
    if expected is TargetValue or expected is Decimal:
        return Decimal(0)
    if expected is int:
        return 0
    if expected is str:
        return "?"
    if expected is Formula:
        names: list[str] = []
        if isinstance(parent, dict):
            for table in ("inputs", "parameters"):
                if isinstance(parent.get(table), dict):
                    names.extend(str(name) for name in parent[table])
        return " + ".join(sorted(names)) or "0"
    if isinstance(expected, type) and issubclass(expected, Enum):
        member = _QUIET_MEMBERS.get(expected, next(iter(expected)))
        return member.value
    if origin is tuple or expected is tuple:
        return []
    if origin in (dict, Mapping, collections.abc.Mapping):
        return {}
    if attrs.has(expected):
        hints = typing.get_type_hints(expected)
        return {
            field.alias: _placeholder(hints[field.name], None)
            for field in attrs.fields(expected)
            if field.init and field.default is attrs.NOTHING
        }
    return None


def _get(data: Any, path: Path) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _set(data: Any, path: Path, value: Any) -> None:
    parent = _get(data, path[:-1])
    if isinstance(parent, dict) or (isinstance(parent, list) and isinstance(path[-1], int)):
        parent[path[-1]] = value  # type: ignore[index]
