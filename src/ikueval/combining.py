"""How the parts of a span combine: the aggregation methods, in one table.

Within one period, values add up. Over a span, the parts (each the total of one
period and set of dimension values) combine by the indicator's aggregation
method (:class:`~ikueval.model.Aggregation`):

* ``cumulative``: the sum of all parts;
* ``latest``: the total of the period that ends last;
* ``average``: the mean of the periods' totals.

:data:`METHODS` says, for each method, how it combines and what the rest of
ikueval must know about it; the engine (:func:`combine`), ``audit.replay``,
``ikueval check`` and the report look methods up there. Adding a method is one
entry and its text (``docs/extending.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from attrs import frozen

from .decimals import exact_sum, mean
from .model import Aggregation, FrozenMap, TargetFigure, TargetRange
from .periods import Period
from .results import Part


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
    periods = {part.period: Period.parse(part.period) for part in parts}
    last_end = max(p.end for p in periods.values())
    latest = [part for part in parts if periods[part.period].end == last_end]
    labels = {part.value for part in latest if isinstance(part.value, str)}
    if labels:
        if len(latest) != 1:
            raise TypeError("several categories for the same period")
        return latest[0].value
    return _cumulative(latest)


def _average(parts: Sequence[Part]) -> TargetFigure:
    bands = _bands(parts)
    if bands is not None:  # the mean of the lower bounds to that of the upper bounds
        low = [Part(p.period, b[0]) for p, b in zip(parts, bands, strict=True)]
        high = [Part(p.period, b[1]) for p, b in zip(parts, bands, strict=True)]
        return TargetRange(_mean_of_periods(low), _mean_of_periods(high))
    return _mean_of_periods(parts)


def _mean_of_periods(parts: Sequence[Part]) -> Decimal:
    totals: dict[str, list[Decimal]] = {}
    for part, value in zip(parts, _numbers(parts), strict=True):
        totals.setdefault(part.period, []).append(value)
    return mean(exact_sum(values) for values in totals.values())


#: Every aggregation method (:class:`~ikueval.model.Aggregation`): how it combines
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
