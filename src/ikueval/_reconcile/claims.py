"""What each printed figure claims, read from its column, its row and its unit.

The column says what the cell is about (a target over a span, an achievement
on a basis, a roll-up, a budget figure); the unit of each figure says which of
the indicator's figures it is: ``108,41%`` next to ``116 Orang`` is an
achievement, ``19 Kasus`` of an indicator with inputs in Kasus is an input.
The rules are those of ``docs/reconcile.md`` ("What each figure claims").
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum

from attrs import frozen

from .._evaluation import BASES
from .._model import Basis, Indicator, RuleSet
from .._publication import Column, Printed, Publication, Row, Shows, Table
from .._spans import SpanName
from .._units import same_unit


class Role(Enum):
    """What a printed figure claims to be."""

    TARGET = "target"
    REALISATION = "realisation"
    CATEGORY = "category"
    """The category of a realisation on the indicator's ``category_scale``."""
    TARGET_CATEGORY = "target_category"
    """The category of a target on the indicator's ``category_scale``."""
    INPUT = "input"
    PARAMETER = "parameter"
    ACHIEVEMENT = "achievement"
    ROLLUP = "rollup"
    CEILING = "ceiling"
    SPENDING = "spending"
    ABSORPTION = "absorption"
    COMPOSITE = "composite"
    WEIGHTED = "weighted"
    MEDIUM_TERM = "medium_term"
    PREVIOUS_YEAR = "previous_year"


@frozen
class Claim:
    """What a printed figure claims, read from its column, row and unit."""

    role: Role
    subject: str
    period: str
    span: SpanName | None = None
    basis: Basis | None = None
    unit: str | None = None
    composite: str | None = None
    """For a weighted value: the composite the subject is a member of."""

    def describe(self) -> str:
        """The claim in words: ``IKU-06 achievement period_vs_annual of 2025-Q2``."""
        detail = self.basis.value if self.basis else self.span
        unit = f" in {self.unit}" if self.unit and self.role in (Role.INPUT, Role.PARAMETER) else ""
        within = f" in {self.composite}" if self.composite else ""
        parts = [self.subject, self.role.value + unit + within, detail, f"of {self.period}"]
        return " ".join(p for p in parts if p)


@frozen
class FigureRef:
    """Where a figure is printed: table, row, column, and which figure of the cell.

    Args:
        number: the figure's number in the publication, from 1, in the order the
            reconciliation lists the figures: table by table, row by row, in the
            order of the table's columns (0 for a figure not read from a publication).
    """

    table: str
    row: int
    line: int | None
    column: str
    part: int
    text: str
    cell: str
    number: int = 0


@frozen
class PrintedFigure:
    """One printed figure, where it stands and what it claims."""

    ref: FigureRef
    printed: Printed
    claim: Claim
    table: Table
    row: Row


def printed_figures(ruleset: RuleSet, publication: Publication) -> Iterator[PrintedFigure]:
    """Every figure of a publication with its claim, in the order of the file."""
    number = 0
    for table in publication.tables:
        for index, row in enumerate(table.rows, start=1):
            for name, column in table.columns.items():
                cell = row.cells.get(name)
                if cell is None:
                    continue
                for part, printed in enumerate(cell.figures):
                    number += 1
                    ref = FigureRef(
                        table.id, index, row.line, name, part, printed.text, cell.text, number
                    )
                    claim = claim_of(ruleset, publication, row, column, printed)
                    yield PrintedFigure(ref, printed, claim, table, row)


def realisation_span(basis: Basis) -> SpanName:
    """The span of the realisation an achievement on this basis compares (the engine's)."""
    return BASES[basis].realisation


def claim_of(
    ruleset: RuleSet, publication: Publication, row: Row, column: Column, printed: Printed
) -> Claim:
    """What one printed figure claims (see the module's description)."""
    period = column.period or publication.period
    shows = column.shows
    if shows is Shows.ROLLUP:
        return Claim(Role.ROLLUP, row.rollup or "", period, basis=column.basis)
    if shows is Shows.CEILING:
        return Claim(Role.CEILING, row.activity or "", period)
    if shows in (Shows.SPENDING, Shows.ABSORPTION):
        role = Role.SPENDING if shows is Shows.SPENDING else Role.ABSORPTION
        return Claim(role, row.activity or "", period, span=SpanName.TO_DATE)
    if shows is Shows.COMPOSITE:
        return Claim(Role.COMPOSITE, row.composite or "", period)
    if shows is Shows.WEIGHTED:
        member = row.indicator or row.composite or ""
        return Claim(Role.WEIGHTED, member, period, composite=column.composite)
    if shows is Shows.MEDIUM_TERM:
        return Claim(Role.MEDIUM_TERM, row.indicator or "", period, basis=None)
    if shows is Shows.PREVIOUS_YEAR:
        # in percent, the previous year's achievement to date; else its realisation to date
        basis = Basis.TO_DATE if printed.is_percentage else None
        return Claim(Role.PREVIOUS_YEAR, row.indicator or "", period, SpanName.TO_DATE, basis)
    indicator = ruleset.indicator(row.indicator or "")
    assert indicator is not None  # checked when the publication was read
    if shows is Shows.ACHIEVEMENT:
        basis = column.basis or Basis.PERIOD
        span = realisation_span(basis)
    else:
        span = column.span or SpanName.PERIOD
        basis = Basis.TO_DATE if span is SpanName.TO_DATE else Basis.PERIOD
    return _indicator_claim(indicator, shows, period, span, basis, printed)


def _indicator_claim(
    indicator: Indicator,
    shows: Shows,
    period: str,
    span: SpanName,
    basis: Basis,
    printed: Printed,
) -> Claim:
    if indicator.category_scale is not None and isinstance(printed.value, str):
        role = Role.TARGET_CATEGORY if shows is Shows.TARGET else Role.CATEGORY
        return Claim(role, indicator.id, period, span=span)
    unit = printed.unit
    input_unit = unit is not None and any(
        i.unit and same_unit(unit, i.unit) for i in indicator.inputs.values()
    )
    if isinstance(printed.value, Decimal) and unit and not same_unit(unit, indicator.unit):
        if printed.is_percentage:
            return Claim(Role.ACHIEVEMENT, indicator.id, period, basis=basis)
        if input_unit or (shows is Shows.TARGET and indicator.parameters):
            role = Role.PARAMETER if shows is Shows.TARGET else Role.INPUT
            return Claim(role, indicator.id, period, span=span, unit=unit)
    if shows is Shows.ACHIEVEMENT:
        if printed.is_percentage or printed.value is None:
            return Claim(Role.ACHIEVEMENT, indicator.id, period, basis=basis)
        return Claim(Role.REALISATION, indicator.id, period, span=span)
    role = Role.TARGET if shows is Shows.TARGET else Role.REALISATION
    return Claim(role, indicator.id, period, span=span)
