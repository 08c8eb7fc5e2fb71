"""How a roll-up combines its members' figures: the roll-up methods, in one table.

A roll-up (of ``[rollups]``, or a composite of ``[[composites]]``) combines the
figures of its counted members by one :class:`~ikueval._model.RollupMethod`:

* ``mean``: the arithmetic mean, sum / count;
* ``weighted``: the weighted mean, sum of weight x figure / sum of the weights;
* ``geometric``: the geometric mean, the n-th root of the product of n figures.

:data:`METHODS` says, for each method, how it combines and what the rest of
ikueval must know about it; the engine (:mod:`ikueval._rollups`,
:mod:`ikueval._composites`), ``audit.replay_rollup`` and ``replay_composite``,
``ikueval check`` and ``reconcile`` look methods up there. Adding a method is one
entry and its text (``docs/extending.md``).

Every method gives its result as a :class:`Combined`: the *total* it takes (a sum
or a product), the *weight* it divides or roots by (a count or a sum of weights)
and the unrounded value, so that the trail shows each step and replay checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from attrs import frozen

from ._decimals import divide, exact_product, exact_sum, nth_root
from ._model import FrozenMap, RollupMethod

#: Most members a composite may have. A composite index of a report has a
#: handful of components (the IKPA has seven); the exact product behind a
#: geometric mean has as many digits as its figures together, so this keeps it
#: below about 45,000 digits.
MAX_MEMBERS: Final = 1000


@frozen
class Combined:
    """A method's result, step by step.

    Args:
        total: what the method takes from the figures: their sum, the sum of
            weight x figure, or their product.
        weight: what it divides or roots the total by: the count, or the sum of
            the weights.
        value: the unrounded result (40 significant digits for a division or a root).
    """

    total: Decimal
    weight: Decimal
    value: Decimal


@frozen
class Method:
    """How one roll-up method combines figures, and what it means for a reader.

    Args:
        combine: ``(figures, weights)`` of the counted members (at least one, the
            weights all 1 for a method without weights) to a :class:`Combined`.
            Raises ValueError when the figures have no result (a negative
            figure under a root).
        weighted: whether members declare weights (``check`` requires a weight
            on every member, and refuses weights elsewhere).
        description: the method in words (``check`` and ``reconcile`` name it so;
            ``explain`` and reports print its text, ``rollup_method.VALUE`` and
            ``explain.combine.VALUE`` of :mod:`ikueval._reports.labels`).
        nonnegative: whether figures below 0 have no result (a root).
    """

    combine: Callable[[Sequence[Decimal], Sequence[Decimal]], Combined]
    weighted: bool
    description: str
    nonnegative: bool = False


def _mean(figures: Sequence[Decimal], weights: Sequence[Decimal]) -> Combined:
    del weights
    total = exact_sum(figures)
    count = Decimal(len(figures))
    return Combined(total, count, divide(total, count))


def _weighted(figures: Sequence[Decimal], weights: Sequence[Decimal]) -> Combined:
    total = exact_sum(
        exact_product((weight, figure)) for figure, weight in zip(figures, weights, strict=True)
    )
    weight = exact_sum(weights)
    return Combined(total, weight, divide(total, weight))


def _geometric(figures: Sequence[Decimal], weights: Sequence[Decimal]) -> Combined:
    del weights
    negative = [figure for figure in figures if figure < 0]
    if negative:
        raise ValueError(f"the geometric mean of a figure below 0 ({negative[0]}) is not defined")
    total = exact_product(figures)
    return Combined(total, Decimal(len(figures)), nth_root(total, len(figures)))


#: Every roll-up method (:class:`~ikueval._model.RollupMethod`): how it combines the
#: counted members' figures, and its words. The engine, ``audit``, ``check`` and
#: ``reconcile`` look methods up here.
METHODS: Final[Mapping[RollupMethod, Method]] = FrozenMap(
    {
        RollupMethod.MEAN: Method(
            _mean,
            weighted=False,
            description="the arithmetic mean: the sum of the figures / their number",
        ),
        RollupMethod.WEIGHTED: Method(
            _weighted,
            weighted=True,
            description="the weighted mean: the sum of weight x figure / the sum of the weights",
        ),
        RollupMethod.GEOMETRIC: Method(
            _geometric,
            weighted=False,
            description="the geometric mean: the n-th root of the product of the n figures",
            nonnegative=True,
        ),
    }
)


def combine(
    method: RollupMethod, figures: Sequence[Decimal], weights: Sequence[Decimal] | None = None
) -> Combined:
    """Combine the figures of the counted members (at least one) by a method.

    Args:
        method: the roll-up method.
        figures: the members' figures.
        weights: their weights (1 each when None).

    Raises:
        ValueError: when there are no figures, or the method has no result for them.
    """
    if not figures:
        raise ValueError("no figure to combine")
    given = weights if weights is not None else [Decimal(1)] * len(figures)
    return METHODS[method].combine(figures, given)
