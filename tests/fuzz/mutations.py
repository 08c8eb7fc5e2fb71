"""Mutations of an input file: byte-level, line-level, token-level, and (in
:mod:`fuzz.structured`) aware of the file's format.

Every mutation is a function of a :class:`random.Random` and the file, so that
a seed and an input's number give the same file on every machine. A mutation
that does not apply to a file (no number to replace) returns ``None`` and
another is drawn (:func:`fuzz.generate.mutate` draws them).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

from .values import CHARACTERS, LENGTHS, NUMBERS, PERIODS, SEPARATORS, WORDS


@dataclass(frozen=True)
class Context:
    """What mutations of one kind of file may draw from.

    Args:
        kind: ``toml``, ``csv`` or ``json``.
        words: keys, column names and ids seen in the corpus's files of this kind.
        donors: the corpus's files of this kind, whose lines are spliced in.
    """

    kind: str
    words: Sequence[str]
    donors: Sequence[bytes] = field(default=())


Mutation = Callable[[random.Random, str, Context], str | None]


def decode(content: bytes) -> str:
    """Text of a file; bytes that are not UTF-8 are kept as escapes, to be written back."""
    return content.decode("utf-8", errors="surrogateescape")


def encode(text: str) -> bytes:
    """Bytes of a text; a lone surrogate a mutation inserted is written as its raw bytes."""
    try:
        return text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")


# --------------------------------------------------------------------------- values


def long_text(rng: random.Random) -> str:
    """A text of a length around a documented bound, of one- or several-byte characters."""
    length = rng.choice(LENGTHS)
    unit = rng.choice(("x", "9", "é", "\U0001f600", "a b", "ab,", '"'))
    return (unit * length)[:length]


def boundary(rng: random.Random) -> str:
    """A value from the boundary lists, or a long text (rarely)."""
    group = rng.choices((NUMBERS, PERIODS, WORDS, CHARACTERS, SEPARATORS, ()), (6, 4, 4, 3, 1, 1))
    return rng.choice(group[0]) if group[0] else long_text(rng)


#: Letters and their look-alikes from other scripts and the full-width block.
_LOOKALIKES: Final = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "i": "\u0456", "I": "\uff29"}


def near_miss(rng: random.Random, word: str) -> str:
    """A word a person could have written instead: a typo, another case, a look-alike."""
    if not word:
        return rng.choice(("x", " "))
    choice = rng.randrange(10)
    if choice == 0:
        return word.upper()
    if choice == 1:
        return word.lower().capitalize()
    if choice == 2:
        return word + "s"
    if choice == 3:
        return word[:-1]
    if choice == 4 and len(word) > 1:
        i = rng.randrange(len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice == 5:
        return rng.choice((" ", "\t", "\ufeff", "\u200b")) + word + rng.choice(("", " "))
    if choice == 6:
        for letter, lookalike in _LOOKALIKES.items():
            if letter in word:
                return word.replace(letter, lookalike, 1)
    if choice == 7:
        return word.replace("-", "_") if "-" in word else word.replace("_", "-")
    if choice == 8:
        return word + rng.choice(CHARACTERS)
    return word + word


# --------------------------------------------------------------------------- lines


def _lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (only ``\\n`` ends a line of a file)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _span(rng: random.Random, count: int) -> tuple[int, int]:
    start = rng.randrange(count)
    return start, min(count, start + rng.choice((1, 1, 1, 2, 3, 8)))


def delete_lines(rng: random.Random, text: str, context: Context) -> str | None:
    lines = _lines(text)
    if not lines:
        return None
    start, end = _span(rng, len(lines))
    return "".join(lines[:start] + lines[end:])


def duplicate_lines(rng: random.Random, text: str, context: Context) -> str | None:
    lines = _lines(text)
    if not lines:
        return None
    start, end = _span(rng, len(lines))
    times = rng.choice((1, 1, 1, 2, 10, 1000))
    at = rng.choice((end, rng.randrange(len(lines) + 1)))
    copied = [line if line.endswith("\n") else line + "\n" for line in lines[start:end]]
    return "".join(lines[:at] + copied * times + lines[at:])


def swap_lines(rng: random.Random, text: str, context: Context) -> str | None:
    lines = _lines(text)
    if len(lines) < 2:
        return None
    i, j = rng.sample(range(len(lines)), 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def splice_line(rng: random.Random, text: str, context: Context) -> str | None:
    """A line of another file of the same kind, inserted or in place of a line."""
    donor = _lines(decode(rng.choice(context.donors))) if context.donors else []
    lines = _lines(text)
    if not donor:
        return None
    line = rng.choice(donor)
    at = rng.randrange(len(lines) + 1)
    replace = rng.random() < 0.5 and at < len(lines)
    return "".join([*lines[:at], line, *lines[at + replace :]])


def truncate(rng: random.Random, text: str, context: Context) -> str | None:
    return text[: rng.randrange(len(text))] if text else None


def line_endings(rng: random.Random, text: str, context: Context) -> str | None:
    ending = rng.choice(("\r\n", "\r", "\n\n", "\u2028", "\x85", "\x0c\n"))
    if rng.random() < 0.5:
        return text.replace("\n", ending)
    lines = _lines(text)
    if not lines:
        return None
    i = rng.randrange(len(lines))
    lines[i] = lines[i].rstrip("\n") + ending
    return "".join(lines)


# --------------------------------------------------------------------------- tokens

_TOKEN: Final = re.compile(r'-?\d[\d_.,eE+\-:]*|[A-Za-z_][\w\-]*|"[^"\n]*"')
_NUMBER: Final = re.compile(r"(?<![\w.-])-?\d[\d_.,eE+\-]*")


def _replace_match(rng: random.Random, text: str, pattern: re.Pattern[str], new: str) -> str | None:
    found = list(pattern.finditer(text))
    if not found:
        return None
    match = rng.choice(found)
    return text[: match.start()] + new + text[match.end() :]


def replace_token(rng: random.Random, text: str, context: Context) -> str | None:
    return _replace_match(rng, text, _TOKEN, boundary(rng))


def replace_number(rng: random.Random, text: str, context: Context) -> str | None:
    return _replace_match(rng, text, _NUMBER, rng.choice((*NUMBERS, *PERIODS)))


def rename_word(rng: random.Random, text: str, context: Context) -> str | None:
    """A key, column or id replaced, everywhere or once, by another word or a near miss."""
    present = [w for w in context.words if w and w in text]
    if not present:
        return None
    word = rng.choice(present)
    new = rng.choice(context.words) if rng.random() < 0.4 else near_miss(rng, word)
    if rng.random() < 0.3:
        return text.replace(word, new)
    starts = [m.start() for m in re.finditer(re.escape(word), text)]
    at = rng.choice(starts)
    return text[:at] + new + text[at + len(word) :]


def insert_value(rng: random.Random, text: str, context: Context) -> str | None:
    at = rng.randrange(len(text) + 1)
    return text[:at] + boundary(rng) + text[at:]


# --------------------------------------------------------------------------- bytes

_BYTES: Final = b"\x00\xff\x7f\x80\xc0\xed\xef\xfe\"',;\n\r=[]{}#\\ -09"


def flip_bit(rng: random.Random, data: bytes) -> bytes | None:
    if not data:
        return None
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def set_byte(rng: random.Random, data: bytes) -> bytes | None:
    if not data:
        return None
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.choice(_BYTES)]) + data[i + 1 :]


def delete_bytes(rng: random.Random, data: bytes) -> bytes | None:
    if not data:
        return None
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.choice((1, 2, 4, 16, 256)) :]


def insert_bytes(rng: random.Random, data: bytes) -> bytes | None:
    i = rng.randrange(len(data) + 1)
    inserted = rng.choice(
        (
            b"\xef\xbb\xbf",  # a byte-order mark
            b"\xff\xfe",  # UTF-16's
            b"\xed\xa0\x80",  # a lone surrogate, as bytes
            b"\xc3",  # half of a character
            b"\xf4\x90\x80\x80",  # beyond Unicode
            b"\x00",
            bytes([rng.randrange(256)]),
            data[rng.randrange(len(data) + 1) :][:64],
        )
    )
    return data[:i] + inserted + data[i:]


def recode(rng: random.Random, data: bytes) -> bytes | None:
    """The whole file in another encoding (UTF-16, Latin-1) or behind a byte-order mark."""
    text = decode(data)
    choice = rng.randrange(3)
    if choice == 0:
        return b"\xef\xbb\xbf" + data
    try:
        return text.encode("utf-16" if choice == 1 else "latin-1")
    except UnicodeEncodeError:
        return None


ByteMutation = Callable[[random.Random, bytes], bytes | None]

#: Mutations of the text, with their weights.
TEXT_MUTATIONS: Final[Sequence[tuple[Mutation, int]]] = (
    (delete_lines, 4),
    (duplicate_lines, 4),
    (swap_lines, 2),
    (splice_line, 3),
    (truncate, 1),
    (line_endings, 1),
    (replace_token, 6),
    (replace_number, 5),
    (rename_word, 5),
    (insert_value, 3),
)
BYTE_MUTATIONS: Final[Sequence[tuple[ByteMutation, int]]] = (
    (flip_bit, 2),
    (set_byte, 2),
    (delete_bytes, 2),
    (insert_bytes, 2),
    (recode, 1),
)
