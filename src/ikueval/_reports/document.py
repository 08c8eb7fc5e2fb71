"""The report model: what a report shows, in no language and no format yet.

:func:`ikueval.build_report` turns an evaluation into a
:class:`Report`; a renderer (HTML, XLSX, Markdown) turns the report into a
document in one language. Text is either a :class:`Label` (a key of
:mod:`ikueval._reports.labels` and its fields, translated by the renderer) or a
plain ``str`` taken as it is from the rule set or the data (indicator names).

Every figure cell keeps the engine object it shows (``source``), the path of
the figure in the JSON output of ``ikueval evaluate --format json`` of its
period (``figure``), and the anchor of its trace (``trace``): a renderer never
computes a figure, it only writes the ones the evaluation computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum

from attrs import field, frozen

from .._model import Basis, Rounding, frozen_mapping
from .._results import BudgetResult, CompositeResult, IndicatorResult, Rollup, Status
from .assessment import Assessment as Assessment


@frozen
class PeriodName:
    """A period or span (``2025-Q2``, ``2025-Q1..2025-Q2``), named as the language says it."""

    text: str
    short: bool = True


@frozen
class Label:
    """A translatable text: a label key and the fields of its template.

    A field is a plain string (data), a number, a :class:`PeriodName` or
    another :class:`Label`.
    """

    key: str
    fields: Mapping[str, object] = field(factory=dict, converter=frozen_mapping)


Text = Label | PeriodName | str
"""Words of a report: a label to translate, a period to name, or data shown as it is."""


@frozen
class Source:
    """Where a figure comes from.

    Args:
        figure: the figure's path in the JSON of ``ikueval evaluate --format
            json`` for ``period``: ``indicators[IKU-06].achievement.to_date``,
            ``indicators[IKU-06].targets.annual.value``, ``rollups[all].value``,
            ``budgets[total].spent``.
        period: the evaluated period whose JSON holds it.
        trace: the anchor of the trace that explains it, if any.
        part: the part of the trace that details it: a basis of an indicator.
        engine: the engine object the figure is read from (an achievement,
            realisation, target, roll-up or budget).
    """

    figure: str
    period: str
    trace: str | None = None
    part: str | None = None
    engine: object = field(default=None, eq=False, repr=False)

    @property
    def link(self) -> str | None:
        """The anchor a figure links to: its trace, or the part of it (a basis) it shows."""
        if self.trace is None:
            return None
        return f"{self.trace}-{self.part}" if self.part else self.trace


@frozen
class NumberCell:
    """A realisation or target in the indicator's unit.

    ``value`` is the engine's figure, never rounded; a renderer shows it to
    ``rounding``'s places when it has more (as the terminal table does).
    """

    value: Decimal
    source: Source
    rounding: Rounding
    unit: str | None = None
    category: str | None = None
    """The category of the value on the indicator's ``category_scale``, shown beside it."""
    upper: Decimal | None = None
    """For a target range: its upper bound (``value`` is the lower)."""


@frozen
class PercentCell:
    """An achievement, roll-up or absorption, in percent, rounded by the engine."""

    value: Decimal
    source: Source


@frozen
class AmountCell:
    """An amount of money in rupiah (a budget ceiling, spending)."""

    value: Decimal
    source: Source


@frozen
class TextCell:
    """Words; a category of a scale (``Baik``) is a text cell with a source."""

    text: Text
    source: Source | None = None


@frozen
class MissingCell:
    """A figure the engine did not compute: shown as ``-``, with its status and reason."""

    status: Status
    reason: str | None
    source: Source | None = None


@frozen
class StatusCell:
    """The assessment of an indicator and, when it is not assessable, why."""

    assessment: Assessment
    reason: Text | None
    source: Source


Cell = NumberCell | PercentCell | AmountCell | TextCell | MissingCell | StatusCell
FigureCell = NumberCell | PercentCell | AmountCell


class Align(Enum):
    """How a column's cells are aligned."""

    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"


@frozen
class Column:
    """A column: its heading, the heading of its group (shared by neighbours), its basis."""

    heading: Text
    group: Text | None = None
    align: Align = Align.LEFT
    basis: Basis | None = None
    wide: bool = False
    """Holds long text (indicator names): gets the room that is left."""
    ident: bool = False
    """Holds identifiers (``IKU-06``, an activity's id): set apart, never wrapped."""


@frozen
class Row:
    """One row of a table; ``total`` rows (all activities) are set apart."""

    cells: tuple[Cell, ...]
    total: bool = False


@frozen
class GroupRow:
    """A heading row across the table (a strategic objective, an activity)."""

    text: Text
    code: str | None = None


@frozen
class Table:
    """A table of a section.

    Args:
        id: a stable id (``agreement``), used for anchors and sheet names.
        title: the caption.
        columns: the columns.
        rows: the rows, in order.
        notes: what a reader should know, printed under the table.
    """

    id: str
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[Row | GroupRow, ...]
    notes: tuple[Text, ...] = ()


@frozen
class Bar:
    """One bar: an indicator (or group) and its figure."""

    label: str
    title: Text
    cell: PercentCell | MissingCell


@frozen
class AchievementChart:
    """A bar per indicator, against the 100% line."""

    id: str
    title: Text
    bars: tuple[Bar, ...]


@frozen
class BudgetPair:
    """An activity's budget absorption next to its mean achievement."""

    label: str
    title: Text
    absorption: PercentCell | MissingCell
    achievement: PercentCell | MissingCell


@frozen
class BudgetChart:
    """Budget absorption against mean achievement, per activity."""

    id: str
    title: Text
    absorption: Text
    achievement: Text
    pairs: tuple[BudgetPair, ...]


@frozen
class ProgressPoint:
    """The realisation to date and the target to date at the end of one period."""

    period: str
    realisation: NumberCell | TextCell | MissingCell
    target: NumberCell | TextCell | MissingCell


@frozen
class ProgressPanel:
    """One indicator's realisation to date against its target to date, period by period."""

    label: str
    title: Text
    unit: str
    points: tuple[ProgressPoint, ...]


@frozen
class ProgressChart:
    """Small multiples: one panel per indicator."""

    id: str
    title: Text
    realisation: Text
    target: Text
    panels: tuple[ProgressPanel, ...]


@frozen
class Notes:
    """A list of remarks (plan warnings, reasons), with an optional heading."""

    items: tuple[Text, ...]
    title: Text | None = None


Chart = AchievementChart | BudgetChart | ProgressChart
Block = Table | Chart | Notes


@frozen
class Section:
    """A numbered section of the report.

    Args:
        id: a stable id (``achievement``), used for anchors.
        number: its number in the report (1-8).
        title: its heading.
        intro: what it shows and how to read it.
        blocks: tables, charts and notes, in order.
    """

    id: str
    number: int
    title: Text
    intro: tuple[Text, ...] = ()
    blocks: tuple[Block, ...] = ()


@frozen
class IndicatorTrace:
    """The trace of an indicator's figures: each basis with its realisation, target,
    formula and rounding; figures link to the part of their basis
    (``{anchor}-{basis}``)."""

    indicator: IndicatorResult = field(eq=False, repr=False)


@frozen
class RollupTrace:
    """The trace of a roll-up or a composite: its members and how they combine."""

    rollup: Rollup | CompositeResult = field(eq=False, repr=False)


@frozen
class BudgetTrace:
    """The trace of a budget: its ceiling, spending and absorption."""

    budget: BudgetResult = field(eq=False, repr=False)


@frozen
class Trace:
    """The explanation a figure links to.

    Args:
        anchor: the id figures link to (``t-2025-Q2-IKU-06``).
        title: a one-line title.
        period: the evaluated period.
        subject: what is explained.
    """

    anchor: str
    title: Text
    period: str
    subject: IndicatorTrace | RollupTrace | BudgetTrace


@frozen
class Report:
    """A performance report: sections of tables, charts and notes, and the traces.

    Args:
        office: the office (from the rule set).
        ruleset: the rule set's id.
        title: the rule set's title, if it has one.
        period: the evaluated period.
        spans: the labels of the ``period``, ``to_date`` and ``annual`` spans.
        rounding: the rule set's rounding.
        version: the version of ikueval that made it.
        sections: the numbered sections.
        traces: every trace a figure links to, in order.
        documents: document id -> title, for the traces.
    """

    office: str
    ruleset: str
    title: str | None
    period: str
    spans: Mapping[str, str] = field(converter=frozen_mapping)
    rounding: Rounding
    version: str
    sections: tuple[Section, ...]
    traces: tuple[Trace, ...] = ()
    documents: Mapping[str, str] = field(factory=dict, converter=frozen_mapping)

    def figures(self) -> list[tuple[Table, FigureCell | TextCell | MissingCell]]:
        """Every cell of every table that shows (or stands for) an engine figure."""
        found: list[tuple[Table, FigureCell | TextCell | MissingCell]] = []
        for section in self.sections:
            for block in section.blocks:
                if not isinstance(block, Table):
                    continue
                for row in block.rows:
                    if isinstance(row, Row):
                        found.extend(
                            (block, cell)
                            for cell in row.cells
                            if not isinstance(cell, StatusCell) and cell.source is not None
                        )
        return found
