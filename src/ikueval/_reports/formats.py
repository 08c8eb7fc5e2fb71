"""Numbers as each language writes them: ``33,64`` and ``7.375``, or ``33.64`` and ``7,375``.

Formatting never changes a figure: the digits are those of the decimal, only
the marks between them differ. A figure with more decimals than the rule
set's places (a ratio such as 12.500) is shown with those places, as the
terminal table does (:func:`ikueval._decimals.display`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from attrs import frozen

from .._decimals import display, plain
from .._model import Rounding
from .lang import Lang


@frozen
class Marks:
    """The decimal mark and the thousands separator of a number style."""

    decimal: str
    thousands: str


#: How reports write numbers in each language.
REPORT_MARKS: Final = {Lang.ID: Marks(",", "."), Lang.EN: Marks(".", ",")}
#: How the terminal commands write numbers: English output is unchanged from
#: before languages existed (no thousands separator), Indonesian is grouped.
TERMINAL_MARKS: Final = {Lang.ID: Marks(",", "."), Lang.EN: Marks(".", "")}


def with_marks(text: str, marks: Marks) -> str:
    """A plain number (``-6948530000.5``) written with other marks (``-6.948.530.000,5``)."""
    if not marks.thousands:
        return text if marks.decimal == "." else text.replace(".", marks.decimal)
    whole, dot, fraction = text.partition(".")
    if len(whole.lstrip("-")) > 3:
        whole = format(int(whole), ",d")
    written = whole + dot + fraction
    if marks.thousands == "," and marks.decimal == ".":
        return written
    return written.translate({ord(","): marks.thousands, ord("."): marks.decimal})


def number(value: Decimal, marks: Marks, rounding: Rounding | None = None) -> str:
    """A figure written out: in full, or shown to the rule set's places when it has more."""
    text = plain(value) if rounding is None else display(value, rounding.mode, rounding.places)
    return with_marks(text, marks)


def percent(value: Decimal, marks: Marks) -> str:
    """An achievement or share as printed in a report: ``33,64%``."""
    return with_marks(plain(value), marks) + "%"


def amount(value: Decimal, marks: Marks) -> str:
    """An amount in rupiah: ``Rp 6.948.530.000``."""
    return "Rp " + with_marks(plain(value), marks)
