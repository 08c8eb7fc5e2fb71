"""Streaming the lines of a file within bounds: one at a time, or a chunk's at once.

:func:`read_lines` reads a file in chunks of :data:`~.files.CHUNK_BYTES` and
decodes each chunk's whole lines at once. Its :class:`LineReader` hands them
on one at a time (:class:`Line`), checking each against the bounds as it is
reached, or, with :meth:`LineReader.run`, the rest of a chunk's lines at once
when none of them can break a bound: the CSV reader splits such a run of
plain lines in one go instead of line by line.
"""

from __future__ import annotations

from typing import BinaryIO, Final, NamedTuple

from .._errors import Location, Problem
from .files import (
    BYTE_ORDER_MARK,
    CHUNK_BYTES,
    MAX_LINE_BYTES,
    InputFileError,
    not_utf8,
    read_at_most,
    size_text,
)

#: The most bytes a character takes in UTF-8: a run of lines of at most ``n``
#: characters has lines of at most ``n * _UTF8_WIDTH`` bytes.
_UTF8_WIDTH: Final = 4


class Line(NamedTuple):
    """One line of a streamed file.

    Args:
        number: 1-based line number.
        text: the line decoded, with its line feed (the last line may have none).
        size: its length in bytes, as read from the file.
    """

    number: int
    text: str
    size: int


class LineRun(NamedTuple):
    """Consecutive whole lines of a file, each within the bound it was asked for.

    Args:
        number: the number of the first line.
        texts: the lines decoded, without their line feeds.
    """

    number: int
    texts: list[str]


def read_lines(
    handle: BinaryIO,
    name: str,
    *,
    max_line: int = MAX_LINE_BYTES,
    limit: int | None = None,
    max_lines: int | None = None,
    hint: str | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> LineReader:
    """The lines of an open file, read in chunks and decoded from UTF-8.

    Lines end at a line feed only (a form feed or a Unicode line separator can
    sit inside a CSV cell). A byte-order mark at the start is dropped. At most
    ``max_line + chunk_bytes`` bytes are held at a time.

    Args:
        handle: the file, open in binary mode.
        name: its name, for messages.
        max_line: the longest line accepted, in bytes, without its line feed.
        limit: the most bytes read from the file (``None``: no bound).
        max_lines: the most lines read from the file (``None``: no bound).
        hint: the advice given when a line is not UTF-8.
        chunk_bytes: how many bytes are read at a time.

    Raises:
        InputFileError: (as the lines are taken) a line is longer than
            ``max_line``, is not UTF-8, or the file has more than ``limit``
            bytes or ``max_lines`` lines.
    """
    return LineReader(handle, name, max_line, limit, max_lines, hint, chunk_bytes)


class LineReader:
    """The lines of a file (see :func:`read_lines`): an iterator of :class:`Line`, and
    :meth:`run` for the rest of a chunk's lines at once."""

    __slots__ = (
        "_ascii",
        "_chunk_bytes",
        "_done",
        "_ended",
        "_extra",
        "_handle",
        "_hint",
        "_index",
        "_limit",
        "_long",
        "_max_line",
        "_max_lines",
        "_name",
        "_number",
        "_offset",
        "_pending",
        "_raw_at",
        "_raws",
        "_size",
        "_text",
        "_texts",
        "_total",
    )

    def __init__(
        self,
        handle: BinaryIO,
        name: str,
        max_line: int,
        limit: int | None,
        max_lines: int | None,
        hint: str | None,
        chunk_bytes: int,
    ) -> None:
        self._handle, self._name, self._hint = handle, name, hint
        self._max_line, self._limit, self._max_lines = max_line, limit, max_lines
        self._chunk_bytes = chunk_bytes
        self._pending = b""  # the start of a line whose end has not been read yet
        self._offset = 0  # of the current block in the file
        self._size = 0  # of the current block, in bytes
        self._raw_at = 0  # of the next line of ``_raws`` in the file
        self._long = False  # the line after the current block is too long
        self._total = 0
        self._done = False
        self._number = 0  # of the last line handed on
        self._text = ""  # the current block decoded
        self._texts: list[str] = []  # its lines, without line feeds
        self._raws: list[bytes] | None = None  # its lines, when it is not UTF-8
        self._ended = True  # whether the lines of ``_raws`` ended with a line feed
        self._index = 0  # of the next line in ``_texts`` or ``_raws``
        self._extra = 0  # bytes of a byte-order mark counted in the next line
        self._ascii = True

    def __iter__(self) -> LineReader:
        return self

    def __next__(self) -> Line:
        raws = self._raws
        while self._index >= (len(self._texts) if raws is None else len(raws)):
            if not self._fill():
                raise StopIteration
            raws = self._raws
        index = self._index
        self._index = index + 1
        number = self._number = self._number + 1
        if self._max_lines is not None and number > self._max_lines:
            raise InputFileError(_too_many(self._name, self._max_lines))
        if raws is not None:
            raw = raws[index]
            at = self._raw_at
            self._raw_at += len(raw) + 1
            return _line(raw, self._ended, self._name, number, at, self._max_line, self._hint)
        text = self._texts[index]
        size = len(text) if text.isascii() else len(text.encode("utf-8"))
        size += self._extra
        self._extra = 0
        if size > self._max_line:
            raise InputFileError(_too_long(self._name, number, self._max_line))
        return Line(number, text + "\n", size + 1)

    def run(
        self, bound: int, forbidden: tuple[str, ...] = (), *, crlf: bool = False
    ) -> LineRun | None:
        """The lines of the current chunk not taken yet, at once, when each is at most
        ``bound`` bytes with its line feed, none holds a ``forbidden`` text and the
        file's bound of lines is not reached; None otherwise (take the next line one at
        a time). At the end of a chunk, the next one is read first. With ``crlf``, a
        carriage return that ends a line is dropped first (Windows line endings).

        ``bound`` must be at most the longest line accepted, plus one.

        Raises:
            InputFileError: the next chunk breaks a bound of the file (as taking its
                first line would).
        """
        while self._raws is None and self._index >= len(self._texts):
            if not self._fill():
                return None
        if self._raws is not None or self._extra:
            return None
        index, texts = self._index, self._texts
        rest = texts if index == 0 else texts[index:]
        if self._max_lines is not None and self._number + len(rest) > self._max_lines:
            return None
        longest = max(map(len, rest))
        if (longest if self._ascii else longest * _UTF8_WIDTH) + 1 > bound:
            return None
        if forbidden or crlf:
            text = self._text if index == 0 else "\n".join(rest)
            if crlf and "\r" in text:
                text = text.replace("\r\n", "\n")
                if text.endswith("\r"):  # the block's last line
                    text = text[:-1]
                rest = text.split("\n")
            if any(part in text for part in forbidden):
                return None
        first = self._number + 1
        self._number += len(rest)
        self._index = len(texts)
        return LineRun(first, rest)

    def _fill(self) -> bool:
        """Read the next block of lines; False at the end of the file.

        Raises:
            InputFileError: the file has more than its bound of bytes, or a line
                longer than the longest accepted runs past the block.
        """
        name, max_line = self._name, self._max_line
        if self._long:
            raise InputFileError(_too_long(name, self._number + 1, max_line))
        self._offset += self._size
        self._size = 0
        self._texts, self._raws, self._index, self._text = [], None, 0, ""
        while not self._done:
            chunk = read_at_most(self._handle, self._chunk_bytes)
            if not chunk:
                self._done = True
                break
            self._total += len(chunk)
            if self._limit is not None and self._total > self._limit:
                raise InputFileError(
                    Problem(f"the file has more than {self._limit} bytes", Location(name))
                )
            data = self._pending + chunk
            cut = data.rfind(b"\n") + 1
            block, self._pending = data[:cut], data[cut:]
            if len(self._pending) > max_line:
                if block:  # its lines are handed on first: the long line comes after them
                    self._long = True
                    self._decode(block)
                    return True
                raise InputFileError(_too_long(name, self._number + 1, max_line))
            if block:
                self._decode(block)
                return True
        if self._pending:
            pending, self._pending = self._pending, b""
            self._raws, self._ended, self._raw_at = [pending], False, self._offset
            return True
        return False

    def _decode(self, block: bytes) -> None:
        """Make ``block`` (whole lines) the current one."""
        self._size = len(block)
        start = (
            len(BYTE_ORDER_MARK) if self._offset == 0 and block.startswith(BYTE_ORDER_MARK) else 0
        )
        try:
            text = block[start:].decode("utf-8")
        except UnicodeDecodeError:  # decoded line by line, to name the line of the bad byte
            self._raws, self._ended = block[:-1].split(b"\n"), True
            self._raw_at = self._offset
            return
        self._text = text[:-1]
        self._texts = self._text.split("\n")
        self._extra = start
        self._ascii = len(text) + start == len(block)


def _line(
    raw: bytes, ended: bool, name: str, number: int, offset: int, max_line: int, hint: str | None
) -> Line:
    """The line ``raw`` (without its line feed, which ``ended`` says it had) at ``offset``."""
    if len(raw) > max_line:
        raise InputFileError(_too_long(name, number, max_line))
    start = len(BYTE_ORDER_MARK) if offset == 0 and raw.startswith(BYTE_ORDER_MARK) else 0
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(not_utf8(name, number, offset + start + exc.start, hint)) from None
    return Line(number, text + "\n" if ended else text, len(raw) + ended)


def _too_many(name: str, max_lines: int) -> Problem:
    return Problem(f"the file has more than {max_lines} lines", Location(name))


def _too_long(name: str, number: int, max_line: int) -> Problem:
    return Problem(f"the line is longer than {size_text(max_line)}", Location(name, number))
