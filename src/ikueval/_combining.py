"""How the parts of a span combine: the aggregation methods, in one table.

Within one period, values add up. Over a span, the parts (each the total of one
period and set of dimension values) combine by the indicator's aggregation
method (:class:`~ikueval._model.Aggregation`):

* ``cumulative``: the sum of all parts;
* ``latest``: the total of the period that ends last;
* ``average``: the mean of the periods' totals.

:data:`METHODS` says, for each method, how it combines and what the rest of
ikueval must know about it; the engine (:func:`combine`), ``audit.replay``,
``ikueval check`` and the report look methods up there. Adding a method is one
entry and its text (``docs/extending.md``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from attrs import frozen

from ._decimals import divide, exact_sum
from ._model import Aggregation, FrozenMap, TargetFigure, TargetRange
from ._periods import Period
from ._results import Part


@frozen
class Method:
    """How one aggregation method combines parts, and what it means for a reader.

    Args:
        combine: the parts of a span (at least one) to one figure. Raises
            TypeError when categories (text) would have to be added or averaged.
        adds: whether it adds the values of successive periods (sub-units'
            targets then add up to the head's; percentages and scores do not
            add, so ``check`` warns).
        categories: whether it can combine the categories of a scale.
        every_period: whether the figure of a span needs a value in every period
            of it (a sum or a mean does; the latest value needs the last period
            only): the report calls a span without one not yet assessable.
        mixed_lengths: the note an aggregate carries when periods of different
            lengths are combined, if that changes the meaning.
    """

    combine: Callable[[Sequence[Part]], TargetFigure]
    adds: bool
    categories: bool
    every_period: bool
    mixed_lengths: str | None = None


def _cumulative(parts: Sequence[Part]) -> TargetFigure:
    bands = _bands(parts)
    if bands is not None:  # a range of sums: the sum of the lower bounds to that of the upper
        return TargetRange(exact_sum(b[0] for b in bands), exact_sum(b[1] for b in bands))
    return exact_sum(_numbers(parts))


def _latest(parts: Sequence[Part]) -> TargetFigure:
    ends = {part.period: _end_of(part.period) for part in parts}
    last_end = max(ends.values())
    latest = [part for part in parts if ends[part.period] == last_end]
    labels = {part.value for part in latest if isinstance(part.value, str)}
    if labels:
        if len(latest) != 1:
            raise TypeError("several categories for the same period")
        return latest[0].value
    return _cumulative(latest)


_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _end_of(label: str) -> date:
    """The last day of the period a label names (a day's label is read without a Period)."""
    if _DAY.fullmatch(label):
        try:
            return date.fromisoformat(label)
        except ValueError:
            pass  # not a day of the calendar: Period.parse says so
    return Period.parse(label).end


def _average(parts: Sequence[Part]) -> TargetFigure:
    bands = _bands(parts)
    if bands is not None:  # the mean of the lower bounds to that of the upper bounds
        low = [Part(p.period, b[0], periods=p.periods) for p, b in zip(parts, bands, strict=True)]
        high = [Part(p.period, b[1], periods=p.periods) for p, b in zip(parts, bands, strict=True)]
        return TargetRange(_mean_of_periods(low), _mean_of_periods(high))
    return _mean_of_periods(parts)


def _mean_of_periods(parts: Sequence[Part]) -> Decimal:
    """The sum of the parts divided by the number of distinct periods they add up.

    Parts of the same period are parts of one total (its dimension values), so a
    period counts once; a part of a compact trail adds up ``periods`` periods (the
    days of its month), and counts that many times. This is the mean of the
    periods' totals, whichever trail the parts come from.

    Raises:
        ValueError: a part adds up no period, or parts of one period disagree on
            how many they add up (a trail that was edited).
    """
    periods: dict[str, int] = {}
    for part in parts:
        if part.periods < 1:
            raise ValueError(f"a part for {part.period} adds up {part.periods} periods")
        if periods.setdefault(part.period, part.periods) != part.periods:
            raise ValueError(f"the parts for {part.period} add up different numbers of periods")
    return divide(exact_sum(_numbers(parts)), Decimal(sum(periods.values())))


#: Every aggregation method (:class:`~ikueval._model.Aggregation`): how it combines
#: parts and its words. The engine, ``audit.replay``, ``explain`` and ``check``
#: look methods up here.
METHODS: Final[Mapping[Aggregation, Method]] = FrozenMap(
    {
        Aggregation.CUMULATIVE: Method(_cumulative, adds=True, categories=False, every_period=True),
        Aggregation.LATEST: Method(_latest, adds=False, categories=True, every_period=False),
        Aggregation.AVERAGE: Method(
            _average,
            adds=False,
            categories=False,
            every_period=True,
            mixed_lengths="periods of different lengths are averaged with equal weight",
        ),
    }
)


def combine(method: Aggregation, parts: Sequence[Part]) -> TargetFigure | None:
    """Combine parts by an aggregation method; None when there are no parts.

    Raises:
        TypeError: when categories (text) would have to be added or averaged.
    """
    return METHODS[method].combine(parts) if parts else None


def _bands(parts: Sequence[Part]) -> list[tuple[Decimal, Decimal]] | None:
    """The parts as (lower, upper) bounds when one of them is a target range (a number
    is the range from itself to itself); None when none is.

    Raises:
        TypeError: when a category would have to be combined with a range.
    """
    if not any(isinstance(part.value, TargetRange) for part in parts):
        return None
    bands = []
    for part in parts:
        value = part.value
        if isinstance(value, TargetRange):
            bands.append((value.min, value.max))
        elif isinstance(value, Decimal):
            bands.append((value, value))
        else:
            raise TypeError(f"category {value!r} cannot be combined with a range")
    return bands


def _numbers(parts: Sequence[Part]) -> list[Decimal]:
    values = []
    for part in parts:
        if not isinstance(part.value, Decimal):
            raise TypeError(f"category {part.value!r} cannot be added or averaged")
        values.append(part.value)
    return values
