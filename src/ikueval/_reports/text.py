"""Small text helpers shared by the table and explain renderers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from .._decimals import display
from .._model import Rounding, TargetValue
from .._results import Status

#: Short marks for figures that were not computed, and their meaning.
STATUS_MARKS: Final[Mapping[Status, str]] = {
    Status.NO_REALISATION: "n/r",
    Status.NO_TARGET: "n/t",
    Status.TARGET_ZERO: "t=0",
    Status.NOT_APPLICABLE: "n/a",
    Status.UNDEFINED: "undef",
}
STATUS_WORDS: Final[Mapping[Status, str]] = {
    Status.COMPUTED: "computed",
    Status.NO_REALISATION: "no realisation yet",
    Status.NO_TARGET: "no target for the span",
    Status.TARGET_ZERO: "target is zero",
    Status.NOT_APPLICABLE: "not applicable",
    Status.UNDEFINED: "undefined",
}


def number(value: TargetValue | None, rounding: Rounding) -> str:
    """A realisation or target for people (counts as they are, ratios rounded)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return display(value, rounding.mode, rounding.places)
    return value


def plain(value: Decimal | None) -> str:
    """A decimal written out in full."""
    return "-" if value is None else format(value, "f")


#: The widest a column is padded to, in characters. A longer cell is written
#: whole and pushes the rest of its row to the right: padding every row of the
#: column to it would repeat its length once per row (a printed figure of
#: 131,091 characters made a reconciliation of 12.5 MB from 134 KB of input).
MAX_PADDED_WIDTH: Final = 40


def table(rows: Sequence[Sequence[str]], right: Sequence[bool], gap: str = "  ") -> list[str]:
    """Lay rows out in columns; ``right`` says which columns align right.

    A column is as wide as its widest cell, up to :data:`MAX_PADDED_WIDTH`.
    """
    widths = [min(MAX_PADDED_WIDTH, max(len(row[i]) for row in rows)) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if align else cell.ljust(width)
            for cell, width, align in zip(row, widths, right, strict=True)
        ]
        lines.append(gap.join(cells).rstrip())
    return lines
