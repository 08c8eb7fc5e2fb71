"""A cell of a ledger as a value, and the sources of a cell as the trail writes them.

A :class:`~ikueval._ledger.Series` keeps its cells as columns; a :class:`Cell`
is built from them when asked for (:attr:`~ikueval._ledger.Series.cells`).
"""

from __future__ import annotations

from typing import Any

from ._events import Event, EventSource
from ._model import TargetValue
from ._periods import Period
from ._results import Part
from ._sources import LINE_SPAN, Source, SourceSet

Dimensions = tuple[tuple[str, str], ...]
"""Dimension values of a cell, sorted by name: ``(("gender", "P"),)``."""


class Cell:
    """The events of one indicator input in one period with one set of dimensions.

    Attributes:
        period: the period of the events.
        dimensions: the dimension values they share, sorted by name.
        value: their total (a category label for a categorical indicator).
        count: how many events.
        sources: where they came from (``file:12-40``, references), see
            :mod:`ikueval._sources`.
        events: the events themselves, for the indicators a ledger retains.
        first: the first source of the cell (file and line, or a reference),
            to point error messages at.

    Cells are values, built from a series' columns when asked for.
    """

    __slots__ = ("_events", "_files", "_sources", "_total", "count", "dimensions", "period")

    def __init__(
        self,
        period: Period,
        dimensions: Dimensions,
        files: list[str],
        count: int,
        total: TargetValue,
        sources: Source | SourceSet,
        events: tuple[Event, ...] = (),
    ) -> None:
        self.period = period
        self.dimensions = dimensions
        self.count = count
        self._total = total
        self._sources = sources
        self._files = files
        self._events = events

    @property
    def value(self) -> TargetValue:
        """The total of the events (the smallest category label, for categories)."""
        return self._total

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the events came from, as the trail writes it."""
        return source_texts(self._sources, self._files)

    @property
    def first(self) -> EventSource:
        """The first source of the cell, in source order."""
        return first_source(self._sources, self._files)

    @property
    def events(self) -> tuple[Event, ...]:
        """The events of the cell, when its indicator was retained (else empty)."""
        return self._events

    def part(self) -> Part:
        """This cell as a part of an aggregate."""
        return Part(self.period.label, self.value, self.count, dict(self.dimensions), self.sources)

    def _key(self) -> tuple[Any, ...]:
        return (self.period, self.dimensions, self.value, self.count, self.sources, self.events)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.period, self.dimensions, self.count))

    def __repr__(self) -> str:
        return (
            f"Cell(period={self.period.label!r}, dimensions={self.dimensions!r}, "
            f"value={self.value!r}, count={self.count}, sources={self.sources!r})"
        )


def source_texts(sources: Source | SourceSet, files: list[str]) -> tuple[str, ...]:
    """The sources of a cell as the trail writes them."""
    if isinstance(sources, int):
        number, line = divmod(sources, LINE_SPAN)
        return (f"{files[number]}:{line}",)
    if isinstance(sources, SourceSet):
        return sources.texts(files)
    if sources.file is not None and sources.line is not None:
        return (f"{sources.file}:{sources.line}",)
    return (str(sources),)


def first_source(sources: Source | SourceSet, files: list[str]) -> EventSource:
    """The first source of a cell, in source order."""
    if isinstance(sources, int):
        number, line = divmod(sources, LINE_SPAN)
        return EventSource(files[number], line)
    if isinstance(sources, SourceSet):
        return sources.first(files)
    return sources
