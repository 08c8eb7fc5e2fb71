"""Structuring the parts of a TOML document into attrs classes, every problem located.

A :class:`PartReader` reads one document part by part (a table, an entry of an
array of tables, an inline table) with the strict converter of rule files
(:func:`~ikueval._converters.rules_converter`), so that a mistake in one part
does not keep the others from being read and checked. Each structuring error
becomes a ``FILE:LINE: KEY: message`` problem with a did-you-mean, exactly as
for a rule file.

One mistake gives one problem: a misspelt key (``periode``) or choice
(``shows = "achievment"``) is reported once, and the part is then read with
the key or choice it is closest to, so that the checks that follow see what
was meant (no "required key is missing" for the key it was meant to be).
"""

from __future__ import annotations

import contextlib
import copy
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, Final

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from .._converters import ExpectedError, rules_converter
from .._errors import Problem
from .._suggest import closest
from .rules import _Locator
from .salvage import Leaf, leaves_of
from .toml_positions import Path as KeyPath

#: What cattrs and the converter's hooks raise for a value they refuse.
STRUCTURING_ERRORS: Final = (ClassValidationError, IterableValidationError, ExpectedError)


class PartReader:
    """Reads the parts of one document and collects the problems of all of them.

    Args:
        locate: turns key paths into ``FILE:LINE: KEY`` locations.
        lines: the line of every key path of the document.
    """

    def __init__(self, locate: _Locator, lines: Mapping[KeyPath, int]) -> None:
        self.locate = locate
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        """Record a problem at a key path."""
        self.problems.append(Problem(message, self.locate.location(path), hint=hint))

    def structure(self, value: Any, typ: Any, at: KeyPath) -> Any:
        """The part at ``at`` as ``typ``, or None when it cannot be read (problems recorded)."""
        read, _ = self.read(value, typ, at)
        return read

    def fields(self, value: Mapping[str, Any], typ: Any, at: KeyPath) -> dict[str, Any]:
        """The attributes of an attrs class ``typ`` read from the part at ``at``, by name.

        When the part cannot be read as a whole, the attributes that can be
        read on their own: a mistake in one key does not keep the others from
        being checked.
        """
        read, respelt = self.read(value, typ, at)
        if read is not None:
            return {a.name: getattr(read, a.name) for a in attrs.fields(typ)}
        hints = typing.get_type_hints(typ)
        found = {}
        for attribute in attrs.fields(typ):
            if isinstance(respelt, Mapping) and attribute.alias in respelt:
                with contextlib.suppress(*STRUCTURING_ERRORS):
                    found[attribute.name] = rules_converter().structure(
                        respelt[attribute.alias], hints[attribute.name]
                    )
        return found

    def read(self, value: Any, typ: Any, at: KeyPath) -> tuple[Any, Any]:
        """The part as ``typ`` (or None), and the part as respelt."""
        converter = rules_converter()
        try:
            return converter.structure(value, typ), value
        except STRUCTURING_ERRORS as exc:
            leaves = leaves_of(exc)
        respelt, meant = respell(value, leaves)
        located = [
            ((*at, *path), error)
            for path, error, _ in leaves
            if not (isinstance(error, KeyError) and path in meant)
        ]
        self.problems.extend(self.locate.problems(located))
        if meant:
            with contextlib.suppress(*STRUCTURING_ERRORS):
                return converter.structure(respelt, typ), respelt
        return None, respelt


def respell(value: Any, leaves: Sequence[Leaf]) -> tuple[Any, set[KeyPath]]:
    """A copy of ``value`` with each misspelt key and choice replaced by the one it is
    closest to, and the key paths so meant.

    A key is respelt only when the key it is closest to is not written already;
    a choice only when one is close enough (see :func:`~ikueval._suggest.closest`).
    """
    respelt = copy.deepcopy(value)
    meant: set[KeyPath] = set()
    for path, error, expected in leaves:
        if isinstance(error, ForbiddenExtraKeysError):
            node = _at(respelt, path)
            if not isinstance(node, dict):
                continue
            allowed = [a.alias for a in attrs.fields(error.cl) if a.init]
            for key in sorted(error.extra_fields):
                suggested = closest(key, allowed)
                if suggested is not None and suggested not in node:
                    node[suggested] = node.pop(key)
                    meant.add((*path, suggested))
        elif isinstance(expected, type) and issubclass(expected, Enum) and path:
            parent, written = _at(respelt, path[:-1]), _at(respelt, path)
            if not isinstance(parent, dict) or not isinstance(written, str):
                continue
            suggested = closest(written, [str(m.value) for m in expected])
            if suggested is not None:
                parent[path[-1]] = suggested
                meant.add(path)
    return respelt, meant


def _at(data: Any, path: KeyPath) -> Any:
    """The value at a key path, or None."""
    node = data
    for step in path:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return None
    return node
