"""Mutations of JSON event files: values replaced, retyped or nested; keys deleted,
renamed (also to ikueval's internal markers) or written twice; events repeated.

A file is read keeping what ``json`` would lose (a key written twice, a
number as written, ``NaN``) and written back by :func:`dump_json`.
"""

from __future__ import annotations

import json
import random
from typing import Any

from .mutations import Context, boundary, long_text, near_miss
from .trees import Pairs, get, nest, paths
from .values import JSON_LITERALS


class Raw(str):
    """A JSON value written as is (a number, ``NaN``, an escaped text)."""

    __slots__ = ()


def _load_json(text: str) -> Any:
    return json.loads(
        text, object_pairs_hook=lambda p: Pairs([list(x) for x in p]), parse_float=Raw,
        parse_int=Raw, parse_constant=Raw,
    )  # fmt: skip


def dump_json(value: Any, *, ascii_only: bool = True, indent: int | None = None) -> str:
    """JSON text of a tree of :class:`Pairs`, lists, texts and :class:`Raw` values.

    Iterative, so that a value nested thousands of levels deep is written too.
    """
    out: list[str] = []
    pad = "" if indent is None else "\n"
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            out.append(item.text)
        elif isinstance(item, Raw):
            out.append(str.__str__(item))
        elif isinstance(item, str):
            out.append(json.dumps(item, ensure_ascii=ascii_only))
        elif isinstance(item, Pairs | list):
            is_object = isinstance(item, Pairs)
            parts: list[Any] = [_Token("{" if is_object else "[")]
            for i, element in enumerate(item):
                parts.append(_Token(("," if i else "") + pad))
                if is_object:
                    parts.append(
                        _Token(json.dumps(str(element[0]), ensure_ascii=ascii_only) + ": ")
                    )
                    parts.append(element[1])
                else:
                    parts.append(element)
            parts.append(_Token(pad + ("}" if is_object else "]")))
            stack.extend(reversed(parts))
        else:
            out.append(json.dumps(item))
    return "".join(out)


class _Token:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _json_value(rng: random.Random, context: Context) -> Any:
    choice = rng.randrange(5)
    if choice == 0:
        return Raw(rng.choice(JSON_LITERALS))
    if choice == 1:
        return rng.choice(context.words)
    if choice == 2:
        return long_text(rng)
    return boundary(rng)


def json_tree(rng: random.Random, text: str, context: Context) -> str | None:
    """A value replaced, retyped or nested; a key deleted, renamed or repeated; an event twice."""
    try:
        document = _load_json(text)
    except (ValueError, RecursionError):
        return None
    found = list(paths(document))
    if not found:
        return None
    path = rng.choice(found)
    parent, last = get(document, path[:-1]), path[-1]
    value = get(document, path)
    action = rng.choice(("replace", "replace", "retype", "nest", "delete", "rename", "repeat"))
    new: Any = value
    if action == "replace":
        new = _json_value(rng, context)
    elif action == "retype":
        new = rng.choice(([value], Pairs([["value", value]]), str(value), Raw("null")))
    elif action == "nest":
        new = nest(rng, value, tables=False)
    if action == "delete":
        del parent[last]
    elif action == "rename" and isinstance(parent, Pairs):
        key = parent[last][0]
        parent[last][0] = rng.choice(
            (near_miss(rng, key), rng.choice(context.words), "\x00repeated", "\x00duplicate", "")
        )
    elif action == "repeat":
        copy = list(parent[last]) if isinstance(parent, Pairs) else value
        parent.insert(last + 1, copy)
    elif isinstance(parent, Pairs):
        parent[last][1] = new
    else:
        parent[last] = new
    return dump_json(document, ascii_only=rng.random() < 0.7, indent=rng.choice((None, 1)))
