"""The spans of an evaluation: the period, January to the period's end, the whole year.

An evaluation is asked for a year, a quarter or a month and looks at three
spans of it (``docs/concepts.md``, "Periods and spans"). :data:`SPANS` is the
one table that says, for each :class:`SpanName`, how the span is made from the
evaluated period and whether realisations are computed over it. The engine, the
renderers and the published-figures reader look spans up there (and their words
up in :data:`ikueval._reports.labels.MEMBER_LABELS`); adding a span is one entry.

A :class:`SpanName` is a string enum, so that results keyed by span accept the
names the documents use: ``result.targets["annual"]`` is
``result.targets[SpanName.ANNUAL]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Final

from attrs import frozen

from ._errors import PeriodError
from ._model import FrozenMap
from ._periods import Granularity, Period, Span


class SpanName(StrEnum):
    """A span of an evaluation, named by the period evaluated (see :data:`SPANS`)."""

    PERIOD = "period"
    """The evaluated period alone."""
    TO_DATE = "to_date"
    """From January 1 to the end of the evaluated period ("s.d. TW II")."""
    ANNUAL = "annual"
    """The whole year of the evaluated period."""


@frozen
class SpanRule:
    """Everything ikueval knows about one span.

    Args:
        periods: the periods that make up the span of an evaluated period (a
            year, quarter or month), coarsest as declared: ``2025-Q1, 2025-Q2``
            for the span to date of ``2025-Q2``. Targets are built from these.
        span: the span itself, for labels and to select events.
        realised: whether the engine computes a realisation over the span
            (not over the whole year, which is not over yet).
    """

    periods: Callable[[Period], tuple[Period, ...]]
    span: Callable[[Period], Span]
    realised: bool


def _to_date(period: Period) -> tuple[Period, ...]:
    """The periods of the evaluated granularity from January to the period's end."""
    year = Period.year_of(period.year)
    if period.granularity is Granularity.QUARTER:
        return tuple(q for q in year.quarters() if q.end <= period.end)
    if period.granularity is Granularity.MONTH:
        return tuple(m for m in year.months() if m.end <= period.end)
    return (period,)


#: Every span of an evaluation, in the order outputs list them.
SPANS: Final[Mapping[SpanName, SpanRule]] = FrozenMap(
    {
        SpanName.PERIOD: SpanRule(periods=lambda period: (period,), span=Span.of, realised=True),
        SpanName.TO_DATE: SpanRule(periods=_to_date, span=Span.to_date, realised=True),
        SpanName.ANNUAL: SpanRule(
            periods=lambda period: (Period.year_of(period.year),),
            span=lambda period: Span.of(Period.year_of(period.year)),
            realised=False,
        ),
    }
)

#: The spans over which realisations are computed, in order.
REALISED: Final = tuple(name for name, rule in SPANS.items() if rule.realised)


def span_periods(period: Period) -> dict[SpanName, tuple[Span, tuple[Period, ...]]]:
    """The spans of an evaluation and the periods that make up each.

    Returns:
        every :class:`SpanName`, in the order of :data:`SPANS`, with its span and periods.

    Raises:
        PeriodError: when the period is a day (an evaluation is of a year, quarter or month).
    """
    if period.granularity is Granularity.DAY:
        raise PeriodError(f"evaluate a year, quarter or month, not the day {period.label}")
    return {name: (rule.span(period), rule.periods(period)) for name, rule in SPANS.items()}
