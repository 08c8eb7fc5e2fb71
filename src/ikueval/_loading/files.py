"""Opening and reading input files within bounds (see ``docs/limits.md``).

Every file ikueval reads (rule files, event files, published figures) is
opened here, and only as a regular file: a FIFO, a device (``/dev/zero``) or a
socket is refused without being read, and without blocking. A file larger than
the bound of its kind is refused before it is read; a file that grows while it
is read is cut at the bound and refused. Operating-system errors (no such file,
no permission, a symbolic-link loop, a name too long) become located problems.

Files are read whole (:func:`read_bytes`, :func:`read_text`) when they are
parsed whole, or streamed line by line (:func:`ikueval._loading.lines.read_lines`) in
chunks, so that a line of 200 MB is refused after reading
:data:`MAX_LINE_BYTES` of it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Final

from attrs import frozen

from .._errors import IkuEvalError, Location, Problem

_MiB: Final = 1024 * 1024

#: A rule file is written by hand or generated from a planning system: the
#: bundled ones have 13 and 19 indicators in about 10 KB, a national plan of
#: 10,000 indicators with quarterly targets about 2.5 MB (the benchmark's
#: ``10kx1M``). 8 MiB hold some 30,000 such indicators; a rule file is parsed
#: and checked whole, at about a second per MiB.
MAX_RULE_FILE_BYTES: Final = 8 * _MiB
#: A published-figures file transcribes one report (the bundled one is 23 KB
#: for a 60-page report). It is parsed whole, like a rule file.
MAX_PUBLISHED_FILE_BYTES: Final = 2 * _MiB
#: A CSV event file is streamed, so its size bounds the time of a run, not its
#: memory. A year of one-row-per-person data (1,000,000 events) is about
#: 100 MB; 512 MiB leaves five times that.
MAX_CSV_FILE_BYTES: Final = 512 * _MiB
#: Lines of a CSV event file. Reading a line costs about a microsecond, and
#: checking an event a hundred: the time of a run grows with the lines, and a
#: file of short lines (blank ones, ``A,2025,1``) would take ten times longer
#: than its size suggests. Five million is five times a year of one row per
#: person, like the size bound.
MAX_CSV_LINES: Final = 5_000_000
#: A JSON event file is parsed whole: its text and its values are in memory at
#: once (the values are bounded apart, by ``MAX_JSON_VALUES``). 16 MiB hold
#: about 100,000 events; larger exports belong in CSV, which is streamed.
MAX_JSON_FILE_BYTES: Final = 16 * _MiB
#: A line of a streamed file. A CSV row of an event is under 1 KB (a long note
#: included); a line has to be held whole to be parsed, so this bounds the
#: memory a streamed file needs.
MAX_LINE_BYTES: Final = 1 * _MiB
#: Bytes read at a time when a file is streamed.
CHUNK_BYTES: Final = 64 * 1024


@frozen
class InputKind:
    """A kind of input file: what it is called in messages, and its bounds.

    Args:
        what: its name in messages (``rule file``).
        limit: its largest size, in bytes.
        too_large_hint: the advice given when it is larger.
        not_utf8_hint: the advice given when it is not UTF-8.
    """

    what: str
    limit: int
    too_large_hint: str | None = None
    not_utf8_hint: str | None = None


_SPLIT: Final = "split it into several files"
RULE_FILE: Final = InputKind("rule file", MAX_RULE_FILE_BYTES, not_utf8_hint="save it as UTF-8")
PUBLISHED_FILE: Final = InputKind(
    "published-figures file", MAX_PUBLISHED_FILE_BYTES, not_utf8_hint="save it as UTF-8"
)
CSV_EVENT_FILE: Final = InputKind(
    "CSV event file", MAX_CSV_FILE_BYTES, _SPLIT, "save as 'CSV UTF-8' or UTF-8 JSON"
)
JSON_EVENT_FILE: Final = InputKind(
    "JSON event file",
    MAX_JSON_FILE_BYTES,
    f"{_SPLIT}, or write it as CSV",
    "save as 'CSV UTF-8' or UTF-8 JSON",
)

BYTE_ORDER_MARK: Final = b"\xef\xbb\xbf"
#: Opened read-only, without blocking (a FIFO without a writer would wait for
#: one), and without becoming the controlling terminal of the process.
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_KINDS: Final = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


class InputFileError(IkuEvalError):
    """An input file cannot be opened or read, or is larger than its bound.

    The loaders report it as a problem of the rule set, event file or published
    figures it was meant to be.
    """


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is: ``a FIFO``, ``a character device``..."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "a special file"


def os_error_problem(exc: OSError, name: str, what: str) -> Problem:
    """An operating-system error as a problem of the file ``name`` (a ``what``)."""
    where = Location(name)
    if exc.errno == errno.ENOENT:
        return Problem(f"no such {what}", where)
    if exc.errno == errno.EISDIR:
        return Problem(f"is a directory, not {_article(what)}", where)
    return Problem(f"cannot read: {exc.strerror or exc}", where)


def special_file_problem(mode: int, name: str, what: str) -> Problem | None:
    """The problem of a file whose ``st_mode`` is ``mode``, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Problem(f"is a directory, not {_article(what)}", Location(name))
    return Problem(f"not a regular file ({describe_mode(mode)})", Location(name))


def stat_input(path: str | Path, *, what: str) -> os.stat_result:
    """What the system says of ``path`` (a symbolic link is followed).

    Raises:
        InputFileError: the path does not exist or cannot be reached.
    """
    try:
        return os.stat(path)
    except OSError as exc:
        raise InputFileError(os_error_problem(exc, str(path), what)) from None
    except ValueError:  # a NUL character: no file has such a name
        raise InputFileError(Problem(f"no such {what}", Location(str(path)))) from None


@contextmanager
def open_input(path: str | Path, kind: InputKind) -> Iterator[BinaryIO]:
    """Open a regular file of at most ``kind.limit`` bytes for reading, without blocking.

    Raises:
        InputFileError: the file does not exist, cannot be opened, is not a
            regular file, or is too large for its kind.
    """
    name = str(path)
    # Checked before opening too: opening some devices has effects of its own.
    problem = special_file_problem(stat_input(path, what=kind.what).st_mode, name, kind.what)
    if problem is not None:
        raise InputFileError(problem)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputFileError(os_error_problem(exc, name, kind.what)) from None
    with open(descriptor, "rb", buffering=0, closefd=True) as handle:
        status = os.fstat(descriptor)  # the file opened, whatever the path now names
        problem = special_file_problem(status.st_mode, name, kind.what)
        if problem is not None:
            raise InputFileError(problem)
        if status.st_size > kind.limit:
            raise InputFileError(_too_large(name, kind, f"{status.st_size} bytes"))
        yield handle


def read_bytes(path: str | Path, kind: InputKind) -> bytes:
    """The content of a regular file of at most ``kind.limit`` bytes.

    Raises:
        InputFileError: as :func:`open_input`; also when the file grows past
            its bound while it is read.
    """
    with open_input(path, kind) as handle:
        data = read_at_most(handle, kind.limit + 1)
    if len(data) > kind.limit:
        raise InputFileError(_too_large(str(path), kind, f"more than {kind.limit} bytes"))
    return data


def read_text(path: str | Path, kind: InputKind) -> str:
    """The content of a regular UTF-8 file of at most ``kind.limit`` bytes, as text.

    A byte-order mark at the start is dropped.

    Raises:
        InputFileError: as :func:`read_bytes`; also when the file is not UTF-8.
    """
    data = read_bytes(path, kind)
    start = len(BYTE_ORDER_MARK) if data.startswith(BYTE_ORDER_MARK) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise InputFileError(not_utf8(str(path), line, offset, kind.not_utf8_hint)) from None


def read_at_most(handle: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes: fewer only at the end of the file (reads may return less)."""
    parts = []
    wanted = size
    while wanted > 0:
        part = handle.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _too_large(name: str, kind: InputKind, size: str) -> Problem:
    return Problem(
        f"the file has {size}; {_article(kind.what)} may have at most {size_text(kind.limit)}",
        Location(name),
        hint=kind.too_large_hint,
    )


def not_utf8(name: str, line: int, offset: int, hint: str | None) -> Problem:
    return Problem(f"not UTF-8 text (byte {offset} of the file)", Location(name, line), hint=hint)


def size_text(size: int) -> str:
    """A number of bytes as a person reads it: ``512 MiB``, ``50 bytes``."""
    if size >= _MiB and size % _MiB == 0:
        return f"{size // _MiB} MiB"
    return f"{size} bytes"


def _article(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" else f"a {what}"
