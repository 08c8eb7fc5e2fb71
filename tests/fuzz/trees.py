"""Walking a parsed document (TOML or JSON) to mutate it: its key paths, the value at one,
and a value nested deeply."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any, Final

from .values import DEPTHS


class Pairs(list[list[Any]]):
    """A JSON object as its ``[key, value]`` pairs, so that a key written twice survives."""


#: Key paths deeper than this are not mutated (a mutation may have nested a value
#: thousands of levels deep; walking all of it would only cost time).
MAX_PATH_DEPTH: Final = 40


def paths(node: Any) -> Iterator[tuple[Any, ...]]:
    """Every key path of a parsed document (keys of dicts, indices of lists), to a depth."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), node)]
    while stack:
        prefix, current = stack.pop()
        items: Sequence[tuple[Any, Any]] = ()
        if isinstance(current, dict):
            items = list(current.items())
        elif isinstance(current, Pairs):
            items = [(i, pair[1]) for i, pair in enumerate(current)]
        elif isinstance(current, list):
            items = list(enumerate(current))
        for key, value in reversed(items):
            path = (*prefix, key)
            yield path
            if len(path) < MAX_PATH_DEPTH:
                stack.append((path, value))


def get(document: Any, path: tuple[Any, ...]) -> Any:
    node = document
    for step in path:
        node = node[step][1] if isinstance(node, Pairs) else node[step]
    return node


def nest(rng: random.Random, value: Any, *, tables: bool) -> Any:
    depth = rng.choice(DEPTHS)
    for _ in range(depth):
        value = {"a": value} if tables and rng.random() < 0.5 else [value]
    return value
