"""What the readers of event files hand on: rows before conversion, and refusals.

A reader (:mod:`.csv_events`, :mod:`.json_events`) streams the items of one
file in the order it finds them, so that a caller can check and use every row
in one pass: a :class:`Row` is a record to convert into an event, a
:class:`Refusal` a problem of the file or of a row that could not be read.
A reader never raises on bad input: every problem is an item.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from attrs import frozen

from .._converters import describe
from .._decimals import NumberFormat
from .._errors import Location, Problem
from .._suggest import did_you_mean

#: Problems listed for one file. A file where every row is bad would otherwise
#: list millions of them, each held in memory until the file is refused; the
#: first thousand show what is wrong, and the count of bad rows stays exact.
MAX_PROBLEMS_PER_FILE: Final = 1000


@frozen
class Row:
    """One record of a file, before conversion.

    Args:
        line: where the record starts.
        fields: the field and dimension values as read.
        pointer: the place of the record in the file when it has no line (``events[3]``).
        number_format: the number format the file declares.
    """

    line: int | None
    fields: dict[str, Any]
    pointer: str | None = None
    number_format: NumberFormat | None = None


@frozen
class Refusal:
    """Problems found while reading a file.

    Args:
        problems: what is wrong (at least one).
        row: the problems are those of a row that could not be read (it counts
            as a row read, and a bad one).
        blocking: the rows that follow cannot be checked (the header is wrong);
            they are counted, not converted.
    """

    problems: tuple[Problem, ...]
    row: bool = False
    blocking: bool = False


class Header(NamedTuple):
    """The columns of a CSV file, before its rows (only when the reader is asked for cells).

    Args:
        columns: the column names, event fields in lower case.
        number_format: the number format the file declares.
    """

    columns: tuple[str, ...]
    number_format: NumberFormat | None = None


class Cells(NamedTuple):
    """One row of a CSV file as its cells, in the order of the :class:`Header`'s columns.

    Args:
        line: where the row starts.
        cells: the text of each cell, as read.
    """

    line: int
    cells: list[str]


class CellsRun(NamedTuple):
    """Rows of consecutive lines of a CSV file as their cells (see :class:`Cells`), each
    with as many cells as the header has columns, none blank nor a repeated header.

    Args:
        line: where the first row starts; the others follow, a line each.
        rows: the text of each cell of each row, as read.
    """

    line: int
    rows: list[list[str]]


Item = Row | Refusal | Header | Cells | CellsRun


def number_format_of(
    value: object, name: str, line: int | None
) -> tuple[NumberFormat | None, Problem | None]:
    """The number format a file declares (``indonesian``), or the problem of the declaration."""
    for number_format in NumberFormat:
        if value == number_format.value:
            return number_format, None
    choices = [f.value for f in NumberFormat]
    if not isinstance(value, str):  # a table or a list is not shown whole
        return None, Problem(
            f"expected one of {', '.join(choices)}, found {describe(value)}",
            Location(name, line, "number_format"),
        )
    return None, Problem(
        f"unknown number format {value!r}; expected one of {', '.join(choices)}",
        Location(name, line, "number_format"),
        hint=did_you_mean(value, choices),
    )
