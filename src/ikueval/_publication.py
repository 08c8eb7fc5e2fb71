"""Published figures: what a report prints, transcribed as printed.

A :class:`Publication` holds the tables of one report. Each table says what
its columns claim to show (a target over a span, an achievement on a basis, a
roll-up, a budget figure) and lists its rows with the cells exactly as printed
(``"33,64%"``, ``"116 Orang (108,41%)"``, ``"-"``). :func:`parse_cell` reads a
printed cell into its figures: the main one and, in parentheses, a second one;
the loader keeps them with the text in a :class:`Cell`, so that every cell is
read once.

The file format is described in ``docs/reconcile.md``; reading it is
:func:`ikueval._loading.load_publication`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Final

from attrs import field, frozen

from ._decimals import NumberFormat, check_figure, parse_number, without_exponent
from ._errors import IkuEvalError, Problem
from ._model import Basis, frozen_mapping
from ._spans import SpanName


class Shows(Enum):
    """What a column of a published table shows."""

    TARGET = "target"
    REALISATION = "realisation"
    ACHIEVEMENT = "achievement"
    ROLLUP = "rollup"
    CEILING = "ceiling"
    SPENDING = "spending"
    ABSORPTION = "absorption"
    COMPOSITE = "composite"
    """The value of a composite of ``[[composites]]`` (an index such as the IKPA)."""
    WEIGHTED = "weighted"
    """A member's weighted value in the composite the column names."""
    MEDIUM_TERM = "medium_term"
    """The achievement against the medium-term (Renstra) target."""
    PREVIOUS_YEAR = "previous_year"
    """The realisation to date of the previous year (or, printed in %, its achievement)."""


@frozen
class Column:
    """What a column claims to show, as its heading says.

    Args:
        shows: the kind of figure.
        span: for targets and realisations: the period alone, January to its
            end, or (targets) the year.
        period: the period the column is about, when not the report's period.
        basis: for achievements and roll-ups: what is compared with what.
        label: the heading as printed.
        unit: the unit of the numbers the column prints without one, as its
            heading states it: ``%`` under "Capaian (%)" makes ``184,75`` a
            percentage.
        composite: for weighted values: the composite the members are weighted in.
    """

    shows: Shows
    span: SpanName | None = None
    period: str | None = None
    basis: Basis | None = None
    label: str | None = None
    unit: str | None = None
    composite: str | None = None


@frozen
class Row:
    """A printed row: what it is about and its cells as printed.

    Args:
        line: the line of the row in the published-figures file.
        indicator: the indicator of its target, realisation and achievement cells.
        activity: the activity (or ``total``) of its budget cells.
        rollup: the roll-up (``all``, ``objective:SS-1``, ``activity:A1``) of its
            roll-up cells.
        composite: the composite of its composite cells (and, in a weighted
            column, the member whose weighted value the cell is).
        cells: column name -> the cell, in the order of the file.
        note: what a reader should know about the row.
    """

    line: int | None
    cells: Mapping[str, Cell] = field(converter=frozen_mapping)
    indicator: str | None = None
    activity: str | None = None
    rollup: str | None = None
    note: str | None = None
    composite: str | None = None


@frozen
class Table:
    """One published table, or one sentence of the text holding figures."""

    id: str
    title: str
    columns: Mapping[str, Column] = field(converter=frozen_mapping)
    rows: tuple[Row, ...]
    where: str | None = None
    note: str | None = None
    line: int | None = None
    number_format: NumberFormat | None = None
    """How this table prints numbers, when not as the rest of the report (an annex
    printed by another system)."""


@frozen
class Publication:
    """The figures of one report, and how its numbers are printed."""

    document: str
    period: str
    number_format: NumberFormat
    tables: tuple[Table, ...]
    title: str | None = None
    source: str | None = None
    warnings: tuple[Problem, ...] = ()
    """What the file should be checked for, though its figures can be reconciled: rows
    a table gives twice (:mod:`ikueval._loading.repeated_rows`)."""


@frozen
class Printed:
    """One printed figure.

    Args:
        text: the figure as printed (``"108,41%"``).
        value: the number, the category (``"Baik"``), or None for ``-``.
        unit: what follows the number (``%``, ``Orang``), ``Rupiah`` for an
            amount printed with ``Rp``, the column's unit for a number printed
            without one, or None.
        places: the decimal places printed.
    """

    text: str
    value: Decimal | str | None
    unit: str | None = None
    places: int = 0

    @property
    def is_percentage(self) -> bool:
        """Whether the figure is a percentage: printed with a percent sign, or in a column
        of percentages (``unit = "%"``)."""
        return self.unit == "%"


@frozen
class Cell:
    """A printed cell: its text and the figures read from it, once.

    Args:
        text: the cell as printed (``"116 Orang (108,41%)"``).
        figures: the main figure and, when the cell ends with one in
            parentheses, the second (see :func:`parse_cell`).
    """

    text: str
    figures: tuple[Printed, ...]


class PrintedFigureError(IkuEvalError):
    """A printed cell cannot be read as figures."""


#: How a report prints "no figure".
DASHES: Final = frozenset({"-", "–", "—"})
_CURRENCY: Final = re.compile(r"^Rp\.?\s*", re.IGNORECASE)
_NUMBER: Final = re.compile(r"^(-?[0-9][0-9.,]*)\s*(.*)$")
#: A unit after a number: the percent sign, or words (Orang, Kasus, Dokumen).
_UNIT: Final = re.compile(r"%|[^\W\d_][^\W\d_ .]*(?:[ .][^\W\d_]+)*\.?")


def parse_cell(
    text: str, number_format: NumberFormat, bare_unit: str | None = None
) -> tuple[Printed, ...]:
    """The figures of a printed cell: ``"116 Orang (108,41%)"`` -> 116 Orang, 108.41 %.

    Args:
        text: the cell as printed.
        number_format: how the report prints numbers.
        bare_unit: the unit of a number printed without one (the column's,
            see :class:`Column`).

    Raises:
        PrintedFigureError: when a part is not a figure in the number format.
    """
    cell = " ".join(text.split())
    if not cell:
        raise PrintedFigureError("the cell is empty: leave it out, or write '-' as printed")
    if cell.endswith(")") and "(" in cell:
        opening = cell.index("(")
        main, inner = cell[:opening].strip(), cell[opening + 1 : -1].strip()
        if main and inner:
            return (
                parse_figure(main, number_format, bare_unit),
                parse_figure(inner, number_format, bare_unit),
            )
    return (parse_figure(cell, number_format, bare_unit),)


def is_unit(text: str) -> bool:
    """Whether a text is a unit as a report prints one after a number: ``%`` or words."""
    return _UNIT.fullmatch(text) is not None


def parse_figure(text: str, number_format: NumberFormat, bare_unit: str | None = None) -> Printed:
    """One printed figure: ``-``, an amount (``Rp 1.000,00``), a number with a unit, a category.

    Args:
        text: the figure as printed.
        number_format: how the report prints numbers.
        bare_unit: the unit of a number printed without one.

    Raises:
        PrintedFigureError: when a number is not valid in the number format.
    """
    if text in DASHES:
        return Printed(text, None)
    currency = _CURRENCY.match(text)
    rest = text[currency.end() :] if currency else text
    number = _NUMBER.match(rest)
    if number is None:
        if currency:
            raise PrintedFigureError(f"expected an amount after {currency.group(0).strip()!r}")
        return Printed(text, text)
    digits, unit = number.group(1).rstrip(".,"), number.group(2).strip() or None
    if unit is not None and not is_unit(unit):
        raise PrintedFigureError(f"after the number, {unit!r} is not a unit (% or a word)")
    try:
        value = parse_number(digits, number_format)
        check_figure(value, digits)
    except IkuEvalError as exc:
        raise PrintedFigureError(exc.problems[0].message) from None
    mark = "," if number_format is NumberFormat.INDONESIAN else "."
    places = len(digits.split(mark, 1)[1]) if mark in digits else 0
    if currency:
        unit = "Rupiah"
    return Printed(text, without_exponent(value), unit or bare_unit, places)
