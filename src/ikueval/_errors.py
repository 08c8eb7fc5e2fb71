"""Errors raised by ikueval.

Every error the library raises on purpose is an :class:`IkuEvalError`. An error
carries one or more :class:`Problem` records, each with the place it was found
(file, line, key or column) so that a person can fix the input without reading
a traceback. All problems found in one run are reported together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from typing import Final

from attrs import frozen

#: Characters that would break the ``FILE:LINE: KEY:`` line of a problem or
#: hide what follows it: control characters (a line feed in a file name),
#: line and paragraph separators, and lone surrogates (undecodable bytes of a
#: file name), which an output stream may refuse to write.
_UNPRINTABLE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


#: Most characters of a value or key an error message repeats. A hostile input
#: can hold a key of a megabyte or a number of thousands of digits; a message
#: names it by its start and end and says how long it is.
MAX_ECHO: Final = 120


def echo(text: str, limit: int = MAX_ECHO) -> str:
    """``text``, or for a text over ``limit`` characters its start, length and end."""
    if len(text) <= limit:
        return text
    head, tail = max(limit - 40, limit // 2), min(20, limit // 4)
    return f"{text[:head]}...({len(text)} characters)...{text[-tail:]}"


def _printable(text: str) -> str:
    """``text`` with the characters of :data:`_UNPRINTABLE` written as escapes (``\\n``)."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


class Severity(Enum):
    """How serious a problem is."""

    ERROR = "error"
    WARNING = "warning"


@frozen
class Location:
    """Where a problem was found.

    Args:
        file: path or name of the file (``None`` for data given from Python).
        line: 1-based line number in that file, when known.
        key: the key path in a rule set (``indicators[IKU-07].targets.pk-2025.Q2``)
            or the column of an event file.
    """

    file: str | None = None
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE: KEY``, with control characters of the file and key escaped."""
        parts = []
        if self.file is not None:
            file = _printable(self.file)
            parts.append(file if self.line is None else f"{file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.key:
            parts.append(_printable(echo(self.key)))
        return ": ".join(parts)


@frozen
class Problem:
    """One thing wrong with an input, with its place and, when possible, a fix."""

    message: str
    location: Location = Location()
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE: KEY: [warning: ]message (hint)``."""
        text = self.message
        if self.severity is Severity.WARNING:
            text = f"warning: {text}"
        if self.hint:
            text += f" ({self.hint})"
        where = str(self.location)
        return f"{where}: {text}" if where else text


class IkuEvalError(Exception):
    """Base class of every error raised by ikueval on purpose.

    Args:
        problems: what is wrong, one record per problem (at least one).
        summary: an optional first line that sums the problems up.
    """

    def __init__(self, problems: Iterable[Problem] | Problem | str, summary: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.summary = summary
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.summary:
            lines.append(self.summary)
        return "\n".join(lines)


class RuleSetError(IkuEvalError):
    """A rule set (TOML) is malformed or inconsistent."""


class FormulaError(RuleSetError):
    """A formula is refused by the sandbox or names something undefined."""


class EventError(IkuEvalError):
    """An event file or an event given from Python is malformed."""


class EventConflictError(EventError):
    """Events contradict each other or would be counted twice."""


class PeriodError(IkuEvalError, ValueError):
    """A period or date is written wrongly or lies outside the rule set."""


class NumberFormatError(IkuEvalError, ValueError):
    """A number is not valid in the declared number format, or is ambiguous."""


class AuditError(IkuEvalError):
    """An evaluation document (JSON) cannot be read back, or its trail does not replay."""


class UsageError(IkuEvalError):
    """The library or the command line was called with wrong arguments."""


class StoreError(IkuEvalError):
    """A ledger store cannot be opened, read or written (see ``docs/ledger.md``)."""
