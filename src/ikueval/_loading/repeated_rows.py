"""Rows a published table gives twice: the same subject, the same note and the same cells.

A row transcribed twice (pasted again where the next one belongs) is
reconciled like any other, so nothing else shows it, and the row it took the
place of is not checked at all. It is a warning, not an error: a report may
print a row twice (an indicator under two objectives), and a transcription
keeps what is printed. Two such rows are told apart by a ``note`` saying where
each is printed; rows with different notes are not the same row.

Each row is looked up once in a table of the rows seen, so a table of any
number of rows is checked in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from .._publication import Row
from .toml_positions import Path as KeyPath

#: Warnings about repeated rows per file: the first ones show what to fix, and the
#: rest are counted.
MAX_REPEATED_ROWS_REPORTED: Final = 20

#: What to do about a repeated row.
HINT: Final = (
    "if the row was transcribed twice, delete the copy; if the report prints it twice, "
    "give each a note saying where it is printed"
)

#: What makes two rows the same: their subjects, note and cells (column, text).
_RowKey = tuple[
    str | None, str | None, str | None, str | None, str | None, tuple[tuple[str, str], ...]
]


def _key(row: Row) -> _RowKey:
    cells = tuple(sorted((name, cell.text) for name, cell in row.cells.items()))
    return (row.indicator, row.activity, row.rollup, row.composite, row.note, cells)


def repeated_rows(at: KeyPath, rows: Sequence[Row | None]) -> Iterator[tuple[KeyPath, str]]:
    """Each row of a table that repeats an earlier one, once per repeated row: where its
    first copy is, and what the warning says.

    Args:
        at: the table's key path.
        rows: the table's rows in the order of the file (None for a row that could
            not be read).
    """
    first: dict[_RowKey, tuple[int, Row]] = {}
    copies: dict[_RowKey, list[int]] = {}
    for index, row in enumerate(rows):
        if row is None:
            continue
        key = _key(row)
        if key not in first:
            first[key] = (index, row)
        else:
            copies.setdefault(key, []).append(index)
    for key, indices in copies.items():
        index, row = first[key]
        where = f"line {row.line}" if row.line is not None else f"rows[{index}]"
        same = "the same note and cells" if row.note else "the same cells"
        times = len(indices) + 1
        more = f" ({times} rows of the table are this row)" if times > 2 else ""
        message = (
            f"this row repeats the row of {where}: {_subject(row)}, with {same}{more}; each "
            "copy is reconciled as a printed figure"
        )
        yield (*at, "rows", indices[0]), message


def _subject(row: Row) -> str:
    """The row's subject in words: ``indicator IKU-07``."""
    for word, value in (
        ("indicator", row.indicator),
        ("activity", row.activity),
        ("roll-up", row.rollup),
        ("composite", row.composite),
    ):
        if value is not None:
            return f"{word} {value}"
    return "subject"
