"""The ledger: what a data set's events add up to, cell by cell.

A *cell* holds the events of one indicator input (or one activity's spending)
in one period with one set of dimension values: their total, their number and
their sources. A ledger is built once from the events
(:func:`ikueval.aggregation.build_ledger`) and evaluated for any period.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from .errors import Problem
from .events import Event, EventSource, spending_series
from .model import IMPLICIT_INPUT, TargetValue, frozen_mapping
from .periods import Period
from .results import Part

Dimensions = tuple[tuple[str, str], ...]
"""Dimension values of a cell, sorted by name: ``(("gender", "P"),)``."""


@frozen
class Cell:
    """The events of one indicator input in one period with one set of dimensions."""

    period: Period
    dimensions: Dimensions
    value: TargetValue
    count: int
    sources: tuple[str, ...]
    events: tuple[Event, ...] = ()
    first: EventSource = field(factory=EventSource)
    """The first source of the cell (file and line), to point error messages at."""

    def part(self) -> Part:
        """This cell as a part of an aggregate."""
        return Part(self.period.label, self.value, self.count, dict(self.dimensions), self.sources)


@frozen
class MissingReport:
    """A period whose figure a source reported as not measured ("-")."""

    period: Period
    dimensions: Dimensions
    sources: tuple[str, ...]


@frozen
class Series:
    """Everything recorded for one indicator input."""

    cells: tuple[Cell, ...] = ()
    missing: tuple[MissingReport, ...] = ()


@frozen
class Ledger:
    """The aggregated events of a data set, ready to be evaluated for any period.

    Args:
        series: what was recorded for each indicator input and activity.
        events_read: how many events were read.
        warnings: what a person should look at although the data were accepted:
            rows that seem given twice (see ``docs/events.md``), in a fixed order.
    """

    series: Mapping[tuple[str, str], Series] = field(converter=frozen_mapping)
    events_read: int = 0
    warnings: tuple[Problem, ...] = ()

    def of(self, indicator: str, input_name: str = IMPLICIT_INPUT) -> Series:
        """The series of one indicator input (empty when it has no events)."""
        return self.series.get((indicator, input_name), Series())

    def spending(self, activity: str) -> Series:
        """The spending of an activity (empty when it has no events)."""
        return self.series.get(spending_series(activity), Series())
