"""How ikueval lays out a JSON document: indented to the figures, each figure on one line.

A document is written piece by piece (an indicator at a time) so that a program
can stream it, and each piece is encoded by the C encoder of :mod:`json`
(``json.dumps`` with ``indent`` uses the pure-Python one, five times slower).
Objects and lists are indented by two spaces down to :data:`EXPANDED_DEPTH`
levels (the document, its lists, their items, and the keys of an item: an
indicator's ``realisations``, ``targets``, ``bases``...); what lies deeper is
written on one line, with a space after each ``,`` and ``:``. Keys keep the
order they were given in, so the same data give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, BinaryIO, Final

#: Levels of objects and lists that are indented, one key or item per line; deeper
#: values are written on one line. Four levels reach the figures of an indicator
#: (``indicators`` / an indicator / ``bases`` / a basis on its line) and of a roll-up,
#: a budget or a composite (its members and spending one per line).
EXPANDED_DEPTH: Final = 4
INDENT: Final = "  "

_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, allow_nan=False, separators=(", ", ": ")
)
_text: Final = encode_basestring  # a str as JSON, in C


def _make_encode() -> Callable[[Any], str]:
    """:data:`_ENCODER`'s ``encode`` without making its C encoder again at each call
    (``JSONEncoder.iterencode`` does, which costs as much as a small value's encoding)."""
    if c_make_encoder is None:  # pragma: no cover - an interpreter without _json
        return _ENCODER.encode
    encoder = _ENCODER
    chunks = c_make_encoder(
        None,  # no markers: check_circular=False
        encoder.default,
        encode_basestring,  # ensure_ascii=False
        None,  # no indent: the C encoder
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )
    join = "".join

    def encode(value: Any) -> str:
        return join(chunks(value, 0))

    return encode


_encode: Final = _make_encode()


def lay_out(value: Any, depth: int = 0) -> str:
    """``value`` as JSON text, laid out as if it stood ``depth`` levels deep."""
    pieces: list[str] = []
    _lay_out(value, depth, pieces)
    return "".join(pieces)


def _lay_out(value: Any, depth: int, pieces: list[str]) -> None:
    if depth >= EXPANDED_DEPTH or not value or not isinstance(value, dict | list):
        pieces.append(_scalar(value))
        return
    inner = "\n" + INDENT * (depth + 1)
    deeper = depth + 1 < EXPANDED_DEPTH
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    pieces.append("{" if isinstance(value, dict) else "[")
    separator = inner
    for key, item in items:
        pieces.append(separator)
        if key is not None:
            pieces.append(_text(key))
            pieces.append(": ")
        if deeper and item and isinstance(item, dict | list):
            _lay_out(item, depth + 1, pieces)
        else:
            pieces.append(_scalar(item))
        separator = "," + inner
    pieces.append("\n" + INDENT * depth + ("}" if isinstance(value, dict) else "]"))


def _scalar(value: Any) -> str:
    """A value written on one line: text and null without the encoder's call."""
    if type(value) is str:
        return _text(value)
    if value is None:
        return "null"
    return _encode(value)


def object_pieces(
    head: dict[str, Any], lists: Iterable[tuple[str, Iterable[Any]]]
) -> Iterator[str]:
    """A top-level object in pieces: the keys of ``head``, then each list of ``lists``
    (a key and its items, produced one at a time), one item a piece.

    Joined, the pieces are ``lay_out({**head, key: list(items), ...})``.
    """
    inner = "\n" + INDENT
    text = "{"
    separator = inner
    for key, value in head.items():
        text += separator + _text(key) + ": " + lay_out(value, 1)
        separator = "," + inner
    for key, items in lists:
        text += separator + _text(key) + ": ["
        empty = True
        for item in items:
            yield text + ("\n" if empty else ",\n") + INDENT * 2 + lay_out(item, 2)
            text, empty = "", False
        text += "]" if empty else "\n" + INDENT + "]"
        separator = "," + inner
    yield text + "\n}\n"


def write_utf8(pieces: Iterable[str], stream: BinaryIO) -> None:
    """Write text pieces to a binary stream as UTF-8.

    A lone surrogate (a file name read with undecodable bytes) cannot be UTF-8: it
    is written as its escape ``\\udcff``, which in a JSON string is the same
    character, so the bytes are always valid UTF-8 and the JSON reads back the same.
    """
    for piece in pieces:
        stream.write(piece.encode("utf-8", "backslashreplace"))
